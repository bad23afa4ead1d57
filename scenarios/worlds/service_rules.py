"""Read a world's waiting rules (``services.yaml``) and service standards (``standards.yaml``).

Both are optional. A service's ``waiting`` mapping gives its :class:`WaitingRule`
(``rule``, ``patience_days``, ``place_turnover_per_year``); ``standards.yaml`` is a
list of dated limits (:class:`simulation.standards.Standard`). Problems are collected
with the loader's checker, so a bad value is reported with the file, the service and
the value, and nothing is loaded (see ``docs/world-format.md``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from scenarios.worlds.documents import read_yaml
from simulation.errors import WorldError
from simulation.queues import WAITING_RULES, WaitingRule
from simulation.standards import MEASURES, STATUSES, Standard
from simulation.world import Service

#: Keys of a service's ``waiting`` mapping.
WAITING_KEYS = ("rule", "patience_days", "place_turnover_per_year")
#: Keys of a row of ``standards.yaml``.
STANDARD_KEYS = tuple(f.name for f in dataclasses.fields(Standard))


def with_waiting(folder: Path, services: list[Service], chk: Any) -> list[Service]:
    """Return the services with the waiting rules of ``services.yaml`` (defaults where absent)."""
    path = folder / "services.yaml"
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return services  # the loader has reported the file (documents.read_services)
    if not isinstance(doc, list):
        return services  # likewise: not a list of services
    items = {str(i.get("id")): i for i in doc if isinstance(i, dict)}
    out = []
    for service in services:
        raw = items.get(service.id, {}).get("waiting")
        rule = _waiting(service, raw, chk) if raw is not None else None
        out.append(dataclasses.replace(service, waiting=rule) if rule else service)
    return out


def _waiting(service: Service, raw: Any, chk: Any) -> WaitingRule | None:
    where = f"services.yaml (service {service.id})"
    if not isinstance(raw, dict):
        chk.add(where, None, "waiting", f"{raw!r} must be a mapping of {', '.join(WAITING_KEYS)}")
        return None
    unknown = sorted(set(raw) - set(WAITING_KEYS))
    if unknown:
        chk.add(where, None, "waiting", f"unknown keys {unknown}; allowed: {list(WAITING_KEYS)}")
    rule = chk.choice(where, None, "waiting.rule", raw.get("rule"), WAITING_RULES)
    patience = chk.number(where, None, "waiting.patience_days", raw.get("patience_days", 0), 0)
    turnover = chk.number(
        where, None, "waiting.place_turnover_per_year", raw.get("place_turnover_per_year", 1), 0
    )
    if rule is None or patience is None or turnover is None or unknown:
        return None
    return WaitingRule(rule, patience, turnover)


def read_standards(folder: Path, service_ids: set[str], chk: Any) -> tuple[Standard, ...]:
    """Read the optional ``standards.yaml`` of a world folder."""
    name = "standards.yaml"
    if not (folder / name).is_file():
        return ()
    doc = read_yaml(folder, name, chk)  # not UTF-8, not YAML, empty: a problem named
    if doc is None:
        return ()
    if not isinstance(doc, list):
        chk.add(name, None, None, "must be a list of standards")
        return ()
    out = []
    for k, row in enumerate(doc, start=1):
        std = _standard(name, k, row, service_ids, chk)
        if std is not None:
            out.append(std)
    return tuple(out)


def _standard(name: str, k: int, row: Any, service_ids: set[str], chk: Any) -> Standard | None:
    where = f"{name} (standard {k}"
    if not isinstance(row, dict):
        chk.add(f"{where})", None, None, "must be a mapping")
        return None
    where = f"{where}, service {row.get('service')})"
    before = len(chk.problems)
    unknown = sorted(set(row) - set(STANDARD_KEYS))
    if unknown:
        chk.add(where, None, None, f"unknown keys {unknown}; allowed: {list(STANDARD_KEYS)}")
    chk.choice(where, None, "service", row.get("service"), service_ids)
    chk.choice(where, None, "measure", row.get("measure"), MEASURES)
    chk.choice(where, None, "status", row.get("status", "statutory"), STATUSES)
    if row.get("limit") is None:
        chk.add(where, None, "limit", "is missing (a number >= 0)")
    else:
        chk.number(where, None, "limit", row.get("limit"), 0)
    chk.number(where, None, "target_share", row.get("target_share", 1.0), 0, 1)
    for key in ("age_from", "age_to"):
        chk.number(where, None, key, row.get(key, 0), 0, 100, integer=True)
    dates = {key: _date(where, key, row.get(key), chk) for key in ("valid_from", "valid_to")}
    if row.get("valid_from") is None:
        chk.add(where, None, "valid_from", "is missing (YYYY-MM-DD)")
    if len(chk.problems) > before:
        return None
    try:
        return Standard(**{**row, **dates, "limit": float(row["limit"])})
    except (WorldError, TypeError) as exc:
        chk.add(where, None, None, str(exc))
        return None


def _date(where: str, key: str, value: Any, chk: Any) -> str | None:
    """Return a ``YYYY-MM-DD`` string from YAML (which may parse it into a date already)."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        chk.add(where, None, key, f"{value!r} is not a date YYYY-MM-DD")
        return None
