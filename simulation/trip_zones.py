"""The daily school-trip standard by zone and group, beside the queues' compliance.

Where basic education is assessed by the daily school trip (there and back, with
waiting; :class:`simulation.standards.TripRule`) instead of a waiting time, a zone's
compliance is the share of its pupils whose trip to the nearest school with capacity
is within the limit (all or none of a zone's pupils, as the trip is estimated per
zone), weighted by the zone's pupils (``served_zone``). So the zones weighted by
``within_standard_weight_zone`` give back ``service_within_standard`` exactly, as for
the waiting-time standards. The trip is not estimated per resident group: the groups
other than ``all`` are NaN (weight 0) in those months.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from simulation.standards import StandardsTable, TripRule, _limits
from simulation.zone_dataset import access_target_months


def trip_months(table: StandardsTable, months: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Daily-trip limit (minutes) and where it is the assessed measure, (time, service).

    As :func:`simulation.standards.standards_dataset`: the trip is assessed where a
    ``daily_trip_minutes`` standard is in force and neither a waiting-time nor a
    20-minute access standard is.
    """
    trips, _ = _limits(table, months, "daily_trip_minutes")
    _, wait_target = _limits(table, months, "waiting_days")
    use = np.isfinite(trips) & np.isnan(wait_target) & ~access_target_months(table, months)
    return trips, use


def with_trip_standard(
    zones: xr.Dataset, ds: xr.Dataset, table: StandardsTable, rule: TripRule
) -> xr.Dataset:
    """Return ``zones`` with the trip standard's compliance in its months and services.

    Parameters
    ----------
    zones : xarray.Dataset
        From :func:`simulation.zone_dataset.zone_dataset`.
    ds : xarray.Dataset
        ``served_zone`` (time, zone, service) and ``capacity`` (time, facility, service).
    table : StandardsTable
    rule : TripRule
    """
    months = [str(t)[:7] for t in ds["time"].values]
    limit, use = trip_months(table, months)
    if not use.any():
        return zones
    served = ds["served_zone"].transpose("time", "zone", "service").values.astype(float)
    open_all = ds["capacity"].transpose("time", "facility", "service").values > 0
    z_share = zones["within_standard_zone"].transpose("time", "zone", "service").values.copy()
    z_weight = zones["within_standard_weight_zone"].transpose("time", "zone", "service")
    z_weight = z_weight.values.astype(float).copy()
    g_share = zones["within_standard_group"].transpose("time", "group", "service").values.copy()
    g_weight = zones["within_standard_weight_group"].transpose("time", "group", "service")
    g_weight = g_weight.values.astype(float).copy()
    groups = list(zones["group"].values)
    for t, s in zip(*np.nonzero(use), strict=True):
        within = rule.daily_minutes(open_all[t, :, s]) <= limit[t, s]
        pupils = served[t, :, s]
        z_weight[t, :, s] = pupils
        z_share[t, :, s] = np.where(pupils > 0, within.astype(float), np.nan)
        g_share[t, :, s], g_weight[t, :, s] = np.nan, 0.0
        if pupils.sum() > 0:
            g_share[t, groups.index("all"), s] = pupils[within].sum() / pupils.sum()
            g_weight[t, groups.index("all"), s] = pupils.sum()
    out = zones.copy()
    for name, dims, values in (
        ("within_standard_zone", ("time", "zone", "service"), z_share),
        ("within_standard_weight_zone", ("time", "zone", "service"), z_weight),
        ("within_standard_group", ("time", "group", "service"), g_share),
        ("within_standard_weight_group", ("time", "group", "service"), g_weight),
    ):
        order = zones[name].dims
        da = xr.DataArray(values, dims=dims).transpose(*order)
        out[name] = (order, da.values.astype(zones[name].dtype), zones[name].attrs)
    return out
