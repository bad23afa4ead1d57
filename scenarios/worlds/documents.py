"""The YAML files of a world folder: ``world.yaml`` (metadata) and ``services.yaml``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import yaml

from scenarios.worlds.problems import Checker, complete
from simulation.errors import WorldError
from simulation.types import AGES, CHANNELS, KINDS
from simulation.world import DEMAND_TYPES, Service

#: Stand-in metadata when ``world.yaml`` is unusable (a world is never built from it).
_NO_META: dict[str, Any] = {"name": "?", "base_year": None, "rates_region": 0, "seasonal": {}}


def read_yaml(folder: Path, name: str, chk: Checker) -> Any:
    """Parse one YAML file (UTF-8); None, with a problem, if missing, unreadable or empty."""
    path = folder / name
    if not path.is_file():
        chk.add(name, None, None, "file is missing")
        return None
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        chk.add(name, None, None, f"is not UTF-8 text ({exc.reason} at byte {exc.start})")
        return None
    except yaml.YAMLError as exc:
        chk.add(name, None, None, f"is not valid YAML: {exc}")
        return None
    if doc is None:
        chk.add(name, None, None, "is empty")
    return doc


def read_meta(folder: Path, chk: Checker) -> dict:
    """Read ``world.yaml``; ``base_year`` is None unless it is a valid year."""
    meta = read_yaml(folder, "world.yaml", chk)
    if not isinstance(meta, dict):
        if meta is not None:
            chk.add("world.yaml", None, None, f"must be a mapping of keys to values, not {meta!r}")
        return dict(_NO_META)
    for key in ("name", "base_year", "rates_region"):
        if key not in meta:
            chk.add("world.yaml", None, key, "is required")
    year = chk.number("world.yaml", None, "base_year", meta.get("base_year"), 1900, 2200, True)
    meta["base_year"] = None if year is None else int(year)
    chk.number("world.yaml", None, "rates_region", meta.get("rates_region"), 0, 10**6, True)
    chk.number("world.yaml", None, "internal_move_rate", meta.get("internal_move_rate", 0), 0, 1)
    chk.number("world.yaml", None, "household_size", meta.get("household_size", 2.0), 1, 100)
    # The default language of the report and dashboard (experiments.i18n.LANGUAGES).
    chk.choice("world.yaml", None, "language", meta.get("language", "en"), ("fi", "sv", "en"))
    if not isinstance(meta.get("placeholder_network", False), bool):
        value = meta.get("placeholder_network")
        chk.add("world.yaml", None, "placeholder_network", f"{value!r} must be true or false")
    seasonal = meta.get("seasonal") or {}
    if not isinstance(seasonal, dict):
        chk.add("world.yaml", None, "seasonal", f"{seasonal!r} must be a mapping")
        seasonal = {}
    chk.number(
        "world.yaml",
        None,
        "seasonal.users_per_residence",
        seasonal.get("users_per_residence"),
        0,
        100,
    )
    meta["seasonal"] = seasonal
    return meta


def read_services(folder: Path, chk: Checker) -> tuple[list[Service], set[str] | None]:
    """Read ``services.yaml``: the valid services and every id declared (None if unread)."""
    name = "services.yaml"
    doc = read_yaml(folder, name, chk)
    if doc is None:
        return [], None
    if not isinstance(doc, list):
        chk.add(name, None, None, f"must be a list of services, not {type(doc).__name__}")
        return [], None
    if not doc:
        chk.add(name, None, None, "lists no services; a world needs at least one")
    services, seen = [], set()
    for k, item in enumerate(doc, start=1):
        where = f"services.yaml (service {k})"
        if not isinstance(item, dict):
            chk.add(where, None, None, f"{item!r} must be a mapping")
            continue
        sid = item.get("id")
        if not isinstance(sid, str | int) or isinstance(sid, bool) or not str(sid):
            chk.add(where, None, "id", f"{sid!r} must be a non-empty id")
            sid = None
        elif str(sid) in seen:
            chk.add(where, None, "id", f"duplicate id {str(sid)!r}")
        else:
            seen.add(str(sid))
        service = parse_service(where, item if sid is not None else {**item, "id": "?"}, chk)
        if service is not None and sid is not None:
            services.append(service)
    return services, seen


def parse_service(where: str, item: dict, chk: Checker) -> Service | None:
    """Build one service from its mapping, or None (with problems recorded)."""
    before = len(chk.problems)
    demand_type = chk.choice(where, None, "demand_type", item.get("demand_type"), DEMAND_TYPES)
    lo = chk.number(where, None, "min_age", item.get("min_age"), 0, 100, integer=True)
    hi = chk.number(where, None, "max_age", item.get("max_age"), 0, 100, integer=True)
    if complete(lo, hi) and lo > hi:
        chk.add(where, None, "min_age", f"min_age {lo:g} is above max_age {hi:g}")
    kinds = _listed(where, "kinds", item.get("kinds", list(KINDS)), KINDS, chk)
    channels = _listed(where, "channels", item.get("channels", ["in_person"]), CHANNELS, chk)
    factors = item.get("month_factors", [1.0] * 12)
    if not isinstance(factors, list) or len(factors) != 12:
        chk.add(where, None, "month_factors", f"{factors!r} must be a list of 12 numbers")
        factors = [1.0] * 12
    factors = [chk.number(where, None, "month_factors", f, 0, 1000) for f in factors]
    rate = _rates(where, item.get("rates"), 1.0 if demand_type == "enrolment" else 1000.0, chk)
    if len(chk.problems) > before:
        return None
    peak = rate.max() * max(factors)
    if demand_type == "enrolment" and peak > 1:
        chk.add(
            where,
            None,
            "month_factors",
            f"highest rate {rate.max():g} x highest month factor {max(factors):g} = {peak:g}: "
            "an enrolment probability must stay <= 1",
        )
        return None
    eligible = np.zeros(len(AGES), dtype=bool)
    eligible[int(lo) : int(hi) + 1] = True
    for k, kind in enumerate(KINDS):
        if kind not in kinds:
            rate[k] = 0.0
    rate[:, ~eligible] = 0.0
    try:
        return Service(
            id=str(item["id"]),
            name=str(item.get("name", item["id"])),
            demand_type=demand_type,
            unit=str(item.get("unit", "visits")),
            rate=rate,
            month_factors=np.array(factors, dtype=float),
            channels=tuple(channels),
        )
    except WorldError as exc:  # a rule of the simulation's own check the loader missed
        chk.add(where, None, None, str(exc))
        return None


def _listed(where: str, field: str, value: Any, allowed, chk: Checker) -> list:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if chk.choice(where, None, field, v, allowed) is not None]


def _rates(where: str, bands: Any, max_rate: float, chk: Checker) -> np.ndarray:
    """Rates by (kind, age) from the ``rates`` bands; problems for malformed bands."""
    rate = np.zeros((len(KINDS), len(AGES)))
    if bands is None:
        return rate
    if not isinstance(bands, list):
        chk.add(where, None, "rates", f"{bands!r} must be a list of age bands")
        return rate
    for b, band in enumerate(bands, start=1):
        field = f"rates[{b}]"
        if not isinstance(band, dict):
            chk.add(where, None, field, f"{band!r} must be a mapping with age_from, age_to, ...")
            continue
        a0 = chk.number(where, None, f"{field}.age_from", band.get("age_from"), 0, 100, True)
        a1 = chk.number(where, None, f"{field}.age_to", band.get("age_to"), 0, 100, True)
        if complete(a0, a1) and a0 > a1:
            chk.add(where, None, f"{field}.age_from", f"age_from {a0:g} is above age_to {a1:g}")
            continue
        for k, kind in enumerate(KINDS):
            r = chk.number(where, None, f"{field}.{kind}", band.get(kind, 0), 0, max_rate)
            if complete(a0, a1, r):
                rate[k, int(a0) : int(a1) + 1] = r
    return rate
