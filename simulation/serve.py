"""One month of service use: demand by channel, vans, facility choice, records.

Phases, each in its own module: presence (``cells``), demand by channel (``demand``,
``channels``), van capacity (``channels``), facility choice (``choice``), access and
equity (``access``). This module wires them for one month and writes the recorder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from simulation import access, cells, channels, choice, demand
from simulation.channels import DIGITAL, IN_PERSON, MOBILE, PHONE

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
    """

    capacity: np.ndarray
    offers: np.ndarray
    minutes: np.ndarray
    km: np.ndarray
    minutes_order: np.ndarray
    km_order: np.ndarray
    _orders: dict = field(default_factory=dict, repr=False)

    def order(self, by: str, s: int) -> np.ndarray:
        """Facilities offering service ``s`` for each row, nearest first ``by`` minutes or km.

        Services offered by the same facilities share one computation.
        """
        key = (by, self.offers[:, s].tobytes())
        if key not in self._orders:
            full = self.minutes_order if by == "minutes" else self.km_order
            self._orders[key] = choice.restrict_order(full, self.offers[:, s])
        return self._orders[key]


def network(model: ServiceModel, month: int) -> Network:
    """Read the facilities' state for calendar ``month`` (1-12)."""
    facs = model.facilities
    n_s = len(model.world.services)
    capacity = np.array([f.available(month) for f in facs]).reshape(len(facs), n_s)
    is_open = np.array([f.in_network and f.open_months[month - 1] for f in facs], dtype=bool)
    offers = np.array([f.offers() for f in facs]).reshape(len(facs), n_s) & is_open[:, None]
    minutes, km, minutes_order, km_order = _geometry(model)
    return Network(capacity, offers, minutes, km, minutes_order, km_order)


def _geometry(model: ServiceModel) -> tuple[np.ndarray, ...]:
    """Travel from origin rows to facilities, and its sort orders; cached by facility zones.

    Recomputed only when a facility's zone changes (e.g. a relocation).
    """
    fz = np.array([f.zone for f in model.facilities], dtype=np.int64)
    cached = getattr(model, "_geometry_cache", None)
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
    model._geometry_cache = (fz, geometry)
    return geometry


def serve_month(model: ServiceModel, month: int) -> np.ndarray:
    """Simulate calendar ``month`` of ``model`` and record it; returns the loads.

    Returns
    -------
    ndarray of int, shape (facility, service)
        Demand served at each facility.
    """
    world, params, rec = model.world, model.params, model.recorder
    t, table, streams = model.month_index, model.cells, model.streams
    share = cells.presence_shares(
        table, world.seasonal.presence, month, params.choice.remote_presence_factor
    )
    present_cells = cells.present(table, share, streams["presence"])
    rec.data["population"][t] = cells.present_by_kind(table, present_cells)
    frac = demand.present_fraction(table, present_cells)
    owner = channels.route_owner(model.mobile_routes, month, world.zones.ids, world.service_ids)
    seg = model.segment_params
    drawn = []
    for s, service in enumerate(world.services):
        if service.demand_type == "visits":
            avail = channels.availability(
                service, owner[:, s] >= 0, model.digital_channels.get(service.id)
            )
            probs = channels.channel_probabilities(
                avail, seg["channels"], params.choice.channel_loyalty
            )
            drawn.append(
                demand.draw_visits(
                    table, s, service, month, frac, seg["demand"], probs, streams["demand"]
                )
            )
        else:
            drawn.append(demand.draw_enrolment(table, s, service, month, share, streams["demand"]))
    visits = np.stack(drawn)  # service, zone, kind, 75+, car, digital, channel
    requests = visits[..., MOBILE].sum(axis=(2, 3, 5))  # service, zone, car
    by_van = channels.allocate_mobile(requests, owner, model.mobile_routes, streams["channels"])
    net = network(model, month)
    eligible = demand.eligible_present(table, share)  # service, zone, kind, 75+, car, digital
    loads = np.zeros_like(net.capacity)
    for s in range(len(world.services)):
        loads[:, s] = _serve_service(
            model, t, s, visits[s], requests[s] - by_van[s], by_van[s], net
        )
        _record_access(model, t, s, visits[s], eligible[s], net)
    rec.data["demand_kind"][t] = visits.sum(axis=(1, 3, 4, 5, 6)).T
    rec.data["load"][t] = loads
    rec.data["capacity"][t] = net.capacity
    rec.data["facility_open"][t] = [
        f.in_network and f.open_months[month - 1] for f in model.facilities
    ]
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
    in_person = visits[..., IN_PERSON]  # zone, kind, 75+, car, digital
    row_demand = (in_person.sum(axis=(1, 2, 4)) + spill).ravel()  # row = 2 * zone + car
    if service.demand_type == "visits":
        alloc = choice.logit_allocate(
            row_demand,
            net.capacity[:, s],
            net.minutes,
            net.offers[:, s],
            params.choice.beta_per_minute,
            params.choice.choice_set,
            model.streams["choice"],
            order=net.order("minutes", s),
        )
    else:
        order = net.order("km", s)
        alloc = choice.allocate(
            row_demand, net.capacity[:, s], order, net.minutes, model.streams["choice"]
        )
    n_z = visits.shape[0]
    served_rows = alloc.served_zone.reshape(n_z, 2)
    remote = visits[..., DIGITAL] + visits[..., PHONE]  # always served: no capacity limit
    zone_demand = visits.sum(axis=(1, 2, 3, 4, 5))
    zone_served = served_rows.sum(axis=1) + by_van.sum(axis=1) + remote.sum(axis=(1, 2, 3, 4))
    rec["demand_zone"][t, :, s] = zone_demand
    rec["served_zone"][t, :, s] = zone_served
    rec["unmet_zone"][t, :, s] = zone_demand - zone_served
    rec["travel_minutes"][t, :, s] = alloc.travel_minutes.reshape(n_z, 2).sum(axis=1)
    has = alloc.first_choice >= 0
    n_fac = net.capacity.shape[0]
    for name, values in (
        ("demand", row_demand),
        ("served", alloc.served_zone),
        ("unmet", row_demand - alloc.served_zone),
    ):
        rec[name][t, :, s] = np.bincount(
            alloc.first_choice[has], weights=values[has], minlength=n_fac
        )
    rec["visits_channel"][t, s] = [
        alloc.load.sum(),
        by_van.sum(),
        visits[..., DIGITAL].sum(),
        visits[..., PHONE].sum(),
    ]
    means = access.mean_travel_by_group(
        in_person, row_demand.reshape(n_z, 2), served_rows, alloc.travel_minutes.reshape(n_z, 2)
    )
    rec["mean_travel_minutes"][t, s] = means
    rec["equity_gap"][t, s] = access.equity_gaps(means)
    if service.id == params.school_service and alloc.flows is not None:
        far = net.km > model.school_transport_km
        rec["pupils_over_transport_km"][t] = int((alloc.flows * far).sum())
    return alloc.load


def _record_access(
    model: ServiceModel, t: int, s: int, visits: np.ndarray, eligible: np.ndarray, net: Network
) -> None:
    """Record 20-minute coverage, Gini and Palma of travel time to the nearest facility."""
    rec = model.recorder.data
    n_z = visits.shape[0]
    order = net.order("minutes", s)[:, :1]
    if order.shape[1]:
        nearest = np.take_along_axis(net.minutes, order, axis=1).reshape(n_z, 2)
    else:
        nearest = np.full((n_z, 2), np.inf)
    weights = eligible.sum(axis=(1, 2, 4))  # zone, car
    rec["share_within_20min"][t, s] = access.share_within(weights, nearest)
    gini, palma = access.gini_palma(nearest, weights)
    rec["gini_access"][t, s] = gini
    rec["palma_access"][t, s] = palma
