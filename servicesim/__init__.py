"""servicesim: a simulation and forecasting engine for public-service demand.

The library face. It re-exports what a researcher or planner needs from the layers
below (``experiments`` -> ``scenarios`` -> ``simulation`` -> ``forecasting``); nothing
in those layers imports it.

Examples
--------
>>> import servicesim
>>> world = servicesim.load_world("sysma")
>>> world.name
'sysma'
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from scenarios.worlds.loader import embedded_world_path, embedded_worlds
from scenarios.worlds.loader import load_world as _load_folder
from simulation.world import World

try:
    __version__ = metadata.version("servicesim")
except metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "unknown"


def load_world(world: str | Path) -> World:
    """Load and validate a world: an embedded one by name, or a world folder.

    Parameters
    ----------
    world : str or Path
        The name of an embedded world (``"sysma"``, ``"paijat_hame"``) or the path of
        a world folder (see the world format in the docs).

    Returns
    -------
    World
        The validated world.

    Raises
    ------
    scenarios.errors.WorldFileError
        If a file of the world is missing or has bad rows; the message names the file,
        row, field and value.
    """
    if isinstance(world, str) and world in embedded_worlds():
        return _load_folder(embedded_world_path(world))
    return _load_folder(Path(world))


__all__ = ["World", "__version__", "load_world"]
