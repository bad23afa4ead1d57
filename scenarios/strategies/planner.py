"""The decision rules shared by the capacity-planning strategies.

Standards first (``sizing="standard"``, the default of the strategies that plan with
expected demand): a facility and service with a waiting-time standard is sized to the
capacity at which it meets the standard (:mod:`scenarios.strategies.standards_plan`),
plus ``margin``; it is resized when its capacity is below that, or above it by more
than ``slack``. Everything else, and every service with ``sizing="utilisation"``, keeps
the utilisation band: a planner compares, for every facility and service in the
network, the demand it plans for (peak monthly demand attributed to the facility, see
:mod:`scenarios.strategies.outlook`) with the facility's capacity per month; when the
utilisation leaves the band ``[lower, upper]`` it schedules a resize to
ceil(demand / ``target``), decided now and effective after ``lead_time_months``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from scenarios.changes.operations import Close, NetworkChange, Resize
from scenarios.errors import ScenarioError
from simulation.facilities import Facility
from simulation.protocols import PlanningView
from simulation.types import FloatArray


def forecast_window(model: PlanningView, lookahead_years: int) -> list[int]:
    """Years whose end-of-year population drives demand in the next ``lookahead_years``."""
    year = model.year_month[0]
    return list(range(year - 1, year + lookahead_years))


def busy_targets(model: PlanningView) -> set[str | None]:
    """Facilities with a change still pending: a strategy orders one change at a time."""
    return {getattr(c, "target", None) for c in model.pending}


#: How a planner sizes capacity (see :class:`CapacityPlanner`).
SIZINGS = ("utilisation", "standard")


@dataclass(frozen=True, kw_only=True)
class CapacityPlanner:
    """Common parameters and decision rule of the capacity-planning strategies.

    Parameters
    ----------
    period_years : int
        Planning period: the strategy acts every this many years (first in the first
        simulated January it has what it needs), default 1.
    lead_time_months : int
        Lead time of the changes it schedules, months.
    change_cost_eur : float
        One-off cost of each change it schedules, EUR.
    upper, lower : float
        Utilisation band (demand / capacity); outside it the capacity is reset.
    target : float
        Utilisation the new capacity is sized for: capacity = ceil(demand / target).
    close_below : float
        Close a single-service facility whose utilisation is below this (0 = never).
    services : tuple of str
        Services it plans; empty = all.
    sizing : {'utilisation', 'standard'}
        ``standard``: services with a waiting-time standard are sized for it (see the
        module docstring; only the strategies that plan with expected demand use it);
        ``utilisation``: the band rule for every service.
    margin : float
        Extra capacity above the standard's requirement, a share (>= 0).
    slack : float
        Capacity above the requirement (with margin) by more than this share is cut
        back to it (>= 0).
    noise_z : float
        Month-to-month demand noise the standard sizing plans for, in standard
        deviations of a Poisson count (>= 0; 1.645: 95 % of months), see
        :func:`scenarios.strategies.standards_plan.required_capacity`.
    """

    name: str = "capacity"
    period_years: int = 1
    lead_time_months: int = 12
    change_cost_eur: float = 0.0
    upper: float = 0.9
    lower: float = 0.3
    target: float = 0.75
    close_below: float = 0.0
    services: tuple[str, ...] = ()
    sizing: str = "utilisation"
    margin: float = 0.0
    slack: float = 0.25
    noise_z: float = 1.645

    #: Whether the strategy implements ``sizing="standard"`` (others refuse it).
    sizes_for_standards = False

    def __post_init__(self) -> None:
        if self.sizing == "standard" and not self.sizes_for_standards:
            raise ScenarioError(
                f"strategy {self.name!r}: sizing='standard' is not implemented for it; "
                "allowed: 'utilisation'"
            )
        if self.sizing not in SIZINGS or min(self.margin, self.slack, self.noise_z) < 0:
            raise ScenarioError(
                f"strategy {self.name!r}: sizing must be one of {SIZINGS}, margin, slack and "
                f"noise_z >= 0, got {self.sizing!r}, {self.margin}, {self.slack}, {self.noise_z}"
            )
        if self.period_years < 1 or self.lead_time_months < 0 or self.change_cost_eur < 0:
            raise ScenarioError(
                f"strategy {self.name!r}: period_years must be >= 1, "
                "lead_time_months and change_cost_eur >= 0"
            )
        if not 0 <= self.close_below <= self.lower < self.target < self.upper:
            raise ScenarioError(
                f"strategy {self.name!r}: need 0 <= close_below <= lower < target < upper, got "
                f"{self.close_below}, {self.lower}, {self.target}, {self.upper}"
            )

    def due(self, model: PlanningView) -> bool:
        """Whether this January starts a planning period (every ``period_years``)."""
        return (model.year_month[0] - model.start_year) % self.period_years == 0

    def plan(self, model: PlanningView) -> list[NetworkChange]:
        """Schedule capacity changes when demand leaves the utilisation band."""
        if not self.due(model):
            return []
        outlook = self.demand(model)
        if outlook is None:
            return []
        demand, persistent = outlook
        return self.orders(model, demand, persistent)

    def order_fields(self, model: PlanningView) -> dict[str, object]:
        """Fields every change this strategy orders now shares: date, lead time, cost, origin."""
        return {
            "decided": model.date,
            "lead_time_months": self.lead_time_months,
            "one_off_cost_eur": self.change_cost_eur,
            "origin": f"strategy:{self.name}",
        }

    def demand(self, model: PlanningView) -> tuple[FloatArray, np.ndarray] | None:
        """Demand to plan for, (facility, service), and where acting is allowed."""
        raise NotImplementedError

    def plannable(self, model: PlanningView, allowed: np.ndarray) -> Iterator[tuple[Facility, int]]:
        """Facility and service index pairs the strategy may act on this period.

        Open facilities without a pending change, services they offer with capacity,
        among ``services`` (if given), where ``allowed`` is true.
        """
        busy = busy_targets(model)
        sids = model.world.service_ids
        for fac in model.facilities:
            if not fac.in_network or fac.facility_id in busy:
                continue
            for s in np.flatnonzero(fac.offered & (fac.capacity > 0)):
                if self.services and sids[s] not in self.services:
                    continue
                if allowed[fac.index, s]:
                    yield fac, int(s)

    def orders(
        self, model: PlanningView, demand: FloatArray, allowed: np.ndarray
    ) -> list[NetworkChange]:
        """Resize (or close) where utilisation is outside the band and acting is allowed."""
        sids = model.world.service_ids
        common = self.order_fields(model)
        out: list[NetworkChange] = []
        for fac, s in self.plannable(model, allowed):
            util = demand[fac.index, s] / fac.capacity[s]
            if util < self.close_below and fac.offered.sum() == 1:
                out.append(Close(facility=fac.facility_id, **common))
            elif util > self.upper or util < self.lower:
                new = float(math.ceil(demand[fac.index, s] / self.target))
                if new != fac.capacity[s]:
                    out.append(
                        Resize(facility=fac.facility_id, service=sids[s], capacity=new, **common)
                    )
        return out

    def standard_orders(
        self, model: PlanningView, required: FloatArray, allowed: np.ndarray
    ) -> list[NetworkChange]:
        """Resize where the capacity is below the standard's requirement or above it by ``slack``.

        ``required`` is (facility, service) units/month (NaN or inf: not sized here).
        """
        sids = model.world.service_ids
        common = self.order_fields(model)
        out: list[NetworkChange] = []
        ok = allowed & np.isfinite(required)
        for fac, s in self.plannable(model, ok):
            new = max(1.0, float(math.ceil(required[fac.index, s] * (1 + self.margin))))
            cap = fac.capacity[s]
            if cap < new or cap > new * (1 + self.slack):
                fid = fac.facility_id
                out.append(Resize(facility=fid, service=sids[s], capacity=new, **common))
        return out
