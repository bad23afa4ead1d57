"""The initial service network of a world: facilities, their services, vans, e-services."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scenarios.worlds.limits import CAPACITY_LIMIT, EUR_LIMIT
from scenarios.worlds.problems import Checker, complete, duplicates, rows
from scenarios.worlds.tables import read_csv
from simulation.world import DigitalChannel, FacilitySpec, MobileRoute


def parse_months(text: str) -> np.ndarray | None:
    """Parse ``"1-5,8-12"`` into 12 booleans; None if malformed.

    Examples
    --------
    >>> parse_months("1-5,8-12").astype(int).tolist()
    [1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1]
    >>> parse_months("13") is None
    True
    """
    out = np.zeros(12, dtype=bool)
    try:
        for part in str(text).split(","):
            a, _, b = part.strip().partition("-")
            lo, hi = int(a), int(b or a)
            if not 1 <= lo <= hi <= 12:
                return None
            out[lo - 1 : hi] = True
    except ValueError:
        return None
    return out


def read_capacities(
    folder: Path, chk: Checker, facility_ids: set[str] | None, service_ids: set[str] | None
) -> dict[str, dict[str, float]]:
    """Read ``facility_services.csv``: capacity by facility and service, one row per pair."""
    name = "facility_services.csv"
    links = read_csv(folder, name, chk, need_rows=True)
    capacity: dict[str, dict[str, float]] = {}
    seen: dict[tuple, int] = {}
    for row, rec in rows(links):
        fid = chk.reference(
            name, row, "facility_id", rec["facility_id"], facility_ids, "facilities.csv"
        )
        sid = chk.reference(
            name, row, "service_id", rec["service_id"], service_ids, "services.yaml"
        )
        cap = chk.number(
            name, row, "capacity_per_month", rec["capacity_per_month"], 0, CAPACITY_LIMIT
        )
        if complete(fid, sid) and not duplicates(
            chk, name, row, (fid, sid), seen, "facility_id, service_id"
        ):
            if cap is not None:
                capacity.setdefault(fid, {})[sid] = cap
    return capacity


def read_facilities(
    folder: Path, chk: Checker, zone_ix: dict[str, int] | None, service_ids: set[str] | None
) -> list[FacilitySpec]:
    """Read ``facilities.csv`` and ``facility_services.csv`` into facility specs."""
    name = "facilities.csv"
    df = read_csv(folder, name, chk, need_rows=True)
    facility_ids = None if df is None else set(df["facility_id"])
    capacity = read_capacities(folder, chk, facility_ids, service_ids)
    facilities, seen = [], set()
    for row, rec in rows(df):
        fid = rec["facility_id"]
        if not fid or fid in seen:
            chk.add(name, row, "facility_id", f"missing or duplicate id {fid!r}")
        seen.add(fid)
        zone = chk.reference(name, row, "zone_id", rec["zone_id"], zone_ix, "zones.csv")
        months = parse_months(rec["open_months"])
        if months is None:
            chk.add(name, row, "open_months", f"{rec['open_months']!r} is not like '1-5,8-12'")
        fixed = chk.number(
            name, row, "fixed_cost_eur_per_year", rec["fixed_cost_eur_per_year"], 0, EUR_LIMIT
        )
        per = chk.number(name, row, "cost_per_visit_eur", rec["cost_per_visit_eur"], 0, EUR_LIMIT)
        if complete(zone, months, fixed, per):
            facilities.append(
                FacilitySpec(
                    fid, rec["name"], zone_ix[zone], capacity.get(fid, {}), months, fixed, per
                )
            )
    return facilities


def _id_list(text: str) -> tuple[str, ...]:
    """Split ``"a;b; c"`` into ids, dropping blanks."""
    return tuple(p.strip() for p in str(text).split(";") if p.strip())


def read_mobile_routes(
    folder: Path, chk: Checker, zone_ix: dict[str, int] | None, service_ids: set[str] | None
) -> list[MobileRoute]:
    """Read the optional ``mobile_routes.csv``: one van route per row."""
    name = "mobile_routes.csv"
    if not (folder / name).is_file():
        return []
    df = read_csv(folder, name, chk)
    routes, seen = [], set()
    for row, rec in rows(df):
        rid = rec["route_id"]
        if not rid or rid in seen:
            chk.add(name, row, "route_id", f"missing or duplicate id {rid!r}")
        seen.add(rid)
        services = _id_list(rec["services"])
        zones = _id_list(rec["zones"])
        ok = bool(services) and bool(zones)
        if not services:
            chk.add(name, row, "services", "is empty; list service ids separated by ';'")
        if not zones:
            chk.add(name, row, "zones", "is empty; list zone ids separated by ';'")
        ok &= all(
            [
                chk.reference(name, row, "services", s, service_ids, "services.yaml")
                for s in services
            ]
        )
        ok &= all([chk.reference(name, row, "zones", z, zone_ix, "zones.csv") for z in zones])
        months = parse_months(rec["months"])
        if months is None:
            chk.add(name, row, "months", f"{rec['months']!r} is not like '5-9' or '1-5,8-12'")
        days = chk.number(name, row, "days_per_month", rec["days_per_month"], 0, 31, integer=True)
        cap = chk.number(
            name, row, "capacity_per_month", rec["capacity_per_month"], 0, CAPACITY_LIMIT
        )
        cost = chk.number(name, row, "cost_eur_per_year", rec["cost_eur_per_year"], 0, EUR_LIMIT)
        if ok and rid and complete(months, days, cap, cost):
            routes.append(
                MobileRoute(
                    rid, services, zones, tuple(bool(m) for m in months), int(days), cap, cost
                )
            )
    return routes


def read_digital_channels(
    folder: Path, chk: Checker, service_ids: set[str] | None
) -> list[DigitalChannel]:
    """Read the optional ``digital_channels.csv``: one digital channel per service."""
    name = "digital_channels.csv"
    if not (folder / name).is_file():
        return []
    df = read_csv(folder, name, chk)
    out, seen = [], set()
    for row, rec in rows(df):
        sid = chk.reference(
            name, row, "service_id", rec["service_id"], service_ids, "services.yaml"
        )
        if sid is not None and sid in seen:
            chk.add(name, row, "service_id", f"duplicate digital channel for {sid!r}")
            continue
        seen.add(sid)
        adoption = chk.number(name, row, "adoption", rec["adoption"] or 1.0, 0, 1)
        if complete(sid, adoption):
            out.append(DigitalChannel(sid, adoption))
    return out
