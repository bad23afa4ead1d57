"""Seasonal residents of a world: residences by zone, age structure and presence profiles."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from scenarios.worlds.limits import COUNT_LIMIT
from scenarios.worlds.problems import Checker, complete, duplicates, rows
from scenarios.worlds.tables import read_csv
from simulation.types import AGES, SEXES
from simulation.world import SeasonalResidents


def read_seasonal(
    folder: Path, chk: Checker, zone_ix: dict[str, int] | None, meta: dict
) -> SeasonalResidents:
    """Read the seasonal files and ``seasonal`` of ``world.yaml`` into seasonal residents."""
    residences = _read_residences(folder, chk, zone_ix)
    age_share = _read_age_structure(folder, chk)
    presence = _read_profiles(folder, chk)
    shares = _profile_shares(chk, meta["seasonal"].get("profile_shares"), presence)
    profiles = tuple(presence)
    return SeasonalResidents(
        residences=residences,
        users_per_residence=float(meta["seasonal"].get("users_per_residence") or 0.0),
        age_share=age_share,
        profiles=profiles,
        profile_shares=np.array([float(shares.get(p, 0.0)) for p in profiles]),
        presence=np.array([presence[p] for p in profiles]).reshape(len(profiles), 12),
    )


def _read_residences(folder: Path, chk: Checker, zone_ix: dict[str, int] | None) -> np.ndarray:
    name = "seasonal_residences.csv"
    residences = np.zeros(len(zone_ix or {}), dtype=np.int64)
    seen: dict[tuple, int] = {}
    for row, rec in rows(read_csv(folder, name, chk)):
        z = chk.reference(name, row, "zone_id", rec["zone_id"], zone_ix, "zones.csv")
        n = chk.number(name, row, "residences", rec["residences"], 0, COUNT_LIMIT, integer=True)
        if complete(z) and not duplicates(chk, name, row, (z,), seen, "zone_id") and n is not None:
            residences[zone_ix[z]] = int(n)
    return residences


def _read_age_structure(folder: Path, chk: Checker) -> np.ndarray:
    name = "seasonal_age_structure.csv"
    age_share = np.zeros((len(SEXES), len(AGES)))
    df = read_csv(folder, name, chk)
    seen: dict[tuple, int] = {}
    for row, rec in rows(df):
        s = chk.choice(name, row, "sex", rec["sex"], SEXES)
        a = chk.number(name, row, "age", rec["age"], 0, 100, integer=True)
        v = chk.number(name, row, "share", rec["share"], 0, 1)
        if complete(s, a) and not duplicates(chk, name, row, (s, int(a)), seen, "sex, age"):
            age_share[SEXES.index(s), int(a)] = 0.0 if v is None else v
    if df is not None and not math.isclose(age_share.sum(), 1.0, abs_tol=1e-6):
        chk.add(name, None, "share", f"shares sum to {age_share.sum():.6f}, not 1")
    return age_share


def _read_profiles(folder: Path, chk: Checker) -> dict[str, np.ndarray]:
    name = "seasonal_profiles.csv"
    presence: dict[str, np.ndarray] = {}
    seen: dict[tuple, int] = {}
    for row, rec in rows(read_csv(folder, name, chk)):
        m = chk.number(name, row, "month", rec["month"], 1, 12, integer=True)
        v = chk.number(name, row, "presence_share", rec["presence_share"], 0, 1)
        prof = presence.setdefault(rec["profile"], np.full(12, np.nan))
        if m is not None and not duplicates(
            chk, name, row, (rec["profile"], int(m)), seen, "profile, month"
        ):  # a bad share is reported once, not again as a missing month
            prof[int(m) - 1] = 0.0 if v is None else v
    for profile, values in presence.items():
        if np.isnan(values).any():
            chk.add(name, None, "month", f"profile {profile!r} lacks some of months 1-12")
    return {p: np.nan_to_num(v) for p, v in presence.items()}


def _profile_shares(chk: Checker, given, presence: dict[str, np.ndarray]) -> dict[str, float]:
    """Check ``seasonal.profile_shares`` (default: equal shares of the profiles)."""
    field = "seasonal.profile_shares"
    if given is None:
        return {p: 1.0 / max(1, len(presence)) for p in presence}
    if not isinstance(given, dict):
        chk.add("world.yaml", None, field, f"{given!r} must be a mapping of profile to share")
        return {}
    shares = {}
    for profile, value in given.items():
        ok = chk.choice("world.yaml", None, field, profile, presence)
        share = chk.number("world.yaml", None, f"{field}.{profile}", value, 0, 1)
        if complete(ok, share):
            shares[profile] = share
    total = sum(shares.values())
    if presence and len(shares) == len(given) and not math.isclose(total, 1.0, abs_tol=1e-6):
        chk.add("world.yaml", None, field, f"shares sum to {total:g}, not 1")
    return shares
