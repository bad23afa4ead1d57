"""Facilities of the embedded worlds: sites, capacities from norms and costs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import service_norms

from hand_worlds.inputs import WorldData
from hand_worlds.services import demand_by_service
from scenarios.worlds.build.facilities import UNIT_COST

PROPERTY_SHARE = 0.25  # property ~1/4 of basic-education costs (oph.fi 2022, domain.md)

# Unit costs (estimates) are the world builder's, so hand-built and built worlds agree.
OPEN_MONTHS = {"basic_education": "1-5,8-12"}
SHORT = {
    "early_childhood_education": "ece",
    "basic_education": "school",
    "primary_health_care": "health",
    "elderly_care": "elderly",
    "library": "library",
    "one_stop_service": "onestop",
}


def costs(service: dict, cap: int) -> tuple[float, float]:
    """Fixed EUR/year and EUR per visit (or per place-month) of a one-service unit."""
    unit = UNIT_COST[service["id"]]
    if service["demand_type"] == "enrolment":
        open_months = int(np.count_nonzero(service["month_factors"]))
        fixed = PROPERTY_SHARE * unit * cap
        per = (1 - PROPERTY_SHARE) * unit / open_months
    else:
        fixed = PROPERTY_SHARE * unit * cap * 12
        per = (1 - PROPERTY_SHARE) * unit
    return float(round(fixed, -2)), round(per, 2)


def catchments(sites: list[int], zones_ix: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    """Nearest site (index into ``sites``) for each zone of ``zones_ix`` by car time."""
    return np.argmin(minutes[np.ix_(zones_ix, sites)], axis=1)


def facility_rows(
    service: dict, sites: list[tuple[str, str, int]], zones_ix: np.ndarray,
    demand: np.ndarray, minutes: np.ndarray, residents: np.ndarray,
) -> tuple[list[dict], list[dict]]:  # fmt: skip
    """Facility and link rows for one service in one area.

    Parameters
    ----------
    sites : list of (facility_id, name, zone index)
    zones_ix : ndarray of int
        Zones whose demand these facilities serve (the area's zones).
    demand : ndarray, shape (zone, 12)
        Expected demand of every zone of the world.
    """
    near = catchments([s[2] for s in sites], zones_ix, minutes)
    facs, links = [], []
    for k, (fid, name, z) in enumerate(sites):
        catchment = zones_ix[near == k]
        cap = service_norms.capacity(
            service["id"], demand[catchment].sum(axis=0), float(residents[catchment].sum())
        )
        fixed, per = costs(service, cap)
        months = OPEN_MONTHS.get(service["id"], "1-12")
        facs.append({"facility_id": fid, "name": name, "zone_ix": z, "open_months": months,
                     "fixed_cost_eur_per_year": fixed, "cost_per_visit_eur": per})  # fmt: skip
        links.append({"facility_id": fid, "service_id": service["id"], "capacity_per_month": cap})
    return facs, links


def greedy_sites(weights: np.ndarray, minutes: np.ndarray, n: int) -> list[int]:
    """Greedy p-median: add the site that most cuts demand-weighted car minutes.

    Parameters
    ----------
    weights : ndarray, shape (m,)
        Demand of the candidate zones.
    minutes : ndarray, shape (m, m)
        Car minutes among the candidate zones.
    n : int
        Number of sites (at most m).

    Returns
    -------
    list of int
        Chosen positions into the candidate zones, in order of choice.
    """
    chosen: list[int] = []
    best = np.full(len(weights), np.inf)
    for _ in range(min(n, len(weights))):
        cost = [
            np.inf if j in chosen else float(weights @ np.minimum(best, minutes[:, j]))
            for j in range(len(weights))
        ]
        j = int(np.argmin(cost))
        chosen.append(j)
        best = np.minimum(best, minutes[:, j])
    return chosen


def add_facilities(world: WorldData, plan: dict[str, list[tuple[str, str, int]]]) -> None:
    """Size and cost the planned sites of every service; fills facilities and links.

    Parameters
    ----------
    world : WorldData
        The world; its ``facilities`` and ``links`` are replaced.
    plan : dict
        Per area id, a list of ``(service_id, facility_id, name, zone index)``. Each
        unit serves the area's zones for which it is the nearest unit by car.
    """
    demand = demand_by_service(world)
    minutes = world.travel["minutes_car"]
    areas = world.zones.area_id.to_numpy()
    people = world.residents.reshape(len(areas), -1).sum(axis=1)
    facs, links = [], []
    for area, items in plan.items():
        zones_ix = np.flatnonzero(areas == area)
        for service in world.services:
            sites = [(f, n, z) for s, f, n, z in items if s == service["id"]]
            if sites:
                f, lk = facility_rows(
                    service, sites, zones_ix, demand[service["id"]], minutes, people
                )
                facs += f
                links += lk
    fac = pd.DataFrame(facs)
    fac.insert(2, "zone_id", world.zones.zone_id.to_numpy()[fac.pop("zone_ix")])
    world.facilities, world.links = fac, pd.DataFrame(links)


def utilisation_table(world: WorldData) -> pd.DataFrame:
    """Expected demand vs capacity per facility in January and July (rough)."""
    demand = demand_by_service(world)
    minutes = world.travel["minutes_car"]
    fz = dict(zip(world.facilities.facility_id, world.facilities.zone_id, strict=True))
    ids = list(world.zones.zone_id)
    rows = []
    for sid, grp in world.links.groupby("service_id", sort=False):
        sites = [ids.index(fz[f]) for f in grp.facility_id]
        areas = world.zones.area_id.to_numpy()
        for k, (fid, cap) in enumerate(zip(grp.facility_id, grp.capacity_per_month, strict=True)):
            zix = np.flatnonzero(areas == areas[sites[k]])
            near = catchments(sites, zix, minutes)
            d = demand[sid][zix[near == k]].sum(axis=0)
            rows.append(
                {"facility": fid, "capacity": cap, "jan": round(d[0], 1), "jul": round(d[6], 1),
                 "util_jan_%": round(100 * d[0] / cap), "util_jul_%": round(100 * d[6] / cap)}
            )  # fmt: skip
    return pd.DataFrame(rows)
