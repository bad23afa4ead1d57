"""Residents and seasonal residents by zone, sex and age (integer, exact totals)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hand_worlds.inputs import BASE_YEAR, FINLAND, REGION, Inputs, regional_structure
from simulation.synthesis import largest_remainder  # the same rounding the model uses

DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
DAYS_PER_YEAR_PRESENT = 103.0  # 2020 national cottage-use survey (domain.md)
USERS_PER_RESIDENCE = 4.7  # mmm.fi 18.6.2021 (domain.md)
# Relative monthly presence of leisure residents before scaling to 103 days (estimate).
PRESENCE_SHAPE = np.array([0.10, 0.12, 0.14, 0.18, 0.32, 0.62, 0.85, 0.55, 0.30, 0.20, 0.10, 0.14])


def split_cells(cells: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Split integer cells over zones, exact per cell, zone totals within 1 of target.

    Remainders are carried from cell to cell per zone (controlled rounding), so small
    cells do not all land in the zone with the largest share.

    Parameters
    ----------
    cells : ndarray of int, shape (n,)
        Counts to split (e.g. persons by sex and age, flattened).
    shares : ndarray of float, shape (zone,)
        Zone shares, summing to 1.

    Returns
    -------
    ndarray of int, shape (zone, n)
    """
    out = np.zeros((len(shares), len(cells)), dtype=np.int64)
    carry = np.zeros(len(shares))
    for k, n in enumerate(cells):
        quota = n * shares + carry
        base = np.clip(np.floor(quota), 0, None).astype(np.int64)
        while base.sum() > n:  # negative carries can overshoot; take back the smallest
            base[np.argmin(np.where(base > 0, quota - base, np.inf))] -= 1
        rest = int(n - base.sum())
        base[np.argsort(-(quota - base), kind="stable")[:rest]] += 1
        carry = quota - base
        out[:, k] = base
    return out


def band_totals(inp: Inputs, code: str, total: int) -> pd.DataFrame:
    """Paavo 2018 age bands of a municipality, rescaled to ``total`` persons."""
    b = inp.bands[inp.bands.municipality_code == code].copy()
    b["age_to"] = b["age_to"].fillna(100).astype(int)
    b["count"] = largest_remainder(b.population.to_numpy(), total)
    return b[["age_from", "age_to", "count"]]


def age_sex_counts(inp: Inputs, code: str, total: int) -> np.ndarray:
    """Persons by sex and single age: municipal bands split by the regional structure.

    Returns
    -------
    ndarray of int, shape (2, 101)
    """
    region = regional_structure(inp, REGION, BASE_YEAR)
    out = np.zeros((2, 101), dtype=np.int64)
    for a0, a1, n in band_totals(inp, code, total).itertuples(index=False):
        block = region[:, a0 : a1 + 1]
        out[:, a0 : a1 + 1] = largest_remainder(block.ravel(), int(n)).reshape(block.shape)
    return out


def zone_residents(counts: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Split municipal counts (sex, age) over zones: shape (zone, sex, age)."""
    return split_cells(counts.ravel(), shares).reshape(len(shares), *counts.shape)


def presence_profile() -> np.ndarray:
    """Monthly presence shares scaled so that a year has 103 days of presence."""
    days = float(PRESENCE_SHAPE @ DAYS_IN_MONTH)
    return np.round(PRESENCE_SHAPE * DAYS_PER_YEAR_PRESENT / days, 4)


def seasonal_shares(inp: Inputs) -> np.ndarray:
    """Age and sex of seasonal residents: Finland's 2023 structure (estimate)."""
    fin = regional_structure(inp, FINLAND, BASE_YEAR).astype(float)
    return fin / fin.sum()


def centre_shares(n_zones: int, centre: int | None, share: float) -> np.ndarray:
    """Centre zone gets ``share``, the other zones equal parts (all equal if no centre)."""
    if centre is None or n_zones == 1:
        return np.full(n_zones, 1.0 / n_zones)
    out = np.full(n_zones, (1 - share) / (n_zones - 1))
    out[centre] = share
    return out


def days_present(presence: np.ndarray) -> float:
    """Mean days present per year implied by monthly presence shares."""
    return float(presence @ DAYS_IN_MONTH)
