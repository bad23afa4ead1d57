"""Travel between zones: the detour-factor rule, or a user's matrix (``--travel``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from scenarios.errors import Problem
from scenarios.worlds.build.errors import BuildError

MODES = ("km", "minutes_car", "minutes_nocar")
TRAVEL_COLUMNS = ("from_zone", "to_zone", *MODES)


@dataclass(frozen=True)
class TravelRule:
    """Parameters of the detour-factor rule (all **estimates**, see the README).

    Attributes
    ----------
    detour : float
        Road km per straight-line km (1.3: motorway and rural networks, Wang et al. 2024).
    car_kmh, car_access_min : float
        Mean car speed (km/h) and access/parking time (min).
    nocar_kmh, nocar_wait_min : float
        Mean speed without a car (bus, demand-responsive taxi, walking) and wait (min).
    min_intra_km : float
        Lower bound of the distance inside a zone (km).
    """

    detour: float = 1.3
    car_kmh: float = 60.0
    car_access_min: float = 2.0
    nocar_kmh: float = 25.0
    nocar_wait_min: float = 15.0
    min_intra_km: float = 0.5


def rule_matrix(x: np.ndarray, y: np.ndarray, area_km2: np.ndarray, rule: TravelRule) -> dict:
    """Road km and minutes between zone points (EPSG:3067 metres).

    Between zones: straight-line km x detour. Inside a zone: detour x the mean
    distance from the centre of a disc of the zone's area to a point in it
    (2/3 of its radius), at least ``min_intra_km``.

    Examples
    --------
    >>> m = rule_matrix(np.array([0.0, 3000.0]), np.array([0.0, 4000.0]),
    ...                 np.array([math.pi, math.pi]), TravelRule())
    >>> m["km"].tolist()
    [[0.867, 6.5], [6.5, 0.867]]
    """
    km = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]) / 1000 * rule.detour
    radius = np.sqrt(np.maximum(area_km2, 0.0) / math.pi)
    intra = np.maximum(rule.detour * 2.0 / 3.0 * radius, rule.min_intra_km)
    km[np.diag_indices(len(km))] = intra
    km = np.round(km, 3)
    return {
        "km": km,
        "minutes_car": np.round(km / rule.car_kmh * 60 + rule.car_access_min, 2),
        "minutes_nocar": np.round(km / rule.nocar_kmh * 60 + rule.nocar_wait_min, 2),
    }


def read_travel(path: Path, zone_ids: list[str]) -> dict:
    """Read a user's travel matrix (format of ``travel.csv``) for the given zones.

    Raises
    ------
    BuildError
        Naming file, row, field and value of every bad cell, every unknown zone and
        the missing pairs.
    """
    name = str(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise BuildError([Problem(name, None, None, f"cannot be read as CSV: {exc}")]) from exc
    missing = [c for c in TRAVEL_COLUMNS if c not in df.columns]
    if missing:
        raise BuildError([Problem(name, 1, None, f"missing columns {missing}")])
    ix = {z: i for i, z in enumerate(zone_ids)}
    n, problems = len(ix), []
    mats = {k: np.full((n, n), np.nan) for k in MODES}
    for row, rec in enumerate(df.to_dict("records"), start=2):
        pair = [ix.get(rec[c]) for c in ("from_zone", "to_zone")]
        for c, i in zip(("from_zone", "to_zone"), pair, strict=True):
            if i is None:
                problems.append(Problem(name, row, c, f"{rec[c]!r} is not a zone of the world"))
        for k in MODES:
            v = _non_negative(rec[k])
            if v is None:
                problems.append(Problem(name, row, k, f"{rec[k]!r} is not a finite number >= 0"))
            elif None not in pair:
                mats[k][pair[0], pair[1]] = v
    gaps = np.argwhere(np.isnan(mats["km"]))
    if not problems and gaps.size:
        eg = ", ".join(f"{zone_ids[a]}->{zone_ids[b]}" for a, b in gaps[:5])
        problems.append(
            Problem(name, None, None, f"{len(gaps)} of {n}x{n} pairs missing (e.g. {eg})")
        )
    if problems:
        raise BuildError(problems)
    mats["km"] = (mats["km"] + mats["km"].T) / 2  # road km must be symmetric in a world
    return mats


def _non_negative(text: str) -> float | None:
    try:
        v = float(text)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) and v >= 0 else None


def travel_table(mats: dict, zone_ids: list[str]) -> pd.DataFrame:
    """Lay out the full square matrix as ``travel.csv`` rows, one per ordered pair."""
    ids = np.asarray(zone_ids, dtype=object)
    i, j = np.meshgrid(np.arange(len(ids)), np.arange(len(ids)), indexing="ij")
    df = pd.DataFrame({"from_zone": ids[i.ravel()], "to_zone": ids[j.ravel()]})
    for k in MODES:
        df[k] = mats[k].ravel()
    return df
