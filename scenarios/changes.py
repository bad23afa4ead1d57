"""Dated network changes, and scenarios built from their plain descriptions.

Each change is checked against the world before any simulation runs: an unknown
facility or service, or a month outside the simulated period, is rejected with a
message naming the change, the field and the allowed values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scenarios.errors import ScenarioError
from simulation.model import ServiceModel
from simulation.world import World

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Close:
    """Close a facility for good from ``effective`` (``YYYY-MM``); its users re-choose."""

    facility: str
    effective: str

    def apply(self, model: ServiceModel) -> None:
        """Take the facility out of the network."""
        _facility(model, self.facility).in_network = False


@dataclass(frozen=True)
class Resize:
    """Set a facility's capacity for one service (service units per month)."""

    facility: str
    service: str
    capacity: float
    effective: str

    def apply(self, model: ServiceModel) -> None:
        """Set the new capacity."""
        fac = _facility(model, self.facility)
        fac.capacity[model.world.service_ids.index(self.service)] = self.capacity


def _facility(model: ServiceModel, facility_id: str):
    return next(f for f in model.facilities if f.facility_id == facility_id)


OPERATIONS: dict[str, type] = {"close": Close, "resize": Resize}


@dataclass(frozen=True)
class Scenario:
    """A named set of dated network changes on a world."""

    name: str
    description: str = ""
    changes: tuple = field(default_factory=tuple)


def build_scenario(
    name: str,
    changes: Sequence[Mapping[str, Any]],
    world: World,
    first_month: str,
    last_month: str,
    description: str = "",
) -> Scenario:
    """Validate plain change descriptions (from YAML) and build a :class:`Scenario`.

    Parameters
    ----------
    name : str
        Scenario name.
    changes : sequence of mapping
        Each with ``op`` (one of :data:`OPERATIONS`), ``effective`` (``YYYY-MM``) and
        the operation's fields.
    world : World
        World the changes refer to.
    first_month, last_month : str
        Simulated period, ``YYYY-MM``; changes must fall inside it.

    Raises
    ------
    ScenarioError
        Listing every problem, each naming the change and field.
    """
    problems, built = [], []
    for k, spec in enumerate(changes, start=1):
        where = f"scenario {name!r}, change {k}"
        op = spec.get("op")
        if op not in OPERATIONS:
            problems.append(f"{where}: op {op!r} is not one of {sorted(OPERATIONS)}")
            continue
        fields = {key: value for key, value in spec.items() if key != "op"}
        problems += _check_change(where, fields, world, first_month, last_month)
        try:
            built.append(OPERATIONS[op](**fields))
        except TypeError as exc:
            problems.append(f"{where}: {exc}")
    if problems:
        raise ScenarioError("\n".join(problems))
    return Scenario(name=name, description=description, changes=tuple(built))


def _check_change(
    where: str, fields: Mapping[str, Any], world: World, first: str, last: str
) -> list[str]:
    out = []
    when = str(fields.get("effective", ""))
    if not _MONTH.match(when):
        out.append(f"{where}: effective {when!r} is not a month like '2026-08'")
    elif not first <= when <= last:
        out.append(f"{where}: effective {when} is outside the simulated period {first}..{last}")
    if "facility" in fields and fields["facility"] not in world.facility_ids:
        out.append(
            f"{where}: facility {fields['facility']!r} is not one of {list(world.facility_ids)}"
        )
    if "service" in fields and fields["service"] not in world.service_ids:
        out.append(
            f"{where}: service {fields['service']!r} is not one of {list(world.service_ids)}"
        )
    if "capacity" in fields:
        try:
            if float(fields["capacity"]) < 0:
                out.append(f"{where}: capacity {fields['capacity']} must be >= 0")
        except (TypeError, ValueError):
            out.append(f"{where}: capacity {fields['capacity']!r} is not a number")
    return out
