"""World builder benchmarks: one municipality, and every municipality built and run.

Run with ``pytest benchmarks/test_bench_worlds.py --benchmark-only -s -m slow`` (the
loop over all 309 municipalities builds each world and runs it for two years with
``servicesim world.path=DIR horizon_years=2`` in the same process, see
:func:`run_two_years`).
Targets (issue 13): one municipality <= 10 s to build, all 309 <= 10 min to build.
Figures are printed and stored in ``extra_info``, never asserted.
"""

from __future__ import annotations

import contextlib
import io
import time
from pathlib import Path

import pytest
from hydra import compose, initialize_config_module

from experiments.compose import run_one
from experiments.output import write_atomic
from experiments.settings import spec_from_config
from experiments.summary import summary_table
from experiments.world_cli import main
from scenarios.worlds.build import load_sources


@pytest.mark.parametrize("municipality", ["781", "297", "091"])
def test_build_one_municipality(benchmark, tmp_path, municipality):
    """Build and write one world (Sysmä, Kuopio, Helsinki), loader check included."""
    load_sources()  # read the shipped data once, as the command does at start-up
    counter = iter(range(1000))

    def build():
        out = tmp_path / f"w{next(counter)}"
        assert main(["build", "-m", municipality, "--out", str(out)]) == 0

    benchmark.pedantic(build, rounds=3, iterations=1)
    benchmark.extra_info["seconds_min"] = benchmark.stats.stats.min
    print(f"\nbuild {municipality}: min {benchmark.stats.stats.min:.2f} s")


def run_two_years(world: Path) -> str:
    """Run ``servicesim world.path=WORLD horizon_years=2`` in this process; '' if it worked.

    The same path as the command (config composed by Hydra, ``spec_from_config``,
    ``run_one``, ``write_atomic``, the summary) without starting a new Python for each
    of the 309 worlds (the command itself is tested in ``tests/test_world_cli.py``).
    """
    overrides = [f"world.path={world}", "horizon_years=2", "simulation.progress=false"]
    try:
        with initialize_config_module(version_base="1.3", config_module="experiments.conf"):
            cfg = compose("config", overrides=overrides)
        ds = run_one(spec_from_config(cfg))
        write_atomic(ds, world / "results.nc")
        summary_table(ds)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded, then asserted
        return f"{type(exc).__name__}: {exc}"
    return ""


@pytest.mark.slow
def test_every_municipality_builds_and_runs_two_years(benchmark, tmp_path):
    """Build all 309 municipalities (timed) and run each for two years (must succeed)."""
    codes = list(load_sources().municipalities.municipality_code)
    build_seconds, failures = {}, {}

    def everything():
        for k, code in enumerate(codes, start=1):
            out = tmp_path / code
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                status = main(["build", "-m", code, "--out", str(out)])
            build_seconds[code] = time.perf_counter() - start
            error = run_two_years(out)
            ran = time.perf_counter() - start - build_seconds[code]
            if status != 0 or error:
                failures[code] = error or f"build exit {status}"
            ok = "ok" if code not in failures else "FAILED"
            line = f"{k:3d} {code} build {build_seconds[code]:.2f} s run {ran:.1f} s {ok}"
            print(line, flush=True)

    benchmark.pedantic(everything, rounds=1, iterations=1)
    total = sum(build_seconds.values())
    slowest = max(build_seconds, key=build_seconds.get)
    benchmark.extra_info.update(
        {"build_total_s": total, "build_max_s": build_seconds[slowest], "slowest": slowest}
    )
    print(
        f"\n{len(codes)} municipalities: build total {total:.1f} s, slowest {slowest} "
        f"{build_seconds[slowest]:.2f} s; build + 2-year runs {benchmark.stats.stats.min:.0f} s; "
        f"failures {sorted(failures)}"
    )
    assert not failures, failures
