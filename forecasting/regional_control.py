"""Municipal single-age x sex forecasts consistent with their region's forecast.

:func:`municipal_forecast` projects every municipality of one region with the
region's schedules (:func:`forecasting.rates.assume_rates` with all the
municipalities as areas: the region's fertility, mortality and migration by age
and sex, plus one migration level per municipality matched to its own history of
totals) and then, optionally, controls the result to the region's own
cohort-component forecast with :func:`control_to_region`: each (sample, year,
sex, age) cell of the municipalities is scaled by one factor so that they add up
to the region's cell exactly, keeping every municipality's share of that cell.
This is what the simulation's forecast of a municipal world does without the
control (:func:`experiments.forecast.build_forecast`: the world's areas, the
region ``world.rates_region``, the world's history of totals).

Backtested on the municipal totals and service age groups by
:mod:`forecasting.municipal_backtest` (``docs/explanation/forecast-accuracy.md``):
the control helps only when the municipalities' base population adds up to the
region's cells (:func:`forecasting.municipal_bands.rake_to_region`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.cohort import project
from forecasting.errors import ProjectionError
from forecasting.inputs import RateTables
from forecasting.rates import assume_rates
from forecasting.types import AGE, AREA, SAMPLE, SEX, YEAR

__all__ = ["control_to_region", "municipal_forecast"]


def control_to_region(municipal: xr.DataArray, region: xr.DataArray) -> xr.DataArray:
    """Scale the municipalities so that every cell adds up to the region's.

    Parameters
    ----------
    municipal : xarray.DataArray
        Dims (..., area, year, sex, age): persons of the municipalities.
    region : xarray.DataArray
        The region's persons with the same dims except ``area`` (and the same
        coordinates).

    Returns
    -------
    xarray.DataArray
        Like ``municipal``; ``sum over area == region`` in every cell. A cell that
        is empty in every municipality takes the municipalities' shares of the
        region's total of that year.

    Examples
    --------
    >>> m = xr.DataArray([[2.0, 0.0], [6.0, 0.0]], dims=("area", "age"))
    >>> r = xr.DataArray([12.0, 4.0], dims="age")
    >>> control_to_region(m, r).values.tolist()
    [[3.0, 1.0], [9.0, 3.0]]
    """
    if AREA not in municipal.dims or AREA in region.dims:
        raise ProjectionError("municipal needs an area dimension and region none")
    total = municipal.sum(AREA)
    share = (municipal / total).where(total > 0)
    cell_dims = [d for d in (SEX, AGE) if d in municipal.dims]
    overall = municipal.sum(cell_dims) / municipal.sum([AREA, *cell_dims])
    share = share.fillna(overall)
    return (share * region).transpose(*municipal.dims)


def municipal_forecast(
    tables: RateTables,
    region_code: str,
    base_population: xr.DataArray,
    history: pd.DataFrame,
    years: Sequence[int] | np.ndarray,
    region_forecast: xr.DataArray | None = None,
    **options,
) -> xr.Dataset:
    """Single-age x sex forecast of the municipalities of one region.

    Parameters
    ----------
    tables : RateTables
        The rate tables (the region's rows are used).
    region_code : str
        The region, e.g. ``"7"`` (Päijät-Häme).
    base_population : xarray.DataArray
        Dims (area, sex, age): the municipalities on 31.12 of the base year.
    history : pandas.DataFrame
        ``area, year, population``: the municipalities' totals up to the base year.
    years : sequence of int
        Projected years from the base year + 1.
    region_forecast : xarray.DataArray, optional
        The region's forecast (sample, year, sex, age) for ``years``; when given,
        the municipalities are controlled to it (:func:`control_to_region`).
    **options
        Passed on to :func:`forecasting.rates.assume_rates` (``base_period``,
        ``e0_trend``, ``tfr_period``, ``recent_period`` ...).

    Returns
    -------
    xarray.Dataset
        :func:`forecasting.cohort.project` output; with a region forecast, the
        ``population`` of the projected years is the controlled one and
        ``population_uncontrolled`` keeps the municipalities' own projection.
    """
    years = np.asarray(years, dtype=np.int64)
    areas = [str(a) for a in base_population[AREA].values]
    rates = assume_rates(tables, region_code, areas, history, base_population, years, **options)
    out = project(base_population, rates, years)
    if region_forecast is None:
        return out
    own = out["population"].sel({YEAR: years})
    target = region_forecast.sel({YEAR: years}).broadcast_like(own.isel({AREA: 0}, drop=True))
    controlled = control_to_region(own, target.transpose(SAMPLE, YEAR, SEX, AGE))
    out["population_uncontrolled"] = out["population"].copy()
    out["population"].loc[{YEAR: years}] = controlled.transpose(*own.dims).values
    out.attrs["controlled_to_region"] = str(region_code)
    return out
