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
from simulation.types import FloatArray

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
class TripRule:
    """How the daily school trip is estimated from the travel matrix.

    Parameters
    ----------
    minutes : ndarray of float, shape (zone, facility)
        Car minutes from each zone to each facility.
    detour : float
        One-way trip time of school transport / direct car time (>= 1).
    wait_minutes : float
        Waiting for the transport per school day, minutes.
    """

    minutes: np.ndarray
    detour: float
    wait_minutes: float

    def daily_minutes(self, open_: np.ndarray) -> np.ndarray:
        """Daily trip there and back to the nearest of the ``open_`` facilities, by zone.

        Examples
        --------
        >>> rule = TripRule(np.array([[10.0, 50.0], [60.0, 20.0]]), 1.5, 30.0)
        >>> rule.daily_minutes(np.array([True, False])).tolist()
        [60.0, 210.0]
        """
        if not open_.any():
            return np.full(self.minutes.shape[0], np.inf)
        nearest = self.minutes[:, open_].min(axis=1)
        return 2 * self.detour * nearest + self.wait_minutes


def trip_share(ds: xr.Dataset, rule: TripRule, limit: np.ndarray) -> np.ndarray:
    """Share of pupils whose daily school trip is within the limit, by (time, service).

    Pupils (``served_zone``) go to the nearest facility with capacity for the service
    that month (as the school-transport rule assumes).

    Parameters
    ----------
    ds : xarray.Dataset
        ``served_zone`` (time, zone, service) and ``capacity`` (time, facility, service).
    rule : TripRule
    limit : ndarray of float, shape (time, service)
        Daily trip limit in force (minutes; NaN: none).

    Returns
    -------
    ndarray of float, shape (time, service); NaN where no limit or no pupils.
    """
    out = np.full(limit.shape, np.nan)
    served = ds["served_zone"].transpose("time", "zone", "service").values.astype(float)
    open_all = ds["capacity"].transpose("time", "facility", "service").values > 0
    for s in np.flatnonzero(np.isfinite(limit).any(axis=0)):
        seen: dict[bytes, np.ndarray] = {}
        for t in np.flatnonzero(np.isfinite(limit[:, s])):
            key = open_all[t, :, s].tobytes()
            if key not in seen:
                seen[key] = rule.daily_minutes(open_all[t, :, s])
            pupils = served[t, :, s]
            if pupils.sum() > 0:
                out[t, s] = pupils[seen[key] <= limit[t, s]].sum() / pupils.sum()
    return out


def _wait_share(ds: xr.Dataset) -> xr.DataArray:
    """Share of demand within the waiting limit, all facilities (demand-weighted)."""
    weight = (ds["queue_served"] + ds["backlog"]).where(ds["within_standard"].notnull())
    total = weight.sum("facility")
    with np.errstate(invalid="ignore", divide="ignore"):
        share = (ds["within_standard"] * weight).sum("facility") / total
    return share.where(total > 0)


def standards_dataset(
    ds: xr.Dataset, table: StandardsTable, required_share: float, trip: TripRule | None = None
):
    """Service-level compliance with the standards, by month and overall.

    Waiting-time standards use the queues' ``within_standard``; local access targets of
    20 minutes use ``share_within_20min``; the daily school-trip limit uses the share
    of pupils within it (:func:`trip_share`, with ``trip``). Other access limits,
    travel-km entitlements and the same-day contact rule are listed in the table but
    not assessed.

    Parameters
    ----------
    ds : xarray.Dataset
        Queue variables (:func:`simulation.queue_records.queue_dataset`), plus
        ``share_within_20min`` when present, and ``served_zone`` and ``capacity`` for
        the daily trip.
    table : StandardsTable
    required_share : float
        Share of months a service must meet its standard in for the standard to hold.
    trip : TripRule, optional
        Assesses ``daily_trip_minutes`` standards (not assessed without it).

    Returns
    -------
    xarray.Dataset
        ``standard_limit_days``, ``service_within_standard`` and ``standard_breach``
        (time, service); ``standard_months_met``, ``standard_holds`` and
        ``standard_status`` (service).
    """
    months = [str(t)[:7] for t in ds["time"].values]
    dims = ("time", "service")
    limit, target = _limits(table, months, "waiting_days")
    share = _wait_share(ds)
    access, a_target = _limits(table, months, "access_minutes")
    use_access = (access == 20.0) & np.isnan(target)
    if "share_within_20min" in ds and use_access.any():
        share = xr.where(use_access, ds["share_within_20min"], share)
        target = np.where(use_access, a_target, target)
    trips, t_target = _limits(table, months, "daily_trip_minutes")
    use_trip = np.isfinite(trips) & np.isnan(target)
    if trip is not None and "served_zone" in ds and use_trip.any():
        share = xr.where(use_trip, xr.DataArray(trip_share(ds, trip, trips), share.coords), share)
        target = np.where(use_trip, t_target, target)
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
