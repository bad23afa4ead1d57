"""Monthly and yearly records of a run, and their conversion to an ``xarray.Dataset``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from simulation.access import COMPARISONS, GROUPS
from simulation.types import AGE_GROUPS, CHANNELS, KINDS, age_group_index
from simulation.world import World

#: (dims, units, long_name) of every recorded variable.
VARIABLES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "population": (
        ("time", "zone", "age_group", "kind"),
        "persons",
        "persons present (permanent residents; seasonal residents present that month)",
    ),
    "demand": (
        ("time", "facility", "service"),
        "service units/month",
        "demand attributed to its first-choice facility (nearest in the network)",
    ),
    "served": (
        ("time", "facility", "service"),
        "service units/month",
        "demand attributed to the facility that was served (there or elsewhere)",
    ),
    "unmet": (
        ("time", "facility", "service"),
        "service units/month",
        "demand attributed to the facility that no facility could serve",
    ),
    "load": (
        ("time", "facility", "service"),
        "service units/month",
        "demand served at the facility",
    ),
    "capacity": (
        ("time", "facility", "service"),
        "service units/month",
        "capacity available (0 when closed or not offered)",
    ),
    "demand_zone": (("time", "zone", "service"), "service units/month", "demand by home zone"),
    "served_zone": (
        ("time", "zone", "service"),
        "service units/month",
        "served demand by home zone",
    ),
    "unmet_zone": (("time", "zone", "service"), "service units/month", "unmet demand by home zone"),
    "demand_kind": (("time", "kind", "service"), "service units/month", "demand by resident kind"),
    "travel_minutes": (
        ("time", "zone", "service"),
        "min",
        "total travel time of served in-person demand by home zone (own mode)",
    ),
    "facility_open": (("time", "facility"), "1", "facility open in the month (1) or not (0)"),
    "cost": (
        ("time", "facility"),
        "EUR/month",
        "running cost: fixed share plus cost per unit served",
    ),
    "residents_start": (("year", "zone"), "persons", "permanent residents on 1 January"),
    "births": (("year", "zone"), "persons", "live births during the year"),
    "deaths": (("year", "zone"), "persons", "deaths during the year (infant deaths included)"),
    "in_migration": (
        ("year", "zone"),
        "persons",
        "moves into the zone (from other zones and from outside the area)",
    ),
    "out_migration": (
        ("year", "zone"),
        "persons",
        "moves out of the zone (to other zones and out of the area)",
    ),
    "residents_end": (("year", "zone"), "persons", "permanent residents on 31 December"),
    "visits_channel": (
        ("time", "service", "channel"),
        "service units/month",
        "served demand by the channel it was served through (in person includes van overflow)",
    ),
    "share_within_20min": (
        ("time", "service"),
        "1",
        "share of eligible present persons within 20 travel minutes (own mode) of an open "
        "facility offering the service",
    ),
    "mean_travel_minutes": (
        ("time", "service", "group"),
        "min",
        "mean travel time per served in-person visit, by group",
    ),
    "equity_gap": (
        ("time", "service", "comparison"),
        "min",
        "mean travel minutes per in-person visit: disadvantaged minus advantaged group",
    ),
    "gini_access": (
        ("time", "service"),
        "1",
        "Gini coefficient of travel minutes to the nearest facility over eligible persons",
    ),
    "palma_access": (
        ("time", "service"),
        "1",
        "Palma ratio of travel minutes to the nearest facility: top 10 % share / bottom 40 %",
    ),
    "pupils_over_transport_km": (
        ("time",),
        "pupils",
        "pupils whose school is farther than the school-transport distance (road km)",
    ),
}

#: Variables recorded as floats (the rest are whole units).
FLOAT_UNITS = ("min", "1")


class Recorder:
    """Preallocated arrays for every variable of :data:`VARIABLES`."""

    def __init__(self, world: World, n_months: int, years: tuple[int, ...]) -> None:
        sizes = {
            "time": n_months,
            "year": len(years),
            "zone": len(world.zones),
            "facility": len(world.facilities),
            "service": len(world.services),
            "age_group": len(AGE_GROUPS),
            "kind": len(KINDS),
            "channel": len(CHANNELS),
            "group": len(GROUPS),
            "comparison": len(COMPARISONS),
        }
        self.sizes = sizes
        self.data = {
            name: np.zeros(
                tuple(sizes[d] for d in dims), dtype=float if units in FLOAT_UNITS else np.int64
            )
            for name, (dims, units, _) in VARIABLES.items()
        }
        self.data["cost"] = np.zeros((n_months, sizes["facility"]))
        self._groups = age_group_index()

    def population(self, t: int, present_cells: np.ndarray) -> None:
        """Record persons present by (zone, kind, age) grouped to age groups."""
        n_groups = len(AGE_GROUPS)
        grouped = np.zeros((present_cells.shape[0], n_groups, present_cells.shape[1]), np.int64)
        for g in range(n_groups):
            grouped[:, g, :] = present_cells[:, :, self._groups == g].sum(axis=2)
        self.data["population"][t] = grouped


def results_dataset(
    rec: Recorder, world: World, start: pd.Timestamp, years: tuple[int, ...], attrs: dict
) -> xr.Dataset:
    """Build the run's ``Dataset`` with CF-style attributes on every variable.

    Adds ``utilisation`` (load / capacity).
    """
    coords = {
        "time": pd.date_range(start, periods=rec.sizes["time"], freq="MS"),
        "year": np.array(years, dtype=np.int64),
        "zone": list(world.zones.ids),
        "facility": list(world.facility_ids),
        "service": list(world.service_ids),
        "age_group": [g[0] for g in AGE_GROUPS],
        "kind": list(KINDS),
        "channel": list(CHANNELS),
        "group": list(GROUPS),
        "comparison": [c[0] for c in COMPARISONS],
    }
    data_vars = {
        name: (dims, rec.data[name], {"units": units, "long_name": long_name})
        for name, (dims, units, long_name) in VARIABLES.items()
    }
    ds = xr.Dataset(data_vars, coords=coords, attrs=attrs)
    with np.errstate(invalid="ignore", divide="ignore"):
        ds["utilisation"] = (ds["load"] / ds["capacity"].where(ds["capacity"] > 0)) * 100
    ds["utilisation"].attrs = {"units": "%", "long_name": "load as a share of capacity"}
    ds["zone_name"] = ("zone", list(world.zones.names), {"long_name": "zone name"})
    ds["facility_name"] = (
        "facility",
        [f.name for f in world.facilities],
        {"long_name": "facility name"},
    )
    ds["facility_zone"] = (
        "facility",
        [world.zones.ids[f.zone] for f in world.facilities],
        {"long_name": "zone of the facility"},
    )
    ds["zone_x"] = ("zone", world.zones.x, {"units": "m", "long_name": "easting, EPSG:3067"})
    ds["zone_y"] = ("zone", world.zones.y, {"units": "m", "long_name": "northing, EPSG:3067"})
    ds["time"].attrs = {"long_name": "first day of the simulated month"}
    ds["year"].attrs = {"long_name": "calendar year"}
    return ds
