"""The ``optimised`` strategy: periodic location-allocation on forecast demand.

Every ``period_years`` the strategy re-sites each planned service with a capacitated
p-median model (PySAL ``spopt.locate.PMedian``, solved with PuLP's CBC): clients are
the zones weighted by the forecast quantile of their peak monthly demand over the
next ``lookahead_years``, candidate sites are all zones, the cost is travel minutes by
car, ``p`` is ``sites`` (0: as many facilities as now offer the service),
and each site's capacity is the total demand / (p x ``target``). Each chosen zone's
facility is then sized for the demand of the zones nearest to it (the model's choice
rule): an existing facility there is resized (or starts offering the service: a
co-location), otherwise a candidate facility declared up front opens; facilities in
zones not chosen close (if the service was their only one) or stop offering it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xarray as xr

from scenarios.changes.operations import Close, NetworkChange, Open, Resize
from scenarios.errors import ScenarioError
from scenarios.strategies.outlook import forecast_permanent
from scenarios.strategies.planner import CapacityPlanner, busy_targets, forecast_window
from simulation.expected import expected_demand
from simulation.protocols import PlanningView
from simulation.world import World


def candidate_id(service: str, zone: str) -> str:
    """Id of the candidate facility for ``service`` in ``zone``."""
    return f"candidate_{service}_{zone}"


def candidate_facilities(world: World, services: tuple[str, ...]) -> tuple[dict[str, Any], ...]:
    """One candidate facility per service (all when ``services`` is empty) and zone.

    Candidates are declared in the world up front, out of the network, with zero
    capacity; their cost per unit served is the mean of the world's facilities that
    offer the service.
    """
    out = []
    for service in world.service_ids:
        if services and service not in services:
            continue
        offering = [f for f in world.facilities if service in f.capacity]
        unit_cost = np.mean([f.cost_per_visit_eur for f in offering]) if offering else 0.0
        for z, zone in enumerate(world.zones.ids):
            out.append(
                {
                    "id": candidate_id(service, zone),
                    "name": f"candidate {service} in {world.zones.names[z]}",
                    "zone": zone,
                    "capacity": {service: 0.0},
                    "cost_per_visit_eur": float(unit_cost),
                }
            )
    return tuple(out)


def _solved(label: str, build: Callable[[], Any]) -> Any:
    """Build and solve an spopt location model with CBC; raise unless optimal."""
    import pulp

    with warnings.catch_warnings():  # PuLP 3.x announces its 4.0 API changes
        warnings.simplefilter("ignore", DeprecationWarning)
        model = build().solve(pulp.PULP_CBC_CMD(msg=False))
    if model.problem.status != pulp.LpStatusOptimal:
        raise ScenarioError(
            f"optimised: {label} not solved ({pulp.LpStatus[model.problem.status]})"
        )
    return model


def p_median_sites(
    minutes: np.ndarray, weights: np.ndarray, p: int, site_capacity: float
) -> np.ndarray:
    """Choose ``p`` sites with spopt's capacitated p-median.

    Parameters
    ----------
    minutes : ndarray of float, shape (client, site)
        Travel cost, minutes.
    weights : ndarray of float, shape (client,)
        Demand of each client, service units per month.
    p : int
        Number of sites to open.
    site_capacity : float
        Capacity of every site, same unit as ``weights``.

    Returns
    -------
    ndarray of int
        Indices of the chosen sites, ascending.

    Raises
    ------
    ScenarioError
        If the solver finds no optimal solution.
    """
    from spopt.locate import PMedian

    capacities = np.full(minutes.shape[1], float(site_capacity))
    model = _solved(
        "p-median",
        lambda: PMedian.from_cost_matrix(
            minutes, weights, p_facilities=int(p), facility_capacities=capacities, name="sites"
        ),
    )
    return np.array([j for j, clients in enumerate(model.fac2cli) if len(clients)], dtype=int)


def max_cover_sites(
    minutes: np.ndarray, weights: np.ndarray, p: int, radius_minutes: float
) -> np.ndarray:
    """Choose ``p`` sites covering the most demand within ``radius_minutes`` (spopt MCLP).

    Parameters
    ----------
    minutes : ndarray of float, shape (client, site)
        Travel cost, minutes.
    weights : ndarray of float, shape (client,)
        Demand of each client.
    p : int
        Number of sites to open.
    radius_minutes : float
        A client is covered by a site within this many minutes.

    Returns
    -------
    ndarray of int
        Indices of the chosen sites, ascending.
    """
    from spopt.locate import MCLP

    model = _solved(
        "max cover",
        lambda: MCLP.from_cost_matrix(
            minutes, weights, service_radius=float(radius_minutes), p_facilities=int(p)
        ),
    )
    chosen = [j for j, v in enumerate(model.fac_vars) if (v.value() or 0) > 0.5]
    return np.array(chosen, dtype=int)


METHODS = ("p_median", "max_cover")


@dataclass(frozen=True, kw_only=True)
class Optimised(CapacityPlanner):
    """Re-site the network periodically by capacitated p-median on forecast demand.

    Parameters
    ----------
    quantile : float
        Quantile over forecast sample paths of each zone's peak demand, e.g. 0.8.
    lookahead_years : int
        Years ahead the demand looks (x 12 >= ``lead_time_months``).
    sites : int
        Sites per service; 0 = as many as offer the service when it plans.
    method : {'p_median', 'max_cover'}
        Capacitated p-median (least total travel time) or maximal covering (most
        demand within ``radius_minutes``; spopt's MCLP has no capacities, so capacity
        comes only from the sizing step).
    radius_minutes : float
        Coverage radius of ``max_cover``, car minutes.
    forecast : xarray.Dataset
        The sample-path population forecast (passed by the experiments layer).
    """

    name: str = "optimised"
    period_years: int = 5
    quantile: float = 0.8
    lookahead_years: int = 2
    sites: int = 0
    method: str = "p_median"
    radius_minutes: float = 20.0
    forecast: xr.Dataset | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.method not in METHODS or self.radius_minutes <= 0 or self.sites < 0:
            raise ScenarioError(
                f"strategy {self.name!r}: method must be one of {METHODS}, radius_minutes > 0 "
                f"and sites >= 0, got {self.method!r}, {self.radius_minutes}, {self.sites}"
            )

    def new_facilities(self, world: World) -> tuple[dict[str, Any], ...]:
        """Declare one candidate facility per planned service and zone (out of the network)."""
        return candidate_facilities(world, self.services)

    def plan(self, model: PlanningView) -> list[NetworkChange]:
        """Re-site every planned service in the planning years."""
        if not self.due(model):
            return []
        if self.forecast is None:
            raise ScenarioError(f"strategy {self.name!r} needs the population forecast")
        permanent = forecast_permanent(
            model, self.forecast, forecast_window(model, self.lookahead_years)
        )
        zone_demand = expected_demand(model, permanent).max(axis=(1, -1))
        demand = np.quantile(zone_demand, self.quantile, axis=0)  # (zone, service)
        busy = busy_targets(model)
        out: list[NetworkChange] = []
        for s, service in enumerate(model.world.service_ids):
            if (self.services and service not in self.services) or demand[:, s].sum() <= 0:
                continue
            out += self._resite(model, s, demand[:, s], busy)
        return out

    def _resite(
        self, model: PlanningView, s: int, weights: np.ndarray, busy: set
    ) -> list[NetworkChange]:
        service = model.world.service_ids[s]
        offering = [f for f in model.facilities if f.offers()[s] and f.capacity[s] > 0]
        p = self.sites or max(1, len(offering))
        minutes = model.world.travel.minutes_car
        if self.method == "max_cover":
            sites = max_cover_sites(minutes, weights, p, self.radius_minutes)
        else:
            sites = p_median_sites(minutes, weights, p, weights.sum() / (p * self.target))
        nearest = sites[np.argmin(minutes[:, sites], axis=1)]
        assigned = np.bincount(nearest, weights=weights, minlength=len(weights))
        common = self.order_fields(model)
        out: list[NetworkChange] = []
        zone_ids = model.world.zones.ids
        for z in sites:
            capacity = float(math.ceil(assigned[z] / self.target))
            here = [f for f in model.facilities if f.in_network and f.zone == z]
            if any(f.facility_id in busy for f in here):
                continue
            site = next((f for f in here if f.offers()[s]), here[0] if here else None)
            if site is None:
                cid = candidate_id(service, zone_ids[z])
                if cid not in busy and cid in model.world.facility_ids:
                    out.append(
                        Open(id=cid, zone=zone_ids[z], capacity={service: capacity}, **common)
                    )
            elif site.capacity[s] != capacity:
                out.append(
                    Resize(facility=site.facility_id, service=service, capacity=capacity, **common)
                )
        for f in offering:
            if f.zone in sites or f.facility_id in busy:
                continue
            if f.offered.sum() == 1:
                out.append(Close(facility=f.facility_id, **common))
            else:
                out.append(Resize(facility=f.facility_id, service=service, capacity=0.0, **common))
        return out
