"""The base of every network change, and the helpers operations share.

:class:`NetworkChange` (decided, lead time, one-off cost, origin; ``effective`` month),
field metadata (:func:`ref`) and month arithmetic, and the edits of facilities that
several operations make (capacity with its fixed cost, transfer of services). The
operations themselves are in :mod:`scenarios.changes.operations`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulation.facilities import Facility
from simulation.protocols import NetworkView

#: Twelve calendar months, January first.
ALL_MONTHS: tuple[int, ...] = tuple(range(1, 13))


def ref(kind: str, **extra: Any) -> dict[str, Any]:
    """Field metadata: what a field refers to (validated by ``scenarios.changes.scenario``)."""
    return {"kind": kind, **extra}


def add_months(month: str, n: int) -> str:
    """Month ``n`` months after ``month`` (``YYYY-MM``).

    Examples
    --------
    >>> add_months("2026-11", 3)
    '2027-02'
    """
    year, mon = int(month[:4]), int(month[5:7])
    k = year * 12 + mon - 1 + int(n)
    return f"{k // 12}-{k % 12 + 1:02d}"


@dataclass(frozen=True, kw_only=True)
class NetworkChange:
    """Base of all network changes.

    Parameters
    ----------
    decided : str
        Month of the decision, ``YYYY-MM``.
    lead_time_months : int
        Months from decision to effect (building, staffing, notice), >= 0.
    one_off_cost_eur : float
        One-off cost of the change, EUR, booked in the month it takes effect.
    origin : str
        Who scheduled it: ``scenario`` or ``strategy:<name>``.
    """

    decided: str = field(metadata=ref("month"))
    lead_time_months: int = field(default=0, metadata=ref("count"))
    one_off_cost_eur: float = field(default=0.0, metadata=ref("amount"))
    origin: str = "scenario"

    op_name = "op"

    @property
    def effective(self) -> str:
        """First month in which the change is in effect: ``decided`` + lead time."""
        return add_months(self.decided, self.lead_time_months)

    @property
    def target(self) -> str:
        """The facility, route or service the change is about (for results)."""
        return str(getattr(self, "facility", getattr(self, "id", "")))

    def new_facilities(self) -> tuple[dict[str, Any], ...]:
        """Facilities this change creates (declared up front, out of the network until then)."""
        return ()

    def apply(self, model: NetworkView) -> None:  # pragma: no cover - abstract
        """Change the model's network."""
        raise NotImplementedError


def facility(model: NetworkView, facility_id: str) -> Facility:
    """Return the live facility agent with id ``facility_id``."""
    return next(f for f in model.facilities if f.facility_id == facility_id)


def unit_cost(model: NetworkView, service_index: int) -> float:
    """Yearly fixed cost (EUR) of one unit of monthly capacity of a service."""
    costs = model.capacity_unit_cost_eur_per_year
    return float(costs.get(model.world.service_ids[service_index], 0.0))


def set_capacity(model: NetworkView, fac: Facility, s: int, capacity: float) -> None:
    """Set one service's capacity and move the fixed cost with it."""
    fac.fixed_cost_eur_per_year += (capacity - fac.capacity[s]) * unit_cost(model, s)
    fac.capacity[s] = capacity
    fac.offered[s] = capacity > 0  # zero capacity: the facility stops offering the service


def transfer(model: NetworkView, source: Facility, target: Facility, share: float) -> None:
    """Close ``source``; ``target`` offers its services and gains ``share`` of its capacity.

    A facility has one cost per unit served, so the target's becomes the average of
    both weighted by their capacities (the moved services keep roughly their unit cost).
    """
    moved, kept = share * source.capacity.sum(), target.capacity.sum()
    if moved + kept > 0:
        target.cost_per_visit_eur = (
            moved * source.cost_per_visit_eur + kept * target.cost_per_visit_eur
        ) / (moved + kept)
    for s in np.flatnonzero(source.offered):
        set_capacity(model, target, s, target.capacity[s] + share * source.capacity[s])
        target.offered[s] = True
    source.in_network = False
