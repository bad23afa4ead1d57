"""Combinations of simple totals forecasts: the mean of several trend extrapolations.

Averages of simple trend methods are hard to beat in forecasting competitions
(the M competitions: Makridakis et al. 2020, *IJF* 36:54-74), and they are robust
where one method's assumption fails: a linear trend overshoots declines, an
exponential trend compounds growth, a share trend leans on the region's total.
:class:`TrendCombination` fits each member on the same history and forecasts
the mean (or the median) of their point forecasts; :meth:`simulate` averages
the members' model-based paths (wrap it in
:class:`forecasting.empirical.EmpiricalIntervals` for intervals from its own past
errors).

Members (each with the combination's base period):

- ``linear``, ``exponential``, ``constant``: :mod:`forecasting.totals`;
- ``trend_share``: :class:`forecasting.trend_share.TrendShare` (one region: the
  sum of the areas given);
- ``damped``: the linear trend with its slope damped by ``phi`` per year ahead,
  ``P_T + slope * (phi + phi^2 + ... + phi^h)`` (Gardner & McKenzie 1985), with
  ``phi = 0.9``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.errors import ProjectionError
from forecasting.totals import (
    ConstantPopulation,
    Exponential,
    Linear,
    TotalsResults,
    _trend_params,
    _walk_errors,
    as_history,
)
from forecasting.trend_share import TrendShare
from forecasting.types import AREA, YEAR

__all__ = ["MEMBERS", "DampedTrend", "TrendAverage", "TrendCombination"]


@dataclass(frozen=True, eq=False)
class _DampedResults(TotalsResults):
    """params: base (persons), slope (persons/year), sigma (log)."""

    phi: float = 0.9
    n_changes: int = 1

    def _project(self, steps, n_samples, rng):
        p = self.params
        damped = np.cumsum(self.phi ** np.arange(1, int(steps.max()) + 1))[steps - 1]
        point = np.maximum(p["base"][:, None] + p["slope"][:, None] * damped[None, :], 0.0)
        if rng is None:
            return point[None]
        return point * np.exp(_walk_errors(p["sigma"], self.n_changes, steps, n_samples, rng))


@dataclass(frozen=True)
class DampedTrend:
    """Linear trend over the base period with the slope damped by ``phi`` per year.

    Examples
    --------
    >>> hist = xr.DataArray([[100.0, 110.0]], dims=("area", "year"),
    ...                     coords={"area": ["a"], "year": [2000, 2001]})
    >>> DampedTrend(base_period=1, phi=0.5).fit(hist).forecast(2).values.tolist()
    [[115.0, 117.5]]
    """

    base_period: int = 10
    phi: float = 0.9

    def fit(self, history: pd.DataFrame | xr.DataArray) -> TotalsResults:
        """Fit the base-period slope of each area on ``history`` (area, year), persons."""
        if not 0.0 < self.phi <= 1.0:
            raise ProjectionError(f"phi must be in (0, 1], got {self.phi}")
        array = as_history(history)
        params, k = _trend_params(array, self.base_period)
        return _DampedResults(
            method="DampedTrend",
            areas=tuple(array[AREA].to_numpy().astype(str)),
            last_year=int(array[YEAR][-1]),
            params={key: params[key] for key in ("base", "slope", "sigma")},
            phi=self.phi,
            n_changes=k,
        )


MEMBERS = {
    "linear": Linear,
    "exponential": Exponential,
    "constant": ConstantPopulation,
    "trend_share": TrendShare,
    "damped": DampedTrend,
}
"""Member methods of a combination by name."""


@dataclass(frozen=True, eq=False)
class _CombinationResults(TotalsResults):
    members: tuple[TotalsResults, ...] = field(default=(), repr=False)
    average: str = "mean"

    def _project(self, steps, n_samples, rng):
        parts = np.stack([m._project(steps, n_samples, rng) for m in self.members])
        return np.median(parts, axis=0) if self.average == "median" else parts.mean(axis=0)


@dataclass(frozen=True)
class TrendCombination:
    """The mean (or median) of several simple trend forecasts.

    Parameters
    ----------
    members : tuple of str, default ("linear", "exponential", "trend_share", "damped")
        Names in :data:`MEMBERS`.
    base_period : int, default 10
        Years every member's trend is measured over.
    average : {"mean", "median"}, default "mean"
        How the members' forecasts are combined.

    Examples
    --------
    >>> hist = xr.DataArray([[100.0, 110.0]], dims=("area", "year"),
    ...                     coords={"area": ["a"], "year": [2000, 2001]})
    >>> f = TrendCombination(("linear", "constant"), base_period=1).fit(hist).forecast(1)
    >>> f.values.tolist()
    [[115.0]]
    """

    members: tuple[str, ...] = ("linear", "exponential", "trend_share", "damped")
    base_period: int = 10
    average: str = "mean"

    def fit(self, history: pd.DataFrame | xr.DataArray) -> TotalsResults:
        """Fit every member on ``history`` (area, year), persons."""
        unknown = [m for m in self.members if m not in MEMBERS]
        if unknown or not self.members:
            raise ProjectionError(f"members {list(self.members)}: allowed {sorted(MEMBERS)}")
        if self.average not in ("mean", "median"):
            raise ProjectionError(f"average={self.average!r}: must be mean or median")
        array = as_history(history)
        fitted = tuple(MEMBERS[m](base_period=self.base_period).fit(array) for m in self.members)
        return _CombinationResults(
            method=f"TrendCombination({'+'.join(self.members)})",
            areas=fitted[0].areas,
            last_year=fitted[0].last_year,
            params={},
            members=fitted,
            average=self.average,
        )


@dataclass(frozen=True)
class TrendAverage(TrendCombination):
    """The default totals method: the mean of linear, exponential and trend-share forecasts.

    Equivalently two thirds of the naive linear/exponential average and one third
    of :class:`~forecasting.trend_share.TrendShare`. Chosen by rolling origin on
    the launches 1982-1995 of the Finnish municipal and regional totals, among
    combinations of at least three simple methods, for the smallest worst-case
    ratio of its MAPE to the naive average's at 5, 10 and 20 years, and reported
    on the launches 1996-2022 (``docs/research/totals_selection.py``,
    ``docs/explanation/forecast-accuracy.md``).

    Examples
    --------
    >>> TrendAverage().members
    ('linear', 'exponential', 'trend_share')
    """

    members: tuple[str, ...] = ("linear", "exponential", "trend_share")
