"""The model's array aliases and vocabulary, from :mod:`forecasting.vocabulary`."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from forecasting.vocabulary import (
    AGE_GROUPS,
    AGES,
    CHANNELS,
    KINDS,
    MONTHS,
    OPEN_AGE,
    SEXES,
    BoolArray,
    FloatArray,
    IntArray,
)

__all__ = [
    "AGES",
    "AGE_GROUPS",
    "CHANNELS",
    "KINDS",
    "MONTHS",
    "OPEN_AGE",
    "SEXES",
    "BoolArray",
    "FloatArray",
    "IntArray",
    "age_group_index",
]


def age_group_index() -> npt.NDArray[np.int8]:
    """Age group index for each single age 0-100.

    Examples
    --------
    >>> age_group_index()[[0, 6, 7, 80, 100]].tolist()
    [0, 0, 1, 4, 5]
    """
    out = np.empty(len(AGES), dtype=np.int8)
    for i, (_, lo, hi) in enumerate(AGE_GROUPS):
        out[lo : hi + 1] = i
    return out
