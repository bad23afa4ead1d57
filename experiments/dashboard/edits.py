"""The edits a click in the dashboard makes, as network changes in the scenario-file format.

Each function takes a :class:`~experiments.dashboard.plan.Plan` and returns a new one
whose ``edits`` hold the change (the plan itself is not modified). The changes are the
scenario operations of :mod:`scenarios.changes.operations` (``close``, ``resize``,
``open_seasonally``, ``open``, ``add_mobile_route``, ``add_digital_channel``): there is
no separate model of the network. A repeated edit of the same thing replaces the
earlier one (a second capacity for the same facility and service, another set of
opening months...), so the plan stays short.

Every edit is decided in ``month`` (``YYYY-MM``, by default the first simulated month)
with no lead time: the workshop sees its effect from that month on.

Examples
--------
>>> from experiments.dashboard.plan import Plan
>>> plan = close(Plan(), "sysma_library", "2024-01")
>>> plan.edits
({'op': 'close', 'facility': 'sysma_library', 'decided': '2024-01'},)
>>> reopen(plan, "sysma_library").edits
()
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from experiments.dashboard.plan import Plan

__all__ = [
    "VAN",
    "add_digital_channel",
    "add_van_stop",
    "close",
    "closed_by_edits",
    "open_facility",
    "remove_edit",
    "reopen",
    "resize",
    "set_open_months",
]

#: The dashboard's van: one route whose stops the workshop adds zone by zone. Its size
#: and cost are the shipped ``health_to_one_stop_plus_van`` scenario's ESTIMATES (no
#: source): about 50 visits a day, 8 days a month, 150,000 EUR a year.
VAN: Mapping[str, Any] = {
    "id": "workshop_van",
    "days_per_month": 8,
    "capacity_per_month": 400,
    "cost_eur_per_year": 150000,
}


def _without(plan: Plan, drop: Callable[[Mapping[str, Any]], bool]) -> tuple[dict, ...]:
    return tuple(e for e in plan.edits if not drop(e))


def _with(plan: Plan, edit: dict[str, Any], drop: Callable[[Mapping[str, Any]], bool]) -> Plan:
    return plan.replace(edits=(*_without(plan, drop), edit))


def close(plan: Plan, facility: str, month: str) -> Plan:
    """Close ``facility`` from ``month`` on (its users re-choose or are counted unmet)."""
    edit = {"op": "close", "facility": facility, "decided": month}
    return _with(plan, edit, lambda e: e["op"] == "close" and e["facility"] == facility)


def closed_by_edits(plan: Plan) -> set[str]:
    """Facilities the dashboard's edits close."""
    return {e["facility"] for e in plan.edits if e["op"] == "close"}


def reopen(plan: Plan, facility: str) -> Plan:
    """Undo the dashboard's closing of ``facility`` (a scenario's own closings stay)."""
    return plan.replace(
        edits=_without(plan, lambda e: e["op"] == "close" and e["facility"] == facility)
    )


def resize(plan: Plan, facility: str, service: str, capacity: float, month: str) -> Plan:
    """Set ``facility``'s capacity for ``service`` (units a month) from ``month`` on."""
    edit = {
        "op": "resize",
        "facility": facility,
        "service": service,
        "capacity": float(capacity),
        "decided": month,
    }
    same = (facility, service)
    return _with(
        plan, edit, lambda e: e["op"] == "resize" and (e["facility"], e["service"]) == same
    )


def set_open_months(plan: Plan, facility: str, months: Iterable[int], month: str) -> Plan:
    """Open ``facility`` only in the calendar ``months`` (1-12) from ``month`` on."""
    edit = {
        "op": "open_seasonally",
        "facility": facility,
        "months": sorted({int(m) for m in months}),
        "decided": month,
    }
    drop = lambda e: e["op"] == "open_seasonally" and e["facility"] == facility  # noqa: E731
    return _with(plan, edit, drop)


def open_facility(plan: Plan, zone: str, service: str, capacity: float, month: str) -> Plan:
    """Open a new facility offering ``service`` in ``zone`` (fixed cost from the unit costs)."""
    fid = f"workshop_{service}_{zone}"
    edit = {
        "op": "open",
        "id": fid,
        "name": f"Workshop {service} {zone}",
        "zone": str(zone),
        "capacity": {service: float(capacity)},
        "decided": month,
    }
    return _with(plan, edit, lambda e: e["op"] == "open" and e["id"] == fid)


def add_van_stop(plan: Plan, zone: str, services: Iterable[str], month: str) -> Plan:
    """Add a stop in ``zone`` to the workshop van (created on the first stop) for ``services``."""
    old = next((e for e in plan.edits if e["op"] == "add_mobile_route"), None)
    zones = list(old["zones"]) if old else []
    kept = list(old["services"]) if old else []
    edit = {
        "op": "add_mobile_route",
        **VAN,
        "services": sorted({*kept, *services}),
        "zones": [*zones, str(zone)] if str(zone) not in zones else zones,
        "decided": old["decided"] if old else month,
    }
    return _with(plan, edit, lambda e: e["op"] == "add_mobile_route")


def add_digital_channel(plan: Plan, service: str, adoption: float, month: str) -> Plan:
    """Offer ``service`` digitally (``adoption`` 0-1 of the digitally able use it)."""
    edit = {
        "op": "add_digital_channel",
        "service": service,
        "adoption": float(adoption),
        "decided": month,
    }
    drop = lambda e: e["op"] == "add_digital_channel" and e["service"] == service  # noqa: E731
    return _with(plan, edit, drop)


def remove_edit(plan: Plan, index: int) -> Plan:
    """Drop the ``index``-th edit (0-based) of the plan."""
    return plan.replace(edits=tuple(e for i, e in enumerate(plan.edits) if i != index))
