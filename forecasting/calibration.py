"""Intervals from a method's own earlier errors in a backtest, and their coverage.

:func:`past_error_intervals` turns the point forecasts of a rolling-origin backtest
(:func:`forecasting.backtest.rolling_origin` or
:func:`forecasting.age_backtest.rolling_origin_ages`) into prediction intervals
without look-ahead: the interval of launch ``T`` at horizon ``h`` is the forecast
times the ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles of ``observed /
forecast`` over every area of the earlier launches ``T'`` whose outcome was known
at ``T`` (``T' + h <= T``), separately per method and age group. With fewer than
``min_launches`` such launches the interval is missing (NaN) and not scored.
This is the empirical method of Rayer, Smith & Tayman (2009, *PRPR* 28:773-93)
applied to any forecaster, including the cohort-component method whose
model-based paths have no calibrated spread.

:func:`coverage` gives the share of observations inside their interval.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

__all__ = ["coverage", "past_error_intervals"]


def past_error_intervals(
    ds: xr.Dataset, level: float = 0.8, min_launches: int = 3, window: int | None = None
) -> tuple[xr.DataArray, xr.DataArray]:
    """Lower and upper bounds from the errors of earlier launches (no look-ahead).

    Parameters
    ----------
    ds : xarray.Dataset
        ``forecast`` and ``observed`` with dims (method, launch_year, horizon, area
        [, age_group]), persons.
    level : float, default 0.8
        Central coverage of the interval, in (0, 1).
    min_launches : int, default 3
        Earlier launches with a known outcome needed at a horizon.
    window : int, optional
        Use only the latest ``window`` such launches (``None``: all).

    Returns
    -------
    (xarray.DataArray, xarray.DataArray)
        Bounds shaped like ``forecast``; NaN where too few launches are known.

    Examples
    --------
    >>> f = xr.DataArray(np.full((1, 6, 1, 2), 100.0),
    ...     dims=("method", "launch_year", "horizon", "area"),
    ...     coords={"launch_year": np.arange(2000, 2006), "horizon": [1]})
    >>> o = f * xr.DataArray([1.0, 1.1, 0.9, 1.05, 0.95, 1.0], dims="launch_year",
    ...                      coords={"launch_year": f.launch_year})
    >>> lo, hi = past_error_intervals(xr.Dataset({"forecast": f, "observed": o}), 0.8)
    >>> np.isnan(lo.sel(launch_year=2002)).all().item(), round(float(hi[0, -1, 0, 0]), 1)
    (True, 110.0)
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    forecast, observed = ds["forecast"], ds["observed"]
    ratio = (observed / forecast).where(forecast > 0)
    launches = forecast["launch_year"].values
    probs = [(1 - level) / 2, (1 + level) / 2]
    lower = xr.full_like(forecast, np.nan, dtype=float)
    upper = xr.full_like(forecast, np.nan, dtype=float)
    for k, h in enumerate(forecast["horizon"].values):
        for j, launch in enumerate(launches):
            known = np.flatnonzero(launches + h <= launch)
            if window is not None:
                known = known[-window:]
            if known.size < min_launches:
                continue
            errors = ratio.isel(horizon=k, launch_year=known)
            q = errors.quantile(probs, dim=("launch_year", "area"), skipna=True)
            point = forecast.isel(horizon=k, launch_year=j)
            at = {"horizon": k, "launch_year": j}
            lower[at] = (point * q.isel(quantile=0, drop=True)).transpose(*point.dims)
            upper[at] = (point * q.isel(quantile=1, drop=True)).transpose(*point.dims)
    return lower, upper


def coverage(
    observed: xr.DataArray, lower: xr.DataArray, upper: xr.DataArray, dims: tuple[str, ...]
) -> xr.DataArray:
    """Share (%) of observations inside their interval, over ``dims`` (NaN skipped).

    Examples
    --------
    >>> o = xr.DataArray([1.0, 2.0, 3.0, np.nan], dims="area")
    >>> round(float(coverage(o, o * 0 + 1.5, o * 0 + 3.5, ("area",))), 1)
    66.7
    """
    valid = observed.notnull() & lower.notnull() & upper.notnull()
    inside = ((observed >= lower) & (observed <= upper)).where(valid)
    return inside.mean(dims) * 100
