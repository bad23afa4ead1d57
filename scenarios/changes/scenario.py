"""Scenarios: named sets of dated network changes, validated against the world.

Each change is checked against the world before any simulation runs: an unknown
facility, zone or service, a malformed or impossible month (before the start of the
run, or taking effect after its horizon), a negative capacity or cost is rejected
with a message naming the scenario, the change (1-based index and op) and the field.
All problems are reported at once.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scenarios.changes.operations import OPERATIONS, Close, NetworkChange, Resize
from scenarios.changes.sequence import sequence_problems
from scenarios.errors import ScenarioError
from scenarios.worlds.limits import CAPACITY_LIMIT, EUR_LIMIT
from simulation.world import FacilitySpec, World

__all__ = ["OPERATIONS", "Close", "Resize", "Scenario", "build_scenario", "extend_world"]

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Scenario:
    """A named set of dated network changes on a world.

    Attributes
    ----------
    name, description : str
        Scenario name and a sentence for reports.
    changes : tuple of NetworkChange
        The changes, in file order.
    """

    name: str
    description: str = ""
    changes: tuple = field(default_factory=tuple)

    @property
    def new_facilities(self) -> tuple[dict[str, Any], ...]:
        """Facilities the changes create, declared up front (see :func:`extend_world`)."""
        return tuple(spec for change in self.changes for spec in change.new_facilities())


def extend_world(world: World, new_facilities: Sequence[Mapping[str, Any]]) -> World:
    """Add declared facilities (out of the network until opened) to a world.

    Each mapping has ``FacilitySpec`` fields with ``zone`` as a zone id; ``like`` names
    an existing facility whose services, months and costs are copied (relocation).
    Facility indices of the world are unchanged; the new ones come after them.
    """
    if not new_facilities:
        return world
    zone_index = {z: i for i, z in enumerate(world.zones.ids)}
    specs = {f.id: f for f in world.facilities}
    added = []
    for spec in new_facilities:
        fields = dict(spec)
        like = fields.pop("like", None)
        fields["zone"] = zone_index[str(fields["zone"])]
        if like is not None:
            base = specs[like]
            fields = dataclasses.asdict(base) | {k: fields[k] for k in ("id", "name", "zone")}
        fields["open_months"] = np.isin(np.arange(1, 13), fields.get("open_months", range(1, 13)))
        added.append(FacilitySpec(**fields))
        specs[added[-1].id] = added[-1]
    return dataclasses.replace(world, facilities=world.facilities + tuple(added))


def dormant_ids(world: World, base: World) -> tuple[str, ...]:
    """Facilities of ``world`` that ``base`` does not have (declared by changes)."""
    return tuple(world.facility_ids[len(base.facilities) :])


def build_scenario(
    name: str,
    changes: Sequence[Mapping[str, Any]],
    world: World,
    first_month: str,
    last_month: str,
    description: str = "",
    unit_costs: Mapping[str, float] | None = None,
) -> Scenario:
    """Validate plain change descriptions (from YAML) and build a :class:`Scenario`.

    Parameters
    ----------
    name : str
        Scenario name.
    changes : sequence of mapping
        Each with ``op`` (one of :data:`~scenarios.changes.operations.OPERATIONS`), ``decided``
        (``YYYY-MM``), optional ``lead_time_months`` and ``one_off_cost_eur``, and the
        operation's fields.
    world : World
        World the changes refer to.
    first_month, last_month : str
        Simulated period, ``YYYY-MM``: a change must be decided in it and take effect
        in it.
    description : str, optional
        A sentence for reports.
    unit_costs : mapping of str to float, optional
        Yearly cost of one unit of monthly capacity by service; gives the default fixed
        cost of opened facilities.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Listing every problem, each naming the scenario, change and field.
    """
    if isinstance(changes, str | bytes | Mapping) or not isinstance(changes, Sequence):
        raise ScenarioError(
            f"scenario {name!r}: field 'changes': {changes!r} must be a list of changes "
            "(mappings with 'op', 'decided', ...)"
        )
    problems: list[str] = []
    built: list[NetworkChange] = []
    known = set(world.facility_ids)
    for k, spec in enumerate(changes, start=1):
        op = spec.get("op") if isinstance(spec, Mapping) else None
        where = f"scenario {name!r}, change {k} ({op})"
        if not isinstance(spec, Mapping):
            problems.append(f"{where}: {spec!r} must be a mapping with 'op', 'decided', ...")
            continue
        if op not in OPERATIONS:
            problems.append(f"{where}: field 'op': {op!r} is not one of {sorted(OPERATIONS)}")
            continue
        cls = OPERATIONS[op]
        fields = {key: _plain(value) for key, value in spec.items() if key != "op"}
        found = check_fields(where, cls, fields, world, known, (first_month, last_month))
        problems += found
        if found:
            continue
        for f in dataclasses.fields(cls):
            if f.metadata.get("kind") == "zone" and f.name in fields:
                fields[f.name] = str(fields[f.name])
            if f.metadata.get("kind") == "zones" and f.name in fields:
                fields[f.name] = tuple(str(z) for z in fields[f.name])
        if cls.op_name == "open" and fields.get("fixed_cost_eur_per_year") is None:
            costs = unit_costs or {}
            fields["fixed_cost_eur_per_year"] = sum(
                float(c) * costs.get(s, 0.0) for s, c in fields["capacity"].items()
            )
        change = cls(**fields)
        if change.effective > last_month:
            problems.append(
                f"{where}: field 'lead_time_months': takes effect {change.effective}, "
                f"after the simulated period {first_month}..{last_month}"
            )
        known.update(f["id"] for f in change.new_facilities())
        built.append(change)
    if not problems:
        problems = sequence_problems(name, built)
    if problems:
        raise ScenarioError(f"{len(problems)} problem(s):\n" + "\n".join(problems))
    return Scenario(name=name, description=description, changes=tuple(built))


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def check_fields(
    where: str,
    cls: type[NetworkChange],
    fields: Mapping[str, Any],
    world: World,
    known: set[str],
    period: tuple[str, str],
) -> list[str]:
    """Problems with one change's fields (unknown, missing or invalid), as messages."""
    spec = {f.name: f for f in dataclasses.fields(cls) if f.name != "origin"}
    out = [
        f"{where}: field {key!r} is not a field of {cls.op_name!r}; allowed: {sorted(spec)}"
        for key in fields
        if key not in spec
    ]
    for name, f in spec.items():
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if name not in fields:
            if required:
                out.append(f"{where}: field {name!r} is missing")
            continue
        kind = f.metadata.get("kind")
        problem = _check_value(kind, fields[name], world, known, period) if kind else None
        if problem:
            out.append(f"{where}: field {name!r}: {problem}")
    return out


def _number(value: Any, lo: float, strict: bool = False, hi: float = EUR_LIMIT) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{value!r} is not a number"
    if not np.isfinite(value):
        return f"{value!r} is not a finite number"
    if value < lo or (strict and value == lo):
        return f"{value} must be {'>' if strict else '>='} {lo:g}"
    if value > hi:
        return f"{value:g} must be <= {hi:g}"
    return None


def _check_value(
    kind: str, value: Any, world: World, known: set[str], period: tuple[str, str]
) -> str | None:
    seq = value if isinstance(value, tuple) else (value,)
    if kind == "month":
        first, last = period
        if not _MONTH.match(str(value)):
            return f"{value!r} is not a month like '2026-08'"
        if not first <= str(value) <= last:
            return f"{value} is outside the simulated period {first}..{last}"
    elif kind == "count":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return f"{value!r} must be a whole number >= 0"
    elif kind == "amount":
        return None if value is None else _number(value, 0.0)
    elif kind == "capacity":
        return _number(value, 0.0, hi=CAPACITY_LIMIT)
    elif kind == "number":
        return _number(value, -EUR_LIMIT)
    elif kind == "positive":
        return _number(value, 0.0, strict=True)
    elif kind == "share":
        return _number(value, 0.0) or (None if value <= 1 else f"{value} must be <= 1")
    elif kind in ("facility", "facilities"):
        bad = [v for v in seq if v not in known]
        if bad or not seq:
            return f"{bad or value!r} not among the facilities {sorted(known)}"
    elif kind == "new_facility":
        if value in known:
            return f"{value!r} already names a facility"
    elif kind in ("zone", "zones"):
        bad = [v for v in seq if str(v) not in world.zones.ids]
        if bad or not seq:
            return f"{bad or value!r} not among the zones {list(world.zones.ids)}"
    elif kind == "route":
        if not isinstance(value, str) or not value:
            return f"{value!r} must be a non-empty route id"
    elif kind in ("service", "services"):
        bad = [v for v in seq if v not in world.service_ids]
        if bad or not seq:
            return f"{bad or value!r} not among the services {list(world.service_ids)}"
    elif kind == "capacities":
        if not isinstance(value, Mapping) or not value:
            return f"{value!r} is not a mapping of service to capacity"
        bad = [s for s in value if s not in world.service_ids]
        if bad:
            return f"services {bad} not among {list(world.service_ids)}"
        checked = (_number(c, 0.0, hi=CAPACITY_LIMIT) for c in value.values())
        return next((p for p in checked if p), None)
    elif kind == "months":
        if not seq or any(isinstance(m, bool) or m not in range(1, 13) for m in seq):
            return f"{value!r} must be a list of months 1-12"
    return None
