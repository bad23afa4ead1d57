"""Rolling-origin backtest of age-structured forecasts, scored on service age groups.

:func:`rolling_origin_ages` fits every method on the population (area, year,
sex, age) up to each launch year ``T`` only and compares its forecast of
``T + h`` with what happened, summed into the service age groups of
:data:`SERVICE_GROUPS` (0-6, 7-15, 75-84, 85+) and the total.
:func:`summarise_ages` scores it like :func:`forecasting.backtest.summarise`
(on the total) and adds the MAPE of every service group.

The methods (each ``method(history, horizons) -> (area, horizon, sex, age)``):

- :func:`cohort_component_method`: :func:`forecasting.rates.assume_rates`
  (regional vital rates, only data ``<= T``) and
  :func:`forecasting.cohort.project`, one region per area;
- :func:`hamilton_perry_method`: :func:`forecasting.small_area.hamilton_perry`
  controlled to the default totals forecast (:class:`forecasting.combination.TrendAverage`);
- :func:`naive_method`: the age-sex shares of ``T`` held constant, times the
  naive totals forecast (:class:`forecasting.totals.LinearExponentialAverage`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.area_rates import area_rates
from forecasting.backtest import summarise
from forecasting.cohort import project
from forecasting.combination import TrendAverage
from forecasting.errors import ProjectionError
from forecasting.inputs import RateTables
from forecasting.small_area import hamilton_perry
from forecasting.totals import LinearExponentialAverage
from forecasting.types import AGE, AREA, YEAR

__all__ = [
    "SERVICE_GROUPS",
    "age_groups",
    "cohort_component_method",
    "hamilton_perry_method",
    "naive_method",
    "rolling_origin_ages",
    "summarise_ages",
]

SERVICE_GROUPS: dict[str, tuple[int, int]] = {
    "total": (0, 100),
    "0_6": (0, 6),
    "7_15": (7, 15),
    "75_84": (75, 84),
    "85plus": (85, 100),
}
"""Age groups scored (completed years, inclusive; 100 = 100 and over)."""

Method = Callable[[xr.DataArray, np.ndarray], xr.DataArray]


def age_groups(population: xr.DataArray) -> xr.DataArray:
    """Sum (..., sex, age) into (..., age_group), the groups of :data:`SERVICE_GROUPS`."""
    both = population.sum("sex")
    parts = [both.sel({AGE: slice(lo, hi)}).sum(AGE) for lo, hi in SERVICE_GROUPS.values()]
    return xr.concat(parts, dim=pd.Index(list(SERVICE_GROUPS), name="age_group"))


def _totals(history: xr.DataArray) -> xr.DataArray:
    return history.sum(("sex", AGE))


def naive_method(history: xr.DataArray, horizons: np.ndarray) -> xr.DataArray:
    """Age-sex shares of the launch year times the naive totals forecast."""
    last = history.isel({YEAR: -1}, drop=True)
    share = last / last.sum(("sex", AGE))
    total = LinearExponentialAverage().fit(_totals(history)).forecast(horizons)
    total = total.drop_vars("horizon").rename({YEAR: "horizon"}).assign_coords(horizon=horizons)
    return (share * total).transpose(AREA, "horizon", "sex", AGE)


def hamilton_perry_method(history: xr.DataArray, horizons: np.ndarray) -> xr.DataArray:
    """Single-age Hamilton-Perry, controlled to the default totals forecast (TrendAverage)."""
    steps = int(horizons.max())
    totals = TrendAverage().fit(_totals(history)).forecast(steps)
    out = hamilton_perry(history, steps, totals=totals.drop_vars("horizon"))
    last = int(history[YEAR][-1])
    out = out.sel({YEAR: last + horizons})
    return out.rename({YEAR: "horizon"}).assign_coords(horizon=horizons)


def cohort_component_method(
    tables: RateTables | None,
    base_period: int = 10,
    n_samples: int = 0,
    rng: np.random.Generator | None = None,
    fit_start: int = 1990,
    *,
    e0_trend: bool = False,
    old_age_mortality: bool = False,
    tfr_period: int | None = None,
    level_profile: str = "uniform",
    recent_period: int | None = None,
    recent_damping: float = 0.5,
    recent_decay: float | None = None,
    recent_national: bool = False,
    recent_target: str = "base",
    recent_age_years: int | None = None,
    tfr_spread: float = 1.0,
    tfr_model: str = "ets",
    births: xr.DataArray | None = None,
    deaths: xr.DataArray | None = None,
) -> Method:
    """Build the cohort-component method: each area projected with its own rates.

    Every area's rates come from :func:`forecasting.area_rates.area_rates` (the
    regional rates of the tables, or the area's own births and deaths); with
    ``n_samples > 0`` the forecast is the mean population over the sample paths.
    """
    kwargs = {
        "base_period": base_period, "n_samples": n_samples, "rng": rng, "fit_start": fit_start,
        "e0_trend": e0_trend, "old_age_mortality": old_age_mortality, "tfr_period": tfr_period,
        "level_profile": level_profile, "births": births, "deaths": deaths,
        "recent_period": recent_period, "recent_damping": recent_damping,
        "recent_decay": recent_decay, "tfr_spread": tfr_spread,
        "tfr_model": tfr_model,
        "recent_national": recent_national, "recent_target": recent_target,
        "recent_age_years": recent_age_years,
    }  # fmt: skip

    def method(history: xr.DataArray, horizons: np.ndarray) -> xr.DataArray:
        last = int(history[YEAR][-1])
        years = np.arange(last + 1, last + int(horizons.max()) + 1)
        parts = []
        for area in history[AREA].values:
            rates = area_rates(str(area), history, years, tables, **kwargs)
            base = history.sel({AREA: [area], YEAR: last}).drop_vars(YEAR)
            projected = project(base, rates, years)["population"]
            parts.append(projected.mean("sample").sel({YEAR: last + horizons}))
        out = xr.concat(parts, dim=AREA)
        return out.rename({YEAR: "horizon"}).assign_coords(horizon=horizons)

    return method


def rolling_origin_ages(
    population: xr.DataArray,
    methods: Mapping[str, Method],
    launch_years: Sequence[int],
    horizons: Sequence[int],
) -> xr.Dataset:
    """Forecast from each launch year with data up to it, and compare by age group.

    Parameters
    ----------
    population : xarray.DataArray
        Dims (area, year, sex, age), persons on 31.12., years consecutive.
    methods : mapping of str to callable
        Name -> ``method(history, horizons)`` returning (area, horizon, sex, age).
    launch_years : sequence of int
        Launch years ``T``, within the data.
    horizons : sequence of int
        Years ahead.

    Returns
    -------
    xarray.Dataset
        ``forecast`` and ``observed`` (method, launch_year, horizon, area,
        age_group), persons (observed NaN where ``T + h`` is after the data),
        and ``launch_population`` (launch_year, area).
    """
    years = population[YEAR].to_numpy()
    launches = np.asarray(launch_years, dtype=np.int64)
    steps = np.asarray(horizons, dtype=np.int64)
    if np.any(~np.isin(launches, years[1:])):
        raise ProjectionError(f"launch years must lie in {years[1]}..{years[-1]}: {launches}")
    grouped = age_groups(population).transpose(AREA, YEAR, "age_group")
    forecasts = []
    for name in methods:
        per_launch = []
        for launch in launches:
            history = population.sel({YEAR: slice(None, launch)})
            per_launch.append(age_groups(methods[name](history, steps)))
        forecasts.append(xr.concat(per_launch, dim=pd.Index(launches, name="launch_year")))
    forecast = xr.concat(forecasts, dim=pd.Index(list(methods), name="method"))
    target = (launches[:, None] + steps[None, :]).ravel()
    observed = grouped.reindex({YEAR: target}).to_numpy()  # (area, target, group)
    observed = observed.reshape(observed.shape[0], len(launches), len(steps), -1)
    observed = xr.DataArray(
        observed.transpose(1, 2, 0, 3),
        dims=("launch_year", "horizon", AREA, "age_group"),
        coords={"launch_year": launches, "horizon": steps, AREA: population[AREA].values,
                "age_group": list(SERVICE_GROUPS)},
    )  # fmt: skip
    attrs = {"units": "persons"}
    ds = xr.Dataset(
        {
            "forecast": forecast.transpose("method", "launch_year", "horizon", AREA, "age_group")
            .astype(float)
            .assign_attrs(attrs, long_name="point forecast by service age group"),
            "observed": observed.broadcast_like(forecast).assign_attrs(
                attrs, long_name="observed population by service age group"
            ),
            "launch_population": _totals(population)
            .sel({YEAR: launches})
            .rename({YEAR: "launch_year"})
            .transpose("launch_year", AREA)
            .assign_attrs(attrs, long_name="observed total population in the launch year"),
        }
    )
    return ds


def summarise_ages(ds: xr.Dataset, size_bins: Sequence[float] | None = None) -> pd.DataFrame:
    """Score by method, horizon and size class: total as in ``summarise``, plus group MAPEs.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`forecasting.backtest.summarise` for the total
        population and ``mape_<group>`` (%) for every other service age group.
    """
    kwargs = {} if size_bins is None else {"size_bins": size_bins}
    table = summarise(ds.sel(age_group="total", drop=True), **kwargs)
    for group in list(SERVICE_GROUPS)[1:]:
        part = summarise(ds.sel(age_group=group, drop=True), **kwargs)
        table[f"mape_{group}"] = part["mape"].to_numpy()
    return table
