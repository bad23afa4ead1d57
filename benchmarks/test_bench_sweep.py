"""What a sweep costs beyond its runs: 32 Sysmä runs of 20 years on 2 workers.

Cost per run = CPU seconds (user + system) of every process of the sweep (this
process and its worker processes, start-up included) / 32. It is compared with the
in-process run time measured side by side in the same session: the CPU seconds of
``servicesim.run(spec)`` in this (warm) process, the forecast included as a single run
makes it, and the floor: the simulation alone, world loaded and forecast made. CPU seconds,
not wall time, because the machine is shared and wall time depends on the others'
load. Run with::

    PYTHONPATH=$PWD python -m pytest -p no:cacheprovider --benchmark-only \
        benchmarks/test_bench_sweep.py -s

Targets (issue 11): cost per run <= 1.3 x the in-process run time, for
``servicesim.sweep`` and for ``servicesim -m`` (joblib launcher, report off).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import servicesim
from scenarios.compose import prepare_run, simulate

N_RUNS = 32
WORKERS = 2
HORIZON = 20
TARGET = 1.3


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds of this process and of its reaped children, and the wall clock."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system, time.perf_counter()


def specs() -> list[servicesim.RunSpec]:
    return [servicesim.RunSpec(horizon_years=HORIZON, seed=seed) for seed in range(N_RUNS)]


def in_process_run() -> tuple[float, float]:
    """CPU seconds of one run in this process: ``servicesim.run``, and the simulation alone.

    The simulation alone (:func:`scenarios.compose.simulate` of a prepared run: model
    built, every month stepped, results assembled) is the floor no sweep can beat.
    """
    spec = servicesim.RunSpec(horizon_years=HORIZON, seed=N_RUNS)
    servicesim.run(servicesim.RunSpec(horizon_years=1))  # warm the imports
    start = time.process_time()
    servicesim.run(spec)
    full = time.process_time() - start
    memory = {}

    def kept(kind, spec, folder, rates, build):
        if kind not in memory:
            memory[kind] = build()
        return memory[kind]

    prepared = prepare_run(spec, kept)
    start = time.process_time()
    simulate(prepared)
    floor = time.process_time() - start
    return full, floor


def shutdown_workers() -> None:
    """Stop joblib's reusable workers, so their CPU time is counted (reaped children)."""
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True)


def library_sweep() -> dict[str, float]:
    from experiments import sweep

    shutdown_workers()  # start from no worker: start-up is part of the cost
    sweep._FORECASTS.clear()  # and no forecast made before
    cpu0, wall0 = cpu_seconds()
    comparison = servicesim.sweep(specs(), n_jobs=WORKERS)
    shutdown_workers()
    cpu1, wall1 = cpu_seconds()
    assert comparison.attrs["failed"] == ""
    assert int(comparison["metric_cost_per_year"].notnull().sum()) == N_RUNS
    return {"cpu_per_run": (cpu1 - cpu0) / N_RUNS, "wall": wall1 - wall0}


def command_sweep(tmp: Path) -> dict[str, float]:
    script = Path(sys.executable).parent / "servicesim"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "experiments.run"]
    args = [
        "-m",
        "hydra/launcher=joblib",
        f"hydra.launcher.n_jobs={WORKERS}",
        f"seed=range(0,{N_RUNS})",
        f"horizon_years={HORIZON}",
        "simulation.progress=false",
        "sweep.report=false",
        f"hydra.sweep.dir={tmp / 'sweep'}",
    ]
    cpu0, wall0 = cpu_seconds()
    proc = subprocess.run([*cmd, *args], cwd=tmp, capture_output=True, text=True, check=False)
    cpu1, wall1 = cpu_seconds()
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(list((tmp / "sweep").glob("*/results.nc"))) == N_RUNS
    return {
        "cpu_per_run": (cpu1 - cpu0) / N_RUNS,
        "wall": wall1 - wall0,
        "wall_x_workers_per_run": (wall1 - wall0) * WORKERS / N_RUNS,
    }


def report(name: str, sweep: dict[str, float], full: float, floor: float, benchmark) -> float:
    ratio = sweep["cpu_per_run"] / full
    info = {
        **sweep,
        "in_process_run": full,
        "in_process_simulation": floor,
        "ratio": ratio,
        "ratio_to_simulation": sweep["cpu_per_run"] / floor,
    }
    benchmark.extra_info.update(info)
    print(f"\n{name}: " + ", ".join(f"{k}={v:.3f}" for k, v in info.items()))
    return ratio


@pytest.mark.benchmark(group="sweep-cost")
def test_library_sweep_costs_at_most_1_3_in_process_runs(benchmark):
    full, floor = in_process_run()
    sweep = benchmark.pedantic(library_sweep, rounds=1, iterations=1)
    assert report("servicesim.sweep", sweep, full, floor, benchmark) <= TARGET


@pytest.mark.benchmark(group="sweep-cost")
def test_command_sweep_costs_at_most_1_3_in_process_runs(benchmark, tmp_path):
    full, floor = in_process_run()
    sweep = benchmark.pedantic(command_sweep, args=(tmp_path,), rounds=1, iterations=1)
    assert report("servicesim -m", sweep, full, floor, benchmark) <= TARGET
