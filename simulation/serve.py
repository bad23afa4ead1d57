"""One month of service use: demand by channel, vans, facility choice, records.

Phases, each in its own module: presence (``cells``), demand by channel (``demand``,
``channels``), van capacity (``channels``), facility choice (``choice``), access and
equity (``access``). This module wires them for one month and writes the recorder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from simulation import access, cellplan, cells, channels, choice, demand, queues, zone_records
from simulation.channels import DIGITAL, IN_PERSON, MOBILE, PHONE
from simulation.errors import WorldError
from simulation.world import CAPACITY_LIMIT

if TYPE_CHECKING:
    from simulation.model import ServiceModel


@dataclass(frozen=True)
class Network:
    """The facility network as arrays for one month.

    Attributes
    ----------
    capacity : ndarray of int, shape (facility, service)
        Whole capacity units available this month.
    offers : ndarray of bool, shape (facility, service)
        Open this month and offering the service.
    minutes : ndarray of float, shape (zone * 2, facility)
        Travel minutes from each origin row (zone, car: row ``2 * zone + car``) by the
        row's mode (no car: ``minutes_nocar``).
    km : ndarray of float, shape (zone * 2, facility)
        Road km from each origin row.
    minutes_order, km_order : ndarray of int, shape (zone * 2, facility)
        Facilities of each row sorted by minutes and by km (all facilities).
    is_open : ndarray of bool, shape (facility,)
        In the network and open this month.
    """

    capacity: np.ndarray
    offers: np.ndarray
    minutes: np.ndarray
    km: np.ndarray
    minutes_order: np.ndarray
    km_order: np.ndarray
    _orders: dict = field(default_factory=dict, repr=False)
    is_open: np.ndarray | None = None

    def order(self, by: str, s: int) -> np.ndarray:
        """Facilities offering service ``s`` for each row, nearest first ``by`` minutes or km.

        Services offered by the same facilities share one computation.
        """
        key = (by, self.offers[:, s].tobytes())
        if key not in self._orders:
            full = self.minutes_order if by == "minutes" else self.km_order
            self._orders[key] = choice.restrict_order(full, self.offers[:, s])
        return self._orders[key]

    def nearest(self, s: int) -> np.ndarray:
        """Minutes from each row to its nearest facility offering service ``s`` (inf: none).

        Returns
        -------
        ndarray of float, shape (zone * 2,)
        """
        key = ("nearest", self.offers[:, s].tobytes())
        if key not in self._orders:
            order = self.order("minutes", s)[:, :1]
            if order.shape[1]:
                self._orders[key] = np.take_along_axis(self.minutes, order, axis=1)[:, 0]
            else:
                self._orders[key] = np.full(self.minutes.shape[0], np.inf)
        return self._orders[key]


@dataclass
class ServeCache:
    """Derived arrays of the monthly step, kept on the model between months.

    Attributes
    ----------
    geometry : tuple or None
        ``(facility zones, (minutes, km, minutes_order, km_order), orders by service)``:
        travel from origin rows to facilities and its sort orders, valid while the
        facilities' zones are unchanged.
    cell_plan : CellPlan or None
        The per-year arrays of the monthly step, valid while its cell table is the
        model's.
    channel_probs : dict of bytes to ndarray
        Channel probabilities by availability and travel factors (at most 65 kept).
    """

    geometry: tuple | None = None
    cell_plan: cellplan.CellPlan | None = None
    channel_probs: dict = field(default_factory=dict)


def network(model: ServiceModel, month: int) -> Network:
    """Read the facilities' state for calendar ``month`` (1-12).

    Sort orders by service are kept in the model's :class:`ServeCache` between months,
    keyed by the facility zones and the facilities offering the service, so they are
    recomputed only when the network changes.
    """
    facs = model.facilities
    n_s = len(model.world.services)
    in_network = np.fromiter((f.in_network for f in facs), dtype=bool, count=len(facs))
    open_now = np.concatenate([f.open_months for f in facs]).reshape(len(facs), 12)[:, month - 1]
    is_open = in_network & open_now
    raw = np.concatenate([f.capacity for f in facs]).reshape(len(facs), n_s)
    if not (np.isfinite(raw).all() and raw.max(initial=0.0) <= CAPACITY_LIMIT):
        raise WorldError(f"facility capacity must be finite and <= {CAPACITY_LIMIT:g}/month")
    capacity = np.where(is_open[:, None], np.floor(raw), 0).astype(np.int64)
    offered = np.concatenate([f.offered for f in facs]).reshape(len(facs), n_s)
    offers = offered & is_open[:, None]
    minutes, km, minutes_order, km_order = _geometry(model)
    orders = model.cache.geometry[2]
    return Network(capacity, offers, minutes, km, minutes_order, km_order, orders, is_open)


def _geometry(model: ServiceModel) -> tuple[np.ndarray, ...]:
    """Travel from origin rows to facilities, and its sort orders; cached by facility zones.

    Recomputed only when a facility's zone changes (e.g. a relocation).
    """
    fz = np.array([f.zone for f in model.facilities], dtype=np.int64)
    cached = model.cache.geometry
    if cached is not None and np.array_equal(cached[0], fz):
        return cached[1]
    travel = model.world.travel
    n_z = len(model.world.zones)
    minutes = np.empty((2 * n_z, fz.size))
    minutes[0::2] = travel.minutes_nocar[:, fz]
    minutes[1::2] = travel.minutes_car[:, fz]
    km = np.repeat(travel.km[:, fz], 2, axis=0)
    geometry = (
        minutes,
        km,
        np.argsort(minutes, axis=1, kind="stable"),
        np.argsort(km, axis=1, kind="stable"),
    )
    model.cache.geometry = (fz, geometry, {})
    return geometry


def cell_plan(model: ServiceModel) -> cellplan.CellPlan:
    """Return the model's per-year cell plan, rebuilt when its cells have changed."""
    plan = model.cache.cell_plan
    if plan is None or plan.table is not model.cells:
        multiplier = model.segment_params["demand"]
        plan = cellplan.build_plan(model.cells, model.world.services, multiplier)
        model.cache.cell_plan = plan
    return plan


def _channel_probabilities(model: ServiceModel, avail: np.ndarray, nearest: np.ndarray):
    """Channel probabilities for an availability and travel times, cached by their values.

    ``nearest``: minutes to the nearest facility offering the service by (zone, car).
    """
    choice_params = model.params.choice
    factors = None
    if any(choice_params.distance_elasticity):
        factors = channels.distance_factors(
            nearest,
            choice_params.distance_elasticity,
            choice_params.distance_reference_minutes,
            choice_params.distance_cap_minutes,
        )
    cache = model.cache.channel_probs
    key = avail.tobytes() + (b"" if factors is None else factors.tobytes())
    if key not in cache:
        if len(cache) > 64:
            cache.clear()
        cache[key] = channels.channel_probabilities(
            avail, model.segment_params["channels"], choice_params.channel_loyalty, factors
        )
    return cache[key]


def month_demand(
    model: ServiceModel, plan: cellplan.CellPlan, month: int, net: Network
) -> demand.MonthDemand:
    """Return what calendar ``month``'s demand depends on, for the draws and their means.

    Presence shares, weekday factors, month factors, route owners and, for each visit
    service, the channel probabilities for the network ``net`` of that month.
    """
    world, choice_params = model.world, model.params.choice
    share = cells.presence_shares(
        plan.table, world.seasonal.presence, month, choice_params.remote_presence_factor
    )
    owner = channels.route_owner(model.mobile_routes, month, world.zones.ids, world.service_ids)
    probs = []
    for s, service in enumerate(world.services):
        if service.demand_type != "visits":
            probs.append(None)
            continue
        avail = channels.availability(
            service, owner[:, s] >= 0, model.digital_channels.get(service.id)
        )
        probs.append(_channel_probabilities(model, avail, net.nearest(s).reshape(-1, 2)))
    return demand.MonthDemand(
        month=month,
        share=share,
        weekday=model.segment_params["weekday"][:, month - 1],
        month_factors=np.array([svc.month_factors[month - 1] for svc in world.services]),
        owner=owner,
        probs=tuple(probs),
    )


def serve_month(model: ServiceModel, month: int) -> np.ndarray:
    """Simulate calendar ``month`` of ``model`` and record it; returns the loads.

    Returns
    -------
    ndarray of int, shape (facility, service)
        Demand served at each facility.
    """
    world, rec = model.world, model.recorder
    t, streams = model.month_index, model.streams
    plan = cell_plan(model)
    net = network(model, month)
    inputs = month_demand(model, plan, month, net)
    share, owner = inputs.share, inputs.owner
    present = cellplan.draw_presence(plan, share, streams["presence"])
    rec.data["population"][t] = cellplan.population(plan, present)
    drawn = [
        demand.draw(plan, s, inputs, present, streams["demand"], streams["channel_split"])
        for s in range(len(world.services))
    ]
    visits = np.stack(drawn)  # service, zone, kind, 75+, car, digital, channel
    requests = visits[..., MOBILE].sum(axis=(2, 3, 5))  # service, zone, car
    by_van = channels.allocate_mobile(requests, owner, model.mobile_routes, streams["channels"])
    loads = np.zeros_like(net.capacity)
    for s in range(len(world.services)):
        loads[:, s] = _serve_service(
            model, t, s, visits[s], requests[s] - by_van[s], by_van[s], net
        )
        _record_access(model, t, s, plan, share, net)
    model.zone_records.flush(t)
    rec.data["demand_kind"][t] = visits.sum(axis=(1, 3, 4, 5, 6)).T
    rec.data["load"][t] = loads
    rec.data["capacity"][t] = net.capacity
    rec.data["facility_open"][t] = net.is_open
    return loads


def _serve_service(
    model: ServiceModel,
    t: int,
    s: int,
    visits: np.ndarray,
    spill: np.ndarray,
    by_van: np.ndarray,
    net: Network,
) -> np.ndarray:
    """Allocate one service's in-person demand to facilities and record the outcome."""
    rec, params = model.recorder.data, model.params
    service = model.world.services[s]
    stock = service.demand_type == "enrolment"
    free = model.queues.free_capacity(s, net.capacity[:, s], stock)
    in_person = visits[..., IN_PERSON]  # zone, kind, 75+, car, digital
    row_demand = (in_person.sum(axis=(1, 2, 4)) + spill).ravel()  # row = 2 * zone + car
    if not stock:
        alloc = choice.logit_allocate(
            row_demand,
            free,
            net.minutes,
            net.offers[:, s],
            params.choice.beta_per_minute,
            params.choice.choice_set,
            model.streams["choice"],
            order=net.order("minutes", s),
        )
    else:
        order = net.order("km", s)
        alloc = choice.allocate(row_demand, free, order, net.minutes, model.streams["choice"])
    n_z = visits.shape[0]
    served_rows = alloc.served_zone.reshape(n_z, 2)
    q, lost_facility, lost_zone = _queue(model, t, s, row_demand, alloc, net, stock)
    model.zone_records.record_queue(
        s, alloc, row_demand, q, model.queue_records.data["within_standard"][t, :, s],
        model.cache.geometry[0], in_person + visits[..., MOBILE],
    )  # fmt: skip
    zone_demand = visits.sum(axis=(1, 2, 3, 4, 5))
    rec["demand_zone"][t, :, s] = zone_demand
    rec["served_zone"][t, :, s] = zone_demand - lost_zone
    rec["unmet_zone"][t, :, s] = lost_zone
    rec["travel_minutes"][t, :, s] = alloc.travel_minutes.reshape(n_z, 2).sum(axis=1)
    has = alloc.first_choice >= 0
    n_fac = net.capacity.shape[0]
    demand_f = np.bincount(alloc.first_choice[has], weights=row_demand[has], minlength=n_fac)
    rec["demand"][t, :, s] = demand_f
    rec["served"][t, :, s] = demand_f - lost_facility
    rec["unmet"][t, :, s] = lost_facility
    rec["visits_channel"][t, s] = [
        q.served.sum(),
        by_van.sum(),
        visits[..., DIGITAL].sum(),
        visits[..., PHONE].sum() + q.switched.sum(),
    ]
    means = access.mean_travel_by_group(
        in_person, row_demand.reshape(n_z, 2), served_rows, alloc.travel_minutes.reshape(n_z, 2)
    )
    rec["mean_travel_minutes"][t, s] = means
    rec["equity_gap"][t, s] = access.equity_gaps(means)
    if service.id == params.school_service and alloc.flows is not None:
        far = np.take_along_axis(net.km, alloc.order, axis=1) > model.school_transport_km
        rec["pupils_over_transport_km"][t] = int((alloc.flows * far).sum())
    return q.served


def _queue(model: ServiceModel, t: int, s: int, row_demand, alloc, net: Network, stock: bool):
    """Advance service ``s``'s queues and record them (:mod:`simulation.queues`).

    Returns the queue month, the demand lost by facility (balked and not switched) and
    by home zone: the facilities' losses spread over the zones in proportion to their
    queued demand, plus the demand of zones that no facility offers the service to.
    """
    n_fac, n_z = net.capacity.shape[0], row_demand.size // 2
    unserved = row_demand - alloc.served_zone
    has = alloc.first_choice >= 0
    queued = np.bincount(alloc.first_choice[has], weights=unserved[has], minlength=n_fac)
    rule = model.world.services[s].waiting
    q = model.queues.step(s, net.capacity[:, s], alloc.load, queued.astype(np.int64), rule, stock)
    within = model.standards.within(s, model.date, q, rule)
    model.queue_records.record(t, s, q, within)
    lost = q.balked - q.switched
    by_zone = np.where(has, unserved, 0).reshape(n_z, 2).sum(axis=1)
    lost_zone = queues.spread(int(lost.sum()), by_zone)
    lost_zone += np.where(has, 0, unserved).reshape(n_z, 2).sum(axis=1)
    return q, lost, lost_zone


def _record_access(
    model: ServiceModel, t: int, s: int, plan: cellplan.CellPlan, share: np.ndarray, net: Network
) -> None:
    """Record 20-minute coverage, Gini and Palma of travel time to the nearest facility.

    Weights are the eligible persons present by (zone, car), for the service and by
    zone; by population group too when an access standard is in force.
    """
    rec = model.recorder.data
    weights = cellplan.eligible_by_row(plan, s, share)
    nearest = net.nearest(s).reshape(weights.shape)
    rec["share_within_20min"][t, s] = access.share_within(weights, nearest)
    gini, palma = access.gini_palma(nearest, weights)
    rec["gini_access"][t, s] = gini
    rec["palma_access"][t, s] = palma
    by_cell = None
    if model.standards.limit(s, model.date, "access_minutes") is not None:
        cache = model.zone_records.cell_cache
        by_cell = zone_records.eligible_cells(plan.table, s, share, cache)
    model.zone_records.record_access(s, weights, nearest, by_cell)
