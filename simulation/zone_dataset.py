"""Results by home zone and population group, from :class:`~simulation.zone_records.ZoneRecords`.

The records hold sums; this module divides them and uses, per month and service, the
measure of the standard that :func:`simulation.standards.assess` chose for the service
as well: the waiting-time limit where one applies, else a local access target of 20
minutes (share of eligible persons present within 20 minutes); the daily school trip
is added by :mod:`simulation.trip_zones`. Each share comes with the weight that makes it add up: the
``*_weight_*`` variables, weighted means of the zone (or partition of groups) figures
give back the service-level figure.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from simulation.standards import Assessment
from simulation.zone_records import ZoneRecords

ZONE_DIMS = ("time", "zone", "service")
GROUP_DIMS = ("time", "group", "service")

#: name -> (dims, units, long_name) of every variable :func:`zone_dataset` returns.
ZONE_VARIABLES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "eligible_present_zone": (
        ZONE_DIMS,
        "1",
        "eligible persons present (expected) by home zone",
    ),
    "share_within_20min_zone": (
        ZONE_DIMS,
        "1",
        "share of the zone's eligible present persons within 20 travel minutes (own mode) "
        "of an open facility offering the service",
    ),
    "queue_arrivals_zone": (
        ZONE_DIMS,
        "1",
        "in-person demand of the zone arriving at facilities (visits or places: served at "
        "once, or queued at the first choice)",
    ),
    "waiting_days_zone": (
        ZONE_DIMS,
        "d",
        "mean waiting time of the zone's arrivals at the facilities they went to, weighted "
        "by queue_arrivals_zone",
    ),
    "within_standard_zone": (
        ZONE_DIMS,
        "1",
        "share of the zone's demand served within the waiting standard (or of its "
        "eligible persons within the access target); NaN: not assessed",
    ),
    "within_standard_weight_zone": (
        ZONE_DIMS,
        "1",
        "weight of within_standard_zone: the zone's share of the facilities' assessed "
        "demand (visits or places), or its eligible persons for an access target",
    ),
    "within_standard_group": (
        GROUP_DIMS,
        "1",
        "share of the group's demand served within the waiting standard (or of its "
        "eligible persons within the access target); NaN: not assessed",
    ),
    "within_standard_weight_group": (
        GROUP_DIMS,
        "1",
        "weight of within_standard_group (as within_standard_weight_zone, for the group)",
    ),
}


def _share(num: np.ndarray, weight: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, num / np.where(weight > 0, weight, 1.0), np.nan)


def zone_dataset(records: ZoneRecords, coords: dict, assessment: Assessment) -> xr.Dataset:
    """Return the zone and group variables of :data:`ZONE_VARIABLES`.

    Parameters
    ----------
    records : ZoneRecords
        The model's sums.
    coords : dict
        Coordinates with ``time``, ``zone``, ``service`` and ``group``.
    assessment : Assessment
        The measure of each month and service (:func:`simulation.standards.assess`).

    Returns
    -------
    xarray.Dataset
        Every variable with ``units`` and ``long_name``.
    """
    z, g = records.zone, records.group
    use_access = assessment.access[:, None, :]
    values = {
        "eligible_present_zone": z["eligible"],
        "share_within_20min_zone": _share(z["eligible_within"], z["eligible"]),
        "queue_arrivals_zone": z["arrivals"],
        "waiting_days_zone": _share(z["wait_sum"], z["arrivals"]),
    }
    for level, sums in (("zone", z), ("group", g)):
        weight = np.where(use_access, sums["eligible"], sums["std_weight"])
        within = np.where(use_access, sums["eligible_within"], sums["std_sum"])
        values[f"within_standard_{level}"] = _share(within, weight)
        values[f"within_standard_weight_{level}"] = weight
    data = {
        name: (dims, values[name], {"units": units, "long_name": long_name})
        for name, (dims, units, long_name) in ZONE_VARIABLES.items()
    }
    return xr.Dataset(data, coords={k: coords[k] for k in ("time", "zone", "service", "group")})
