"""The one vocabulary of servicesim: sexes, ages, the open age, kinds, channels, months.

Every layer imports these names from here (the bottom layer), so that a category is
spelled and ordered the same way in the forecast, the simulation, the scenarios and
the results files.

Examples
--------
>>> SEXES, KINDS
(('female', 'male'), ('permanent', 'seasonal'))
>>> AGES[0], AGES[-1], OPEN_AGE
(0, 100, 100)
>>> CHANNELS
('in_person', 'mobile', 'digital', 'phone')
>>> [label for label, _, _ in AGE_GROUPS]
['0-6', '7-15', '16-64', '65-74', '75-84', '85+']
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
"""Array of 64-bit floats (rates, probabilities, persons, visits)."""

IntArray = npt.NDArray[np.integer]
"""Array of integers of any width (years, ages, counts, indices)."""

BoolArray = npt.NDArray[np.bool_]
"""Boolean mask."""

SEXES: Final[tuple[str, ...]] = ("female", "male")
"""Sex categories, in array order."""

OPEN_AGE: Final = 100
"""The last, open age group: 100 means 100 and over (completed years)."""

AGES: Final[tuple[int, ...]] = tuple(range(OPEN_AGE + 1))
"""Single ages 0..100 in completed years on 31.12; 100 is open."""

KINDS: Final[tuple[str, ...]] = ("permanent", "seasonal")
"""Kinds of resident: registered in the zone, or present in some months only."""

CHANNELS: Final[tuple[str, ...]] = ("in_person", "mobile", "digital", "phone")
"""Channels through which a service is used."""

MONTHS: Final[tuple[int, ...]] = tuple(range(1, 13))
"""Calendar months, January first."""

AGE_GROUPS: Final[tuple[tuple[str, int, int], ...]] = (
    ("0-6", 0, 6),
    ("7-15", 7, 15),
    ("16-64", 16, 64),
    ("65-74", 65, 74),
    ("75-84", 75, 84),
    ("85+", 85, OPEN_AGE),
)
"""Service age groups used in results: (label, first age, last age)."""
