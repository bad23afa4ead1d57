"""Mortality assumptions fitted to the areas' own data: e0 drift and old-age level.

Helpers of :func:`forecasting.rates.assume_rates`; each is optional there.

- :func:`e0_drift`: the mean yearly change of the region's life expectancy at
  birth over a window (the point forecast of a random walk with drift, as in
  :mod:`forecasting.rate_paths`), so that a deterministic projection keeps
  improving mortality instead of freezing it at the launch year's e0.
- :func:`old_age_factors`: the level of mortality at ages 80 and over measured
  from the areas' own cohort attrition. Statistics Finland's 2019 schedule
  scaled by one factor to an earlier year's e0 over-states old-age mortality,
  because mortality fell less in proportion at old ages than at younger ages
  (Päijät-Häme and Uusimaa 2000: the scaled schedule's probability at 90 is
  about 40 % above the observed attrition). At these ages net migration is
  small, so the attrition of a cohort from one 31.12 to the next, after the
  assumed net migration, measures its deaths (the survival-ratio method of
  indirect estimation; Hamilton-Perry uses the same ratios).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from forecasting.errors import CalibrationError
from forecasting.inputs import RateTables
from forecasting.lifetable import mortality_factor
from forecasting.types import AGE, AGES, AREA, OPEN_AGE, SEX, SEXES, YEAR, FloatArray

__all__ = [
    "OLD_AGE_BANDS",
    "e0_drift",
    "fitted_old_age_shape",
    "old_age_factors",
    "old_age_shape",
]

OLD_AGE_BANDS: tuple[int, ...] = (80, 85, 90, 95)
"""First ages (at the start of the year) of the bands with their own old-age factor;
the last band is open (95-100+)."""


def e0_drift(tables: RateTables, region: str, window: tuple[int, int]) -> FloatArray:
    """Mean yearly change of e0 by sex over the window's observed years.

    Parameters
    ----------
    tables : RateTables
        Rate tables with ``e0``.
    region : str
        Region code.
    window : tuple of int
        First and last year (inclusive).

    Returns
    -------
    numpy.ndarray, shape (sex,)
        Years of life expectancy gained per calendar year: (last - first) /
        (years between them), the drift of a random walk fitted to the window.

    Raises
    ------
    CalibrationError
        If the region has fewer than two years of e0 in the window for a sex.
    """
    e0 = tables.e0
    rows = e0[(e0["region_code"] == region) & e0["year"].between(*window)]
    out = np.empty(len(SEXES))
    for s, sex in enumerate(SEXES):
        series = rows[rows["sex"] == sex].sort_values("year")
        if len(series) < 2:
            raise CalibrationError(
                f"e0.csv: region {region!r} sex {sex} needs two years in {window} for the drift"
            )
        span = float(series["year"].iloc[-1] - series["year"].iloc[0])
        out[s] = (float(series["e0"].iloc[-1]) - float(series["e0"].iloc[0])) / span
    return out


def old_age_shape(factors: FloatArray) -> FloatArray:
    """Expand band factors (sex, band) to ages (sex, age); 1 below the first band.

    Examples
    --------
    >>> shape = old_age_shape(np.array([[0.9, 0.8, 0.7, 0.6], [1.0, 1.0, 1.0, 1.0]]))
    >>> shape[0, [79, 80, 85, 94, 95, 100]].tolist()
    [1.0, 0.9, 0.8, 0.7, 0.6, 0.6]
    """
    ages = np.asarray(AGES)
    shape = np.ones((factors.shape[0], ages.size))
    for b, start in enumerate(OLD_AGE_BANDS):
        shape[:, ages >= start] = factors[:, b, None]
    return shape


def old_age_factors(
    history: xr.DataArray,
    death_probability: FloatArray,
    migration: FloatArray,
    years: int = 5,
) -> FloatArray:
    """Factors on the death probabilities of the old-age bands, from cohort attrition.

    For the last ``years`` transitions ``t - 1 -> t`` in ``history``, pooled over
    its areas: the cohort aged ``a`` on 31.12 of ``t - 1`` (``a`` in a band;
    99 and 100 together end in the open age) should number
    ``(1 - f q[a] + m[a + 1]) P(a, t - 1)`` on 31.12 of ``t``; the band factor
    ``f`` is solved in closed form so that the band's expected survivors equal
    the observed ones.

    Parameters
    ----------
    history : xarray.DataArray
        Dims (area, year, sex, age), persons on 31.12, consecutive years; the last
        is the base year.
    death_probability : numpy.ndarray, shape (sex, age)
        The schedule the factors apply to (by age at the start of the year).
    migration : numpy.ndarray, shape (sex, age)
        Assumed net migration rate by age at the end of the year, 1/year.
    years : int, default 5
        Number of yearly transitions used.

    Returns
    -------
    numpy.ndarray, shape (sex, band)
        Dimensionless factors, bands of :data:`OLD_AGE_BANDS`; a band with no
        persons or no expected deaths keeps 1.

    Raises
    ------
    CalibrationError
        If the history has fewer than two years.

    Examples
    --------
    >>> ages, q = np.arange(101), np.full((2, 101), 0.2)
    >>> before = np.full((1, 1, 2, 101), 1000.0)
    >>> after = before * 0.9  # a tenth died: half the schedule's 20 %
    >>> pop = xr.DataArray(np.concatenate([before, after], axis=1),
    ...     dims=("area", "year", "sex", "age"),
    ...     coords={"area": ["a"], "year": [2000, 2001], "sex": ["female", "male"], "age": ages})
    >>> old_age_factors(pop, q, np.zeros((2, 101)))[:, :3].round(3).tolist()
    [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]
    """
    if history.sizes[YEAR] < 2:
        raise CalibrationError("old-age mortality needs at least two years of population")
    pop = history.transpose(AREA, YEAR, SEX, AGE).sel({SEX: list(SEXES), AGE: list(AGES)})
    values = pop.to_numpy().astype(float).sum(axis=0)[-(years + 1) :]  # (year, sex, age)
    start, end = values[:-1], values[1:]
    ages = np.asarray(AGES)
    out = np.ones((len(SEXES), len(OLD_AGE_BANDS)))
    bounds = [*OLD_AGE_BANDS[1:], OPEN_AGE + 1]
    for b, (lo, hi) in enumerate(zip(OLD_AGE_BANDS, bounds, strict=True)):
        band = (ages >= lo) & (ages < hi)
        entering = start[..., band]  # start ages lo..hi-1
        target = np.minimum(ages[band] + 1, OPEN_AGE)
        mig = migration[:, target]
        # survivors: start ages 99 and 100 both end at 100, so compare the band's
        # end ages (lo+1 .. hi, the open age once)
        observed = end[..., np.unique(target)].sum(axis=(0, -1))
        exposed = entering.sum(axis=0)  # (sex, age)
        deaths_at_one = (death_probability[:, band] * exposed).sum(axis=-1)
        expected_alive = (exposed * (1.0 + mig)).sum(axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = (expected_alive - observed) / deaths_at_one
        ok = np.isfinite(factor) & (deaths_at_one > 0) & (factor > 0)
        out[ok, b] = factor[ok]
    return out


def fitted_old_age_shape(
    q: FloatArray,
    q_infant: FloatArray,
    targets: FloatArray,
    migration: FloatArray,
    age_history: xr.DataArray | None,
) -> tuple[FloatArray, FloatArray]:
    """Old-age shape (sex, age) on a schedule and its band factors (sex, band).

    ``q`` (sex, age) and ``q_infant`` (sex,) are the uncalibrated schedule,
    ``targets`` (sex,) the e0 it is calibrated to, ``migration`` (sex, age) the
    assumed net migration rate and ``age_history`` (area, year, sex, age) the
    population; without it the shape is 1 everywhere.

    The attrition fixes the *calibrated* probabilities at 80+; since the e0
    calibration factor moves a little once the old ages change, the shape is
    refined three times (the e0 hardly depends on mortality at 80+).
    """
    ones = np.ones((len(SEXES), len(OLD_AGE_BANDS)))
    if age_history is None:
        return old_age_shape(ones), ones
    shape = old_age_shape(ones)
    bands = ones
    for _ in range(3):
        k = np.array([mortality_factor(q[s] * shape[s], q_infant[s], targets[s]) for s in (0, 1)])
        fitted = old_age_factors(age_history, q * shape * k[:, None], migration)
        bands = bands * fitted
        shape = old_age_shape(bands)
    return shape, bands
