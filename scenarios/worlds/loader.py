"""Load and validate a world folder (format: ``docs/world-format.md``).

Every file is checked and **all** problems are reported together, each with file,
line and field, in one :class:`~scenarios.errors.WorldFileError`: root causes first,
then one summary line for each kind of follow-on problem (rows that refer to a file
that could not be read). Nothing is built from a folder that has a problem.

The readers live beside this module: :mod:`~scenarios.worlds.documents` (the YAML
files), :mod:`~scenarios.worlds.tables` (zones, travel, residents, history),
:mod:`~scenarios.worlds.network` (facilities, vans, e-services),
:mod:`~scenarios.worlds.seasonal`; :mod:`~scenarios.worlds.limits` holds the bounds.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from scenarios.errors import Problem, WorldFileError
from scenarios.worlds.documents import read_meta, read_services
from scenarios.worlds.geometry import read_zone_geometries
from scenarios.worlds.limits import memory_problem
from scenarios.worlds.network import (
    parse_months,
    read_digital_channels,
    read_facilities,
    read_mobile_routes,
)
from scenarios.worlds.problems import Checker
from scenarios.worlds.seasonal import read_seasonal
from scenarios.worlds.tables import (
    OPTIONAL_FILES,
    REQUIRED_COLUMNS,
    check_history_totals,
    read_history,
    read_residents,
    read_travel,
    read_zones,
)
from simulation.errors import WorldError
from simulation.world import World

__all__ = [
    "OPTIONAL_FILES",
    "REQUIRED_COLUMNS",
    "embedded_world_path",
    "embedded_worlds",
    "load_world",
    "parse_months",
]


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
        Listing every problem found, each with file, line and field; root causes
        first, follow-on problems summarised.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise WorldFileError(str(folder), [Problem(str(folder), None, None, "not a folder")])
    chk = Checker()
    meta, parts = _read_files(folder, chk)
    if not chk.failed:
        _check_totals(chk, meta, parts)
    if chk.failed:
        raise chk.error(str(folder))
    try:
        return World(
            name=str(meta["name"]),
            title=str(meta.get("title", meta["name"])),
            base_year=meta["base_year"],
            rates_region=int(meta["rates_region"]),
            internal_move_rate=float(meta.get("internal_move_rate", 0.0)),
            household_size=float(meta.get("household_size", 2.0)),
            placeholder_network=bool(meta.get("placeholder_network", False)),
            **parts,
        )
    except WorldError as exc:  # a rule of the simulation's own check the loader missed
        raise WorldFileError(str(folder), [Problem("world", None, None, str(exc))]) from exc


def _read_files(folder: Path, chk: Checker) -> tuple[dict, dict[str, Any]]:
    """Read every file: ``world.yaml`` and the World fields read from the other files."""
    meta = read_meta(folder, chk)
    zones, zone_ix, areas = read_zones(folder, chk)
    services, service_ids = read_services(folder, chk)
    parts = {
        "zones": zones,
        "travel": read_travel(folder, chk, zone_ix),
        "services": tuple(services),
        "facilities": tuple(read_facilities(folder, chk, zone_ix, service_ids)),
        "residents": read_residents(folder, chk, zone_ix),
        "seasonal": read_seasonal(folder, chk, zone_ix, meta),
        "population_history": read_history(folder, chk, areas, meta["base_year"]),
        "mobile_routes": tuple(read_mobile_routes(folder, chk, zone_ix, service_ids)),
        "digital_channels": tuple(read_digital_channels(folder, chk, service_ids)),
        "zone_geometries": (
            read_zone_geometries(folder, zone_ix, zones.x, zones.y, chk.problems)
            if zones is not None
            else None
        ),
    }
    return meta, parts


def _check_totals(chk: Checker, meta: dict, parts: dict[str, Any]) -> None:
    """Cross-check history against residents, and the world's size against memory."""
    residents, seasonal = parts["residents"], parts["seasonal"]
    check_history_totals(
        chk, parts["population_history"], parts["zones"], residents, meta["base_year"]
    )
    users = round(seasonal.residences.sum() * seasonal.users_per_residence)
    too_big = memory_problem(int(residents.sum()), users)
    if too_big:
        seasonal_bigger = users > residents.sum()
        file = "seasonal_residences.csv" if seasonal_bigger else "residents.csv"
        chk.add(file, None, "residences" if seasonal_bigger else "count", too_big)
