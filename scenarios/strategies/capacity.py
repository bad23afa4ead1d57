"""Planning strategies: policies that look at the model each planning period.

The model consults the strategy each January; a strategy acts every
``period_years`` years and schedules changes decided in that month, which take
effect after ``lead_time_months``. Capacity decisions compare a facility's peak
monthly demand (see :mod:`scenarios.strategies.outlook`) with its capacity per month: when the
utilisation (demand / capacity) leaves the band ``[lower, upper]``, the capacity is
reset to demand / ``target``. The strategies differ only in which demand they look at:

- ``reactive``: the observed peak of the past year, acting only when the band has
  been left in each of the last ``patience`` years (it sees only the past); with
  ``max_capacity_factor`` or ``far_minutes`` it may open a new facility instead
  (:mod:`scenarios.strategies.siting`);
- ``proactive``: plans for the service standards (``sizing="standard"``): the capacity
  at which each service with a waiting-time standard meets it, at the ``quantile``
  over forecast sample paths, from the month a change decided now takes effect to the
  end of the next ``lookahead_years`` (:mod:`scenarios.strategies.standards_plan`);
  other services, or all with ``sizing="utilisation"``, by the band rule on the
  quantile of the peak expected demand (``lookahead_years`` x 12 >= lead time);
- ``perfect_foresight``: the oracle, the realised demand of this very run in the
  next ``lookahead_years``, known exactly (see :func:`scenarios.changes.costs.regret`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xarray as xr

from scenarios.changes.operations import NetworkChange
from scenarios.errors import ScenarioError
from scenarios.strategies.optimise import candidate_facilities
from scenarios.strategies.outlook import (
    facility_monthly,
    facility_peaks,
    forecast_permanent,
    observed_breaches,
    observed_peaks,
)
from scenarios.strategies.planner import CapacityPlanner, forecast_window
from scenarios.strategies.siting import opening_orders
from scenarios.strategies.standards_plan import observed_requirement, required_capacity
from simulation.expected import expected_demand
from simulation.protocols import PlanningView
from simulation.types import FloatArray
from simulation.world import World


@dataclass(frozen=True)
class StatusQuo:
    """Only the scenario's own changes: the strategy never schedules anything."""

    name: str = "status_quo"

    def plan(self, model: PlanningView) -> list[NetworkChange]:
        """Schedule nothing."""
        return []


@dataclass(frozen=True, kw_only=True)
class Reactive(CapacityPlanner):
    """Act on observed utilisation outside the band in each of the last ``patience`` years.

    Parameters
    ----------
    patience : int
        Years in a row outside the band before acting.
    max_capacity_factor : float
        Cap on resizing: at most this x the facility's capacity at the start of the
        run; demand beyond it opens a new facility (0 = no cap).
    far_minutes : float
        Users' zones farther than this (car minutes) count as far; when moving their
        demand away would relieve the overload, a new facility opens near them
        instead of a resize (0 = never).
    open_lead_time_months : int
        Lead time of an opening, months.
    open_cost_eur : float
        One-off cost of an opening, EUR.
    act_on_breach : bool
        Also act where a facility breached its service standard in the last year
        (:func:`scenarios.strategies.outlook.observed_breaches`): with
        ``sizing="standard"`` sized for the capacity that would have met the standard
        in that year (:func:`scenarios.strategies.standards_plan.observed_requirement`),
        otherwise for the peak work offered (arrivals plus the backlog) there.

    See Also
    --------
    scenarios.strategies.siting : where and how large the new facility is.

    Notes
    -----
    When it may open (``max_capacity_factor`` or ``far_minutes`` > 0), it leaves an
    overloaded service alone for a year after any change to a facility offering it
    took effect: the observed year predates the change.
    """

    sizes_for_standards = True
    name: str = "reactive"
    sizing: str = "standard"
    patience: int = 1
    max_capacity_factor: float = 0.0
    far_minutes: float = 0.0
    open_lead_time_months: int = 24
    open_cost_eur: float = 0.0
    act_on_breach: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        if min(self.max_capacity_factor, self.far_minutes, self.open_cost_eur) < 0 or (
            self.open_lead_time_months < 0
        ):
            raise ScenarioError(
                f"strategy {self.name!r}: max_capacity_factor, far_minutes, "
                "open_lead_time_months and open_cost_eur must be >= 0"
            )
        if 0 < self.max_capacity_factor < 1:
            raise ScenarioError(
                f"strategy {self.name!r}: max_capacity_factor must be 0 (no cap) or >= 1, "
                f"got {self.max_capacity_factor}"
            )

    @property
    def opens(self) -> bool:
        """Whether this reactive strategy may open new facilities."""
        return self.max_capacity_factor > 0 or self.far_minutes > 0

    def new_facilities(self, world: World) -> tuple[dict[str, Any], ...]:
        """Declare the candidate sites of new facilities (only when it may open)."""
        return candidate_facilities(world, self.services) if self.opens else ()

    def demand(self, model: PlanningView) -> tuple[FloatArray, np.ndarray] | None:
        """Last year's observed peak, allowed where the band was left every ``patience`` years."""
        peaks, capacity = observed_peaks(model, self.patience)
        if peaks.shape[0] < self.patience or self.patience < 1:
            return None
        with np.errstate(invalid="ignore", divide="ignore"):
            util = peaks / capacity
        above = (util > self.upper).all(axis=0)
        below = (util < self.lower).all(axis=0)
        demand = peaks[-1]
        if self.act_on_breach:
            breached, offered = observed_breaches(model)
            demand = np.where(breached, np.maximum(demand, offered), demand)
            above |= breached & (demand > self.upper * capacity[-1])
            below &= ~breached
            if self.sizing == "standard":
                demand, above, below = self._standard_view(model, breached, demand, above, below)
        return demand, (above | below) & (capacity > 0).all(axis=0)

    def _standard_view(self, model: PlanningView, breached, demand, above, below):
        """Size services with a waiting-time standard for it, not for the band.

        A facility that breached it last year grows to the capacity that would have met
        it (:func:`scenarios.strategies.standards_plan.observed_requirement`, plus
        ``margin``); one that did not breach shrinks to it when above it by more than
        ``slack``. ``demand`` is returned as that capacity x ``target``, so the band
        rule's resize to demand / ``target`` lands on it.
        """
        need = np.ceil(observed_requirement(model, self.noise_z) * (1 + self.margin))
        sized = np.isfinite(need)
        capacity = np.array([f.capacity for f in model.facilities], dtype=float)
        grow = breached & (capacity < need)
        shrink = ~breached & (capacity > need * (1 + self.slack))
        demand = np.where(sized, need * self.target, demand)
        return demand, np.where(sized, grow, above), np.where(sized, shrink, below)

    def orders(
        self, model: PlanningView, demand: FloatArray, allowed: np.ndarray
    ) -> list[NetworkChange]:
        """Open new facilities where an overload calls for one; the band rule elsewhere."""
        if not self.opens:
            return super().orders(model, demand, allowed)
        common = self.order_fields(model)
        open_fields = common | {
            "lead_time_months": self.open_lead_time_months,
            "one_off_cost_eur": self.open_cost_eur,
        }
        handled = np.zeros(allowed.shape, dtype=bool)
        out: list[NetworkChange] = []
        recent = {c.target for t, c in model.applied_changes if t > model.month_index - 12}
        for fac, s in self.plannable(model, allowed):
            if demand[fac.index, s] <= self.upper * fac.capacity[s]:
                continue
            if any(f.facility_id in recent for f in model.facilities if f.offers()[s]):
                handled[fac.index, s] = True  # observed before the network changed: wait
                continue
            orders = opening_orders(
                self, model, fac, s, float(demand[fac.index, s]), common, open_fields
            )
            if orders is not None:
                out += orders
                handled[fac.index, s] = True
        return [*super().orders(model, demand, allowed & ~handled), *out]


@dataclass(frozen=True, kw_only=True)
class Proactive(CapacityPlanner):
    """Size capacity to meet the service standards at a forecast quantile, ahead of the lead time.

    Parameters
    ----------
    quantile : float
        Quantile over forecast sample paths, e.g. 0.8 (P80).
    lookahead_years : int
        Years ahead it looks; ``lookahead_years`` x 12 must be >= ``lead_time_months``.
    forecast : xarray.Dataset
        The sample-path population forecast (passed by the experiments layer).
    """

    sizes_for_standards = True
    name: str = "proactive"
    sizing: str = "standard"
    quantile: float = 0.8
    lookahead_years: int = 2
    forecast: xr.Dataset | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0 <= self.quantile <= 1 or self.lookahead_years * 12 < self.lead_time_months:
            raise ScenarioError(
                f"strategy {self.name!r}: quantile must be in [0, 1] and lookahead_years x 12 "
                f">= lead_time_months, got {self.quantile}, {self.lookahead_years}, "
                f"{self.lead_time_months}"
            )

    def plan(self, model: PlanningView) -> list[NetworkChange]:
        """Size for the standards (or the band) at the forecast quantile of the window."""
        if not self.due(model):
            return []
        if self.forecast is None:
            raise ScenarioError(f"strategy {self.name!r} needs the population forecast")
        permanent = forecast_permanent(
            model, self.forecast, forecast_window(model, self.lookahead_years)
        )
        monthly = facility_monthly(model, expected_demand(model, permanent))
        peaks = np.quantile(monthly.max(axis=(1, 4)), self.quantile, axis=0)
        allowed = np.ones(peaks.shape, dtype=bool)
        if self.sizing == "utilisation":
            return self.orders(model, peaks, allowed)
        required, _ = required_capacity(
            model, monthly, self.lead_time_months, self.quantile, noise_z=self.noise_z
        )
        band = allowed & np.isnan(required)
        return [*self.standard_orders(model, required, allowed), *self.orders(model, peaks, band)]


@dataclass(frozen=True, kw_only=True)
class PerfectForesight(CapacityPlanner):
    """The oracle: plans on this run's realised demand of the next ``lookahead_years``.

    ``realised`` is the run's demand by (time, zone, service), known in advance
    because demand draws do not depend on the network (own random streams): the
    experiments layer takes it from a status-quo pass with the same seed.
    """

    name: str = "perfect_foresight"
    lookahead_years: int = 2
    upper: float = 1.0
    target: float = 0.99
    realised: np.ndarray | None = field(default=None, repr=False, compare=False)

    def demand(self, model: PlanningView) -> tuple[FloatArray, np.ndarray] | None:
        """Exact peak demand per facility from now to the end of the horizon."""
        if self.realised is None:
            raise ScenarioError(f"strategy {self.name!r} needs the run's realised demand")
        t = model.month_index
        window = self.realised[t : t + 12 * self.lookahead_years]  # (month, zone, service)
        demand = facility_peaks(model, np.transpose(window, (1, 2, 0)))
        return demand, np.ones(demand.shape, dtype=bool)
