"""Build the embedded world ``paijat_hame`` from StatFin data.

Run from the repository root::

    python tools/build_worlds.py --shared ../shared

Since 2026-11-30 the embedded ``sysma`` is built by ``servicesim-world`` from the
postal-code data (``docs/world-builder.md``); the old hand-built Sysmä is gone.

The script is deterministic (no randomness). Counts are integerised with
largest-remainder rounding so that totals are exact. Every figure that the data do
not give is an estimate; the rules and numbers are written into the world's
``README.md`` by the builder, so the files and their provenance stay in step.
The output format is ``docs/world-format.md``; the code is in ``tools/hand_worlds/``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hand_worlds.facilities import utilisation_table  # noqa: E402
from hand_worlds.inputs import read_inputs  # noqa: E402
from hand_worlds.paijat_hame import build_paijat_hame, report, settings  # noqa: E402
from hand_worlds.readme import paijat_hame_readme  # noqa: E402
from hand_worlds.writers import write_world  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    """Command line: build the world, write it under ``--out`` and print the checks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=Path("scenarios/worlds"))
    args = parser.parse_args(argv)
    inp = read_inputs(args.shared)
    world = build_paijat_hame(inp)
    table = utilisation_table(world)
    write_world(world, args.out / world.name, paijat_hame_readme(world, settings(inp), table))
    print(report(world, inp))
    print(table[["util_jan_%", "util_jul_%"]].describe().round(1).to_string())


if __name__ == "__main__":
    main()
