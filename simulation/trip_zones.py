"""The daily school-trip standard by zone and group, beside the queues' compliance.

Where basic education is assessed by the daily school trip (there and back, with
waiting; :class:`simulation.school_trip.TripRule`) instead of a waiting time, a zone's
compliance is the share of its pupils whose trip to the nearest school with capacity
is within the limit (all or none of a zone's pupils, as the trip is estimated per
zone), weighted by the zone's pupils (``served_zone``). So the zones weighted by
``within_standard_weight_zone`` give back ``service_within_standard`` exactly, as for
the waiting-time standards. The trip is not estimated per resident group: the groups
other than ``all`` are NaN (weight 0) in those months. The months and the verdicts by
zone are the :class:`simulation.standards.Assessment`'s, as for the service.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from simulation.standards import Assessment
from simulation.zone_dataset import GROUP_DIMS, ZONE_DIMS


def _values(zones: xr.Dataset, name: str, dims: tuple[str, ...]) -> np.ndarray:
    return zones[name].transpose(*dims).values.astype(float)


def with_trip_standard(
    zones: xr.Dataset, served_zone: xr.DataArray, assessment: Assessment
) -> xr.Dataset:
    """Return ``zones`` with the trip standard's compliance in its months and services.

    Parameters
    ----------
    zones : xarray.Dataset
        From :func:`simulation.zone_dataset.zone_dataset`.
    served_zone : xarray.DataArray
        Pupils by home zone (time, zone, service).
    assessment : Assessment
        From :func:`simulation.standards.assess`: the trip's months and verdicts by zone.
    """
    use, within, share = assessment.trip, assessment.trip_within, assessment.trip_share
    if not use.any():
        return zones
    pupils = served_zone.transpose(*ZONE_DIMS).values.astype(float)
    z_share = _values(zones, "within_standard_zone", ZONE_DIMS)
    z_weight = _values(zones, "within_standard_weight_zone", ZONE_DIMS)
    g_share = _values(zones, "within_standard_group", GROUP_DIMS)
    g_weight = _values(zones, "within_standard_weight_group", GROUP_DIMS)
    everyone = list(zones["group"].values).index("all")
    for t, s in zip(*np.nonzero(use), strict=True):
        z_weight[t, :, s] = pupils[t, :, s]
        z_share[t, :, s] = np.where(pupils[t, :, s] > 0, within[t, :, s].astype(float), np.nan)
        g_share[t, :, s], g_weight[t, :, s] = np.nan, 0.0
        if pupils[t, :, s].sum() > 0:
            g_share[t, everyone, s] = share[t, s]
            g_weight[t, everyone, s] = pupils[t, :, s].sum()
    out = zones.copy()
    for name, dims, values in (
        ("within_standard_zone", ZONE_DIMS, z_share),
        ("within_standard_weight_zone", ZONE_DIMS, z_weight),
        ("within_standard_group", GROUP_DIMS, g_share),
        ("within_standard_weight_group", GROUP_DIMS, g_weight),
    ):
        order = zones[name].dims
        da = xr.DataArray(values, dims=dims).transpose(*order)
        out[name] = (order, da.values.astype(zones[name].dtype), zones[name].attrs)
    return out
