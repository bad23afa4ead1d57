"""Planning strategies: policies that look at the model each planning period.

The model consults the strategy each January; a strategy acts every
``period_years`` years and schedules changes decided in that month, which take
effect after ``lead_time_months``. Capacity decisions compare a facility's peak
monthly demand (see :mod:`scenarios.outlook`) with its capacity per month: when the
utilisation (demand / capacity) leaves the band ``[lower, upper]``, the capacity is
reset to demand / ``target``. The strategies differ only in which demand they look at:

- ``reactive``: the observed peak of the past year, acting only when the band has
  been left in each of the last ``patience`` years (it sees only the past);
- ``proactive``: the ``quantile`` over forecast sample paths of the peak expected
  demand in the next ``horizon_years`` (``horizon_years`` x 12 >= lead time);
- ``perfect_foresight``: the oracle, the realised demand of this very run in the
  next ``horizon_years``, known exactly (see :func:`scenarios.costs.regret`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xarray as xr

from scenarios.channel_shift import ChannelShift
from scenarios.errors import ScenarioError
from scenarios.optimise import Optimised
from scenarios.outlook import (
    expected_zone_demand,
    facility_peaks,
    forecast_permanent,
    observed_peaks,
)
from scenarios.planner import CapacityPlanner, forecast_window
from scenarios.season import SeasonAware
from simulation.model import ServiceModel
from simulation.protocols import NetworkChange
from simulation.types import FloatArray


@dataclass(frozen=True)
class StatusQuo:
    """Only the scenario's own changes: the strategy never schedules anything."""

    name: str = "status_quo"

    def plan(self, model: ServiceModel) -> list[NetworkChange]:
        """Schedule nothing."""
        return []


@dataclass(frozen=True, kw_only=True)
class Reactive(CapacityPlanner):
    """Act on observed utilisation outside the band in each of the last ``patience`` years."""

    name: str = "reactive"
    patience: int = 1

    def demand(self, model: ServiceModel) -> tuple[FloatArray, np.ndarray] | None:
        """Last year's observed peak, allowed where the band was left every ``patience`` years."""
        peaks, capacity = observed_peaks(model, self.patience)
        if peaks.shape[0] < self.patience or self.patience < 1:
            return None
        with np.errstate(invalid="ignore", divide="ignore"):
            util = peaks / capacity
        above = (util > self.upper).all(axis=0)
        below = (util < self.lower).all(axis=0)
        return peaks[-1], (above | below) & (capacity > 0).all(axis=0)


@dataclass(frozen=True, kw_only=True)
class Proactive(CapacityPlanner):
    """Size capacity for a forecast quantile of peak demand over the next years.

    Parameters
    ----------
    quantile : float
        Quantile over forecast sample paths, e.g. 0.8 (P80).
    horizon_years : int
        Years ahead it looks; ``horizon_years`` x 12 must be >= ``lead_time_months``.
    forecast : xarray.Dataset
        The sample-path population forecast (passed by the experiments layer).
    """

    name: str = "proactive"
    quantile: float = 0.8
    horizon_years: int = 2
    forecast: xr.Dataset | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0 <= self.quantile <= 1 or self.horizon_years * 12 < self.lead_time_months:
            raise ScenarioError(
                f"strategy {self.name!r}: quantile must be in [0, 1] and horizon_years x 12 "
                f">= lead_time_months, got {self.quantile}, {self.horizon_years}, "
                f"{self.lead_time_months}"
            )

    def demand(self, model: ServiceModel) -> tuple[FloatArray, np.ndarray] | None:
        """Quantile over samples of the peak expected demand within the horizon."""
        if self.forecast is None:
            raise ScenarioError(f"strategy {self.name!r} needs the population forecast")
        permanent = forecast_permanent(
            model, self.forecast, forecast_window(model, self.horizon_years)
        )
        peaks = facility_peaks(model, expected_zone_demand(model, permanent))
        demand = np.quantile(peaks.max(axis=1), self.quantile, axis=0)
        return demand, np.ones(demand.shape, dtype=bool)


@dataclass(frozen=True, kw_only=True)
class PerfectForesight(CapacityPlanner):
    """The oracle: plans on this run's realised demand of the next ``horizon_years``.

    ``realised`` is the run's demand by (time, zone, service), known in advance
    because demand draws do not depend on the network (own random streams): the
    experiments layer takes it from a status-quo pass with the same seed.
    """

    name: str = "perfect_foresight"
    horizon_years: int = 2
    upper: float = 1.0
    target: float = 0.99
    realised: np.ndarray | None = field(default=None, repr=False, compare=False)

    def demand(self, model: ServiceModel) -> tuple[FloatArray, np.ndarray] | None:
        """Exact peak demand per facility from now to the end of the horizon."""
        if self.realised is None:
            raise ScenarioError(f"strategy {self.name!r} needs the run's realised demand")
        t = model.month_index
        window = self.realised[t : t + 12 * self.horizon_years]  # (month, zone, service)
        demand = facility_peaks(model, np.transpose(window, (1, 2, 0)))
        return demand, np.ones(demand.shape, dtype=bool)


STRATEGIES: dict[str, type] = {
    "status_quo": StatusQuo,
    "reactive": Reactive,
    "proactive": Proactive,
    "perfect_foresight": PerfectForesight,
    "optimised": Optimised,
    "season_aware": SeasonAware,
    "channel_shift": ChannelShift,
}

#: Inputs the experiments layer passes (not parameters from the config).
INPUTS = ("forecast", "realised")


def build_strategy(name: str, **params: object):
    """Instantiate a strategy by name with its typed parameters.

    Numbers are converted to the parameter's type (an int for a float parameter);
    a list becomes a tuple.

    Raises
    ------
    ScenarioError
        If ``name`` is unknown (the message lists the allowed names), or a parameter
        does not belong to the strategy or has the wrong type.
    """
    if name not in STRATEGIES:
        raise ScenarioError(f"strategy {name!r} is not one of {sorted(STRATEGIES)}")
    cls = STRATEGIES[name]
    fields = {f.name: f for f in dataclasses.fields(cls) if f.name not in ("name", *INPUTS)}
    typed: dict[str, Any] = {}
    for key, value in params.items():
        if key not in fields:
            raise ScenarioError(
                f"strategy {name!r}: parameter {key!r} is not one of {sorted(fields)}"
            )
        typed[key] = _typed(name, key, value, fields[key].default)
    return cls(**typed)


def _typed(name: str, key: str, value: Any, default: Any) -> Any:
    if isinstance(default, tuple):
        return tuple(value) if isinstance(value, list | tuple) else (value,)
    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if expected in (int, float, str) and not (
        isinstance(value, expected) and not isinstance(value, bool)
    ):
        raise ScenarioError(
            f"strategy {name!r}: parameter {key!r}={value!r} must be {expected.__name__}"
        )
    return value


def with_inputs(strategy: Any, **inputs: Any) -> Any:
    """Return the strategy with the inputs it takes (``forecast``, ``realised``) set."""
    names = {f.name for f in dataclasses.fields(strategy)}
    given = {k: v for k, v in inputs.items() if k in names and v is not None}
    return dataclasses.replace(strategy, **given) if given else strategy
