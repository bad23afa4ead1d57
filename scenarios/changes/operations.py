"""Network change operations: dated, with a lead time and a one-off cost.

Every operation is decided in a month (``decided``, ``YYYY-MM``) and takes effect
``lead_time_months`` later (:attr:`NetworkChange.effective`); the model applies it in the first
month at or after ``effective`` and never before. Each field's metadata says what it
refers to (a facility, a zone, a service, ...), which is what
:mod:`scenarios.changes.scenario` checks before any simulation runs.

Capacity changes also change the facility's fixed cost by the capacity difference
times the yearly cost of one unit of monthly capacity of the service
(``capacity_unit_cost_eur_per_year`` of the model, given to it from the run's cost
settings). A change sees the model only through
:class:`~simulation.protocols.NetworkView`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scenarios.changes.base import (
    ALL_MONTHS,
    NetworkChange,
    add_months,
    facility,
    ref,
    set_capacity,
    transfer,
)
from simulation.protocols import NetworkView
from simulation.world import DigitalChannel, MobileRoute

__all__ = [
    "ALL_MONTHS",
    "OPERATIONS",
    "AddDigitalChannel",
    "AddMobileRoute",
    "Close",
    "CoLocate",
    "Merge",
    "NetworkChange",
    "Open",
    "OpenSeasonally",
    "Relocate",
    "Resize",
    "SchoolTransportRule",
    "add_months",
]


@dataclass(frozen=True, kw_only=True)
class Open(NetworkChange):
    """Open a new facility in a zone (capacity per service, opening months, costs).

    ``fixed_cost_eur_per_year`` defaults to the capacity times the services' unit
    costs (set by :func:`scenarios.changes.build_scenario`).
    """

    id: str = field(metadata=ref("new_facility"))
    zone: str = field(metadata=ref("zone"))
    capacity: dict[str, float] = field(metadata=ref("capacities"))
    name: str = ""
    open_months: tuple[int, ...] = field(default=ALL_MONTHS, metadata=ref("months"))
    fixed_cost_eur_per_year: float | None = field(default=None, metadata=ref("amount"))
    cost_per_visit_eur: float = field(default=0.0, metadata=ref("amount"))

    op_name = "open"

    def new_facilities(self) -> tuple[dict[str, Any], ...]:
        """Return the facility to declare, as ``FacilitySpec`` fields (zone as an id)."""
        return (
            {
                "id": self.id,
                "name": self.name or self.id,
                "zone": self.zone,
                "capacity": dict(self.capacity),
                "open_months": tuple(self.open_months),
                "fixed_cost_eur_per_year": self.fixed_cost_eur_per_year or 0.0,
                "cost_per_visit_eur": self.cost_per_visit_eur,
            },
        )

    def apply(self, model: NetworkView) -> None:
        """Bring the declared facility into the network with its capacity."""
        fac = facility(model, self.id)
        for service, capacity in self.capacity.items():
            set_capacity(model, fac, model.world.service_ids.index(service), float(capacity))
        fac.open_months[:] = np.isin(np.arange(1, 13), self.open_months)
        if self.fixed_cost_eur_per_year is not None:
            fac.fixed_cost_eur_per_year = float(self.fixed_cost_eur_per_year)
        fac.in_network = True


@dataclass(frozen=True, kw_only=True)
class Close(NetworkChange):
    """Close a facility for good; its users re-choose (or are counted unmet)."""

    facility: str = field(metadata=ref("facility"))

    op_name = "close"

    def apply(self, model: NetworkView) -> None:
        """Take the facility out of the network."""
        facility(model, self.facility).in_network = False


@dataclass(frozen=True, kw_only=True)
class Merge(NetworkChange):
    """Merge ``facility`` into ``into``: the source closes, its users go to the target.

    The target offers the source's services and gains ``capacity_share`` of its
    capacity (1 = all capacity moves, 0 = none is added); its fixed cost moves with
    the capacity, plus ``fixed_cost_change_eur_per_year`` (negative = a saving, e.g.
    one building less).
    """

    facility: str = field(metadata=ref("facility"))
    into: str = field(metadata=ref("facility"))
    capacity_share: float = field(default=1.0, metadata=ref("share"))
    fixed_cost_change_eur_per_year: float = field(default=0.0, metadata=ref("number"))

    op_name = "merge"

    def apply(self, model: NetworkView) -> None:
        """Transfer services and capacity, then close the source."""
        facility(model, self.into).fixed_cost_eur_per_year += self.fixed_cost_change_eur_per_year
        transfer(
            model, facility(model, self.facility), facility(model, self.into), self.capacity_share
        )


@dataclass(frozen=True, kw_only=True)
class Resize(NetworkChange):
    """Set a facility's capacity for one service (service units per month).

    The facility starts offering the service if it did not; at capacity 0 it stops.
    """

    facility: str = field(metadata=ref("facility"))
    service: str = field(metadata=ref("service"))
    capacity: float = field(metadata=ref("capacity"))

    op_name = "resize"

    def apply(self, model: NetworkView) -> None:
        """Set the new capacity."""
        s = model.world.service_ids.index(self.service)
        set_capacity(model, facility(model, self.facility), s, float(self.capacity))


@dataclass(frozen=True, kw_only=True)
class Relocate(NetworkChange):
    """Move a facility to another zone: a new facility ``new_id`` takes over its services.

    The new facility (declared up front, id ``<facility>@<zone>`` unless given) gets
    the old one's live capacity, opening months and costs; the old one closes.
    """

    facility: str = field(metadata=ref("facility"))
    zone: str = field(metadata=ref("zone"))
    new_id: str = field(default="", metadata=ref("new_facility"))

    op_name = "relocate"

    @property
    def relocated_id(self) -> str:
        """Id of the facility at the new site."""
        return self.new_id or f"{self.facility}@{self.zone}"

    def new_facilities(self) -> tuple[dict[str, Any], ...]:
        """Return the new site's facility (services copied from the old one when applied)."""
        return (
            {
                "id": self.relocated_id,
                "name": f"{self.facility} (relocated to {self.zone})",
                "zone": self.zone,
                "capacity": {},
                "like": self.facility,
            },
        )

    def apply(self, model: NetworkView) -> None:
        """Copy the live facility to the new site and close the old one."""
        old, new = facility(model, self.facility), facility(model, self.relocated_id)
        new.capacity[:] = old.capacity
        new.offered[:] = old.offered
        new.open_months[:] = old.open_months
        new.fixed_cost_eur_per_year = old.fixed_cost_eur_per_year
        new.cost_per_visit_eur = old.cost_per_visit_eur
        new.in_network = True
        old.in_network = False


@dataclass(frozen=True, kw_only=True)
class OpenSeasonally(NetworkChange):
    """Open a facility only in the given calendar months (1-12)."""

    facility: str = field(metadata=ref("facility"))
    months: tuple[int, ...] = field(metadata=ref("months"))

    op_name = "open_seasonally"

    def apply(self, model: NetworkView) -> None:
        """Set the opening months."""
        fac = facility(model, self.facility)
        fac.open_months[:] = np.isin(np.arange(1, 13), self.months)


@dataclass(frozen=True, kw_only=True)
class CoLocate(NetworkChange):
    """Co-locate the services of ``facilities`` into the one-stop service point ``into``.

    Each source closes; the one-stop point offers its services with
    ``capacity_share`` of its capacity; ``fixed_cost_change_eur_per_year`` is added to
    its fixed cost (negative = the saving of shared premises).
    """

    facilities: tuple[str, ...] = field(metadata=ref("facilities"))
    into: str = field(metadata=ref("facility"))
    capacity_share: float = field(default=1.0, metadata=ref("share"))
    fixed_cost_change_eur_per_year: float = field(default=0.0, metadata=ref("number"))

    op_name = "co_locate"

    @property
    def target(self) -> str:
        """The one-stop service point."""
        return self.into

    def apply(self, model: NetworkView) -> None:
        """Transfer each source into the one-stop point."""
        target = facility(model, self.into)
        target.fixed_cost_eur_per_year += self.fixed_cost_change_eur_per_year
        for fid in self.facilities:
            transfer(model, facility(model, fid), target, self.capacity_share)


@dataclass(frozen=True, kw_only=True)
class SchoolTransportRule(NetworkChange):
    """Change the distance (km) over which pupils get free school transport."""

    km: float = field(metadata=ref("positive"))

    op_name = "school_transport"

    @property
    def target(self) -> str:
        """The rule changed."""
        return "school_transport_km"

    def apply(self, model: NetworkView) -> None:
        """Set ``model.school_transport_km``."""
        model.school_transport_km = float(self.km)


@dataclass(frozen=True, kw_only=True)
class AddMobileRoute(NetworkChange):
    """Add (or replace, same ``id``) a mobile service route: a van visiting zones.

    ``capacity_per_month`` is in visits per running month, all services and zones
    together; ``cost_eur_per_year`` is booked as ``mobile_cost`` while the route runs.
    """

    id: str = field(metadata=ref("route"))
    services: tuple[str, ...] = field(metadata=ref("services"))
    zones: tuple[str, ...] = field(metadata=ref("zones"))
    months: tuple[int, ...] = field(default=ALL_MONTHS, metadata=ref("months"))
    days_per_month: int = field(default=4, metadata=ref("count"))
    capacity_per_month: float = field(metadata=ref("capacity"))
    cost_eur_per_year: float = field(metadata=ref("amount"))

    op_name = "add_mobile_route"

    @property
    def route(self) -> MobileRoute:
        """The route as the simulation's type."""
        return MobileRoute(
            id=self.id,
            services=tuple(self.services),
            zones=tuple(str(z) for z in self.zones),
            months=tuple(m in self.months for m in ALL_MONTHS),
            days_per_month=int(self.days_per_month),
            capacity_per_month=float(self.capacity_per_month),
            cost_eur_per_year=float(self.cost_eur_per_year),
        )

    def apply(self, model: NetworkView) -> None:
        """Put the route on ``model.mobile_routes`` (replacing one with the same id)."""
        routes = [r for r in model.mobile_routes if r.id != self.id]
        model.mobile_routes[:] = [*routes, self.route]


@dataclass(frozen=True, kw_only=True)
class AddDigitalChannel(NetworkChange):
    """Add or upgrade the digital channel (e-service) of a service.

    ``adoption`` (0-1) multiplies the share of digitally able persons who use it; an
    upgrade is the same op with a higher adoption.
    """

    service: str = field(metadata=ref("service"))
    adoption: float = field(default=1.0, metadata=ref("share"))

    op_name = "add_digital_channel"

    @property
    def target(self) -> str:
        """The service whose channel changes."""
        return self.service

    def apply(self, model: NetworkView) -> None:
        """Set ``model.digital_channels[service]``."""
        model.digital_channels[self.service] = DigitalChannel(self.service, float(self.adoption))


#: Operation name (as written in scenario files) -> class.
OPERATIONS: dict[str, type[NetworkChange]] = {
    cls.op_name: cls
    for cls in (
        Open,
        Close,
        Merge,
        Resize,
        Relocate,
        OpenSeasonally,
        CoLocate,
        SchoolTransportRule,
        AddMobileRoute,
        AddDigitalChannel,
    )
}
