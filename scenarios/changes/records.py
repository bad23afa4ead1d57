"""The record of applied network changes, as variables along a ``change`` dimension."""

from __future__ import annotations

import numpy as np
import xarray as xr

from scenarios.changes.costs import CostSettings, add_costs
from scenarios.changes.operations import add_months
from simulation.model import ServiceModel

#: name -> (attribute of the change, long_name)
FIELDS: dict[str, tuple[str, str]] = {
    "change_op": ("op_name", "operation"),
    "change_target": ("target", "facility, route, service or rule changed"),
    "change_origin": ("origin", "who scheduled it: scenario or strategy:<name>"),
    "change_decided": ("decided", "month of the decision (YYYY-MM)"),
    "change_effective": ("effective", "decided + lead time (YYYY-MM)"),
}


def change_records(model: ServiceModel) -> xr.Dataset:
    """One entry per applied change, in the order applied.

    Returns
    -------
    xarray.Dataset
        Dim ``change``: ``change_op``, ``change_target``, ``change_origin``,
        ``change_decided``, ``change_effective``, ``change_applied`` (month the model
        applied it, ``YYYY-MM``), ``change_lead_time_months`` and
        ``change_one_off_cost_eur``.
    """
    applied = model.applied_changes
    data: dict[str, tuple] = {}
    for name, (attr, long_name) in FIELDS.items():
        values = np.array([str(getattr(c, attr, "")) for _, c in applied], dtype=str)
        data[name] = ("change", values, {"long_name": long_name})
    months = [f"{model.start_year + t // 12}-{t % 12 + 1:02d}" for t, _ in applied]
    data["change_applied"] = (
        "change",
        np.array(months, dtype=str),
        {"long_name": "month in which the model applied the change (YYYY-MM)"},
    )
    data["change_lead_time_months"] = (
        "change",
        np.array([int(getattr(c, "lead_time_months", 0)) for _, c in applied], dtype=np.int64),
        {"units": "months", "long_name": "lead time from decision to effect"},
    )
    data["change_one_off_cost_eur"] = (
        "change",
        np.array([float(getattr(c, "one_off_cost_eur", 0.0)) for _, c in applied]),
        {"units": "EUR", "long_name": "one-off cost of the change"},
    )
    data.update(decision_calendar(model))
    return xr.Dataset(data, coords={"change": np.arange(len(applied), dtype=np.int64)})


def decision_calendar(model: ServiceModel) -> dict[str, tuple]:
    """Each applied change's decide-by month, services and the standards it protects.

    The decide-by month is the effective month minus the lead time (the last month in
    which the change can be decided and still take effect when it does).
    """
    applied = [c for _, c in model.applied_changes]
    decide_by = [add_months(c.effective, -int(c.lead_time_months)) for c in applied]
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


def _services_of(change, model: ServiceModel) -> tuple[str, ...]:
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


def network_results(ds: xr.Dataset, model: ServiceModel, costs: CostSettings) -> xr.Dataset:
    """Return ``ds`` with the applied changes and the cost variables of the run."""
    return xr.merge([add_costs(ds, model, costs), change_records(model)], combine_attrs="override")
