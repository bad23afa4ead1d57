"""Forecasts of total population by area, from the history of totals alone.

Every method is a frozen specification whose ``fit(history)`` returns an
immutable :class:`TotalsResults`; ``forecast(horizon)`` gives the point
forecast (area, year) and ``simulate(horizon, n_samples, rng)`` sample paths
(sample, area, year), both in persons on 31.12. Both run the same projection
routine, ``forecast`` with zero errors. The launch year ``T`` is the last year
of the history; ``horizon`` h means year ``T + h``.

Methods (base period = the ``base_period`` years before ``T``, ``T-k .. T``):

- :class:`Linear`: ``P_T + h (P_T - P_{T-k}) / k``, clipped at zero.
- :class:`Exponential`: ``P_T (P_T / P_{T-k})^{h/k}``.
- :class:`LinearExponentialAverage`: the mean of the two, the naive Finnish
  benchmark of ``forecasting.md``.
- :class:`ConstantPopulation`: ``P_T``.
- :class:`DampedETS`: additive-error, additive damped-trend exponential
  smoothing of log population, estimated by statsmodels ``ETSModel`` on all
  years up to ``T`` (one fit per area); the point forecast is the exponential
  of the log forecast (a median).
- :class:`ShareOfRegion`: each area's share of its region, extrapolated
  exponentially over the base period and renormalised within the region,
  times a :class:`DampedETS` forecast of the region total.

**Uncertainty of the trend methods** (an estimate, not a fitted model): the
log forecast error at horizon h is that of a random walk with drift in log
population whose drift is estimated from n = k one-year changes,
``e_h = s (eps_1 + ... + eps_h) + s h eta / sqrt(n)`` with independent
standard normal ``eps`` and ``eta``, so ``var e_h = s^2 (h + h^2 / n)``; ``s``
is the standard deviation of the area's one-year log changes over the base
period. Paths are ``point * exp(e_h)``. Finnish municipal changes are
persistent, so these intervals are likely too narrow; check the coverage in a
backtest (:mod:`forecasting.backtest`).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar

import numpy as np
import pandas as pd
import xarray as xr
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from forecasting.errors import ProjectionError
from forecasting.totals_inputs import as_history
from forecasting.types import AREA, SAMPLE, YEAR, FloatArray, IntArray

__all__ = [
    "ConstantPopulation",
    "DampedETS",
    "Exponential",
    "Linear",
    "LinearExponentialAverage",
    "ShareOfRegion",
    "TotalsResults",
    "as_history",
]

Horizon = int | Sequence[int]


def _steps(horizon: Horizon) -> IntArray:
    steps = np.arange(1, int(horizon) + 1) if np.isscalar(horizon) else np.asarray(horizon)
    if steps.size == 0 or steps.dtype.kind not in "iu" or steps.min() < 1:
        raise ProjectionError(f"horizons must be positive integers, got {horizon!r}")
    return steps.astype(np.int64)


def _walk_errors(
    sigma: FloatArray, n: int, steps: IntArray, n_samples: int, rng: np.random.Generator
) -> FloatArray:
    """Random-walk-with-estimated-drift log errors (sample, area, step)."""
    shape = (n_samples, sigma.size)
    eps = rng.standard_normal((*shape, int(steps.max()))).cumsum(axis=2)[:, :, steps - 1]
    eta = rng.standard_normal(shape)[:, :, None] * steps / np.sqrt(n)
    return sigma[None, :, None] * (eps + eta)


@dataclass(frozen=True, eq=False)
class TotalsResults:
    """Fitted totals forecaster: an immutable results object.

    Attributes
    ----------
    method : str
        Name of the specification.
    areas : tuple of str
        Area codes, in array order.
    last_year : int
        Launch year ``T``, the last year of the history.
    params : dict of str to numpy.ndarray
        Fitted values per area (provenance; units in each subclass).
    """

    method: str
    areas: tuple[str, ...]
    last_year: int
    params: Mapping[str, FloatArray] = field(repr=False)

    def __post_init__(self) -> None:
        frozen = {k: np.array(v, dtype=float) for k, v in self.params.items()}
        for array in frozen.values():
            array.flags.writeable = False
        object.__setattr__(self, "params", MappingProxyType(frozen))

    def forecast(self, horizon: Horizon) -> xr.DataArray:
        """Point forecast: the projection with zero errors.

        Parameters
        ----------
        horizon : int or sequence of int
            Years ahead of ``last_year``: an int H means 1..H.

        Returns
        -------
        xarray.DataArray
            Dims (area, year), persons on 31.12.; coordinate ``horizon`` along year.
        """
        steps = _steps(horizon)
        return self._wrap(self._project(steps, 1, None)[0], steps)

    def simulate(self, horizon: Horizon, n_samples: int, rng: np.random.Generator) -> xr.DataArray:
        """Sample paths of the same projection, with random errors.

        Parameters
        ----------
        horizon : int or sequence of int
            As in :meth:`forecast`.
        n_samples : int
            Number of paths.
        rng : numpy.random.Generator
            The only source of randomness.

        Returns
        -------
        xarray.DataArray
            Dims (sample, area, year), persons on 31.12.
        """
        steps = _steps(horizon)
        return self._wrap(self._project(steps, n_samples, rng), steps, SAMPLE)

    def _wrap(self, values: FloatArray, steps: IntArray, *lead: str) -> xr.DataArray:
        coords = {AREA: list(self.areas), YEAR: self.last_year + steps, "horizon": (YEAR, steps)}
        attrs = {"units": "persons", "long_name": f"total population ({self.method})"}
        return xr.DataArray(values, dims=(*lead, AREA, YEAR), coords=coords, attrs=attrs)

    def _project(
        self, steps: IntArray, n_samples: int, rng: np.random.Generator | None
    ) -> FloatArray:
        raise NotImplementedError


@dataclass(frozen=True, eq=False)
class _TrendResults(TotalsResults):
    """params: base (persons), slope (persons/year), rate (log/year), sigma (log)."""

    weight_linear: float = 0.5
    n_changes: int = 1

    def _project(self, steps, n_samples, rng):
        p = self.params
        h = steps[None, :]
        linear = np.maximum(p["base"][:, None] + p["slope"][:, None] * h, 0.0)
        exponential = p["base"][:, None] * np.exp(p["rate"][:, None] * h)
        point = self.weight_linear * linear + (1 - self.weight_linear) * exponential
        if rng is None:
            return point[None]
        return point * np.exp(_walk_errors(p["sigma"], self.n_changes, steps, n_samples, rng))


def region_shares(
    array: xr.DataArray, regions: Mapping[str, str] | None
) -> tuple[np.ndarray, np.ndarray, xr.DataArray, xr.DataArray]:
    """Region totals and each area's share of its region's total, by year.

    Returns
    -------
    codes : ndarray of str
        Region codes, sorted.
    region : ndarray of int
        Index into ``codes`` of each area's region.
    totals : DataArray
        Region totals with the region codes on the ``area`` dimension.
    share : DataArray
        Each area's share of its region's total (area, year).
    """
    areas = array[AREA].to_numpy().astype(str)
    labels = np.array([regions[a] if regions else "all" for a in areas])
    codes, region = np.unique(labels, return_inverse=True)
    totals = array.groupby(xr.DataArray(labels, dims=AREA, name="region")).sum()
    totals = totals.rename(region=AREA).sel({AREA: codes})
    share = array / totals.sel({AREA: labels}).to_numpy()
    return codes, region, totals, share


def _trend_params(history: xr.DataArray, base_period: int) -> tuple[dict[str, FloatArray], int]:
    """End-point slope and log rate over the last ``k`` years, and log-change sd."""
    values = history.to_numpy()
    k = min(base_period, values.shape[1] - 1)
    window = values[:, -k - 1 :]
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(window)
        changes = np.diff(logs, axis=1)
        rate = np.nan_to_num((logs[:, -1] - logs[:, 0]) / k, posinf=0.0, neginf=0.0)
        sigma = changes.std(axis=1, ddof=1) if k > 1 else np.zeros(len(values))
    params = {
        "base": window[:, -1],
        "slope": (window[:, -1] - window[:, 0]) / k,
        "rate": rate,
        "sigma": np.nan_to_num(sigma),
    }
    return params, k


@dataclass(frozen=True)
class _Trend:
    """Shared fit of the trend-extrapolation methods."""

    base_period: int = 10
    weight_linear: ClassVar[float] = 0.5

    def fit(self, history: pd.DataFrame | xr.DataArray) -> TotalsResults:
        """Fit on ``history`` (area, year); see the module docstring for the method."""
        array = as_history(history)
        params, k = _trend_params(array, self.base_period)
        if type(self).weight_linear is None:  # constant population
            params["slope"] = params["rate"] = np.zeros_like(params["base"])
        return _TrendResults(
            method=type(self).__name__,
            areas=tuple(array[AREA].to_numpy().astype(str)),
            last_year=int(array[YEAR][-1]),
            params=params,
            weight_linear=1.0 if self.weight_linear is None else self.weight_linear,
            n_changes=k,
        )


@dataclass(frozen=True)
class Linear(_Trend):
    """Linear extrapolation of the change over the last ``base_period`` years.

    Examples
    --------
    >>> hist = xr.DataArray([[100.0, 110.0, 120.0]], dims=("area", "year"),
    ...                     coords={"area": ["a"], "year": [2000, 2001, 2002]})
    >>> Linear(base_period=2).fit(hist).forecast(2).values.tolist()
    [[130.0, 140.0]]
    """

    weight_linear: ClassVar[float] = 1.0


@dataclass(frozen=True)
class Exponential(_Trend):
    """Exponential extrapolation of the growth over the last ``base_period`` years."""

    weight_linear: ClassVar[float] = 0.0


@dataclass(frozen=True)
class LinearExponentialAverage(_Trend):
    """Mean of linear and exponential extrapolation (the naive benchmark)."""

    weight_linear: ClassVar[float] = 0.5


@dataclass(frozen=True)
class ConstantPopulation(_Trend):
    """The last observed total, held constant (``base_period`` sets the sd only)."""

    weight_linear: ClassVar[float | None] = None


@dataclass(frozen=True, eq=False)
class _ETSResults(TotalsResults):
    """params: level, trend (log, at T), alpha, beta, phi, sigma (log)."""

    def _project(self, steps, n_samples, rng):
        p = self.params
        level = np.broadcast_to(p["level"], (n_samples, len(self.areas))).copy()
        trend = np.broadcast_to(p["trend"], level.shape).copy()
        out = np.empty((n_samples, len(self.areas), int(steps.max())))
        for t in range(out.shape[2]):
            error = 0.0 if rng is None else p["sigma"] * rng.standard_normal(level.shape)
            trend = p["phi"] * trend
            out[:, :, t] = level + trend + error
            level = level + trend + p["alpha"] * error
            trend = trend + p["beta"] * error
        return np.exp(out[:, :, steps - 1])


def _fit_ets(logs: FloatArray) -> dict[str, FloatArray]:
    """Fit damped-trend ETS per row of ``logs`` (area, year); filter vectorised."""
    anchor = logs[:, -1:]
    y = logs - anchor  # centring speeds up and stabilises the optimiser
    fitted = np.empty((len(y), 5))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, row in enumerate(y):
            model = ETSModel(row, error="add", trend="add", damped_trend=True)
            fitted[i] = model.fit(disp=False, return_params=True)
    alpha, beta, phi, level, trend = fitted.T
    errors = np.empty_like(y)
    for t in range(y.shape[1]):
        trend = phi * trend
        errors[:, t] = y[:, t] - level - trend
        level = level + trend + alpha * errors[:, t]
        trend = trend + beta * errors[:, t]
    sigma = np.sqrt(np.mean(errors**2, axis=1))
    return {"level": level + anchor[:, 0], "trend": trend, "alpha": alpha, "beta": beta,
            "phi": phi, "sigma": sigma}  # fmt: skip


@dataclass(frozen=True)
class DampedETS:
    """Damped-trend exponential smoothing of log population (statsmodels ETSModel)."""

    def fit(self, history: pd.DataFrame | xr.DataArray) -> TotalsResults:
        """Fit one ETS model per area on all years of ``history`` (area, year)."""
        array = as_history(history)
        if (array <= 0).any():
            raise ProjectionError("DampedETS needs positive totals (it models log population)")
        return _ETSResults(
            method="DampedETS",
            areas=tuple(array[AREA].to_numpy().astype(str)),
            last_year=int(array[YEAR][-1]),
            params=_fit_ets(np.log(array.to_numpy())),
        )


@dataclass(frozen=True, eq=False)
class _ShareResults(TotalsResults):
    """params: log share at T, its rate (log/year) and sd; ``region`` index per area."""

    region: IntArray = field(default_factory=lambda: np.zeros(0, np.int64), repr=False)
    regions: TotalsResults | None = None
    n_changes: int = 1

    def _project(self, steps, n_samples, rng):
        p = self.params
        totals = self.regions._project(steps, n_samples, rng)[:, self.region]
        log_share = p["share"][:, None] + p["rate"][:, None] * steps
        if rng is not None:
            log_share = log_share + _walk_errors(p["sigma"], self.n_changes, steps, n_samples, rng)
        share = np.exp(log_share) * np.ones((totals.shape[0], 1, 1))
        sums = np.zeros((share.shape[0], self.region.max() + 1, share.shape[2]))
        np.add.at(sums, (slice(None), self.region), share)
        return totals * share / sums[:, self.region]


@dataclass(frozen=True)
class ShareOfRegion:
    """Area shares of a region, extrapolated, times a damped-ETS region total.

    Parameters
    ----------
    regions : mapping of str to str, optional
        Area code -> region code. ``None``: one region, the sum of all areas.
    base_period : int, default 10
        Years over which the log share trend and its sd are measured.
    """

    regions: Mapping[str, str] | None = None
    base_period: int = 10

    def fit(self, history: pd.DataFrame | xr.DataArray) -> TotalsResults:
        """Fit region totals (DampedETS) and share trends on ``history`` (area, year)."""
        array = as_history(history)
        codes, region, totals, share = region_shares(array, self.regions)
        params, k = _trend_params(share, self.base_period)
        with np.errstate(divide="ignore"):
            params = {"share": np.log(params["base"]), "rate": params["rate"],
                      "sigma": params["sigma"]}  # fmt: skip
        return _ShareResults(
            method="ShareOfRegion",
            areas=tuple(array[AREA].to_numpy().astype(str)),
            last_year=int(array[YEAR][-1]),
            params=params,
            region=region.astype(np.int64),
            regions=DampedETS().fit(totals),
            n_changes=k,
        )
