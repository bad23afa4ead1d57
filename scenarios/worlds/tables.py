"""CSV tables of a world folder: reading, zones, travel, residents and population history.

Each reader records its problems on a :class:`~scenarios.worlds.problems.Checker` and
returns None (or an empty value) for a table it cannot build. Ids that other files
refer to are returned even when the table has other problems, so that one bad cell
does not make every reference to it fail too.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from scenarios.worlds.limits import (
    COUNT_LIMIT,
    HISTORY_TOLERANCE,
    HISTORY_TOLERANCE_PERSONS,
    ZONE_LIMIT,
)
from scenarios.worlds.problems import Checker, complete, duplicates, rows
from simulation.types import AGES, SEXES
from simulation.world import Travel, Zones

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

#: Years of population history before the base year the forecast may look back (the
#: longest ``forecast.base_period``).
HISTORY_LOOKBACK = 50


def read_csv(folder: Path, name: str, chk: Checker, need_rows: bool = False) -> pd.DataFrame | None:
    """Read one CSV file as text, with its required columns (and rows), or record why not."""
    path = folder / name
    if not path.is_file():
        chk.add(name, None, None, "file is missing")
        return None
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        chk.add(name, None, None, f"is not UTF-8 text ({exc.reason} at byte {exc.start})")
        return None
    except Exception as exc:  # noqa: BLE001 - any parse failure is reported as a problem
        chk.add(name, None, None, f"cannot be read as CSV: {exc}")
        return None
    missing = [c for c in REQUIRED_COLUMNS[name] if c not in df.columns]
    if missing:
        hint = "; the separator must be ','" if any(";" in c for c in df.columns) else ""
        chk.add(name, 1, None, f"missing columns {missing}; found {list(df.columns)}{hint}")
        return None
    if need_rows and df.empty:
        chk.add(name, None, None, "has a header but no rows")
        return None
    return df


def read_zones(
    folder: Path, chk: Checker
) -> tuple[Zones | None, dict[str, int] | None, set[str] | None]:
    """Read ``zones.csv``.

    Returns
    -------
    zones : Zones or None
        None if the file has any problem.
    index : dict of str to int, or None
        Zone ids declared (row order), None if the file could not be read.
    areas : set of str, or None
        Area ids declared, None if the file could not be read.
    """
    df = read_csv(folder, "zones.csv", chk, need_rows=True)
    if df is None:
        return None, None, None
    before = len(chk.problems)
    index: dict[str, int] = {}
    for row, rec in rows(df):
        if not rec["zone_id"]:
            chk.add("zones.csv", row, "zone_id", "is empty")
        elif rec["zone_id"] in index:
            chk.add("zones.csv", row, "zone_id", f"duplicate zone {rec['zone_id']!r}")
        else:
            index[rec["zone_id"]] = len(index)
        if not rec["area_id"]:
            chk.add("zones.csv", row, "area_id", "is empty")
        for field in ("x_m", "y_m"):
            chk.number("zones.csv", row, field, rec[field])
    if len(df) > ZONE_LIMIT:
        chk.add("zones.csv", None, None, f"has {len(df):,} zones; at most {ZONE_LIMIT:,}")
    areas = {a for a in df["area_id"] if a}
    if len(chk.problems) > before:
        return None, index, areas
    zones = Zones(
        ids=tuple(df["zone_id"]),
        names=tuple(df["name"]),
        area_ids=tuple(df["area_id"]),
        x=df["x_m"].astype(float).to_numpy(),
        y=df["y_m"].astype(float).to_numpy(),
    )
    return zones, index, areas


def read_travel(folder: Path, chk: Checker, zone_ix: dict[str, int] | None) -> Travel | None:
    """Read ``travel.csv`` into full, symmetric-km matrices over the declared zones."""
    name = "travel.csv"
    df = read_csv(folder, name, chk)
    if df is None:
        return None
    n = len(zone_ix or {})
    mats = {k: np.full((n, n), np.nan) for k in ("km", "minutes_car", "minutes_nocar")}
    ok = zone_ix is not None
    for row, rec in rows(df):
        i = chk.reference(name, row, "from_zone", rec["from_zone"], zone_ix, "zones.csv")
        j = chk.reference(name, row, "to_zone", rec["to_zone"], zone_ix, "zones.csv")
        for field, mat in mats.items():
            v = chk.number(name, row, field, rec[field], 0)
            if i is None or j is None or v is None:
                ok = False
                continue
            if not np.isnan(mat[zone_ix[i], zone_ix[j]]):
                chk.add(name, row, "from_zone", f"duplicate pair {i!r} -> {j!r}")
                ok = False
            mat[zone_ix[i], zone_ix[j]] = v
    if not ok or not n:
        return None
    ids = list(zone_ix)
    missing = np.argwhere(np.isnan(mats["km"]))
    if missing.size:
        pairs = ", ".join(f"{ids[a]}->{ids[b]}" for a, b in missing[:5])
        chk.add(
            name,
            None,
            None,
            f"matrix is not square and complete: {len(missing)} of {n}x{n} pairs missing "
            f"(e.g. {pairs})",
        )
        return None
    asym = np.argwhere(~np.isclose(mats["km"], mats["km"].T, rtol=1e-9, atol=1e-9))
    for a, b in asym[asym[:, 0] < asym[:, 1]]:
        chk.add(
            name,
            None,
            "km",
            f"asymmetric distance {ids[a]}->{ids[b]} = {mats['km'][a, b]:g} but "
            f"{ids[b]}->{ids[a]} = {mats['km'][b, a]:g}; road km must be symmetric",
        )
    return Travel(**mats)


def read_residents(folder: Path, chk: Checker, zone_ix: dict[str, int] | None) -> np.ndarray:
    """Read ``residents.csv`` into counts (zone, sex, age); one row per cell, some persons."""
    name = "residents.csv"
    df = read_csv(folder, name, chk, need_rows=True)
    out = np.zeros((len(zone_ix or {}), len(SEXES), len(AGES)), dtype=np.int64)
    seen: dict[tuple, int] = {}
    before = len(chk.problems)
    for row, rec in rows(df):
        z = chk.reference(name, row, "zone_id", rec["zone_id"], zone_ix, "zones.csv")
        s = chk.choice(name, row, "sex", rec["sex"], SEXES)
        a = chk.number(name, row, "age", rec["age"], 0, 100, integer=True)
        n = chk.number(name, row, "count", rec["count"], 0, COUNT_LIMIT, integer=True)
        if not complete(z, s, a) or duplicates(
            chk, name, row, (z, s, int(a)), seen, "zone_id, sex, age"
        ):
            continue
        if n is not None:
            out[zone_ix[z], SEXES.index(s), int(a)] = int(n)
    if df is not None and len(chk.problems) == before and zone_ix and out.sum() == 0:
        chk.add(name, None, "count", "every count is 0: a world needs residents")
    return out


def read_history(
    folder: Path, chk: Checker, areas: set[str] | None, base_year: int | None
) -> dict[str, dict[int, int]]:
    """Read ``population_history.csv``: population by area and year, one row per pair.

    Every area needs its base year and at least one earlier year within
    :data:`HISTORY_LOOKBACK` years (the forecast calibrates migration on the change).
    """
    name = "population_history.csv"
    df = read_csv(folder, name, chk, need_rows=True)
    out: dict[str, dict[int, int]] = {}
    seen: dict[tuple, int] = {}
    for row, rec in rows(df):
        a = chk.reference(name, row, "area_id", rec["area_id"], areas, "zones.csv")
        y = chk.number(name, row, "year", rec["year"], 1800, 2200, integer=True)
        n = chk.number(name, row, "population", rec["population"], 0, COUNT_LIMIT, integer=True)
        if complete(a, y) and not duplicates(chk, name, row, (a, int(y)), seen, "area_id, year"):
            if n is not None:
                out.setdefault(a, {})[int(y)] = int(n)
    if df is None or df.empty or areas is None or base_year is None:
        return out
    for area in sorted(areas):
        years = out.get(area, {})
        earlier = [y for y in years if base_year - HISTORY_LOOKBACK <= y < base_year]
        if base_year not in years or not earlier:
            chk.add(
                name,
                None,
                "year",
                f"area {area!r} needs the base year {base_year} and an earlier year from "
                f"{base_year - HISTORY_LOOKBACK}; it has {_years_text(years)}",
            )
    return out


def check_history_totals(
    chk: Checker, history: dict[str, dict[int, int]], zones: Zones, residents: np.ndarray, year: int
) -> None:
    """Report areas whose base-year history total is far from their ``residents.csv`` total."""
    totals = np.bincount(
        zones.area_index, weights=residents.sum(axis=(1, 2)), minlength=len(zones.areas)
    )
    for area, total in zip(zones.areas, totals, strict=True):
        told = history.get(area, {}).get(year)
        if told is None:
            continue
        gap = abs(told - total)
        if gap > HISTORY_TOLERANCE_PERSONS and gap > HISTORY_TOLERANCE * max(told, total):
            chk.add(
                "population_history.csv",
                None,
                "population",
                f"area {area!r} had {told:,} residents in {year} but residents.csv counts "
                f"{int(total):,} there; they must agree within {HISTORY_TOLERANCE:.0%} "
                f"(or {HISTORY_TOLERANCE_PERSONS} persons)",
            )


def _years_text(years) -> str:
    if not years:
        return "no rows"
    ys = sorted(years)
    return f"{len(ys)} year(s) {ys[0]}-{ys[-1]}" if len(ys) > 3 else f"the years {ys}"
