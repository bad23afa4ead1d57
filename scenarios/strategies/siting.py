"""Where ``reactive`` opens a new facility when resizing is capped or demand is far.

For an overloaded facility and service (utilisation above ``upper`` in each of the
last ``patience`` years), the strategy opens a new facility of the service instead of
(or besides) resizing when

- resizing is capped: ceil(peak demand / ``target``) exceeds ``max_capacity_factor``
  x the facility's capacity at the start of the run; or
- the overload comes from far away: the share of the facility's observed demand from
  its users' zones farther than ``far_minutes`` by car would, moved away, bring the
  facility back under ``upper``.

The new site is the zone (among the facility's users' zones, other than its own) that
saves the most demand-weighted travel: sum over the users' zones of their observed
peak demand x the car minutes they would save by going there instead. The zones
nearer to the new site than to the facility move there; the new facility is sized
ceil(their share of the peak demand / ``target``) and opens as the candidate facility
``candidate_<service>_<zone>`` (declared up front, see
:func:`scenarios.strategies.optimise.candidate_facilities`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from scenarios.changes.operations import NetworkChange, Open, Resize
from scenarios.strategies.optimise import candidate_id
from scenarios.strategies.outlook import first_choice
from simulation.facilities import Facility
from simulation.protocols import PlanningView
from simulation.types import FloatArray


class OpeningRule(Protocol):
    """What siting needs of a planner (the reactive strategy is one)."""

    max_capacity_factor: float
    far_minutes: float
    target: float
    upper: float


@dataclass(frozen=True)
class SiteChoice:
    """A new site for part of a facility's users.

    Attributes
    ----------
    zone : int
        Zone index of the new site.
    moved_share : float
        Share of the facility's observed demand from zones nearer the new site.
    """

    zone: int
    moved_share: float


def observed_zone_peaks(model: PlanningView) -> FloatArray:
    """Peak monthly demand by (zone, service) in the last completed year (zeros if none)."""
    done = model.month_index // 12
    rec = model.recorder.data["demand_zone"]
    if done < 1:
        return np.zeros(rec.shape[1:])
    return rec[12 * (done - 1) : 12 * done].max(axis=0).astype(float)


def best_site(minutes: FloatArray, users: np.ndarray, weights: FloatArray, home: int):
    """Zone among ``users`` (not ``home``) saving the most demand-weighted minutes.

    Parameters
    ----------
    minutes : ndarray of float, shape (zone, zone)
        Car minutes between zones.
    users : ndarray of int
        Zones whose first choice is the facility.
    weights : ndarray of float, shape (len(users),)
        Their observed peak demand.
    home : int
        The facility's zone.

    Returns
    -------
    SiteChoice or None
        None when no zone saves any travel.

    Examples
    --------
    >>> m = np.array([[1.0, 6, 11], [6, 1, 6], [11, 6, 1]])
    >>> best_site(m, np.array([0, 1, 2]), np.array([10.0, 10, 40]), home=0)
    SiteChoice(zone=2, moved_share=0.6666666666666666)
    """
    to_home = minutes[users, home]
    sites = users[users != home]
    if not sites.size or weights.sum() <= 0:
        return None
    saving = np.maximum(to_home[:, None] - minutes[np.ix_(users, sites)], 0.0)
    totals = weights @ saving
    if totals.max() <= 0:
        return None
    z = int(sites[np.argmax(totals)])
    moved = minutes[users, z] < to_home
    return SiteChoice(z, float(weights[moved].sum() / weights.sum()))


def opening_orders(
    planner: OpeningRule,
    model: PlanningView,
    fac: Facility,
    s: int,
    demand: float,
    common: dict[str, object],
    open_fields: dict[str, object],
) -> list[NetworkChange] | None:
    """Orders that relieve an overloaded facility and service by opening a new site.

    Parameters
    ----------
    planner : OpeningRule
        Gives ``target``, ``upper``, ``max_capacity_factor`` and ``far_minutes``.
    model : PlanningView
        The running model.
    fac : Facility
        The overloaded facility.
    s : int
        Service index.
    demand : float
        Its observed peak monthly demand.
    common, open_fields : dict
        Fields of a resize and of the opening (date, lead time, cost, origin).

    Returns
    -------
    list of NetworkChange or None
        The orders (an opening, possibly a resize up to the cap), or None when neither
        condition holds and the ordinary band rule applies.
    """
    service = model.world.service_ids[s]
    initial = model.world.facilities[fac.index].capacity.get(service, 0.0)
    capped = planner.max_capacity_factor > 0 and initial > 0
    limit = math.floor(planner.max_capacity_factor * initial) if capped else math.inf
    need = math.ceil(demand / planner.target)
    minutes = model.world.travel.minutes_car
    users = np.flatnonzero(first_choice(model)[:, s] == fac.index)
    weights = observed_zone_peaks(model)[users, s]
    far_relieves = False
    if planner.far_minutes > 0 and weights.sum() > 0:
        far = minutes[users, fac.zone] > planner.far_minutes
        far_share = weights[far].sum() / weights.sum()
        far_relieves = far.any() and demand * (1 - far_share) <= planner.upper * fac.capacity[s]
    if need <= limit and not far_relieves:
        return None
    site = best_site(minutes, users, weights, fac.zone)
    out: list[NetworkChange] = []
    kept = demand
    if site is not None and _can_open(model, service, site.zone):
        zone_id = model.world.zones.ids[site.zone]
        capacity = float(math.ceil(demand * site.moved_share / planner.target))
        out.append(
            Open(
                id=candidate_id(service, zone_id),
                zone=zone_id,
                capacity={service: capacity},
                **open_fields,
            )
        )
        kept = demand * (1 - site.moved_share)
    if not out and not capped:
        return None  # nowhere to open and no cap: the band rule resizes
    grown = float(min(limit, math.ceil(kept / planner.target)))
    if grown > fac.capacity[s]:
        out.append(Resize(facility=fac.facility_id, service=service, capacity=grown, **common))
    return out


def _can_open(model: PlanningView, service: str, zone: int) -> bool:
    """Whether the candidate of ``service`` in ``zone`` exists, is idle and has no rival."""
    cid = candidate_id(service, model.world.zones.ids[zone])
    if cid not in model.world.facility_ids:
        return False
    s = model.world.service_ids.index(service)
    busy = {getattr(c, "target", None) for c in model.pending}
    rivals = [f for f in model.facilities if f.zone == zone and f.in_network and f.offers()[s]]
    cand = next(f for f in model.facilities if f.facility_id == cid)
    return cid not in busy and not cand.in_network and not rivals
