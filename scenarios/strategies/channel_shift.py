"""The ``channel_shift`` strategy: mobile routes and digital channels instead of capacity.

Each planning period, for every planned service:

- **digital**: where at least ``min_digital_share`` of the residents who use the
  service are digitally able (the population's ``digital`` column), a digital
  channel is added with ``adoption`` (or upgraded to it);
- **mobile**: zones farther than ``mobile_min_minutes`` by car from the nearest
  facility offering the service get a van (one route per service) with capacity
  ceil(``mobile_share`` x their expected peak monthly demand / ``target``),
  ``route_days_per_month`` days a month, at ``route_cost_eur_per_year``;
- **fixed capacity**: the band rule on the observed peak of the past year, but only
  to shrink: growth is left to the channels.

How many residents then use the channels is decided by the simulation's monthly
channel choice (car access, digital skill, preferred channel).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from scenarios.changes.operations import AddDigitalChannel, AddMobileRoute, NetworkChange
from scenarios.errors import ScenarioError
from scenarios.strategies.outlook import observed_peaks, resident_cells
from scenarios.strategies.planner import CapacityPlanner, busy_targets
from simulation.expected import expected_demand
from simulation.protocols import PlanningView


def digital_share(model: PlanningView, s: int) -> float:
    """Share of the residents with a positive rate for service ``s`` who are digitally able."""
    pop = model.population
    ids = pop.ids()
    rate = model.world.services[s].rate[pop["kind"][ids], pop["age"][ids]]
    users = rate > 0
    return float(pop["digital"][ids][users].mean()) if users.any() else 0.0


@dataclass(frozen=True, kw_only=True)
class ChannelShift(CapacityPlanner):
    """Digital channels and mobile routes where the residents' profile mix allows.

    Parameters
    ----------
    min_digital_share : float
        Share of digitally able users from which a digital channel is added.
    adoption : float
        Adoption of the digital channels it adds (0-1).
    mobile_min_minutes : float
        Zones farther than this (car minutes) from the nearest facility get the van.
    mobile_share : float
        Share of those zones' expected peak demand the van is sized for.
    route_days_per_month : int
        Service days of a van per month.
    route_cost_eur_per_year : float
        Running cost of a van, EUR per year (an estimate: set your own).
    """

    name: str = "channel_shift"
    min_digital_share: float = 0.5
    adoption: float = 0.8
    mobile_min_minutes: float = 20.0
    mobile_share: float = 0.5
    route_days_per_month: int = 4
    route_cost_eur_per_year: float = 150_000.0

    def __post_init__(self) -> None:
        super().__post_init__()
        shares = (self.min_digital_share, self.adoption, self.mobile_share)
        if not all(0 <= x <= 1 for x in shares) or self.route_cost_eur_per_year < 0:
            raise ScenarioError(
                f"strategy {self.name!r}: min_digital_share, adoption and mobile_share must "
                f"be in [0, 1] and route_cost_eur_per_year >= 0, got {shares}, "
                f"{self.route_cost_eur_per_year}"
            )

    def plan(self, model: PlanningView) -> list[NetworkChange]:
        """Add channels, then shrink fixed capacity that the past year left idle."""
        if not self.due(model):
            return []
        common = self.order_fields(model)
        busy = busy_targets(model)
        out: list[NetworkChange] = []
        cells = resident_cells(model)[:, 0].sum(axis=1)  # permanent (zone, age)
        expected = expected_demand(model, cells.astype(float)).max(axis=-1)  # (zone, s)
        for s, service in enumerate(model.world.service_ids):
            if self.services and service not in self.services:
                continue
            current = model.digital_channels.get(service)
            if (
                service not in busy
                and (current is None or current.adoption < self.adoption)
                and digital_share(model, s) >= self.min_digital_share
            ):
                out.append(AddDigitalChannel(service=service, adoption=self.adoption, **common))
            route = self._route(model, s, expected[:, s], busy, common)
            if route is not None:
                out.append(route)
        peaks, capacity = observed_peaks(model, 1)
        if peaks.shape[0]:
            with np.errstate(invalid="ignore", divide="ignore"):
                shrink = (peaks[-1] / capacity[-1]) < self.lower
            out += self.orders(model, peaks[-1], shrink & (capacity[-1] > 0))
        return out

    def _route(
        self, model: PlanningView, s: int, expected: np.ndarray, busy: set, common: dict
    ) -> NetworkChange | None:
        """Return a van for the zones far from every facility offering service ``s``."""
        service = model.world.service_ids[s]
        rid = f"channel_van_{service}"
        if rid in busy or any(r.id == rid for r in model.mobile_routes):
            return None
        offering = [f.zone for f in model.facilities if f.offers()[s] and f.capacity[s] > 0]
        if not offering:
            return None
        minutes = model.world.travel.minutes_car[:, offering].min(axis=1)
        far = np.flatnonzero(minutes > self.mobile_min_minutes)
        if not far.size or expected[far].sum() <= 0:
            return None
        capacity = float(math.ceil(self.mobile_share * expected[far].sum() / self.target))
        return AddMobileRoute(
            id=rid,
            services=(service,),
            zones=tuple(model.world.zones.ids[z] for z in far),
            days_per_month=self.route_days_per_month,
            capacity_per_month=capacity,
            cost_eur_per_year=self.route_cost_eur_per_year,
            **common,
        )
