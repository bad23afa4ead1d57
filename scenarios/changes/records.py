"""The record of applied network changes, as variables along a ``change`` dimension."""

from __future__ import annotations

import numpy as np
import xarray as xr

from scenarios.changes.costs import CostSettings, add_costs
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
    return xr.Dataset(data, coords={"change": np.arange(len(applied), dtype=np.int64)})


def network_results(ds: xr.Dataset, model: ServiceModel, costs: CostSettings) -> xr.Dataset:
    """Return ``ds`` with the applied changes and the cost variables of the run."""
    return xr.merge([add_costs(ds, model, costs), change_records(model)], combine_attrs="override")
