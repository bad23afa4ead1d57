"""Empirical prediction intervals from a method's own past errors.

:class:`EmpiricalIntervals` wraps a totals forecaster. Fitting it at launch
year ``T`` also backtests the wrapped method *inside* the history: at every
earlier launch ``T' >= first year + min_history`` it fits on years ``<= T'``
and records the log error ``log(observed / forecast)`` at every horizon
``h = 1 .. max_horizon`` whose outcome ``T' + h <= T`` was already observed,
so no error uses data after ``T`` (no look-ahead). The errors are pooled by
horizon and by size class (persons at ``T'``); a class with fewer than
``min_errors`` errors borrows those of its neighbouring classes until it has
enough. A horizon without errors takes those of the longest horizon that has
them, scaled by ``h / h_available`` (error grows about linearly with horizon:
Rayer 2008, ``forecasting.md``). With no inner launch at all (a history
shorter than ``min_history + 2`` years) the wrapped method's own model-based
paths are used.

The point forecast is the wrapped method's. A sample path draws one uniform
``u`` per (sample, area) and takes the ``u``-quantile of the pooled errors at
every horizon (a comonotone path: an area that is above its forecast at 5
years is above it at 20, as Finnish municipal errors are), so the sample
quantiles reproduce the empirical error quantiles, e.g. the 80 % interval is
``forecast * exp(q10, q90)`` (Rayer, Smith & Tayman 2009; Wilson et al. 2018).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.errors import ProjectionError
from forecasting.totals import TotalsResults, as_history
from forecasting.types import YEAR, FloatArray, IntArray

__all__ = ["SIZE_BINS", "EmpiricalIntervals", "size_class"]

SIZE_BINS: tuple[float, ...] = (0, 2000, 5000, 20000, 100000, np.inf)
"""Edges of the size classes (persons), left-closed, as in ``forecasting.md`` section 4."""

_GRID = np.linspace(0.0, 1.0, 201)
"""Probabilities at which the error quantiles are stored (0.5 % steps)."""


def size_class(population: FloatArray, bins: Sequence[float] = SIZE_BINS) -> IntArray:
    """Index of each population's size class, ``bins[i] <= p < bins[i + 1]``.

    Examples
    --------
    >>> size_class(np.array([1500.0, 2000.0, 250000.0])).tolist()
    [0, 1, 4]
    """
    edges = np.asarray(bins, dtype=float)
    return np.clip(np.searchsorted(edges, population, side="right") - 1, 0, len(edges) - 2)


def _pool(errors: list[FloatArray], classes: list[IntArray], n_classes: int, minimum: int):
    """Per class, the errors of that class widened to neighbours until ``minimum``."""
    values = np.concatenate(errors) if errors else np.zeros(0)
    labels = np.concatenate(classes) if classes else np.zeros(0, np.int64)
    pooled = []
    for c in range(n_classes):
        lo = hi = c
        chosen = values[labels == c]
        while chosen.size < minimum and (lo > 0 or hi < n_classes - 1):
            lo, hi = max(lo - 1, 0), min(hi + 1, n_classes - 1)
            chosen = values[(labels >= lo) & (labels <= hi)]
        pooled.append(chosen)
    return pooled


def error_quantiles(
    history: xr.DataArray,
    spec: object,
    max_horizon: int,
    min_history: int,
    bins: Sequence[float],
    min_errors: int,
    symmetric: bool = False,
    recent_launches: int | None = None,
) -> FloatArray:
    """Quantiles of the inner-backtest log errors (class, horizon 1..max_horizon, grid).

    ``NaN`` rows: horizons (for every class) with no error observed by the last year.
    ``recent_launches``: at each horizon, keep only the errors of the latest that many
    inner launches whose outcome was observed (``None``: all of them).
    """
    years = history[YEAR].to_numpy()
    values = history.to_numpy()
    last = int(years[-1])
    n_classes = len(bins) - 1
    steps = np.arange(1, max_horizon + 1)
    errors: list[list[FloatArray]] = [[] for _ in steps]
    classes: list[list[IntArray]] = [[] for _ in steps]
    for j, launch in enumerate(years):
        if launch < years[0] + min_history or launch >= last:
            continue
        available = steps[launch + steps <= last]
        forecast = spec.fit(history.isel({YEAR: slice(0, j + 1)})).forecast(available)
        observed = values[:, j + available]
        with np.errstate(divide="ignore", invalid="ignore"):
            log_error = np.log(observed / forecast.to_numpy())
        label = size_class(values[:, j], bins)
        for i, h in enumerate(available):
            ok = np.isfinite(log_error[:, i])
            errors[h - 1].append(log_error[ok, i])
            classes[h - 1].append(label[ok])
    if recent_launches is not None:  # appended in launch order: keep the latest
        errors = [e[-recent_launches:] for e in errors]
        classes = [c[-recent_launches:] for c in classes]
    out = np.full((n_classes, max_horizon, _GRID.size), np.nan)
    for i in range(max_horizon):
        for c, pooled in enumerate(_pool(errors[i], classes[i], n_classes, min_errors)):
            if pooled.size:
                pooled = np.concatenate([pooled, -pooled]) if symmetric else pooled
                out[c, i] = np.quantile(pooled, _GRID)
    return out


@dataclass(frozen=True, eq=False)
class _EmpiricalResults(TotalsResults):
    """params: ``quantiles`` (class, horizon, grid) of log errors; ``size_class`` per area."""

    inner: TotalsResults | None = field(default=None, repr=False)

    def _project(self, steps, n_samples, rng):
        point = self.inner._project(steps, 1, None)
        if rng is None:
            return point
        q = self.params["quantiles"]
        if np.isnan(q).all():
            return self.inner._project(steps, n_samples, rng)
        available = np.flatnonzero(~np.isnan(q[:, :, 0]).any(axis=0)) + 1
        position = rng.random((n_samples, len(self.areas))) * (_GRID.size - 1)
        below = np.minimum(position.astype(np.int64), _GRID.size - 2)
        frac = position - below
        area = np.arange(len(self.areas))[None, :]
        klass = self.params["size_class"].astype(np.int64)
        out = np.empty((n_samples, len(self.areas), len(steps)))
        for i, h in enumerate(steps):
            source = available[available <= h].max() if (available <= h).any() else available[0]
            grid = q[klass, source - 1] * (h / source)  # (area, grid), linear in u
            out[:, :, i] = grid[area, below] * (1 - frac) + grid[area, below + 1] * frac
        return point * np.exp(out)


@dataclass(frozen=True)
class EmpiricalIntervals:
    """A totals forecaster with intervals from its own past errors (no look-ahead).

    Parameters
    ----------
    method : object
        The wrapped specification: ``fit(history)`` returning a
        :class:`~forecasting.totals.TotalsResults`; it is refitted at every
        inner launch, so it should be fast.
    max_horizon : int, default 30
        Longest horizon (years) at which errors are collected.
    min_history : int, default 10
        Years of history an inner launch needs before it.
    min_errors : int, default 30
        Errors a size class needs before it borrows from its neighbours.
    size_bins : sequence of float, default :data:`SIZE_BINS`
        Edges of the size classes (persons).
    symmetric : bool, default True
        Mirror the errors (``e`` and ``-e``), so the intervals are symmetric in log.
    recent_launches : int, optional
        At each horizon, use only the errors of the latest ``recent_launches`` inner
        launches whose outcome is observed by the launch year (a window that moves
        with the launch, so errors of an unusual past period drop out); ``None``
        (default) uses every inner launch.

    Examples
    --------
    >>> from forecasting.totals import Linear
    >>> rng = np.random.default_rng(0)
    >>> hist = xr.DataArray(1000 * np.exp(rng.normal(0, 0.02, (40, 30)).cumsum(axis=1)),
    ...                     dims=("area", "year"),
    ...                     coords={"area": [f"{i}" for i in range(40)],
    ...                             "year": np.arange(1990, 2020)})
    >>> spec = EmpiricalIntervals(Linear(base_period=5), min_history=5)
    >>> res = spec.fit(hist)
    >>> bool((res.forecast(5) == Linear(base_period=5).fit(hist).forecast(5)).all())
    True
    >>> paths = res.simulate(5, 200, np.random.default_rng(1))
    >>> paths.sizes["sample"], bool((paths.isel(year=-1) > 0).all())
    (200, True)
    """

    method: object
    max_horizon: int = 30
    min_history: int = 10
    min_errors: int = 30
    size_bins: Sequence[float] = SIZE_BINS
    symmetric: bool = True
    recent_launches: int | None = None

    def fit(self, history: pd.DataFrame | xr.DataArray) -> TotalsResults:
        """Fit the wrapped method on ``history`` and collect its past errors."""
        array = as_history(history)
        if self.max_horizon < 1 or self.min_history < 1 or self.min_errors < 1:
            raise ProjectionError(
                f"max_horizon, min_history and min_errors must be >= 1, got {self.max_horizon}, "
                f"{self.min_history}, {self.min_errors}"
            )
        if self.recent_launches is not None and self.recent_launches < 1:
            raise ProjectionError(
                f"recent_launches must be >= 1 or None (all launches), got {self.recent_launches}"
            )
        inner = self.method.fit(array)
        quantiles = error_quantiles(
            array, self.method, self.max_horizon, self.min_history, self.size_bins,
            self.min_errors, self.symmetric, self.recent_launches,
        )  # fmt: skip
        klass = size_class(array.isel({YEAR: -1}).to_numpy(), self.size_bins)
        return _EmpiricalResults(
            method=f"Empirical({inner.method})",
            areas=inner.areas,
            last_year=inner.last_year,
            params={"quantiles": quantiles, "size_class": klass.astype(float)},
            inner=inner,
        )
