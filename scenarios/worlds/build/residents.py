"""Residents by zone, sex and single age, controlled exactly to the municipal total.

Steps for one municipality (documented in the generated world README):

1. Zone totals: the municipal total of the base year (StatFin 11re) split in
   proportion to the 2022 postal-code totals (Paavo), largest remainder, so the zone
   totals sum exactly to the municipal total and the zone shares equal the 2022
   shares within rounding.
2. Age structure of each zone: its latest unsuppressed Paavo age bands (2013-2017),
   or the municipality's summed bands where the zone's are suppressed or empty.
3. Single ages and sexes: each band is spread over its ages and both sexes in
   proportion to the region's single-age x sex population of the band year.
4. Update to the base year: each cohort is aged by the region's cohort-change ratio
   (Hamilton-Perry); the ages born since come from the zone's women aged 15-49 times
   the region's child-woman ratio.
5. Integerisation: each zone's cells by largest remainder to its integer total.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.vocabulary import AGES, OPEN_AGE
from scenarios.worlds.build.sources import BAND_COLUMNS, BAND_STARTS
from simulation.synthesis import largest_remainder

#: Year of the Paavo bands every zone is treated as (most zones; older ones are few).
BAND_YEAR = 2017


def zone_totals(shares: np.ndarray, fallback: np.ndarray, total: int) -> np.ndarray:
    """Split ``total`` over zones by ``shares`` (or ``fallback``, or equally, if all zero).

    Examples
    --------
    >>> zone_totals(np.array([3454.0, 0.0]), np.array([1.0, 1.0]), 3496).tolist()
    [3496, 0]
    >>> zone_totals(np.zeros(2), np.zeros(2), 5).tolist()
    [3, 2]
    """
    for w in (shares, fallback, np.ones(len(shares))):
        if np.sum(w) > 0:
            return largest_remainder(np.asarray(w, float), int(total))
    return np.zeros(len(shares), dtype=np.int64)


def band_of_age() -> np.ndarray:
    """Index of the Paavo band of each age 0-100."""
    return np.searchsorted(np.array(BAND_STARTS), AGES, side="right") - 1


def expand_bands(bands: np.ndarray, region: np.ndarray) -> np.ndarray:
    """Spread band counts over single ages and sexes by a regional structure.

    Parameters
    ----------
    bands : ndarray, shape (zone, 20)
        Persons by Paavo band.
    region : ndarray, shape (2, 101)
        Regional persons by sex and age in the band year.

    Returns
    -------
    ndarray of float, shape (zone, 2, 101)
    """
    b = band_of_age()
    per_band = np.bincount(b, weights=region.sum(axis=0), minlength=len(BAND_STARTS))
    share = region / np.where(per_band[b] > 0, per_band[b], 1.0)[None, :]
    return bands[:, b][:, None, :] * share[None, :, :]


def age_forward(seed: np.ndarray, before: np.ndarray, after: np.ndarray, years: int) -> np.ndarray:
    """Age a (zone, sex, age) structure by ``years`` with regional cohort-change ratios.

    ``before`` and ``after`` are the region's (sex, age) populations ``years`` apart.
    Ages under ``years`` come from women 15-49 times the child-woman ratio.
    """
    out = np.zeros_like(seed)
    if years <= 0:
        return seed.copy()
    n = OPEN_AGE - years  # ages a <= n move to a + years; older ones into the open age
    ccr = after[:, years:OPEN_AGE] / np.where(before[:, :n] > 0, before[:, :n], 1.0)
    out[:, :, years:OPEN_AGE] = seed[:, :, :n] * ccr[None]
    old = before[:, n:].sum(axis=1)
    open_ratio = after[:, OPEN_AGE] / np.where(old > 0, old, 1.0)
    out[:, :, OPEN_AGE] = seed[:, :, n:].sum(axis=2) * open_ratio[None]
    women = before[0, 15:50].sum()
    cwr = after[:, :years] / (women if women > 0 else 1.0)
    out[:, :, :years] = seed[:, 0, 15:50].sum(axis=1)[:, None, None] * cwr[None]
    return out


def zone_bands(zones: pd.DataFrame, fallback: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Band counts per zone and whether each zone has its own (else ``fallback``).

    Returns
    -------
    bands : ndarray, shape (zone, 20)
    own : ndarray of bool, shape (zone,)
    """
    raw = zones[list(BAND_COLUMNS)].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    own = ~np.isnan(raw).any(axis=1) & (np.nan_to_num(raw).sum(axis=1) > 0)
    bands = np.where(own[:, None], np.nan_to_num(raw), fallback[None, :])
    return bands, own


def municipal_bands(raw: np.ndarray, region_bands: np.ndarray) -> np.ndarray:
    """Sum a municipality's unsuppressed zone bands (the region's bands if none)."""
    own = ~np.isnan(raw).any(axis=1)
    summed = np.nan_to_num(raw[own]).sum(axis=0)
    return summed if summed.sum() > 0 else region_bands


def synthesise_municipality(
    zones: pd.DataFrame, total: int, region_then: np.ndarray, region_now: np.ndarray, years: int
) -> tuple[np.ndarray, np.ndarray]:
    """Residents of one municipality's zones.

    Parameters
    ----------
    zones : DataFrame
        The municipality's rows of the shipped postal-area table.
    total : int
        Municipal total on 31.12. of the base year.
    region_then, region_now : ndarray, shape (2, 101)
        The region's population by sex and age in the band year and the base year.
    years : int
        Base year minus band year.

    Returns
    -------
    residents : ndarray of int, shape (zone, 2, 101)
        Sums to ``total`` exactly.
    own_bands : ndarray of bool, shape (zone,)
        Whether the zone's age structure is its own (False: the municipal one).
    """
    raw = zones[list(BAND_COLUMNS)].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    region_bands = np.bincount(band_of_age(), weights=region_then.sum(axis=0))
    bands, own = zone_bands(zones, municipal_bands(raw, region_bands))
    seed = age_forward(expand_bands(bands, region_then), region_then, region_now, years)
    counts = zone_totals(
        zones.population_2022.to_numpy(float), zones.population_2017.to_numpy(float), total
    )
    out = np.zeros((len(zones), 2, len(AGES)), dtype=np.int64)
    for z, n in enumerate(counts):
        w = seed[z].ravel() if seed[z].sum() > 0 else region_now.ravel()
        out[z] = largest_remainder(w, int(n)).reshape(2, len(AGES))
    return out, own
