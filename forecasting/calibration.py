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
:func:`width_scales` and :func:`scale_intervals` calibrate intervals by horizon:
each horizon's interval is widened or narrowed in log space around the point
forecast by the factor that made the intervals of the *selection* launches cover
the target share, and the factors are then applied to later launches unchanged
(a horizon without selection launches takes the factor of the longest horizon
that has them).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

__all__ = ["coverage", "past_error_intervals", "scale_intervals", "width_scales"]

SCALES = np.round(np.arange(0.3, 4.0001, 0.01), 2)
"""Candidate width factors of :func:`width_scales`."""


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


def scale_intervals(
    forecast: xr.DataArray, lower: xr.DataArray, upper: xr.DataArray, scale: xr.DataArray
) -> tuple[xr.DataArray, xr.DataArray]:
    """Widen (``scale > 1``) or narrow the intervals in log space around the forecast.

    ``forecast * (bound / forecast) ** scale`` for both bounds; ``scale`` broadcasts
    (e.g. dims ``horizon``).

    Examples
    --------
    >>> f = xr.DataArray([100.0], dims="area")
    >>> lo, hi = scale_intervals(f, f * 0.9, f * 1.2, xr.DataArray(2.0))
    >>> round(float(lo[0]), 1), round(float(hi[0]), 1)
    (81.0, 144.0)
    """
    return forecast * (lower / forecast) ** scale, forecast * (upper / forecast) ** scale


def width_scales(
    ds: xr.Dataset,
    lower: xr.DataArray,
    upper: xr.DataArray,
    selection: slice,
    target: float = 80.0,
    dims: tuple[str, ...] = ("launch_year", "area"),
) -> xr.DataArray:
    """Per horizon (and any dim not in ``dims``), the width factor giving ``target`` coverage.

    The factor (from :data:`SCALES`) whose scaled intervals (:func:`scale_intervals`)
    cover the observations of the ``selection`` launches closest to ``target`` %;
    a horizon with no scored selection launch takes the factor of the longest
    horizon that has one (1 if none has).

    Parameters
    ----------
    ds : xarray.Dataset
        ``forecast`` and ``observed`` with dims (..., launch_year, horizon, area, ...).
    lower, upper : xarray.DataArray
        The intervals to calibrate, shaped like ``forecast``.
    selection : slice
        Launch years the factors are chosen on.
    target : float, default 80
        Coverage aimed at, %.
    dims : tuple of str
        Dims pooled in the coverage.

    Returns
    -------
    xarray.DataArray
        Factors with the dims of ``forecast`` other than ``dims``.

    Examples
    --------
    >>> f = xr.DataArray(np.full((4, 1, 10), 100.0), dims=("launch_year", "horizon", "area"),
    ...                  coords={"launch_year": [1, 2, 3, 4], "horizon": [1]})
    >>> o = f * np.linspace(0.8, 1.2, 10)
    >>> s = width_scales(xr.Dataset({"forecast": f, "observed": o}), f * 0.95, f * 1.05,
    ...                  slice(1, 2))
    >>> 3.0 <= float(s.sel(horizon=1)) <= 4.0
    True
    """
    sel = {"launch_year": selection}
    forecast, observed = ds["forecast"].sel(sel), ds["observed"].sel(sel)
    lo, hi = lower.sel(sel), upper.sel(sel)
    covers = []
    for s in SCALES:
        a, b = scale_intervals(forecast, lo, hi, xr.DataArray(s))
        covers.append(coverage(observed, a, b, dims))
    cover = xr.concat(covers, dim=xr.DataArray(SCALES, dims="scale", name="scale"))
    best = abs(cover - target).fillna(np.inf).argmin("scale")
    scale = xr.DataArray(SCALES)[best].drop_vars("scale", errors="ignore")
    scored = cover.notnull().any("scale")
    scale = scale.where(scored)
    if "horizon" in scale.dims:  # carry the longest calibrated horizon's factor on
        for k in range(1, scale.sizes["horizon"]):
            previous = scale.isel(horizon=k - 1)
            scale[{"horizon": k}] = scale.isel(horizon=k).fillna(previous)
    return scale.fillna(1.0)
