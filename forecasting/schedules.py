"""Age schedules taken from the rate tables, as NumPy arrays.

Helpers of :mod:`forecasting.rates`: each turns one table of
:class:`~forecasting.inputs.RateTables` into arrays over ``SEXES`` and ``AGES``,
using only years up to the base year where observations are concerned.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.errors import CalibrationError, InputError, ProjectionError
from forecasting.inputs import RateTables
from forecasting.jump_off import damped_levels
from forecasting.types import AGES, FERTILE_AGES, OPEN_AGE, SEXES, FloatArray

__all__ = [
    "death_schedule",
    "fertility_schedule",
    "jump_off_levels",
    "latest_e0",
    "level_profile_shape",
    "migration_schedule",
    "tfr_trend_factor",
]


def death_schedule(tables: RateTables, years: np.ndarray) -> tuple[FloatArray, FloatArray]:
    """Death-probability schedule for each projected year.

    Years outside the table's range use its first or last year; the table's
    age 99 (99 and over) also serves the open age 100.

    Parameters
    ----------
    tables : RateTables
        The rate tables.
    years : numpy.ndarray of int
        Projected years.

    Returns
    -------
    q : numpy.ndarray, shape (year, sex, age)
        Per person, ages 0..100 at the start of the year.
    infant_q : numpy.ndarray, shape (year, sex)
        Probability of dying in the year of birth (the table's age -1).

    Raises
    ------
    InputError
        If a needed year lacks a sex or an age.
    """
    table = tables.death_probabilities
    known = np.sort(table["year"].unique().astype(int))
    wanted = np.clip(years, known[0], known[-1])
    ages = np.arange(-1, OPEN_AGE)  # -1 .. 99
    grid = table.set_index(["year", "sex", "age"])["death_probability"]
    out = np.empty((len(years), len(SEXES), len(ages)))
    problems = []
    for i, year in enumerate(wanted):
        for s, sex in enumerate(SEXES):
            try:
                out[i, s] = grid.loc[(int(year), sex)].reindex(ages).to_numpy(dtype=float)
            except KeyError:
                out[i, s] = np.nan
            if np.isnan(out[i, s]).any():
                problems.append(
                    f"death_probabilities.csv column 'age': year {year} sex {sex} "
                    "lacks some of the ages -1..99"
                )
    if problems:
        raise InputError(sorted(set(problems)))
    q = np.concatenate([out[..., 1:], out[..., -1:]], axis=-1)  # 0..99, then 100 = 99
    return q, out[..., 0]


def latest_e0(tables: RateTables, region: str, base_year: int) -> tuple[FloatArray, int]:
    """Return the region's latest observed e0 by sex, in a year <= ``base_year``.

    Returns
    -------
    e0 : numpy.ndarray, shape (sex,)
        Years of life expectancy at birth.
    year : int
        The year observed.
    """
    e0 = tables.e0
    rows = e0[(e0["region_code"] == region) & (e0["year"] <= base_year)]
    both = rows.groupby("year")["sex"].nunique()
    complete = both[both == len(SEXES)]
    if complete.empty:
        raise CalibrationError(f"e0.csv has no year <= {base_year} for region {region!r}")
    year = int(complete.index.max())
    latest = rows[rows["year"] == year].set_index("sex")["e0"]
    return latest.reindex(list(SEXES)).to_numpy(dtype=float), year


def fertility_schedule(
    tables: RateTables, region: str, window: tuple[int, int]
) -> tuple[FloatArray, float, int]:
    """Births per woman per year by age: mean TFR of the window x latest pasfr.

    Returns
    -------
    rate : numpy.ndarray, shape (age,)
        Zero outside ``FERTILE_AGES``; sums to the TFR.
    tfr : float
        Mean TFR over the window's years (children per woman).
    pasfr_year : int
        Year of the age pattern used (latest <= window end).
    """
    tfr = tables.tfr
    in_window = tfr[(tfr["region_code"] == region) & tfr["year"].between(*window)]
    if in_window.empty:
        raise CalibrationError(f"tfr.csv has no year in {window} for region {region!r}")
    mean_tfr = float(in_window["tfr"].mean())
    pasfr = tables.pasfr
    rows = pasfr[(pasfr["region_code"] == region) & (pasfr["year"] <= window[1])]
    rows = rows[rows["age"].isin(FERTILE_AGES)]
    if rows.empty:
        raise CalibrationError(f"pasfr.csv has no year <= {window[1]} for region {region!r}")
    year = int(rows["year"].max())
    shares = rows[rows["year"] == year].set_index("age")["pasfr_percent"]
    shares = shares.reindex(list(AGES), fill_value=0.0).to_numpy(dtype=float)
    if shares.sum() <= 0:
        raise CalibrationError(f"pasfr.csv: ages 15-49 sum to 0 in {year}, region {region!r}")
    return mean_tfr * shares / shares.sum(), mean_tfr, year


def migration_schedule(tables: RateTables, region: str, window: tuple[int, int]) -> FloatArray:
    """Mean net migration rate of the window, expanded to single ages.

    Returns
    -------
    numpy.ndarray, shape (sex, age)
        Net migrants per person per year by age at the end of the year; every
        age of a 5-year group (and of the open group up to 100) gets the group's
        mean rate.
    """
    table = tables.net_migration_rates
    rows = table[(table["region_code"] == region) & table["year"].between(*window)]
    if rows.empty:
        raise CalibrationError(
            f"net_migration_rates.csv has no year in {window} for region {region!r}"
        )
    means = rows.groupby(["sex", "age_from"], as_index=False).agg(
        rate=("rate", "mean"), age_to=("age_to", "first")
    )
    out = np.full((len(SEXES), len(AGES)), np.nan)
    ages = np.asarray(AGES)
    for sex, start, rate, end in means[["sex", "age_from", "rate", "age_to"]].itertuples(
        index=False
    ):
        upper = OPEN_AGE if pd.isna(end) else int(end)
        out[SEXES.index(sex), (ages >= start) & (ages <= upper)] = rate
    if np.isnan(out).any():
        raise CalibrationError(
            f"net_migration_rates.csv: the age groups of region {region!r} do not cover 0..100"
        )
    return out


def level_profile_shape(name: str, migration: FloatArray, aged: FloatArray) -> FloatArray:
    """Age-sex profile (sex, age) of an area's migration level, mean 1 over ``aged``.

    Parameters
    ----------
    name : {"uniform", "migration"}
        ``uniform``: 1 at every age; ``migration``: proportional to the size of
        the regional net migration rate ``migration`` (sex, age).
    migration : numpy.ndarray, shape (sex, age)
        Net migration rate, 1/year.
    aged : numpy.ndarray, shape (..., sex, age)
        First-year cohorts (persons) the mean is weighted by.

    Returns
    -------
    numpy.ndarray, shape (sex, age)
        Dimensionless weights.

    Raises
    ------
    ProjectionError
        If ``name`` is not an allowed value.
    """
    if name == "uniform":
        return np.ones_like(migration)
    if name != "migration":
        raise ProjectionError(f"level_profile={name!r}: allowed values are uniform, migration")
    size = np.abs(migration)
    weight = aged.reshape(-1, *migration.shape).sum(axis=0)
    mean = (size * weight).sum() / weight.sum()
    if not mean > 0:
        return np.ones_like(migration)
    return size / mean


def tfr_trend_factor(
    tables: RateTables,
    region: str,
    base_year: int,
    horizon: int,
    tfr: float,
    trend_years: int | None,
    damping: float,
) -> FloatArray:
    """Factor on the fertility schedule by projected year (all ones without a trend).

    The TFR moves on by its mean yearly change over the last ``trend_years`` years
    (rate tables), damped by ``damping`` per year ahead and floored at half of ``tfr``.
    """
    if trend_years is None:
        return np.ones(horizon)
    rows = tables.tfr[tables.tfr["region_code"] == region].set_index("year")["tfr"]
    ends = [base_year - trend_years, base_year]
    if not set(ends) <= set(rows.index):
        raise CalibrationError(f"tfr.csv lacks the years {ends} for region {region!r}")
    slope = (float(rows[ends[1]]) - float(rows[ends[0]])) / trend_years
    steps = np.cumsum(damping ** np.arange(1, horizon + 1))
    target = np.maximum(tfr + slope * steps, 0.5 * tfr)
    return target / tfr if tfr > 0 else np.ones(horizon)


def jump_off_levels(
    level: FloatArray, first_level: FloatArray, horizon: int, recent_period: int, damping: float
) -> FloatArray:
    """Migration level (area, year): ``first_level`` in year 1, back toward ``level``.

    ``L_t = L + (L_1 - L) * damping ** (t - 1)``
    (:func:`forecasting.jump_off.damped_levels`, after checking the options).

    Examples
    --------
    >>> jump_off_levels(np.array([0.0]), np.array([0.04]), 3, 3, 0.5).tolist()
    [[0.04, 0.02, 0.01]]
    """
    if recent_period < 1 or not 0.0 <= damping <= 1.0:
        raise ProjectionError(
            f"recent_period={recent_period} must be >= 1 and recent_damping={damping} in [0, 1]"
        )
    return damped_levels(level, first_level, horizon, damping)
