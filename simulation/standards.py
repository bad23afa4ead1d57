"""Service standards: a dated table of limits, and compliance with them.

A :class:`Standard` is one row of a world's ``standards.yaml``: a limit for one service
(and age band) valid between two dates, statutory or local, with its source. The run
looks up the standards in force each month (so a run that crosses a change in the law
switches by date) and measures the share of each facility's arrivals served within the
waiting-time limit from the queue's within-month wait distribution
(:mod:`simulation.queues`). Where age bands have different limits and the queue is not
split by age, the strictest limit in force applies (conservative; documented in
``docs/explanation/service-model.md``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import xarray as xr

from simulation.errors import WorldError
from simulation.queues import QueueMonth, share_within
from simulation.school_trip import TripRule, trip_share, trip_verdicts
from simulation.types import BoolArray, FloatArray

#: What a standard limits: the wait for service (days), the time of first contact
#: (days; not assessed: phone and digital contact have no capacity limit in the model,
#: so every contact would be answered the same day by construction), travel to the
#: nearest facility (minutes, a share of eligible residents within it), the distance
#: that entitles to transport (km, an entitlement costed as school transport), or the
#: daily school trip there and back including waiting (minutes, a share of pupils).
MEASURES: tuple[str, ...] = (
    "waiting_days",
    "contact_days",
    "access_minutes",
    "travel_km",
    "daily_trip_minutes",
)

#: Legal status of a standard.
STATUSES: tuple[str, ...] = ("statutory", "local")


@dataclass(frozen=True)
class Standard:
    """One dated limit of one service.

    Parameters
    ----------
    service : str
        Service id.
    measure : {'waiting_days', 'contact_days', 'access_minutes', 'travel_km'}
    limit : float
        The limit in the measure's unit (>= 0).
    valid_from : str
        First day in force, ``YYYY-MM-DD``.
    valid_to : str or None
        Last day in force, ``YYYY-MM-DD``; None: open-ended.
    age_from, age_to : int
        Ages the limit applies to (inclusive).
    target_share : float
        Share of demand (or residents, for access) that must be within the limit for a
        month to count as met, in (0, 1].
    status : {'statutory', 'local'}
    source : str
        Law and section, or the local decision.
    demand_share : float
        Share of the service's demand the limit applies to, in (0, 1] (e.g. the
        applications for early childhood education whose need comes from sudden work or
        study). Such applicants are placed with priority, so on the fluid queue their
        waits are the common list's waits x ``demand_share``: the limit acts as
        ``limit / demand_share`` on the common list (:attr:`effective_limit`).

    Examples
    --------
    >>> s = Standard("primary_health_care", "waiting_days", 14, "2023-09-01", "2024-12-31")
    >>> s.in_force("2024-06"), s.in_force("2025-01")
    (True, False)
    >>> Standard("library", "waiting_days", -1, "2020-01-01")
    Traceback (most recent call last):
    ...
    simulation.errors.WorldError: standard library: limit=-1 must be a number >= 0
    """

    service: str
    measure: str
    limit: float
    valid_from: str
    valid_to: str | None = None
    age_from: int = 0
    age_to: int = 100
    target_share: float = 1.0
    status: str = "statutory"
    source: str = ""
    demand_share: float = 1.0

    def __post_init__(self) -> None:
        who = f"standard {self.service}"
        if self.measure not in MEASURES:
            raise WorldError(f"{who}: measure={self.measure!r} not one of {', '.join(MEASURES)}")
        if not isinstance(self.limit, int | float) or not np.isfinite(self.limit):
            raise WorldError(f"{who}: limit={self.limit!r} must be a number >= 0")
        if self.limit < 0:
            raise WorldError(f"{who}: limit={self.limit!r} must be a number >= 0")
        if not 0 < self.target_share <= 1:
            raise WorldError(f"{who}: target_share={self.target_share!r} must be in (0, 1]")
        if not 0 < self.demand_share <= 1:
            raise WorldError(f"{who}: demand_share={self.demand_share!r} must be in (0, 1]")
        if self.status not in STATUSES:
            raise WorldError(f"{who}: status={self.status!r} not one of {', '.join(STATUSES)}")
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise WorldError(f"{who}: valid_to {self.valid_to} before valid_from")

    @property
    def effective_limit(self) -> float:
        """The limit on the common queue: ``limit / demand_share`` (see the parameters).

        Examples
        --------
        >>> Standard("ece", "waiting_days", 14, "2018-09-01", demand_share=0.2).effective_limit
        70.0
        """
        return self.limit / self.demand_share

    def in_force(self, month: str) -> bool:
        """Tell whether the standard holds on the first day of ``month`` (``YYYY-MM``)."""
        day = f"{month}-01"
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class StandardsTable:
    """The standards of a world, looked up by service and month.

    Parameters
    ----------
    standards : sequence of Standard
    service_ids : sequence of str
        The world's services, giving the service index.
    """

    def __init__(self, standards, service_ids) -> None:
        self.standards = tuple(standards)
        self.service_ids = tuple(service_ids)

    def limit(self, s: int, month: str, measure: str = "waiting_days") -> Standard | None:
        """Return the strictest standard of ``measure`` in force for service ``s``, or None.

        Strictest by :attr:`Standard.effective_limit`; a standard for a share of the
        demand is returned as its equivalent on the common queue (``limit`` =
        ``effective_limit``, ``demand_share`` = 1).
        """
        sid = self.service_ids[s]
        rows = [
            x
            for x in self.standards
            if x.service == sid and x.measure == measure and x.in_force(month)
        ]
        if not rows:
            return None
        best = min(rows, key=lambda x: x.effective_limit)
        if best.demand_share == 1:
            return best
        return dataclasses.replace(best, limit=best.effective_limit, demand_share=1.0)

    def within(self, s: int, month: str, q: QueueMonth, rule) -> FloatArray:
        """Share of each facility's arrivals within the waiting limit (NaN: none applies)."""
        std = self.limit(s, month)
        n = q.arrivals.size
        if std is None:
            return np.full(n, np.nan)
        share = share_within(q.waits, std.limit)
        busy = (q.arrivals > 0) | (q.backlog > 0)
        return np.where(busy, share, np.nan)


def _limits(table: StandardsTable, months: list[str], measure: str) -> tuple[np.ndarray, ...]:
    """Limit and target share in force by (month, service); NaN where none applies."""
    shape = (len(months), len(table.service_ids))
    limit, target = np.full(shape, np.nan), np.full(shape, np.nan)
    for t, month in enumerate(months):
        for s in range(shape[1]):
            std = table.limit(s, month, measure)
            if std is not None:
                limit[t, s], target[t, s] = std.limit, std.target_share
    return limit, target


@dataclass(frozen=True)
class Assessment:
    """Which measure assesses each month and service, and the daily-trip verdicts by zone.

    A month of a service is assessed by its waiting-time standard where one is in force,
    else by a local 20-minute access target, else by the daily school trip; at most one
    applies. Built by :func:`assess`; the service compliance
    (:func:`standards_dataset`) and the figures by zone and group
    (:func:`simulation.zone_dataset.zone_dataset`,
    :func:`simulation.trip_zones.with_trip_standard`) all read it.

    Parameters
    ----------
    wait_limit : ndarray of float, shape (time, service)
        Waiting-time limit in force, days (NaN: none).
    target : ndarray of float, shape (time, service)
        Target share of the assessing measure (NaN: not assessed).
    access, trip : ndarray of bool, shape (time, service)
        Months assessed by the 20-minute access target, by the daily school trip.
    trip_within : ndarray of bool, shape (time, zone, service)
        The zone's daily trip is within the limit (False where ``trip`` is False).
    trip_share : ndarray of float, shape (time, service)
        Share of pupils (``served_zone``) whose daily trip is within the limit (NaN
        where ``trip`` is False or no pupils).
    """

    wait_limit: FloatArray
    target: FloatArray
    access: BoolArray
    trip: BoolArray
    trip_within: BoolArray
    trip_share: FloatArray


def assess(ds: xr.Dataset, table: StandardsTable, trip: TripRule | None = None) -> Assessment:
    """Choose the measure of each month and service, and judge the daily trip by zone.

    Parameters
    ----------
    ds : xarray.Dataset
        With ``time``; access targets are assessed only with ``share_within_20min``, the
        daily trip only with ``trip``, ``served_zone`` and ``capacity`` (time, facility,
        service).
    table : StandardsTable
    trip : TripRule, optional

    Returns
    -------
    Assessment
    """
    months = [str(t)[:7] for t in ds["time"].values]
    wait_limit, target = _limits(table, months, "waiting_days")
    access, a_target = _limits(table, months, "access_minutes")
    use_access = (access == 20.0) & np.isnan(target) & ("share_within_20min" in ds)
    target = np.where(use_access, a_target, target)
    trips, t_target = _limits(table, months, "daily_trip_minutes")
    known = trip is not None and "served_zone" in ds and "capacity" in ds
    use_trip = np.isfinite(trips) & np.isnan(target) & known
    target = np.where(use_trip, t_target, target)
    within = np.zeros((len(months), ds.sizes.get("zone", 0), len(table.service_ids)), bool)
    share = np.full(target.shape, np.nan)
    if use_trip.any():
        open_ = ds["capacity"].transpose("time", "facility", "service").values > 0
        within = trip_verdicts(trip, open_, trips, use_trip)
        pupils = ds["served_zone"].transpose("time", "zone", "service").values.astype(float)
        share = trip_share(pupils, within, use_trip)
    return Assessment(wait_limit, target, use_access, use_trip, within, share)


def _wait_share(ds: xr.Dataset) -> xr.DataArray:
    """Share of demand within the waiting limit, all facilities (demand-weighted)."""
    weight = (ds["queue_served"] + ds["backlog"]).where(ds["within_standard"].notnull())
    total = weight.sum("facility")
    with np.errstate(invalid="ignore", divide="ignore"):
        share = (ds["within_standard"] * weight).sum("facility") / total
    return share.where(total > 0)


def standards_dataset(ds: xr.Dataset, assessment: Assessment, required_share: float):
    """Service-level compliance with the standards, by month and overall.

    Waiting-time standards use the queues' ``within_standard``; local access targets of
    20 minutes use ``share_within_20min``; the daily school-trip limit uses the share
    of pupils within it (:func:`simulation.school_trip.trip_share`). Which applies is
    the ``assessment``'s choice (:func:`assess`). Other access limits, travel-km
    entitlements and the same-day contact rule are listed in the table but not assessed.

    Parameters
    ----------
    ds : xarray.Dataset
        Queue variables (:func:`simulation.queue_records.queue_dataset`), plus
        ``share_within_20min`` when present, and ``served_zone`` and ``capacity`` for
        the daily trip.
    assessment : Assessment
        From :func:`assess` on ``ds``.
    required_share : float
        Share of months a service must meet its standard in for the standard to hold.

    Returns
    -------
    xarray.Dataset
        ``standard_limit_days``, ``service_within_standard`` and ``standard_breach``
        (time, service); ``standard_months_met``, ``standard_holds`` and
        ``standard_status`` (service).
    """
    dims = ("time", "service")
    share = _wait_share(ds)
    if assessment.access.any():
        share = xr.where(assessment.access, ds["share_within_20min"], share)
    if assessment.trip.any():
        trip = xr.DataArray(assessment.trip_share, share.coords)
        share = xr.where(assessment.trip, trip, share)
    target, limit = assessment.target, assessment.wait_limit
    assessed = np.isfinite(target) & share.notnull()
    breach = assessed & (share < target)
    n = assessed.sum("time")
    met = (assessed & ~breach).sum("time") / n.where(n > 0)
    holds = (met >= required_share).where(met.notnull())
    out = xr.Dataset(coords={"time": ds["time"], "service": ds["service"]})
    out["standard_limit_days"] = (
        dims, limit, {"units": "d", "long_name": "waiting-time limit (strictest age band)"}
    )  # fmt: skip
    out["service_within_standard"] = share.assign_attrs(
        units="1", long_name="share of demand within the waiting limit (or residents within "
        "the access target), all facilities"
    )  # fmt: skip
    out["standard_breach"] = breach.astype(np.int8).assign_attrs(
        units="1", long_name="1 when the month misses the standard's target share"
    )
    out["standard_months_met"] = met.assign_attrs(
        units="1", long_name="share of assessed months that meet the standard"
    )
    out["standard_holds"] = holds.assign_attrs(
        units="1", long_name=f"1 when the standard is met in >= {required_share:.0%} of months "
        "(NaN: not assessed)", required_share=required_share,
    )  # fmt: skip
    status = ["not assessed" if np.isnan(h) else ("holds" if h else "fails") for h in holds.values]
    out["standard_status"] = (
        "service",
        np.array(status, dtype=object),
        {"long_name": "holds, fails or not assessed"},
    )
    return out
