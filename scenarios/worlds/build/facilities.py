"""Facilities of a built world: a user's register (``--facilities``), validated.

Without a register the builder uses a placeholder network (:mod:`.placeholder`).
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from scenarios.errors import Problem
from scenarios.worlds.build.errors import BuildError
from scenarios.worlds.loader import parse_months

#: Columns of the facility register a user brings (``docs/howto/new-world.md``).
REGISTER_COLUMNS = (
    "facility_id",
    "name",
    "zone_id",
    "x_m",
    "y_m",
    "services",
    "open_months",
    "fixed_cost_eur_per_year",
    "cost_per_visit_eur",
)
#: How far outside the zones' (generalised) polygons a point may lie, metres.
BORDER_TOLERANCE_M = 1000.0
#: Capacity sizing per service: slack and the months whose demand it covers (estimate).
SIZING = {
    "early_childhood_education": (1.15, "peak"),
    "basic_education": (1.10, "peak"),
    "elderly_care": (1.10, "peak"),
}
DEFAULT_SIZING = (1.15, "offpeak")
#: Unit cost (estimates): EUR per place-year (enrolment) or per visit (visits).
UNIT_COST = {
    "early_childhood_education": 13_000.0,
    "basic_education": 12_358.0,
    "primary_health_care": 90.0,
    "elderly_care": 65_000.0,
    "library": 7.0,
    "one_stop_service": 25.0,
}
DEFAULT_UNIT_COST = 25.0
PROPERTY_SHARE = 0.25
OFFPEAK = np.array([1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1], dtype=bool)


def _number(text: str) -> float | None:
    try:
        v = float(text)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) and v >= 0 else None


def read_register_text(path: Path) -> pd.DataFrame:
    """Read a register CSV, skipping ``#`` comment lines; keep the file's line numbers."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    kept = [
        (n, t) for n, t in enumerate(lines, start=1) if t.strip() and not t.lstrip().startswith("#")
    ]
    if not kept:
        return pd.DataFrame(columns=["_line", *REGISTER_COLUMNS])
    df = pd.read_csv(io.StringIO("\n".join(t for _, t in kept)), dtype=str, keep_default_na=False)
    df.insert(0, "_line", [n for n, _ in kept[1:]][: len(df)])
    return df


class ZoneLocator:
    """Find the zone of a point (EPSG:3067) among a world's zone polygons."""

    def __init__(self, zone_ids: list[str], geometries: dict[str, dict]) -> None:
        self.ids = [z for z in zone_ids if z in geometries]
        self.shapes = [shapely.geometry.shape(geometries[z]) for z in self.ids]
        self.tree = shapely.STRtree(self.shapes)

    def zone_of(self, x: float, y: float) -> str | None:
        """Return the zone containing the point, else the nearest within tolerance, else None."""
        if not self.ids:
            return None
        pt = shapely.Point(x, y)
        hit = self.tree.query(pt, predicate="within")
        if len(hit):
            return self.ids[int(hit[0])]
        near = int(self.tree.nearest(pt))
        return self.ids[near] if self.shapes[near].distance(pt) <= BORDER_TOLERANCE_M else None


def _services(name: str, row: int, text: str, service_ids: set[str], problems: list) -> dict:
    caps: dict[str, float] = {}
    parts = [p.strip() for p in str(text).split(";") if p.strip()]
    if not parts:
        problems.append(
            Problem(
                name,
                row,
                "services",
                f"{text!r} is empty; write e.g. 'library=5220;one_stop_service=150'",
            )
        )
    for part in parts:
        sid, eq, cap = (s.strip() for s in part.partition("="))
        if sid not in service_ids:
            problems.append(
                Problem(
                    name,
                    row,
                    "services",
                    f"service {sid!r} is not defined by the world; allowed: {sorted(service_ids)}",
                )
            )
        value = _number(cap) if eq else None
        if value is None:
            problems.append(
                Problem(
                    name,
                    row,
                    "services",
                    f"capacity {cap!r} of {sid!r} is not a finite non-negative number",
                )
            )
        if sid in caps:
            problems.append(Problem(name, row, "services", f"service {sid!r} listed twice"))
        if sid in service_ids and value is not None:
            caps[sid] = value
    return caps


def _zone(
    name: str,
    row: int,
    rec: dict,
    zone_ids: set[str],
    locator: ZoneLocator | None,
    problems: list[Problem],
) -> str | None:
    zone = rec.get("zone_id", "").strip()
    x, y = rec.get("x_m", "").strip(), rec.get("y_m", "").strip()
    if zone and zone not in zone_ids:
        problems.append(Problem(name, row, "zone_id", f"{zone!r} is not a zone of the world"))
        return None
    if not (x or y):
        if not zone:
            problems.append(
                Problem(name, row, "zone_id", "give zone_id or x_m and y_m (EPSG:3067)")
            )
        return zone or None
    fx, fy = _finite(x), _finite(y)
    for field, text, v in (("x_m", x, fx), ("y_m", y, fy)):
        if v is None:
            problems.append(
                Problem(name, row, field, f"{text!r} is not a finite number (EPSG:3067 metres)")
            )
    if fx is None or fy is None or locator is None:
        return zone or None
    found = locator.zone_of(fx, fy)
    if found is None:
        problems.append(
            Problem(
                name, row, "x_m", f"coordinates ({x}, {y}) are outside the area (EPSG:3067 metres)"
            )
        )
    return zone or found


def _finite(text: str) -> float | None:
    try:
        v = float(text)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def read_register(
    path: Path, zone_ids: list[str], service_ids: set[str], locator: ZoneLocator | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate a facility register and turn it into the world's facility tables.

    Returns
    -------
    facilities : DataFrame
        Columns of ``facilities.csv``.
    links : DataFrame
        Columns of ``facility_services.csv``.

    Raises
    ------
    BuildError
        Every problem, each with file, line, field and value.
    """
    name = str(path)
    try:
        df = read_register_text(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise BuildError([Problem(name, None, None, f"cannot be read as CSV: {exc}")]) from exc
    missing = [c for c in REGISTER_COLUMNS if c not in df.columns]
    if missing:
        raise BuildError(
            [
                Problem(
                    name,
                    1,
                    None,
                    f"missing columns {missing}; found {[c for c in df.columns if c != '_line']}",
                )
            ]
        )
    problems: list[Problem] = []
    facs, links, seen = [], [], set()
    for rec in df.to_dict("records"):
        row, fid = int(rec["_line"]), rec["facility_id"].strip()
        if not fid or fid in seen:
            problems.append(Problem(name, row, "facility_id", f"missing or duplicate id {fid!r}"))
        seen.add(fid)
        zone = _zone(name, row, rec, set(zone_ids), locator, problems)
        caps = _services(name, row, rec["services"], service_ids, problems)
        if parse_months(rec["open_months"]) is None:
            problems.append(
                Problem(
                    name,
                    row,
                    "open_months",
                    f"{rec['open_months']!r} is not like '1-12' or '1-5,8-12'",
                )
            )
        costs = {}
        for field in ("fixed_cost_eur_per_year", "cost_per_visit_eur"):
            costs[field] = _number(rec[field])
            if costs[field] is None:
                problems.append(
                    Problem(name, row, field, f"{rec[field]!r} is not a finite non-negative number")
                )
        facs.append(
            {
                "facility_id": fid,
                "name": rec["name"],
                "zone_id": zone,
                "open_months": rec["open_months"],
                **costs,
            }
        )
        links += [
            {"facility_id": fid, "service_id": s, "capacity_per_month": c} for s, c in caps.items()
        ]
    if not problems and not facs:
        problems.append(Problem(name, None, None, "has no facilities"))
    if problems:
        raise BuildError(problems)
    return pd.DataFrame(facs), pd.DataFrame(
        links, columns=["facility_id", "service_id", "capacity_per_month"]
    )
