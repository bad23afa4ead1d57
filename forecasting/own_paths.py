"""Sample paths of an area's own schedules (no rate tables), forecast with statsmodels.

:func:`simulate_own_rates` takes the deterministic schedules of
:func:`forecasting.own_rates.own_rates` and gives each sample its own future, as
:func:`forecasting.rate_paths.simulate_rates` does for the Finnish rate tables, but
from the area's own population, births and deaths (years ``fit_start`` .. launch
year ``T`` only):

- **fertility**: the area's yearly TFR (births by mother's age over the women
  exposed, :func:`forecasting.vital_rates.observed_fertility`) forecast on the log
  scale with a damped-trend ``ETSModel`` (additive error and trend, damping bounded
  as :data:`forecasting.rate_paths.DAMPING_BOUNDS`), widened around its median by
  ``tfr_spread`` (:func:`forecasting.rate_paths.widen`), or with
  ``tfr_model="random_walk"`` a random walk from the launch year's TFR whose step is
  the area's own yearly change (root mean square) times ``tfr_spread``; each sample's age schedule
  is the assumed schedule scaled to its TFR path;
- **mortality**: the Lee-Carter index ``k(t)`` of each sex
  (:func:`forecasting.vital_rates.lee_carter_fit`, all years with deaths) as a
  random walk with drift (``ARIMA(0, 1, 0)`` with trend, the model whose mean path
  the deterministic schedule already follows); each sample's death probabilities
  are ``1 - exp(-exp(a + b k))`` of its own ``k`` path;
- **net migration**: the area's yearly residual migration level (the population
  balance's residual over the cohorts at risk, all ages and sexes,
  :func:`forecasting.own_rates.yearly_residuals`) forecast with a mean-reverting
  ``ARIMA(1, 0, 0)`` with a constant; each sample adds its deviation from the mean
  forecast to every age and sex of the assumed rates.

The deterministic schedules stay the centre of mortality and migration; the TFR's
centre is the damped trend (the deterministic schedule holds the launch year's
TFR), as for the rate tables. Every draw comes from the ``rng`` passed in, in a
fixed order (TFR, mortality by sex, migration), so the same seed gives the same paths.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.errors import CalibrationError
from forecasting.fertility import pooled_step_sd
from forecasting.own_rates import usable_years, yearly_residuals
from forecasting.rate_paths import (
    drift_walk_paths,
    ets_tfr_paths,
    reverting_deviations,
    walk_tfr_paths,
    widen,
)
from forecasting.types import AREA, SAMPLE, SEX, SEXES, YEAR, FloatArray
from forecasting.vital_rates import lee_carter_fit, observed_fertility

__all__ = ["MIN_YEARS", "own_series", "simulate_own_rates"]

MIN_YEARS = 8
"""Fewest yearly observations the TFR and migration models are fitted on."""


def own_series(
    history: xr.DataArray,
    births: xr.DataArray,
    deaths: xr.DataArray,
    fit_start: int,
    sex_ratio: float,
) -> tuple[FloatArray, FloatArray, list[int]]:
    """Compute the area's yearly TFR and residual migration level from ``fit_start`` to ``T``.

    Parameters
    ----------
    history : xarray.DataArray
        Dims (year, sex, age), the area's persons on 31.12 up to ``T``.
    births : xarray.DataArray
        Dims (year, mother_age), births of the area (both sexes of the child).
    deaths : xarray.DataArray
        Dims (year, sex, age), deaths of the area.
    fit_start : int
        First year of the series (earlier years are left out).
    sex_ratio : float
        Male per female births, for the residual's newborns.

    Returns
    -------
    tfr, level : numpy.ndarray
        Children per woman and net migrants per person at risk, one per year.
    years : list of int
        The years (with births, deaths and the previous year's population).

    Raises
    ------
    CalibrationError
        If fewer than :data:`MIN_YEARS` years are usable.
    """
    last = int(history[YEAR][-1])
    years = usable_years(history, births.sel({YEAR: slice(None, last)}),
                         deaths.sel({YEAR: slice(None, last)}), fit_start)  # fmt: skip
    if len(years) < MIN_YEARS:
        raise CalibrationError(
            f"sample paths of own schedules need births, deaths and population for at least "
            f"{MIN_YEARS} years in {fit_start}-{last}; there are {len(years)} ({years}): give a "
            "longer history, an earlier forecast.fit_start, or forecast.method=deterministic"
        )
    tfr = np.array([observed_fertility(births.sel({YEAR: [t]}), history).sum() for t in years])
    residual, at_risk = yearly_residuals(history, births, deaths, years, sex_ratio)
    level = residual.sum(axis=(1, 2)) / np.maximum(at_risk.sum(axis=(1, 2)), 1.0)
    return tfr, level, years


_TFR_LABEL = {"ets": "ETS damped", "random_walk": "random-walk"}


def _tfr_paths(
    tfr: FloatArray, horizon: int, n: int, rng, spread: float, model: str = "ets"
) -> FloatArray:
    """TFR paths (sample, year): damped-trend ETS on log TFR, widened by ``spread``.

    With ``model="random_walk"``: a random walk from the last year's log TFR whose
    step is the root mean square of the area's own yearly changes times ``spread``
    (:func:`forecasting.fertility.walk_paths`; one area, nothing to pool with).
    """
    if np.any(tfr <= 0):
        raise CalibrationError("sample paths of own schedules: a year has no births (TFR 0)")
    if model == "random_walk":
        step = spread * pooled_step_sd(pd.DataFrame(np.log(tfr)))
        return walk_tfr_paths(float(np.log(tfr[-1])), step, horizon, n, rng)
    return widen(ets_tfr_paths(np.log(tfr), horizon, n, rng), spread)


def _k_paths(k: FloatArray, horizon: int, n: int, rng) -> FloatArray:
    """Lee-Carter index paths (sample, sex, year): random walk with drift per sex."""
    out = np.empty((n, len(SEXES), horizon))
    for s in range(len(SEXES)):
        out[:, s] = drift_walk_paths(k[s], horizon, n, rng)
    return out


def simulate_own_rates(
    rates: xr.Dataset,
    history: xr.DataArray,
    births: xr.DataArray,
    deaths: xr.DataArray,
    n_samples: int,
    rng: np.random.Generator,
    fit_start: int = 1990,
    tfr_spread: float = 1.0,
    tfr_model: str = "ets",
) -> xr.Dataset:
    """Give each of ``n_samples`` samples its own path of the area's own schedules.

    Parameters
    ----------
    rates : xarray.Dataset
        One area's deterministic schedules from :func:`forecasting.own_rates.own_rates`.
    history, births, deaths : xarray.DataArray
        The data they were built from (see :func:`own_series`; ``births`` may have
        the child's ``sex``).
    n_samples : int
        Number of sample paths (>= 1).
    rng : numpy.random.Generator
        Source of every draw.
    fit_start : int, default 1990
        First year of the TFR and migration series.
    tfr_spread : float, default 1.0
        Widening of the TFR paths (:func:`forecasting.rate_paths.widen`); with
        ``tfr_model="random_walk"`` the factor on the walk's step.
    tfr_model : {"ets", "random_walk"}, default "ets"
        Model of the TFR paths (``forecast.tfr_model``).

    Returns
    -------
    xarray.Dataset
        ``rates`` with ``sample`` of size ``n_samples``, plus ``tfr`` (sample, year),
        ``mortality_index`` (sample, year, sex) and ``net_migration_deviation``
        (sample, year).

    Raises
    ------
    CalibrationError
        If the series are too short or a model cannot be fitted.
    """
    last = int(history[YEAR][-1])
    births = births.sel({YEAR: slice(None, last)})
    deaths = deaths.sel({YEAR: slice(None, last)})
    both = births.sum(SEX) if SEX in births.dims else births
    years = rates[YEAR].values
    horizon, n = years.size, int(n_samples)
    ratio = float(rates.attrs["sex_ratio_at_birth"])
    tfr_series, level, _ = own_series(history, both, deaths, fit_start, ratio)
    tfr = _tfr_paths(tfr_series, horizon, n, rng, tfr_spread, tfr_model)
    a, b, k = lee_carter_fit(deaths, history)
    k_paths = _k_paths(k, horizon, n, rng)
    dev = reverting_deviations(level, horizon, n, rng)  # ARIMA(1,0,0) deviations

    log_m = a[None, None] + b[None, None] * k_paths.transpose(0, 2, 1)[..., None]
    q = 1.0 - np.exp(-np.exp(log_m))  # (sample, year, sex, age)
    m0 = -np.log(np.clip(1.0 - q[..., 0], 1e-12, 1.0))
    out = rates.isel({SAMPLE: np.zeros(n, dtype=np.int64)}).assign_coords({SAMPLE: np.arange(n)})
    out = out.copy(deep=True)
    out["death_probability"].values = q[:, None]
    out["infant_death_probability"].values = (1.0 - np.exp(-0.5 * m0))[:, None]
    scale = tfr / float(rates.attrs["tfr_assumed"])
    out["fertility_rate"].values = out["fertility_rate"].values * scale[:, None, :, None]
    out["net_migration_rate"].values = (
        out["net_migration_rate"].values + dev[:, None, :, None, None]
    )
    out["tfr"] = ((SAMPLE, YEAR), tfr, {"units": "children/woman", "long_name": "TFR path"})
    out["mortality_index"] = (
        (SAMPLE, YEAR, SEX),
        k_paths.transpose(0, 2, 1),
        {"units": "1", "long_name": "Lee-Carter k path"},
    )
    out["net_migration_deviation"] = (
        (SAMPLE, YEAR),
        dev,
        {"units": "1/year", "long_name": "sample deviation added to net migration rates"},
    )
    out.attrs.update(
        method=f"{rates.attrs.get('method', 'own_rates')}; sample paths: "
        f"forecasting.own_paths.simulate_own_rates ({_TFR_LABEL[tfr_model]} log TFR, "
        "Lee-Carter k random "
        "walk with drift, ARIMA(1,0,0) residual migration level)",
        fit_start=int(fit_start),
        tfr_spread=float(tfr_spread),
        tfr_model=tfr_model,
        n_areas=int(rates.sizes[AREA]),
    )
    return out
