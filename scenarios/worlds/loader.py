"""Load and validate a world folder (format: ``docs/world-format.md``).

Every file is checked and **all** problems are reported together, each with file,
line and field, in one :class:`~scenarios.errors.WorldFileError`. Nothing is built
from a folder that has a problem.
"""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from scenarios.errors import Problem, WorldFileError
from simulation.types import AGES, CHANNELS, KINDS, SEXES
from simulation.world import (
    DEMAND_TYPES,
    DigitalChannel,
    FacilitySpec,
    MobileRoute,
    SeasonalResidents,
    Service,
    Travel,
    World,
    Zones,
)

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "zones.csv": ("zone_id", "name", "area_id", "x_m", "y_m"),
    "travel.csv": ("from_zone", "to_zone", "km", "minutes_car", "minutes_nocar"),
    "facilities.csv": (
        "facility_id",
        "name",
        "zone_id",
        "open_months",
        "fixed_cost_eur_per_year",
        "cost_per_visit_eur",
    ),
    "facility_services.csv": ("facility_id", "service_id", "capacity_per_month"),
    "residents.csv": ("zone_id", "sex", "age", "count"),
    "seasonal_residences.csv": ("zone_id", "residences"),
    "seasonal_age_structure.csv": ("sex", "age", "share"),
    "seasonal_profiles.csv": ("profile", "month", "presence_share"),
    "population_history.csv": ("area_id", "year", "population"),
    "mobile_routes.csv": (
        "route_id",
        "services",
        "zones",
        "months",
        "days_per_month",
        "capacity_per_month",
        "cost_eur_per_year",
    ),
    "digital_channels.csv": ("service_id", "adoption"),
}

#: Files a world folder may leave out; an absent file means none of its items.
OPTIONAL_FILES: tuple[str, ...] = ("mobile_routes.csv", "digital_channels.csv")


def embedded_worlds() -> tuple[str, ...]:
    """Names of the worlds shipped with the package."""
    root = resources.files("scenarios") / "worlds"
    return tuple(sorted(p.name for p in root.iterdir() if (p / "world.yaml").is_file()))


def embedded_world_path(name: str) -> Path:
    """Folder of the embedded world ``name``.

    Raises
    ------
    WorldFileError
        If no embedded world has that name; the message lists the names there are.
    """
    names = embedded_worlds()
    if name not in names:
        raise WorldFileError(
            "scenarios/worlds",
            [Problem("world", None, "name", f"unknown world {name!r}; allowed: {list(names)}")],
        )
    return Path(str(resources.files("scenarios") / "worlds" / name))


class _Checker:
    """Collects problems while parsing; the helpers return None for bad values."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, row: int | None, field: str | None, message: str) -> None:
        self.problems.append(Problem(file, row, field, message))

    def number(
        self,
        file: str,
        row: int,
        field: str,
        value: Any,
        lo: float | None = None,
        hi: float | None = None,
        integer: bool = False,
    ) -> float | None:
        try:
            x = float(value)
        except (TypeError, ValueError):
            self.add(file, row, field, f"{value!r} is not a number")
            return None
        if math.isnan(x) or math.isinf(x):
            self.add(file, row, field, f"{value!r} is not a finite number")
            return None
        if integer and x != int(x):
            self.add(file, row, field, f"{value!r} is not a whole number")
            return None
        if lo is not None and x < lo or hi is not None and x > hi:
            self.add(file, row, field, f"{value!r} is outside {_range(lo, hi)}")
            return None
        return x

    def choice(self, file: str, row: int, field: str, value: Any, allowed) -> Any | None:
        if value not in allowed:
            self.add(file, row, field, f"{value!r} is not one of {sorted(map(str, allowed))}")
            return None
        return value


def _complete(*values: Any) -> bool:
    """Tell whether no value is None (None marks a value that failed its check)."""
    return all(v is not None for v in values)


def _range(lo: float | None, hi: float | None) -> str:
    low = "-inf" if lo is None else f"{lo:g}"
    high = "inf" if hi is None else f"{hi:g}"
    return f"[{low}, {high}]"


def _read_csv(folder: Path, name: str, chk: _Checker) -> pd.DataFrame | None:
    path = folder / name
    if not path.is_file():
        chk.add(name, None, None, "file is missing")
        return None
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except Exception as exc:  # noqa: BLE001 - any parse failure is reported as a problem
        chk.add(name, None, None, f"cannot be read as CSV: {exc}")
        return None
    missing = [c for c in REQUIRED_COLUMNS[name] if c not in df.columns]
    if missing:
        chk.add(name, 1, None, f"missing columns {missing}; found {list(df.columns)}")
        return None
    return df


def _rows(df: pd.DataFrame):
    """Yield (line number in the file, row as dict); the header is line 1."""
    for i, rec in enumerate(df.to_dict("records")):
        yield i + 2, rec


def load_world(folder: str | Path) -> World:
    """Read and validate a world folder.

    Parameters
    ----------
    folder : str or Path
        Folder with the files of ``docs/world-format.md``.

    Returns
    -------
    World

    Raises
    ------
    WorldFileError
        Listing every problem found, each with file, line and field.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise WorldFileError(str(folder), [Problem(str(folder), None, None, "not a folder")])
    chk = _Checker()
    meta = _read_meta(folder, chk)
    zones = _read_zones(folder, chk)
    zone_ix = {z: i for i, z in enumerate(zones.ids)} if zones else {}
    travel = _read_travel(folder, chk, zone_ix)
    services = _read_services(folder, chk)
    service_ids = {s.id for s in services}
    facilities = _read_facilities(folder, chk, zone_ix, service_ids)
    residents = _read_residents(folder, chk, zone_ix)
    seasonal = _read_seasonal(folder, chk, zone_ix, meta)
    history = _read_history(folder, chk, set(zones.area_ids) if zones else set())
    routes = _read_mobile_routes(folder, chk, zone_ix, service_ids)
    digital = _read_digital_channels(folder, chk, service_ids)
    if chk.problems:
        raise WorldFileError(str(folder), chk.problems)
    return World(
        name=str(meta["name"]),
        title=str(meta.get("title", meta["name"])),
        base_year=int(meta["base_year"]),
        zones=zones,
        travel=travel,
        services=tuple(services),
        facilities=tuple(facilities),
        residents=residents,
        seasonal=seasonal,
        population_history=history,
        rates_region=int(meta["rates_region"]),
        internal_move_rate=float(meta.get("internal_move_rate", 0.0)),
        household_size=float(meta.get("household_size", 2.0)),
        mobile_routes=tuple(routes),
        digital_channels=tuple(digital),
    )


def _read_yaml(folder: Path, name: str, chk: _Checker) -> Any:
    path = folder / name
    if not path.is_file():
        chk.add(name, None, None, "file is missing")
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        chk.add(name, None, None, f"is not valid YAML: {exc}")
        return None


def _read_meta(folder: Path, chk: _Checker) -> dict:
    meta = _read_yaml(folder, "world.yaml", chk)
    if not isinstance(meta, dict):
        if meta is not None:
            chk.add("world.yaml", None, None, "must be a mapping of keys to values")
        return {"name": "?", "base_year": 2000, "rates_region": 0, "seasonal": {}}
    for key in ("name", "base_year", "rates_region"):
        if key not in meta:
            chk.add("world.yaml", None, key, "is required")
            meta[key] = 0
    chk.number("world.yaml", None, "base_year", meta["base_year"], 1900, 2200, integer=True)
    chk.number("world.yaml", None, "rates_region", meta["rates_region"], 0, integer=True)
    chk.number("world.yaml", None, "internal_move_rate", meta.get("internal_move_rate", 0), 0, 1)
    chk.number("world.yaml", None, "household_size", meta.get("household_size", 2.0), 1)
    seasonal = meta.get("seasonal") or {}
    if not isinstance(seasonal, dict):
        chk.add("world.yaml", None, "seasonal", "must be a mapping")
        seasonal = {}
    chk.number(
        "world.yaml", None, "seasonal.users_per_residence", seasonal.get("users_per_residence"), 0
    )
    meta["seasonal"] = seasonal
    return meta


def _read_zones(folder: Path, chk: _Checker) -> Zones | None:
    df = _read_csv(folder, "zones.csv", chk)
    if df is None:
        return None
    before = len(chk.problems)
    seen: set[str] = set()
    for row, rec in _rows(df):
        if not rec["zone_id"]:
            chk.add("zones.csv", row, "zone_id", "is empty")
        elif rec["zone_id"] in seen:
            chk.add("zones.csv", row, "zone_id", f"duplicate zone {rec['zone_id']!r}")
        seen.add(rec["zone_id"])
        if not rec["area_id"]:
            chk.add("zones.csv", row, "area_id", "is empty")
        for field in ("x_m", "y_m"):
            chk.number("zones.csv", row, field, rec[field])
    if df.empty:
        chk.add("zones.csv", None, None, "has no zones")
    if len(chk.problems) > before:
        return None
    return Zones(
        ids=tuple(df["zone_id"]),
        names=tuple(df["name"]),
        area_ids=tuple(df["area_id"]),
        x=df["x_m"].astype(float).to_numpy(),
        y=df["y_m"].astype(float).to_numpy(),
    )


def _read_travel(folder: Path, chk: _Checker, zone_ix: dict[str, int]) -> Travel | None:
    df = _read_csv(folder, "travel.csv", chk)
    n = len(zone_ix)
    if df is None or not zone_ix:
        return None
    mats = {k: np.full((n, n), np.nan) for k in ("km", "minutes_car", "minutes_nocar")}
    ok = True
    for row, rec in _rows(df):
        i = chk.choice("travel.csv", row, "from_zone", rec["from_zone"], zone_ix)
        j = chk.choice("travel.csv", row, "to_zone", rec["to_zone"], zone_ix)
        for field, mat in mats.items():
            v = chk.number("travel.csv", row, field, rec[field], 0)
            if i is None or j is None or v is None:
                ok = False
                continue
            if not np.isnan(mat[zone_ix[i], zone_ix[j]]):
                chk.add("travel.csv", row, "from_zone", f"duplicate pair {i!r} -> {j!r}")
                ok = False
            mat[zone_ix[i], zone_ix[j]] = v
    if not ok:
        return None
    missing = np.argwhere(np.isnan(mats["km"]))
    if missing.size:
        ids = list(zone_ix)
        pairs = ", ".join(f"{ids[a]}->{ids[b]}" for a, b in missing[:5])
        chk.add(
            "travel.csv",
            None,
            None,
            f"matrix is not square and complete: {len(missing)} of {n}x{n} pairs missing "
            f"(e.g. {pairs})",
        )
        return None
    asym = np.argwhere(~np.isclose(mats["km"], mats["km"].T, rtol=1e-9, atol=1e-9))
    for a, b in asym[asym[:, 0] < asym[:, 1]]:
        ids = list(zone_ix)
        chk.add(
            "travel.csv",
            None,
            "km",
            f"asymmetric distance {ids[a]}->{ids[b]} = {mats['km'][a, b]:g} but "
            f"{ids[b]}->{ids[a]} = {mats['km'][b, a]:g}; road km must be symmetric",
        )
    return Travel(**mats)


def _read_services(folder: Path, chk: _Checker) -> list[Service]:
    doc = _read_yaml(folder, "services.yaml", chk)
    if doc is None:
        return []
    if not isinstance(doc, list):
        chk.add("services.yaml", None, None, "must be a list of services")
        return []
    services, seen = [], set()
    for k, item in enumerate(doc, start=1):
        where = f"services.yaml (service {k})"
        if not isinstance(item, dict):
            chk.add(where, None, None, "must be a mapping")
            continue
        sid = str(item.get("id", ""))
        if not sid or sid in seen:
            chk.add(where, None, "id", f"missing or duplicate id {sid!r}")
        seen.add(sid)
        service = _parse_service(where, item, chk)
        if service is not None:
            services.append(service)
    return services


def _parse_service(where: str, item: dict, chk: _Checker) -> Service | None:
    before = len(chk.problems)
    demand_type = chk.choice(where, None, "demand_type", item.get("demand_type"), DEMAND_TYPES)
    lo = chk.number(where, None, "min_age", item.get("min_age"), 0, 100, integer=True)
    hi = chk.number(where, None, "max_age", item.get("max_age"), 0, 100, integer=True)
    kinds = item.get("kinds", list(KINDS))
    for kind in kinds if isinstance(kinds, list) else [kinds]:
        chk.choice(where, None, "kinds", kind, KINDS)
    channels = item.get("channels", ["in_person"])
    for ch in channels if isinstance(channels, list) else [channels]:
        chk.choice(where, None, "channels", ch, CHANNELS)
    factors = item.get("month_factors", [1.0] * 12)
    if not isinstance(factors, list) or len(factors) != 12:
        chk.add(where, None, "month_factors", "must be a list of 12 numbers")
        factors = [1.0] * 12
    factors = [chk.number(where, None, "month_factors", f, 0) for f in factors]
    rate = np.zeros((len(KINDS), len(AGES)))
    max_rate = 1.0 if demand_type == "enrolment" else None
    for band in item.get("rates") or []:
        a0 = chk.number(where, None, "rates.age_from", band.get("age_from"), 0, 100, integer=True)
        a1 = chk.number(where, None, "rates.age_to", band.get("age_to"), 0, 100, integer=True)
        for k, kind in enumerate(KINDS):
            r = chk.number(where, None, f"rates.{kind}", band.get(kind, 0), 0, max_rate)
            if _complete(a0, a1, r):
                rate[k, int(a0) : int(a1) + 1] = r
    if len(chk.problems) > before or not _complete(lo, hi) or not _complete(*factors):
        return None
    eligible = np.zeros(len(AGES), dtype=bool)
    eligible[int(lo) : int(hi) + 1] = True
    for k, kind in enumerate(KINDS):
        if kind not in kinds:
            rate[k] = 0.0
    rate[:, ~eligible] = 0.0
    return Service(
        id=str(item["id"]),
        name=str(item.get("name", item["id"])),
        demand_type=demand_type,
        unit=str(item.get("unit", "visits")),
        rate=rate,
        month_factors=np.array(factors, dtype=float),
        channels=tuple(channels),
    )


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


def _read_facilities(
    folder: Path, chk: _Checker, zone_ix: dict[str, int], service_ids: set[str]
) -> list[FacilitySpec]:
    df = _read_csv(folder, "facilities.csv", chk)
    links = _read_csv(folder, "facility_services.csv", chk)
    if df is None or links is None:
        return []
    capacity: dict[str, dict[str, float]] = {fid: {} for fid in df["facility_id"]}
    for row, rec in _rows(links):
        fid = chk.choice("facility_services.csv", row, "facility_id", rec["facility_id"], capacity)
        sid = chk.choice("facility_services.csv", row, "service_id", rec["service_id"], service_ids)
        cap = chk.number(
            "facility_services.csv", row, "capacity_per_month", rec["capacity_per_month"], 0
        )
        if _complete(fid, sid, cap):
            capacity[fid][sid] = cap
    facilities, seen = [], set()
    for row, rec in _rows(df):
        fid = rec["facility_id"]
        if not fid or fid in seen:
            chk.add("facilities.csv", row, "facility_id", f"missing or duplicate id {fid!r}")
        seen.add(fid)
        zone = chk.choice("facilities.csv", row, "zone_id", rec["zone_id"], zone_ix)
        months = parse_months(rec["open_months"])
        if months is None:
            chk.add(
                "facilities.csv",
                row,
                "open_months",
                f"{rec['open_months']!r} is not like '1-5,8-12'",
            )
        fixed = chk.number(
            "facilities.csv", row, "fixed_cost_eur_per_year", rec["fixed_cost_eur_per_year"], 0
        )
        per = chk.number("facilities.csv", row, "cost_per_visit_eur", rec["cost_per_visit_eur"], 0)
        if not _complete(zone, months, fixed, per):
            continue
        facilities.append(
            FacilitySpec(fid, rec["name"], zone_ix[zone], capacity.get(fid, {}), months, fixed, per)
        )
    return facilities


def _read_residents(folder: Path, chk: _Checker, zone_ix: dict[str, int]) -> np.ndarray | None:
    df = _read_csv(folder, "residents.csv", chk)
    out = np.zeros((len(zone_ix), len(SEXES), len(AGES)), dtype=np.int64)
    if df is None:
        return out
    for row, rec in _rows(df):
        z = chk.choice("residents.csv", row, "zone_id", rec["zone_id"], zone_ix)
        s = chk.choice("residents.csv", row, "sex", rec["sex"], SEXES)
        a = chk.number("residents.csv", row, "age", rec["age"], 0, 100, integer=True)
        n = chk.number("residents.csv", row, "count", rec["count"], 0, integer=True)
        if _complete(z, s, a, n):
            out[zone_ix[z], SEXES.index(s), int(a)] += int(n)
    return out


def _read_seasonal(
    folder: Path, chk: _Checker, zone_ix: dict[str, int], meta: dict
) -> SeasonalResidents:
    residences = np.zeros(len(zone_ix), dtype=np.int64)
    df = _read_csv(folder, "seasonal_residences.csv", chk)
    for row, rec in _rows(df) if df is not None else ():
        z = chk.choice("seasonal_residences.csv", row, "zone_id", rec["zone_id"], zone_ix)
        n = chk.number(
            "seasonal_residences.csv", row, "residences", rec["residences"], 0, integer=True
        )
        if _complete(z, n):
            residences[zone_ix[z]] += int(n)
    age_share = np.zeros((len(SEXES), len(AGES)))
    df = _read_csv(folder, "seasonal_age_structure.csv", chk)
    for row, rec in _rows(df) if df is not None else ():
        s = chk.choice("seasonal_age_structure.csv", row, "sex", rec["sex"], SEXES)
        a = chk.number("seasonal_age_structure.csv", row, "age", rec["age"], 0, 100, integer=True)
        v = chk.number("seasonal_age_structure.csv", row, "share", rec["share"], 0, 1)
        if _complete(s, a, v):
            age_share[SEXES.index(s), int(a)] += v
    if df is not None and not math.isclose(age_share.sum(), 1.0, abs_tol=1e-6):
        chk.add(
            "seasonal_age_structure.csv",
            None,
            "share",
            f"shares sum to {age_share.sum():.6f}, not 1",
        )
    presence: dict[str, np.ndarray] = {}
    df = _read_csv(folder, "seasonal_profiles.csv", chk)
    for row, rec in _rows(df) if df is not None else ():
        m = chk.number("seasonal_profiles.csv", row, "month", rec["month"], 1, 12, integer=True)
        v = chk.number("seasonal_profiles.csv", row, "presence_share", rec["presence_share"], 0, 1)
        prof = presence.setdefault(rec["profile"], np.full(12, np.nan))
        if m is not None:  # a bad share is reported once, not again as a missing month
            prof[int(m) - 1] = 0.0 if v is None else v
    for name, values in presence.items():
        if np.isnan(values).any():
            chk.add(
                "seasonal_profiles.csv",
                None,
                "month",
                f"profile {name!r} lacks some of months 1-12",
            )
    shares = meta["seasonal"].get("profile_shares") or {
        p: 1.0 / max(1, len(presence)) for p in presence
    }
    for p in shares:
        chk.choice("world.yaml", None, "seasonal.profile_shares", p, presence)
    total = sum(float(v) for v in shares.values()) if shares else 0.0
    if presence and not math.isclose(total, 1.0, abs_tol=1e-6):
        chk.add("world.yaml", None, "seasonal.profile_shares", f"shares sum to {total:g}, not 1")
    profiles = tuple(presence)
    return SeasonalResidents(
        residences=residences,
        users_per_residence=float(meta["seasonal"].get("users_per_residence") or 0.0),
        age_share=age_share,
        profiles=profiles,
        profile_shares=np.array([float(shares.get(p, 0.0)) for p in profiles]),
        presence=np.array([presence[p] for p in profiles]).reshape(len(profiles), 12),
    )


def _read_history(folder: Path, chk: _Checker, areas: set[str]) -> dict[str, dict[int, int]]:
    df = _read_csv(folder, "population_history.csv", chk)
    out: dict[str, dict[int, int]] = {}
    for row, rec in _rows(df) if df is not None else ():
        a = chk.choice("population_history.csv", row, "area_id", rec["area_id"], areas)
        y = chk.number("population_history.csv", row, "year", rec["year"], 1800, 2200, integer=True)
        n = chk.number(
            "population_history.csv", row, "population", rec["population"], 0, integer=True
        )
        if _complete(a, y, n):
            out.setdefault(a, {})[int(y)] = int(n)
    return out


def _id_list(text: str) -> tuple[str, ...]:
    """Split ``"a;b; c"`` into ids, dropping blanks."""
    return tuple(p.strip() for p in str(text).split(";") if p.strip())


def _read_mobile_routes(
    folder: Path, chk: _Checker, zone_ix: dict[str, int], service_ids: set[str]
) -> list[MobileRoute]:
    """Read the optional ``mobile_routes.csv``: one van route per row."""
    name = "mobile_routes.csv"
    if not (folder / name).is_file():
        return []
    df = _read_csv(folder, name, chk)
    routes, seen = [], set()
    for row, rec in _rows(df) if df is not None else ():
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
        ok &= all(chk.choice(name, row, "services", sid, service_ids) for sid in services)
        ok &= all(chk.choice(name, row, "zones", z, zone_ix) for z in zones)
        months = parse_months(rec["months"])
        if months is None:
            chk.add(name, row, "months", f"{rec['months']!r} is not like '5-9' or '1-5,8-12'")
        days = chk.number(name, row, "days_per_month", rec["days_per_month"], 0, 31, integer=True)
        cap = chk.number(name, row, "capacity_per_month", rec["capacity_per_month"], 0)
        cost = chk.number(name, row, "cost_eur_per_year", rec["cost_eur_per_year"], 0)
        if ok and rid and _complete(months, days, cap, cost):
            routes.append(
                MobileRoute(
                    rid, services, zones, tuple(bool(m) for m in months), int(days), cap, cost
                )
            )
    return routes


def _read_digital_channels(
    folder: Path, chk: _Checker, service_ids: set[str]
) -> list[DigitalChannel]:
    """Read the optional ``digital_channels.csv``: one digital channel per service."""
    name = "digital_channels.csv"
    if not (folder / name).is_file():
        return []
    df = _read_csv(folder, name, chk)
    out, seen = [], set()
    for row, rec in _rows(df) if df is not None else ():
        sid = chk.choice(name, row, "service_id", rec["service_id"], service_ids)
        if sid is not None and sid in seen:
            chk.add(name, row, "service_id", f"duplicate digital channel for {sid!r}")
            continue
        seen.add(sid)
        adoption = chk.number(name, row, "adoption", rec["adoption"] or 1.0, 0, 1)
        if _complete(sid, adoption):
            out.append(DigitalChannel(sid, adoption))
    return out
