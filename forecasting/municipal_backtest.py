"""Backtest of the municipal forecasts controlled to their region, on the municipal totals.

A launch year ``T`` needs every municipality's population by single age and sex
on 31.12 of ``T``; no such series is public for Finnish municipalities, so the
jump-off is **estimated** in one of two ways:

- :func:`band_jump_off` (``bands``): the municipality's own age bands (both sexes;
  e.g. Paavo's 20 bands of 31.12.2018), each band split over its single ages and
  the two sexes in the proportions of the region's population of ``T`` in that
  band; then scaled to the municipality's official total of ``T``.
- :func:`scaled_jump_off` (``crude``): the region's age-sex structure of ``T``
  scaled to the municipality's total (no municipal age information at all).

:func:`backtest_launch` then projects every region with its own cohort-component
forecast and its municipalities with :func:`forecasting.regional_control.municipal_forecast`
(the region's rates, one migration level per municipality from its totals up to
``T``), with and without the control to the region, and beside them the totals
methods ``trend_average`` (the default) and ``linear_exponential_average`` (the
naive benchmark) fitted on all municipalities' totals up to ``T``. Everything is
deterministic (the rates held fixed, one sample). :func:`score` gives the MAPE
of the totals by method, horizon and size class (:func:`forecasting.backtest.summarise`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.backtest import summarise
from forecasting.cohort import project
from forecasting.combination import TrendAverage
from forecasting.errors import ProjectionError
from forecasting.inputs import RateTables
from forecasting.options import ForecastOptions
from forecasting.rates import assume_rates
from forecasting.regional_control import municipal_forecast
from forecasting.totals import LinearExponentialAverage, as_history
from forecasting.types import AGE, AGES, AREA, SAMPLE, SEX, SEXES, YEAR

__all__ = [
    "AGE_HISTORY_YEARS",
    "SIZE_BINS",
    "backtest_launch",
    "band_jump_off",
    "rate_options",
    "region_forecast",
    "scaled_jump_off",
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


def _region_shape(region: xr.DataArray) -> xr.DataArray:
    """Return the region's (sex, age) population as a float array in canonical order."""
    return region.sel({SEX: list(SEXES), AGE: list(AGES)}).transpose(SEX, AGE).astype(float)


def scaled_jump_off(region: xr.DataArray, totals: pd.Series) -> xr.DataArray:
    """Crude jump-off: the region's age-sex structure scaled to each municipality's total.

    Parameters
    ----------
    region : xarray.DataArray
        Dims (sex, age): the region on 31.12 of the launch year.
    totals : pandas.Series
        Municipality code -> total population on 31.12 of the launch year.

    Returns
    -------
    xarray.DataArray
        Dims (area, sex, age), persons; each area sums to its total.

    Examples
    --------
    >>> r = xr.DataArray(np.ones((2, 101)), dims=("sex", "age"),
    ...                  coords={"sex": ["female", "male"], "age": np.arange(101)})
    >>> j = scaled_jump_off(r, pd.Series({"a": 404.0}))
    >>> float(j.sum()), float(j.sel(area="a", sex="male", age=3))
    (404.0, 2.0)
    """
    shape = _region_shape(region)
    shape = shape / shape.sum()
    weights = xr.DataArray(
        totals.to_numpy(dtype=float), dims=AREA, coords={AREA: totals.index.astype(str)}
    )
    return (weights * shape).transpose(AREA, SEX, AGE)


def band_jump_off(region: xr.DataArray, bands: pd.DataFrame, totals: pd.Series) -> xr.DataArray:
    """Jump-off from municipal age bands split by the region's single-age x sex shape.

    Each band ``[age_from, age_to]`` (``age_to`` empty = open band up to 100) of
    a municipality is spread over its single ages and the two sexes in the
    proportions of the region's population in that band; the municipality is
    then scaled to its official total (the band counts may come from another
    source, e.g. summed postal-code areas).

    Parameters
    ----------
    region : xarray.DataArray
        Dims (sex, age): the region on 31.12 of the launch year.
    bands : pandas.DataFrame
        ``area, age_from, age_to, population``: the municipalities' age bands,
        both sexes together; together the bands of an area cover ages 0-100 once.
    totals : pandas.Series
        Municipality code -> official total of the launch year.

    Returns
    -------
    xarray.DataArray
        Dims (area, sex, age), persons; each area sums to its total.

    Raises
    ------
    ProjectionError
        If an area's bands miss or repeat an age, or an area lacks a total or bands.

    Examples
    --------
    >>> r = xr.DataArray(np.ones((2, 101)), dims=("sex", "age"),
    ...                  coords={"sex": ["female", "male"], "age": np.arange(101)})
    >>> b = pd.DataFrame({"area": ["a", "a"], "age_from": [0, 50], "age_to": [49, None],
    ...                   "population": [100.0, 51.0]})
    >>> j = band_jump_off(r, b, pd.Series({"a": 151.0}))
    >>> float(j.sel(area="a", sex="female", age=10)), float(j.sel(area="a", sex="male", age=60))
    (1.0, 0.5)
    """
    shape = _region_shape(region).to_numpy()
    areas = [str(a) for a in totals.index]
    frame = bands.assign(area=bands["area"].astype(str))
    if set(frame["area"]) != set(areas):
        raise ProjectionError(
            f"bands and totals cover different areas: {sorted(set(frame['area']) ^ set(areas))}"
        )
    out = np.zeros((len(areas), *shape.shape))
    for i, (area, rows) in enumerate(frame.groupby("area", sort=False)):
        i = areas.index(area)
        covered = np.zeros(len(AGES), dtype=int)
        for lo, hi, n in rows[["age_from", "age_to", "population"]].itertuples(index=False):
            ages = slice(int(lo), AGES[-1] + 1 if pd.isna(hi) else int(hi) + 1)
            covered[ages] += 1
            part = shape[:, ages]
            out[i][:, ages] = float(n) * part / part.sum()
        if np.any(covered != 1):
            raise ProjectionError(f"age bands of area {area!r} must cover every age 0-100 once")
        out[i] *= float(totals[area]) / out[i].sum()
    coords = {AREA: areas, SEX: list(SEXES), AGE: list(AGES)}
    return xr.DataArray(out, dims=(AREA, SEX, AGE), coords=coords, name="population")


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
) -> xr.Dataset:
    """Forecast every municipality from ``launch`` and compare the totals with what happened.

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

    Returns
    -------
    xarray.Dataset
        ``forecast``, ``observed`` (method, launch_year = [launch], horizon,
        area) and ``launch_population`` (launch_year, area), persons, as
        :func:`forecasting.backtest.rolling_origin`; the methods are
        ``controlled``, ``uncontrolled``, ``trend_average`` and
        ``linear_exponential_average``.
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
            total = out[var].isel({SAMPLE: 0}).sum((SEX, AGE))
            cohort[name].append(total.sel({YEAR: launch + steps}))
    history = array.sel({YEAR: slice(None, launch)})
    forecasts = {name: xr.concat(parts, dim=AREA).sel({AREA: areas})
                 for name, parts in cohort.items()}  # fmt: skip
    for name, method in (("trend_average", TrendAverage()),
                         ("linear_exponential_average", LinearExponentialAverage())):  # fmt: skip
        forecasts[name] = (
            method.fit(history)
            .forecast(steps)
            .sel({AREA: areas})
            .drop_vars("horizon", errors="ignore")
        )
    return _as_backtest(forecasts, array.sel({AREA: areas}), launch, steps)


def _as_backtest(
    forecasts: dict[str, xr.DataArray], totals: xr.DataArray, launch: int, steps: np.ndarray
) -> xr.Dataset:
    """Arrange point forecasts (area, year) like :func:`forecasting.backtest.rolling_origin`."""
    dims = ("method", "launch_year", "horizon", AREA)
    values = np.stack(
        [f.transpose(YEAR, AREA).to_numpy()[None] for f in forecasts.values()]
    )  # (method, 1, horizon, area)
    observed = totals.reindex({YEAR: launch + steps}).transpose(YEAR, AREA).to_numpy()
    coords = {"method": list(forecasts), "launch_year": [launch], "horizon": steps,
              AREA: totals[AREA].values}  # fmt: skip
    units = {"units": "persons"}
    ds = xr.Dataset(
        {
            "forecast": (dims, values, units),
            "observed": (dims, np.broadcast_to(observed, values.shape).copy(), units),
            "launch_population": (("launch_year", AREA),
                                  totals.sel({YEAR: [launch]}).transpose(YEAR, AREA).to_numpy()),
        },
        coords=coords,
    )  # fmt: skip
    return ds


def score(ds: xr.Dataset, size_bins: Sequence[float] = SIZE_BINS) -> pd.DataFrame:
    """MAPE etc. of the totals by method and horizon, over all areas and by size class.

    :func:`forecasting.backtest.summarise` twice: once with one class ``all``
    and once with ``size_bins``.

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
    overall = summarise(ds, size_bins=(0, np.inf)).assign(size_class="all")
    return pd.concat([overall, summarise(ds, size_bins=size_bins)], ignore_index=True)
