"""The one place a run's ``Dataset`` is assembled.

:func:`run_dataset` builds a run's results from a stepped model: the records of every
month and year (:mod:`simulation.metrics`), utilisation, the labels of zones and
facilities, the network changes applied, then the *parts* computed above the
simulation (costs, the objective, regret: :func:`scenarios.changes.costs.run_results`),
and finally the CF 1.8 attributes of the file.

Why the parts are passed in: costs depend on cost settings and on network-change
types that live in ``scenarios``, one layer up, and the simulation never imports
``scenarios`` (the dependency order is servicesim -> experiments -> scenarios ->
simulation -> forecasting). So the assembly stays here, and each layer above
contributes its variables as a :data:`Part`, a function of the dataset assembled so
far that returns new variables. New results (queues, service standards, ...) are
added the same way, or as records of :mod:`simulation.metrics`.

Conventions (CF 1.8; the full table is in docs/reference/results.md): every variable
has ``units`` (a UDUNITS string) and ``long_name``; counts of persons, visits or
places have units ``1``; money has units ``1`` and ``currency = "EUR"``; ``time`` has
``standard_name = "time"``, ``axis = "T"`` and a calendar; string labels (zone and
facility names) are auxiliary coordinates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from simulation.access import COMPARISONS, GROUPS
from simulation.decisions import decision_calendar
from simulation.metrics import EUR, VARIABLES
from simulation.queue_records import queue_dataset
from simulation.standards import TripRule, assess, standards_dataset
from simulation.trip_zones import with_trip_standard
from simulation.types import AGE_GROUPS, CHANNELS, KINDS
from simulation.zone_dataset import zone_dataset

if TYPE_CHECKING:
    from simulation.model import ServiceModel

#: A contribution to the results: gets the dataset assembled so far, returns new
#: variables by name (``DataArray`` or ``(dims, values, attrs)``), each with ``units``
#: and ``long_name``.
Part = Callable[[xr.Dataset], Mapping[str, Any]]

#: CF version the results follow.
CONVENTIONS = "CF-1.8"
#: Calendar of the ``time`` coordinate (written with units ``days since`` the start).
CALENDAR = "standard"

#: long_name of each label dimension (string coordinates).
LABELS: dict[str, str] = {
    "zone": "zone id (smallest area: postal-code area, village or grid cell)",
    "facility": "facility id",
    "service": "service id",
    "age_group": "age group (years, inclusive)",
    "kind": "resident kind: permanent or seasonal",
    "channel": "service channel",
    "group": "population group of the access measures",
    "comparison": "group comparison of the equity gap: disadvantaged vs advantaged",
}

#: name -> (attribute of the change, long_name) of the applied-change records.
CHANGE_FIELDS: dict[str, tuple[str, str]] = {
    "change_op": ("op_name", "operation"),
    "change_target": ("target", "facility, route, service or rule changed"),
    "change_origin": ("origin", "who scheduled it: scenario or strategy:<name>"),
    "change_decided": ("decided", "month of the decision (YYYY-MM)"),
    "change_effective": ("effective", "decided + lead time (YYYY-MM)"),
}


def package_version() -> str:
    """Installed version of the ``servicesim`` distribution (``unknown`` from a checkout)."""
    try:
        return metadata.version("servicesim")
    except metadata.PackageNotFoundError:
        return "unknown"


def run_dataset(
    model: ServiceModel, parts: Sequence[Part] = (), attrs: Mapping[str, Any] | None = None
) -> xr.Dataset:
    """Assemble the complete results of a stepped model.

    Parameters
    ----------
    model : ServiceModel
        A model stepped to its horizon (:meth:`ServiceModel.run`).
    parts : sequence of Part
        Variables computed above the simulation, in order; each gets the dataset
        assembled so far (records, changes and the earlier parts).
    attrs : mapping, optional
        Run attributes (world, scenario, strategy, the run's spec, ...); they extend
        and may override the defaults (``title``, ``institution``, ...).

    Returns
    -------
    xarray.Dataset
        Dims ``time`` (month), ``year``, ``zone``, ``facility``, ``service``,
        ``age_group``, ``kind``, ``channel``, ``group``, ``comparison``, ``change``;
        every variable with CF attributes; global attributes ``Conventions``,
        ``title``, ``institution``, ``source``, ``history``, ``seed``, ``world``,
        ``start_year``.

    Examples
    --------
    >>> from tests.factories import drifting_path, small_world
    >>> from simulation import ServiceModel
    >>> world = small_world(n_zones=2, residents_per_cell=2)
    >>> model = ServiceModel(world, drifting_path(world, 1), 1, seed=0)
    >>> model.run()
    >>> ds = run_dataset(model)
    >>> ds.attrs["Conventions"], ds["time"].attrs["standard_name"], ds.sizes["time"]
    ('CF-1.8', 'time', 12)
    """
    ds = record_dataset(model)
    ds = ds.merge(service_dataset(model, ds), combine_attrs="override")
    ds = ds.merge(change_dataset(model), combine_attrs="override")
    for part in parts:
        ds = with_variables(ds, part(ds))
    ds.attrs = global_attrs(model) | dict(attrs or {})
    return cf_encoding(ds)


def with_variables(ds: xr.Dataset, variables: Mapping[str, Any]) -> xr.Dataset:
    """Return a copy of ``ds`` with ``variables`` added (refusing any without ``units``)."""
    out = ds.copy()
    for name, value in variables.items():
        out[name] = value
        if "units" not in out[name].attrs or "long_name" not in out[name].attrs:
            raise ValueError(f"result variable {name!r} needs units and long_name attributes")
    return out


def record_dataset(model: ServiceModel) -> xr.Dataset:
    """Return the model's records as a ``Dataset``, with utilisation and the labels."""
    rec, world = model.recorder, model.world
    start = pd.Timestamp(year=model.start_year, month=1, day=1)
    coords = {
        "time": pd.date_range(start, periods=rec.sizes["time"], freq="MS"),
        "year": np.array(model.years, dtype=np.int64),
        "zone": list(world.zones.ids),
        "facility": list(world.facility_ids),
        "service": list(world.service_ids),
        "age_group": [g[0] for g in AGE_GROUPS],
        "kind": list(KINDS),
        "channel": list(CHANNELS),
        "group": list(GROUPS),
        "comparison": [c[0] for c in COMPARISONS],
    }
    data_vars = {name: (r.dims, rec.data[name], r.attrs) for name, r in VARIABLES.items()}
    ds = xr.Dataset(data_vars, coords=coords)
    with np.errstate(invalid="ignore", divide="ignore"):
        ds["utilisation"] = (ds["load"] / ds["capacity"].where(ds["capacity"] > 0)) * 100
    ds["utilisation"].attrs = {"units": "%", "long_name": "load as a share of capacity"}
    labels = {
        "zone_name": ("zone", list(world.zones.names), {"long_name": "zone name"}),
        "facility_name": (
            "facility",
            [f.name for f in world.facilities],
            {"long_name": "facility name"},
        ),
        "facility_zone": (
            "facility",
            [world.zones.ids[f.zone] for f in world.facilities],
            {"long_name": "zone of the facility"},
        ),
        "zone_x": ("zone", world.zones.x, _projection("x", "easting")),
        "zone_y": ("zone", world.zones.y, _projection("y", "northing")),
    }
    ds = ds.assign_coords(labels)
    ds["time"].attrs = {
        "standard_name": "time",
        "axis": "T",
        "long_name": "first day of the simulated month",
    }
    ds["year"].attrs = {"units": "1", "long_name": "calendar year"}
    for name, long_name in LABELS.items():
        ds[name].attrs = {"long_name": long_name}
    return ds


def service_dataset(model: ServiceModel, ds: xr.Dataset) -> xr.Dataset:
    """Queue and service-standard variables over the coordinates of ``ds``.

    Parameters
    ----------
    model : ServiceModel
        The stepped model (its ``queue_records`` and ``standards``).
    ds : xarray.Dataset
        The records (:func:`record_dataset`); its ``share_within_20min`` assesses the
        local access targets.

    Returns
    -------
    xarray.Dataset
        :data:`simulation.queue_records.QUEUE_VARIABLES`, the standards' compliance
        (:func:`simulation.standards.standards_dataset`) and the figures by zone and
        group (:data:`simulation.zone_dataset.ZONE_VARIABLES`).
    """
    queues = queue_dataset(model.queue_records, dict(ds.coords))
    required = model.params.standards_required_share
    access = ds[["share_within_20min", "served_zone", "capacity"]]
    params = model.params
    zones = [f.zone for f in model.facilities]
    trip = TripRule(
        model.world.travel.minutes_car[:, zones],
        params.school_trip_detour,
        params.school_trip_wait_minutes,
    )
    measured = queues.merge(access)
    assessment = assess(measured, model.standards, trip)
    standards = standards_dataset(measured, assessment, required)
    zone_results = zone_dataset(model.zone_records, dict(ds.coords), assessment)
    zone_results = with_trip_standard(zone_results, access["served_zone"], assessment)
    return queues.merge(standards).merge(zone_results)


def _projection(axis: str, name: str) -> dict[str, str]:
    return {
        "units": "m",
        "standard_name": f"projection_{axis}_coordinate",
        "long_name": f"{name} of the zone centre, EPSG:3067 (ETRS-TM35FIN)",
    }


def change_dataset(model: ServiceModel) -> xr.Dataset:
    """One entry per applied network change, in the order applied.

    Returns
    -------
    xarray.Dataset
        Dim ``change``: ``change_op``, ``change_target``, ``change_origin``,
        ``change_decided``, ``change_effective``, ``change_applied`` (month the model
        applied it, ``YYYY-MM``), ``change_lead_time_months`` and
        ``change_one_off_cost_eur`` (EUR), and the decision calendar
        (:func:`simulation.decisions.decision_calendar`: ``change_decide_by``,
        ``change_services``, ``change_protects``).
    """
    applied = model.applied_changes
    data: dict[str, tuple] = {}
    for name, (attr, long_name) in CHANGE_FIELDS.items():
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
        {"units": "month", "long_name": "lead time from decision to effect (calendar months)"},
    )
    data["change_one_off_cost_eur"] = (
        "change",
        np.array([float(getattr(c, "one_off_cost_eur", 0.0)) for _, c in applied]),
        {**EUR, "long_name": "one-off cost of the change (EUR)"},
    )
    data.update(decision_calendar(model))
    change = np.arange(len(applied), dtype=np.int64)
    return xr.Dataset(
        data,
        coords={"change": ("change", change, {"units": "1", "long_name": "change number"})},
    )


def global_attrs(model: ServiceModel) -> dict[str, Any]:
    """CF global attributes of a run's results, and its seed, world and start year.

    Deterministic (no time stamp), so that the same run gives identical datasets; the
    writer of a file may append a dated line to ``history``.
    """
    source = f"servicesim {package_version()}"
    return {
        "Conventions": CONVENTIONS,
        "title": f"servicesim run: {model.world.title}",
        "institution": "not stated (give it in the run attributes)",
        "source": source,
        "history": (
            f"simulated by {source}: world {model.world.name}, {len(model.years)} years from "
            f"{model.start_year}-01, seed {model.seed}"
        ),
        "references": "servicesim documentation, reference: results variables and units",
        "seed": model.seed,
        "world": model.world.name,
        "start_year": model.start_year,
    }


def cf_encoding(ds: xr.Dataset) -> xr.Dataset:
    """Set how the file is written: ``time`` as days since the start, standard calendar.

    Float coordinates get no ``_FillValue`` (CF forbids missing coordinate values).
    """
    start = pd.Timestamp(ds["time"].values[0]) if ds.sizes["time"] else pd.Timestamp(2000, 1, 1)
    ds["time"].encoding.update(
        {"units": f"days since {start:%Y-%m-%d}", "calendar": CALENDAR, "dtype": "int32"}
    )
    for name, coord in ds.coords.items():
        if coord.dtype.kind == "f":
            ds[name].encoding["_FillValue"] = None
    return ds
