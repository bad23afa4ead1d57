"""Fixed-dtype array aliases and the categorical vocabularies of the model."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.integer]
BoolArray = npt.NDArray[np.bool_]

SEXES: tuple[str, ...] = ("female", "male")
KINDS: tuple[str, ...] = ("permanent", "seasonal")
CHANNELS: tuple[str, ...] = ("in_person", "mobile", "digital", "phone")
AGES: tuple[int, ...] = tuple(range(101))  # 100 = 100 and over
MONTHS: tuple[int, ...] = tuple(range(1, 13))
MAX_AGE = 100

#: Service age groups used in results: (label, first age, last age).
AGE_GROUPS: tuple[tuple[str, int, int], ...] = (
    ("0-6", 0, 6),
    ("7-15", 7, 15),
    ("16-64", 16, 64),
    ("65-74", 65, 74),
    ("75-84", 75, 84),
    ("85+", 85, 100),
)


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
