"""Fertility and mortality estimated from an area's own births and deaths.

Used by the age-structured backtest when ``births=`` or ``deaths=`` files are
given (:func:`forecasting.age_backtest.cohort_component_method`); every
estimate uses only years up to the launch year.

- :func:`observed_fertility`: age-specific fertility = births by mother's age /
  the women exposed, with the projection's own exposure
  (:mod:`forecasting.cohort`: the mean of the women aged ``a`` and ``a - 1`` on
  31.12 of the previous year), so that a projection run with these rates
  reproduces the births. TFR = their sum; pasfr = their shares.
- :func:`lee_carter`: Lee & Carter (1992): ``log m(x, t) = a(x) + b(x) k(t)``
  fitted per sex by a rank-1 SVD (NumPy) of the centred log central death rates
  (deaths / mean of the population on 31.12 of ``t - 1`` and ``t``; every cell
  gets half a death more at the age's rate pooled over the fitted years, i.e.
  ``(d + 0.5) / (E + 0.5 / m_pooled)``, so that empty cells stay finite without
  inflating the rare deaths of small areas); ``k(t)`` is forecast as
  a random walk with drift (statsmodels ``ARIMA(0, 1, 0)`` with trend) and its
  mean path gives ``q(x) = 1 - exp(-m(x))`` for the projected years. The age of
  the rate is the age at death, used for the cohort aged ``x`` at the start of
  the year (half a year's ageing is ignored). ``k`` is not re-fitted to total
  deaths (the second stage of the original method).
"""

from __future__ import annotations

import warnings

import numpy as np
import xarray as xr
from statsmodels.tsa.arima.model import ARIMA

from forecasting.errors import CalibrationError
from forecasting.types import AGE, AGES, SEX, SEXES, YEAR, FloatArray

__all__ = ["lee_carter", "lee_carter_fit", "observed_fertility"]


def observed_fertility(
    births: xr.DataArray, population: xr.DataArray, years: int = 1
) -> FloatArray:
    """Births per woman per year by age, averaged over the last ``years`` years.

    Parameters
    ----------
    births : xarray.DataArray
        Dims (year, mother_age), live births of one area.
    population : xarray.DataArray
        Dims (year, sex, age), persons on 31.12, including the year before each
        birth year used.
    years : int, default 1
        Number of the latest years with both births and the previous year's
        population that are averaged (births and exposures summed).

    Returns
    -------
    numpy.ndarray, shape (age,)
        Fertility rate by age 0..100 in the convention of
        :func:`forecasting.cohort.advance` (zero where no births or women).

    Raises
    ------
    CalibrationError
        If no year has births and the previous year's population.

    Examples
    --------
    >>> pop = xr.DataArray(np.full((1, 2, 101), 100.0), dims=("year", "sex", "age"),
    ...     coords={"year": [2019], "sex": ["female", "male"], "age": np.arange(101)})
    >>> births = xr.DataArray(np.full((1, 46), 5.0), dims=("year", "mother_age"),
    ...     coords={"year": [2020], "mother_age": np.arange(10, 56)})
    >>> rate = observed_fertility(births, pop)
    >>> float(rate[30]), float(rate.sum())
    (0.05, 2.3)
    """
    usable = [int(y) for y in births[YEAR].values if int(y) - 1 in set(population[YEAR].values)]
    if not usable:
        raise CalibrationError("births: no year with the previous year's population")
    chosen = usable[-years:]
    women = population.sel({SEX: "female"}).sel({YEAR: [y - 1 for y in chosen]})
    women = women.reindex({AGE: list(AGES)}).to_numpy().astype(float)  # (year, age)
    exposed = 0.5 * (women + np.concatenate([np.zeros_like(women[:, :1]), women[:, :-1]], 1))
    counts = births.sel({YEAR: chosen}).rename(mother_age=AGE).reindex({AGE: list(AGES)})
    counts = counts.fillna(0.0).to_numpy().astype(float)
    total_exposed = exposed.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(total_exposed > 0, counts.sum(axis=0) / total_exposed, 0.0)
    return rate


def lee_carter(
    deaths: xr.DataArray, population: xr.DataArray, horizon: int
) -> tuple[FloatArray, FloatArray]:
    """Death probabilities for ``horizon`` years ahead from a Lee-Carter fit.

    Parameters
    ----------
    deaths : xarray.DataArray
        Dims (year, sex, age), deaths of one area.
    population : xarray.DataArray
        Dims (year, sex, age), persons on 31.12; each deaths year ``t`` used needs
        ``t - 1`` and ``t``.
    horizon : int
        Years after the last fitted year.

    Returns
    -------
    q : numpy.ndarray, shape (horizon, sex, age)
        Probability of dying during the year by age at its start.
    k : numpy.ndarray, shape (sex, fitted years)
        The fitted mortality index (``b`` sums to 1 per sex).

    Raises
    ------
    CalibrationError
        If fewer than 3 years have deaths and both populations.

    Examples
    --------
    >>> years, ages = np.arange(2000, 2011), np.arange(101)
    >>> m = 0.0005 * np.exp(0.09 * ages)[None, :] * np.exp(-0.02 * (years - 2000))[:, None]
    >>> pop = xr.DataArray(np.full((11, 2, 101), 1e6), dims=("year", "sex", "age"),
    ...     coords={"year": years, "sex": ["female", "male"], "age": ages})
    >>> deaths = pop.isel(year=slice(1, None)) * np.minimum(m[1:], 5)[:, None, :]
    >>> q, k = lee_carter(deaths, pop, horizon=2)
    >>> bool(np.all(q[1] < q[0]))
    True
    """
    a, b, ks = lee_carter_fit(deaths, population)
    q = np.empty((horizon, len(SEXES), len(AGES)))
    for s in range(len(SEXES)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = ARIMA(ks[s], order=(0, 1, 0), trend="t").fit()
        future = np.asarray(fit.forecast(horizon), dtype=float)
        q[:, s] = 1.0 - np.exp(-np.exp(a[s][None, :] + b[s][None, :] * future[:, None]))
    return q, ks


def lee_carter_fit(
    deaths: xr.DataArray, population: xr.DataArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Fit ``log m(x, t) = a(x) + b(x) k(t)`` per sex (see :func:`lee_carter`).

    Returns
    -------
    a, b : numpy.ndarray, shape (sex, age)
        Mean log rate and the age response (``b`` sums to 1 per sex).
    k : numpy.ndarray, shape (sex, fitted years)
        The mortality index of the fitted years (deaths years with both populations).

    Raises
    ------
    CalibrationError
        If fewer than 3 years have deaths and both populations.
    """
    years = [
        int(y)
        for y in deaths[YEAR].values
        if {int(y) - 1, int(y)} <= set(int(v) for v in population[YEAR].values)
    ]
    if len(years) < 3:
        raise CalibrationError(f"deaths: Lee-Carter needs 3 years with population, has {years}")
    d = deaths.sel({YEAR: years}).transpose(YEAR, SEX, AGE).sel({SEX: list(SEXES)})
    d = d.reindex({AGE: list(AGES)}).fillna(0.0).to_numpy().astype(float)
    pop = population.transpose(YEAR, SEX, AGE).sel({SEX: list(SEXES)})
    end = pop.sel({YEAR: years}).to_numpy().astype(float)
    start = pop.sel({YEAR: [y - 1 for y in years]}).to_numpy().astype(float)
    exposure = np.maximum(0.5 * (start + end), 1.0)
    pooled = (d.sum(axis=0) + 0.5) / exposure.sum(axis=0)  # (sex, age), never zero
    log_m = np.log((d + 0.5) / (exposure + 0.5 / pooled))  # (year, sex, age)
    a = log_m.mean(axis=0)  # (sex, age)
    b = np.empty_like(a)
    ks = np.empty((len(SEXES), len(years)))
    for s in range(len(SEXES)):
        u, sv, vt = np.linalg.svd(log_m[:, s] - a[s], full_matrices=False)
        b[s] = vt[0] / vt[0].sum()
        ks[s] = u[:, 0] * sv[0] * vt[0].sum()
    return a, b, ks
