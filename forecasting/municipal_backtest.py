"""Backtest of the municipal forecasts controlled to their region: totals and age groups.

A launch year ``T`` needs every municipality's population by single age and sex
on 31.12 of ``T``; no such series is public for Finnish municipalities, so the
jump-off is **estimated** (:mod:`forecasting.municipal_bands`: from the
municipality's age bands, or the region's structure scaled to its total).

:func:`backtest_launch` then projects every region with its own cohort-component
forecast and its municipalities with :func:`forecasting.regional_control.municipal_forecast`
(the region's rates, one migration level per municipality from its totals up to
``T``), with and without the control to the region, and beside them the totals
methods ``trend_average`` (the default) and ``linear_exponential_average`` (the
naive benchmark) fitted on all municipalities' totals up to ``T``. Everything is
deterministic (the rates held fixed, one sample). The forecasts are summed into
the service age groups; the totals methods' groups are the jump-off's group
shares times their total. :func:`score` gives the MAPE of one group by method,
horizon and size class (:func:`forecasting.backtest.summarise`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.age_backtest import SERVICE_GROUPS, age_groups
from forecasting.backtest import summarise
from forecasting.cohort import project
from forecasting.combination import TrendAverage
from forecasting.inputs import RateTables
from forecasting.municipal_bands import GROUP
from forecasting.options import ForecastOptions
from forecasting.rates import assume_rates
from forecasting.regional_control import municipal_forecast
from forecasting.totals import LinearExponentialAverage, as_history
from forecasting.types import AGE, AREA, SAMPLE, SEX, YEAR

__all__ = [
    "AGE_HISTORY_YEARS",
    "SIZE_BINS",
    "backtest_launch",
    "rate_options",
    "region_forecast",
    "score",
]

AGE_HISTORY_YEARS = 6
"""Years of the region's age-sex history up to ``T`` for the old-age mortality fit
(as the simulation's forecast, :data:`scenarios.run_forecast.AGE_HISTORY_YEARS`)."""

SIZE_BINS = (0, 2000, 5000, 20000, 100000, np.inf)
"""Size classes (persons at launch) of :func:`forecasting.backtest.summarise`."""


def rate_options(options: ForecastOptions | None = None) -> dict[str, Any]:
    """Keyword arguments of :func:`forecasting.rates.assume_rates` from the forecast options."""
    opts = options or ForecastOptions()
    return {
        "base_period": opts.base_period,
        "e0_trend": opts.e0_trend,
        "tfr_period": opts.tfr_period,
        "recent_period": opts.recent_migration_years,
        "recent_damping": opts.recent_migration_damping,
        "recent_decay": opts.recent_migration_decay,
    }


def region_forecast(
    tables: RateTables, region: str, history: xr.DataArray, years: np.ndarray, options: dict
) -> xr.DataArray:
    """Project the region with its own cohort-component forecast: (sample, year, sex, age)."""
    launch = int(years[0]) - 1
    own = history.sel({AREA: [region], YEAR: slice(None, launch)})
    totals = own.sum((SEX, AGE)).to_dataframe("population").reset_index()
    base = own.sel({YEAR: launch})
    age_history = own.sel({YEAR: slice(launch - AGE_HISTORY_YEARS + 1, launch)})
    rates = assume_rates(tables, region, [region], totals, base, years,
                         age_history=age_history, **options)  # fmt: skip
    return project(base, rates, years)["population"].isel({AREA: 0}, drop=True)


def backtest_launch(
    tables: RateTables,
    regions: Mapping[str, str],
    region_history: xr.DataArray,
    totals: pd.DataFrame,
    jump_off: xr.DataArray,
    launch: int,
    horizons: Sequence[int],
    options: dict | None = None,
    observed_groups: xr.DataArray | None = None,
) -> xr.Dataset:
    """Forecast every municipality from ``launch`` and compare with what happened.

    Parameters
    ----------
    tables : RateTables
        The rate tables (every region's rows).
    regions : mapping of str to str
        Municipality code -> region code.
    region_history : xarray.DataArray
        Dims (area = region code, year, sex, age): the regions, at least up to ``launch``.
    totals : pandas.DataFrame
        ``area, year, population``: the municipalities' totals (all years; the
        methods see only years ``<= launch``, later ones are the outcomes).
    jump_off : xarray.DataArray
        Dims (area, sex, age): the municipalities on 31.12 of ``launch``
        (:func:`band_jump_off` or :func:`scaled_jump_off`).
    launch : int
        Launch year ``T``.
    horizons : sequence of int
        Years ahead scored (``T + h`` after the last observed year gives NaN).
    options : dict, optional
        Keyword arguments of :func:`forecasting.rates.assume_rates` (default:
        :func:`rate_options` of the default forecast options).
    observed_groups : xarray.DataArray, optional
        Dims (area, year, age_group): the service age groups observed (e.g.
        :func:`band_groups`); without it only the total is observed.

    Returns
    -------
    xarray.Dataset
        ``forecast``, ``observed`` (method, launch_year = [launch], horizon,
        area, age_group) and ``launch_population`` (launch_year, area), persons,
        as :func:`forecasting.age_backtest.rolling_origin_ages`; the methods are
        ``controlled``, ``uncontrolled`` (cohort-component) and ``trend_average``,
        ``linear_exponential_average`` (totals methods; their age groups are the
        jump-off's group shares times the total).
    """
    options = rate_options() if options is None else options
    steps = np.asarray(horizons, dtype=np.int64)
    years = np.arange(launch + 1, launch + int(steps.max()) + 1)
    array = as_history(totals)
    areas = [str(a) for a in jump_off[AREA].values]
    past = totals[totals["year"] <= launch].assign(area=lambda f: f["area"].astype(str))
    cohort: dict[str, list[xr.DataArray]] = {"controlled": [], "uncontrolled": []}
    for region in sorted(set(regions[a] for a in areas), key=str):
        members = [a for a in areas if regions[a] == region]
        target = region_forecast(tables, region, region_history, years, options)
        age_history = region_history.sel(
            {AREA: [region], YEAR: slice(launch - AGE_HISTORY_YEARS + 1, launch)}
        )
        out = municipal_forecast(tables, region, jump_off.sel({AREA: members}),
                                 past[past["area"].isin(members)], years, region_forecast=target,
                                 age_history=age_history, **options)  # fmt: skip
        for name, var in (
            ("controlled", "population"),
            ("uncontrolled", "population_uncontrolled"),
        ):
            projected = out[var].isel({SAMPLE: 0}, drop=True).sel({YEAR: launch + steps})
            cohort[name].append(age_groups(projected))
    history = array.sel({YEAR: slice(None, launch)})
    forecasts = {name: xr.concat(parts, dim=AREA).sel({AREA: areas})
                 for name, parts in cohort.items()}  # fmt: skip
    shares = age_groups(jump_off) / jump_off.sum((SEX, AGE))
    for name, method in (("trend_average", TrendAverage()),
                         ("linear_exponential_average", LinearExponentialAverage())):  # fmt: skip
        total = method.fit(history).forecast(steps).sel({AREA: areas})
        forecasts[name] = shares * total.drop_vars("horizon", errors="ignore")
    observed = _observed(array.sel({AREA: areas}), observed_groups, launch + steps)
    return _as_backtest(forecasts, observed, array.sel({AREA: areas, YEAR: [launch]}), launch,
                        steps)  # fmt: skip


def _observed(
    totals: xr.DataArray, groups: xr.DataArray | None, targets: np.ndarray
) -> xr.DataArray:
    """Observed (year, area, age_group): the totals, and the other groups where known."""
    total = totals.reindex({YEAR: targets}).transpose(YEAR, AREA)
    names = list(SERVICE_GROUPS)
    out = np.full((*total.shape, len(names)), np.nan)
    out[..., names.index("total")] = total.to_numpy()
    if groups is not None:
        known = groups.reindex({YEAR: targets, AREA: total[AREA].values, GROUP: names})
        known = known.transpose(YEAR, AREA, GROUP).to_numpy()
        others = [i for i, g in enumerate(names) if g != "total"]
        out[..., others] = known[..., others]
    coords = {YEAR: targets, AREA: total[AREA].values, GROUP: names}
    return xr.DataArray(out, dims=(YEAR, AREA, GROUP), coords=coords)


def _as_backtest(
    forecasts: dict[str, xr.DataArray],
    observed: xr.DataArray,
    launch_totals: xr.DataArray,
    launch: int,
    steps: np.ndarray,
) -> xr.Dataset:
    """Arrange point forecasts like :func:`forecasting.age_backtest.rolling_origin_ages`."""
    dims = ("method", "launch_year", "horizon", AREA, GROUP)
    values = np.stack(
        [f.transpose(YEAR, AREA, GROUP).to_numpy()[None] for f in forecasts.values()]
    )  # (method, 1, horizon, area, group)
    coords = {"method": list(forecasts), "launch_year": [launch], "horizon": steps,
              AREA: observed[AREA].values, GROUP: list(SERVICE_GROUPS)}  # fmt: skip
    units = {"units": "persons"}
    observed_values = np.broadcast_to(observed.to_numpy()[None, None], values.shape).copy()
    return xr.Dataset(
        {
            "forecast": (dims, values, units),
            "observed": (dims, observed_values, units),
            "launch_population": (("launch_year", AREA),
                                  launch_totals.transpose(YEAR, AREA).to_numpy()),
        },
        coords=coords,
    )  # fmt: skip


def score(
    ds: xr.Dataset, size_bins: Sequence[float] = SIZE_BINS, group: str = "total"
) -> pd.DataFrame:
    """MAPE etc. of one age group by method and horizon, over all areas and by size class.

    :func:`forecasting.backtest.summarise` of ``ds`` at ``age_group = group`` (if
    ``ds`` has that dimension) twice: once with one class ``all`` and once with
    ``size_bins`` (persons at launch). Cells without an observation are left out.

    Examples
    --------
    >>> ds = xr.Dataset(
    ...     {"forecast": (("method", "launch_year", "horizon", "area"), [[[[110.0, 3000.0]]]]),
    ...      "observed": (("method", "launch_year", "horizon", "area"), [[[[100.0, 2000.0]]]]),
    ...      "launch_population": (("launch_year", "area"), [[100.0, 2500.0]])},
    ...     coords={"method": ["m"], "launch_year": [2000], "horizon": [1], "area": ["a", "b"]})
    >>> score(ds, size_bins=(0, 2000, np.inf))[["size_class", "n", "mape"]].values.tolist()
    [['all', 2, 30.0], ['0-2000', 1, 10.0], ['2000-inf', 1, 50.0]]
    """
    if GROUP in ds.dims:
        ds = ds.sel({GROUP: group}, drop=True)
    overall = summarise(ds, size_bins=(0, np.inf)).assign(size_class="all")
    return pd.concat([overall, summarise(ds, size_bins=size_bins)], ignore_index=True)
