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

from forecasting.age_backtest import SERVICE_GROUPS
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
    "age_groups",
    "backtest_launch",
    "band_groups",
    "band_jump_off",
    "rake_to_region",
    "rate_options",
    "region_forecast",
    "scaled_jump_off",
    "score",
]

AGE_HISTORY_YEARS = 6
"""Years of the region's age-sex history up to ``T`` for the old-age mortality fit
(as the simulation's forecast, :data:`scenarios.run_forecast.AGE_HISTORY_YEARS`)."""

GROUP = "age_group"

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


def rake_to_region(
    jump_off: xr.DataArray, region: xr.DataArray, iterations: int = 100
) -> xr.DataArray:
    """Rake estimated municipalities so that they also add up to the region's cells.

    Iterative proportional fitting (two margins): each municipality is scaled to its
    own total, then each (sex, age) cell of all municipalities to the region's cell,
    ``iterations`` times, ending on the region's cells. The margins must agree (the
    municipalities' totals add up to the region's total).

    Parameters
    ----------
    jump_off : xarray.DataArray
        Dims (area, sex, age): the estimated municipalities of one region.
    region : xarray.DataArray
        Dims (sex, age): the region in the same year.

    Returns
    -------
    xarray.DataArray
        Like ``jump_off``; its cells add up to the region's, its areas to their
        totals (to within the fit's convergence).

    Examples
    --------
    >>> j = xr.DataArray([[[3.0, 1.0]], [[1.0, 3.0]]], dims=("area", "sex", "age"))
    >>> r = xr.DataArray([[2.0, 6.0]], dims=("sex", "age"))
    >>> rake_to_region(j, r).sum("area").values.tolist()
    [[2.0, 6.0]]
    """
    totals = jump_off.sum((SEX, AGE))
    out = jump_off
    for _ in range(iterations):
        out = out * (totals / out.sum((SEX, AGE)))
        cells = out.sum(AREA)
        out = (out * (region / cells)).where(cells > 0, out)
    return out.transpose(*jump_off.dims)


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


def age_groups(population: xr.DataArray) -> xr.DataArray:
    """Sum (..., sex, age) into (..., age_group), the groups of ``SERVICE_GROUPS``."""
    both = population.sum(SEX)
    parts = [both.sel({AGE: slice(lo, hi)}).sum(AGE) for lo, hi in SERVICE_GROUPS.values()]
    return xr.concat(parts, dim=pd.Index(list(SERVICE_GROUPS), name=GROUP))


def band_groups(bands: pd.DataFrame, totals: pd.DataFrame) -> xr.DataArray:
    """Service age groups (area, year, age_group) from age bands, scaled to the official totals.

    Each group is the share of the bands lying in it times the area's official
    total of the year; ``total`` is the official total. A band that crosses a
    group's limits is refused. Years or areas without bands are left out.

    Parameters
    ----------
    bands : pandas.DataFrame
        ``area, year, age_from, age_to, population`` (``age_to`` empty = open band).
    totals : pandas.DataFrame
        ``area, year, population``.

    Examples
    --------
    >>> b = pd.DataFrame({"area": ["a"] * 5, "year": [2000] * 5, "age_from": [0, 7, 16, 75, 85],
    ...                   "age_to": [6, 15, 74, 84, None], "population": [10.0, 10, 60, 10, 10]})
    >>> t = pd.DataFrame({"area": ["a"], "year": [2000], "population": [200.0]})
    >>> band_groups(b, t).sel(area="a", year=2000, age_group=["total", "0_6", "85plus"]).values
    array([200.,  20.,  20.])
    """
    frame = bands.assign(area=bands["area"].astype(str), year=bands["year"].astype(int))
    upper = frame["age_to"].fillna(AGES[-1]).astype(int)
    columns = {}
    for group, (lo, hi) in SERVICE_GROUPS.items():
        inside = (frame["age_from"] >= lo) & (upper <= hi)
        crossing = (frame["age_from"] <= hi) & (upper >= lo) & ~inside
        if crossing.any():
            raise ProjectionError(f"age bands cross the limits of the group {group} ({lo}-{hi})")
        columns[group] = frame["population"].where(inside, 0.0)
    sums = pd.DataFrame(columns).groupby([frame["area"], frame["year"]]).sum()
    official = totals.assign(area=totals["area"].astype(str)).set_index(["area", "year"])
    scale = official["population"].reindex(sums.index) / sums["total"]
    groups = sums.mul(scale, axis=0)
    groups.columns.name = GROUP
    return groups.stack().to_xarray().rename({"area": AREA})


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
