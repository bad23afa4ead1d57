"""The ``servicesim-world`` command: build a world for any Finnish municipality or region.

It builds a world folder from the data shipped with servicesim, or writes a facility
template to fill in.

Examples::

    servicesim-world build --municipality 781 --out worlds/sysma
    servicesim-world build --municipality Kuopio --facilities kuopio.csv --out worlds/kuopio
    servicesim-world build --region "Päijät-Häme" --out worlds/ph
    servicesim-world template --municipality Sysmä --out sysma_facilities.csv

Bad input (unknown municipality, a facility register with problems, a bad travel
matrix) is reported with file, row, field and value; the exit status is 2 and nothing
is written. A world is written to a temporary folder beside ``--out``, checked with the
world loader and only then renamed into place.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

from experiments.output import current_umask, write_bytes_atomic
from scenarios.worlds.build import BuildError, BuildOptions, build_world, load_sources, resolve_area
from scenarios.worlds.build.areas import area_table
from scenarios.worlds.build.placeholder import template_text
from scenarios.worlds.build.world import (
    default_texts,
    placeholder_units,
    residences_of,
    residents_of,
)
from scenarios.worlds.loader import load_world


def _area_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--municipality", "-m", action="append", default=[], metavar="CODE_OR_NAME",
                   help="municipality code or name, Finnish or Swedish, any case; repeat or "
                        "separate with commas for several")  # fmt: skip
    p.add_argument("--region", "-r", default=None,
                   help="region code (7, 07, MK07) or name: all its municipalities")  # fmt: skip
    p.add_argument("--name", default=None, help="world name (default: from the area)")
    p.add_argument("--out", "-o", type=Path, required=True, help="output folder (build) or file")
    p.add_argument("--force", action="store_true", help="replace an existing --out")


def parser() -> argparse.ArgumentParser:
    """Build the argument parser (sub-commands ``build`` and ``template``)."""
    top = argparse.ArgumentParser(
        prog="servicesim-world",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = top.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="write a world folder (docs/world-format.md)")
    _area_arguments(build)
    build.add_argument(
        "--facilities",
        type=Path,
        default=None,
        help="facility register CSV (docs/howto/new-world.md); default: a placeholder "
        "network, one unit per service in the most populous zone",
    )
    build.add_argument(
        "--travel",
        type=Path,
        default=None,
        help="travel matrix CSV (from_zone,to_zone,km,minutes_car,minutes_nocar); "
        "default: the detour-factor rule",
    )
    build.add_argument(
        "--internal-move-rate",
        type=float,
        default=0.03,
        help="share of residents moving zone per year (estimate; default 0.03)",
    )
    template = sub.add_parser("template", help="write a facility register to fill in")
    _area_arguments(template)
    return top


def _check_out(out: Path, force: bool) -> None:
    if out.exists() and not force:
        raise BuildError([_problem(str(out), "already exists; use --force to replace it")])


def _problem(where: str, message: str):
    from scenarios.errors import Problem

    return Problem(where, None, None, message)


def write_world_folder(files: dict[str, str], out: Path) -> None:
    """Write the files to a temporary folder beside ``out``, load-check it, rename it in."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    try:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
        load_world(tmp)  # the loader must accept what the builder wrote
        os.chmod(tmp, 0o777 & ~current_umask())  # mkdtemp made it 0700
        old = None
        if out.exists():
            old = out.with_name(f".{out.name}.old.{os.getpid()}")
            os.replace(out, old)
        os.replace(tmp, out)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def run_build(args: argparse.Namespace) -> str:
    """Build and write a world; return the summary line."""
    from scenarios.worlds.build import world_files

    start = time.perf_counter()
    _check_out(args.out, args.force)
    sources = load_sources()
    area = resolve_area(args.municipality, args.region, sources, args.name)
    opts = BuildOptions(facilities=args.facilities, travel=args.travel,
                        internal_move_rate=args.internal_move_rate)  # fmt: skip
    world = build_world(area, sources, opts)
    write_world_folder(world_files(world), args.out)
    kind = "PLACEHOLDER network" if world.placeholder else "facility register"
    return (f"wrote {args.out}: {area.title}; {int(world.residents.sum()):,} residents, "
            f"{len(world.zones)} zones, {len(world.facilities)} facilities ({kind}); "
            f"{time.perf_counter() - start:.1f} s")  # fmt: skip


def run_template(args: argparse.Namespace) -> str:
    """Write the facility template of an area; return the summary line."""
    _check_out(args.out, args.force)
    sources = load_sources()
    area = resolve_area(args.municipality, args.region, sources, args.name)
    zones = area_table(area, sources)
    residents, _ = residents_of(area, zones, sources)
    residences = residences_of(area, zones, sources)
    defaults = default_texts(sources.folder)
    services = yaml.safe_load(defaults["services.yaml"])
    register = placeholder_units(
        area, zones, residents, residences, services, defaults, BuildOptions()
    )
    h = sources.health_facilities
    health = h[h.municipality_code.isin(area.codes)]
    write_bytes_atomic(template_text(register, zones, health, area.title), args.out)
    return f"wrote {args.out}: {len(register)} placeholder units, {len(health)} suggestions"


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``servicesim-world``; returns the exit status (2 = bad input)."""
    args = parser().parse_args(argv)
    try:
        message = run_build(args) if args.command == "build" else run_template(args)
    except BuildError as exc:
        print(f"servicesim-world: {exc}", file=sys.stderr)
        return 2
    print(message)
    return 0


def cli() -> None:
    """Console-script entry (``servicesim-world``): exit with :func:`main`'s status."""
    sys.exit(main())


if __name__ == "__main__":
    cli()
