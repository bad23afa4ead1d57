"""Dimension names, coordinates and array aliases of the forecasting package.

Every forecast array uses only these dimension names (see the glossary in
``DESIGN.md``): ``sample``, ``area``, ``year``, ``sex`` and ``age``.

Examples
--------
>>> SEXES
('female', 'male')
>>> AGES[0], AGES[-1], OPEN_AGE
(0, 100, 100)
>>> FERTILE_AGES[0], FERTILE_AGES[-1]
(15, 49)
"""

from __future__ import annotations

from typing import Final

from forecasting.vocabulary import AGES, OPEN_AGE, SEXES, FloatArray, IntArray

__all__ = [
    "AGE",
    "AGES",
    "AREA",
    "DEFAULT_SEX_RATIO_AT_BIRTH",
    "FERTILE_AGES",
    "OPEN_AGE",
    "POPULATION_DIMS",
    "SAMPLE",
    "SEX",
    "SEXES",
    "YEAR",
    "FloatArray",
    "IntArray",
]


SAMPLE: Final = "sample"
AREA: Final = "area"
YEAR: Final = "year"
SEX: Final = "sex"
AGE: Final = "age"


FERTILE_AGES: Final[tuple[int, ...]] = tuple(range(15, 50))
"""Ages of mothers (completed years) with non-zero fertility, 15..49."""

POPULATION_DIMS: Final = (SAMPLE, AREA, YEAR, SEX, AGE)
"""Dimension order of the projected population and its components by age."""

DEFAULT_SEX_RATIO_AT_BIRTH: Final = 1.05
"""Males born per female birth; 1.05 is the conventional value (Finland 1990-2023 ~1.04-1.06)."""
