"""What a strategy can know about demand: the observed past and the forecast future.

Demand is measured per facility and service as the *peak monthly demand* attributed
to the facility (its users' first choice: the nearest facility in the network that
offers the service), in the service's unit per month, so it compares directly with
the facility's capacity per month.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from simulation.population import count_by
from simulation.protocols import PlanningView
from simulation.types import AGES, KINDS, FloatArray


def resident_cells(model: PlanningView) -> np.ndarray:
    """Active persons of the model by (zone, kind, profile, age).

    For seasonal residents the profile is their seasonal presence profile.
    """
    pop = model.population
    ids = pop.ids()
    profiles = pop["profile"][ids].astype(np.int64)
    n_profiles = max(1, len(model.world.seasonal.profiles), int(profiles.max(initial=0)) + 1)
    shape = (len(model.world.zones), len(KINDS), n_profiles, len(AGES))
    key = np.ravel_multi_index(
        (
            pop["zone"][ids].astype(np.int64),
            pop["kind"][ids].astype(np.int64),
            profiles,
            pop["age"][ids].astype(np.int64),
        ),
        shape,
    )
    return count_by(key, int(np.prod(shape))).reshape(shape)


def observed_peaks(model: PlanningView, years: int) -> tuple[FloatArray, FloatArray]:
    """Peak monthly demand and capacity per facility and service in each past year.

    Only completed months before the current one are used: the strategy sees the past.

    Parameters
    ----------
    model : PlanningView
        The running model.
    years : int
        How many of the latest completed years to return.

    Returns
    -------
    peaks, capacity : ndarray of float, shape (years_available, facility, service)
        Peak monthly first-choice demand and peak monthly capacity of each year, oldest
        first; fewer than ``years`` rows when the run is younger.
    """
    done = model.month_index // 12
    first = max(0, done - years)
    rec = model.recorder.data
    shape = (done - first, 12, *rec["demand"].shape[1:])
    months = slice(12 * first, 12 * done)
    peaks = rec["demand"][months].reshape(shape).max(axis=1).astype(float)
    capacity = rec["capacity"][months].reshape(shape).max(axis=1).astype(float)
    return peaks, capacity


def observed_breaches(model: PlanningView) -> tuple[np.ndarray, FloatArray]:
    """Service-standard breaches and the work offered, per facility x service, last year.

    A facility breaches in a month when the share of its arrivals within the waiting
    limit in force is below the standard's target share (:mod:`simulation.standards`).
    The work offered in a month is its arrivals plus the backlog it started with.

    Returns
    -------
    breached : ndarray of bool, shape (facility, service)
        Breached in at least one month of the last completed year.
    offered : ndarray of float, shape (facility, service)
        Peak monthly work offered in that year (service units per month).
    """
    done = 12 * (model.month_index // 12)
    months = range(max(0, done - 12), done)
    rec = model.queue_records.data
    n_fac, n_s = rec["arrivals"].shape[1:]
    breached, offered = np.zeros((n_fac, n_s), dtype=bool), np.zeros((n_fac, n_s))
    for t in months:
        start = rec["backlog"][t - 1] if t > 0 else np.zeros((n_fac, n_s))
        offered = np.maximum(offered, rec["arrivals"][t] + start)
        month = f"{model.start_year + t // 12}-{t % 12 + 1:02d}"
        for s in range(n_s):
            std = model.standards.limit(s, month)
            if std is not None:
                with np.errstate(invalid="ignore"):
                    breached[:, s] |= rec["within_standard"][t, :, s] < std.target_share
    return breached, offered


def first_choice(model: PlanningView) -> np.ndarray:
    """Return the facility each zone goes to first, by service: (zone, service), -1 if none."""
    zones = np.array([f.zone for f in model.facilities])
    minutes = model.world.travel.minutes_car[:, zones]
    out = np.full((len(model.world.zones), len(model.world.services)), -1, dtype=np.int64)
    for s in range(len(model.world.services)):
        offers = np.array([f.offers()[s] for f in model.facilities])
        if offers.any():
            idx = np.flatnonzero(offers)
            out[:, s] = idx[np.argmin(minutes[:, idx], axis=1)]
    return out


def facility_monthly(model: PlanningView, zone_demand: FloatArray) -> FloatArray:
    """Demand per facility, service and month from demand by (…, zone, service, month).

    Each zone's demand goes to its first choice (see :func:`first_choice`).

    Returns
    -------
    ndarray of float, shape (..., facility, service, month)
    """
    choice = first_choice(model)
    n_fac = len(model.facilities)
    out = np.zeros((*zone_demand.shape[:-3], n_fac, *zone_demand.shape[-2:]))
    for s in range(zone_demand.shape[-2]):
        for z in np.flatnonzero(choice[:, s] >= 0):
            out[..., choice[z, s], s, :] += zone_demand[..., z, s, :]
    return out


def facility_peaks(model: PlanningView, zone_demand: FloatArray) -> FloatArray:
    """Peak monthly demand per facility and service from demand by (…, zone, service, month).

    Returns
    -------
    ndarray of float, shape (..., facility, service)
    """
    return facility_monthly(model, zone_demand).max(axis=-1)


def forecast_permanent(model: PlanningView, forecast: xr.Dataset, years: list[int]) -> FloatArray:
    """Permanent residents by (sample, year, zone, age) from an area forecast.

    Each area's forecast is split across its zones by the zones' current shares of
    the area's permanent residents.

    Parameters
    ----------
    model : PlanningView
        Gives the current zone shares.
    forecast : xarray.Dataset
        ``population`` with dims (sample, area, year, sex, age), as from
        :func:`forecasting.cohort.project`.
    years : list of int
        Years to take (clipped to the forecast's last year).
    """
    world = model.world
    last = int(forecast["year"].max())
    years = [min(y, last) for y in years]
    pop = forecast["population"].sel(area=list(world.zones.areas), year=years).sum("sex")
    pop = pop.transpose("sample", "year", "area", "age").values
    cells = resident_cells(model)
    per_zone = cells[:, 0].sum(axis=(1, 2)).astype(float)
    area = world.zones.area_index
    area_total = np.bincount(area, weights=per_zone, minlength=pop.shape[2])
    counts = np.bincount(area, minlength=pop.shape[2])
    share = np.where(
        area_total[area] > 0, per_zone / np.maximum(area_total[area], 1), 1.0 / counts[area]
    )
    return pop[:, :, area, :] * share[None, None, :, None]
