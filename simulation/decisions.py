"""The decision calendar: when each applied network change must be decided, and why.

For every applied change: the decide-by month (its effective month minus its lead
time: the last month in which it can be decided and still take effect when it does),
the services it affects and the service standards in force when it takes effect
(:mod:`simulation.standards`). :func:`simulation.results.change_dataset` adds these
to the ``change`` dimension of a run's results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from simulation.model import ServiceModel


def months_before(month: str, n: int) -> str:
    """Month ``n`` months before ``month`` (``YYYY-MM``).

    Examples
    --------
    >>> months_before("2027-02", 3)
    '2026-11'
    """
    year, mon = int(month[:4]), int(month[5:7])
    k = year * 12 + mon - 1 - int(n)
    return f"{k // 12}-{k % 12 + 1:02d}"


def decision_calendar(model: ServiceModel) -> dict[str, tuple]:
    """Each applied change's decide-by month, services and the standards it protects.

    Returns
    -------
    dict
        ``change_decide_by``, ``change_services`` and ``change_protects``, each as
        ``("change", values, attrs)``.
    """
    applied = [c for _, c in model.applied_changes]
    decide_by = [months_before(c.effective, int(c.lead_time_months)) for c in applied]
    services = [_services_of(c, model) for c in applied]
    protects = [
        "; ".join(_standards_of(s, c.effective, model) for s in svc) or "none"
        for svc, c in zip(services, applied, strict=True)
    ]
    return {
        "change_decide_by": (
            "change",
            np.array(decide_by, dtype=str),
            {"long_name": "decide-by month: effective month minus lead time (YYYY-MM)"},
        ),
        "change_services": (
            "change",
            np.array([",".join(s) for s in services], dtype=str),
            {"long_name": "services the change affects"},
        ),
        "change_protects": (
            "change",
            np.array(protects, dtype=str),
            {"long_name": "service standards in force when the change takes effect"},
        ),
    }


def _services_of(change: Any, model: ServiceModel) -> tuple[str, ...]:
    """Return the services a change is about: its fields, else its facility's services."""
    if getattr(change, "service", None):
        return (str(change.service),)
    if getattr(change, "services", None):
        return tuple(str(s) for s in change.services)
    if isinstance(getattr(change, "capacity", None), dict):
        return tuple(str(s) for s in change.capacity)
    ids = [str(getattr(change, k, "")) for k in ("facility", "into", "target")]
    for fac in model.facilities:
        if fac.facility_id in ids:
            return tuple(
                s for s, on in zip(model.world.service_ids, fac.offered, strict=True) if on
            )
    return ()


def _standards_of(service: str, month: str, model: ServiceModel) -> str:
    rows = [s for s in model.world.standards if s.service == service and s.in_force(month)]
    return "; ".join(f"{service} {s.measure} {s.limit:g} ({s.status}: {s.source})" for s in rows)
