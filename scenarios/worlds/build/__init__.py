"""Build a world folder for any Finnish municipality or region from shipped data.

Pure functions: the shipped tables (:mod:`.sources`) and a request go in, world
tables and the README text come out (:func:`.world.build_world`). Writing files is
the job of ``experiments/world_cli.py`` (``servicesim-world``).
"""

from scenarios.worlds.build.areas import Area, resolve_area
from scenarios.worlds.build.errors import BuildError
from scenarios.worlds.build.sources import Sources, load_sources
from scenarios.worlds.build.world import BuildOptions, BuiltWorld, build_world, world_files

__all__ = [
    "Area",
    "BuildError",
    "BuildOptions",
    "BuiltWorld",
    "Sources",
    "build_world",
    "load_sources",
    "resolve_area",
    "world_files",
]
