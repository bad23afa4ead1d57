"""Scale benchmarks: person agents vs columns, 1 M persons, the whole country.

Run with ``pytest benchmarks/test_bench_scale.py --benchmark-only -s``. Figures are
printed and stored in ``extra_info``; they belong in the README, never in assertions.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.agent_reference import AgentServiceModel
from benchmarks.worlds import ageing_path, finland_world
from scenarios.worlds.loader import embedded_world_path, load_world
from simulation import ServiceModel

REFERENCE_MONTHS = 2


def _model(world, years=1, seed=1):
    return ServiceModel(world, ageing_path(world, years), years, seed=seed)


@pytest.mark.parametrize("world_name", ["sysma", "paijat_hame"])
def test_person_agents_vs_columns(benchmark, world_name):
    """Same world, persons and months (no year end): Mesa agents vs the columnar model."""
    world = load_world(embedded_world_path(world_name))
    columnar = _model(world)
    reference = AgentServiceModel(_model(world), seed=1)

    def setup():
        return (_model(world),), {}

    def columns(model):
        model.run_for(REFERENCE_MONTHS)
        return model

    model = benchmark.pedantic(columns, setup=setup, rounds=5, iterations=1)
    t_columns = benchmark.stats.stats.min
    start = time.perf_counter()
    for _ in range(REFERENCE_MONTHS):
        reference.step()
    t_agents = time.perf_counter() - start
    persons = columnar.population.size
    agent_demand = reference.totals[:, 0].sum()
    column_demand = int(model.recorder.data["demand_zone"][:REFERENCE_MONTHS].sum())
    ratio = t_agents / t_columns
    benchmark.extra_info.update(
        persons=persons, agents_s=t_agents, columns_s=t_columns, ratio=ratio
    )
    print(
        f"\n{world_name} {persons} persons, {REFERENCE_MONTHS} months: mesa.Agent per person "
        f"{t_agents:.2f} s, columns {t_columns * 1000:.1f} ms (stepping only, both), "
        f"ratio {ratio:.0f}x; demand agents {agent_demand}, columns {column_demand}"
    )
    assert agent_demand > 0 and column_demand > 0


def test_one_million_persons_one_year(benchmark):
    """Full model (presence, demand, channels, choice, metrics, year-end demography)."""
    world = finland_world(1 / 8)

    def setup():
        return (_model(world),), {}

    cpu = []

    def simulate(model):
        start = time.process_time()
        model.run_for(12)
        cpu.append(time.process_time() - start)
        return model

    persons = _model(world).population.size  # permanent and seasonal, at the start
    benchmark.pedantic(simulate, setup=setup, rounds=2, iterations=1)
    rate = persons * 12 / benchmark.stats.stats.min
    cpu_rate = persons * 12 / min(cpu)
    benchmark.extra_info.update(persons=persons, person_months_per_s=rate, per_cpu_s=cpu_rate)
    print(
        f"\nfinland x1/8: {persons:,} persons, {rate / 1e6:.1f} M person-months/s wall, "
        f"{cpu_rate / 1e6:.1f} M per CPU second"
    )


@pytest.mark.parametrize("years", [20])
def test_whole_country(benchmark, years):
    """Runs ``python -m benchmarks.country`` in its own process (for its peak memory)."""
    root = Path(__file__).resolve().parents[1]

    def run():
        return subprocess.run(
            [sys.executable, "-m", "benchmarks.country", str(years)],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    out = benchmark.pedantic(run, rounds=1, iterations=1)
    print("\n" + out.strip())
    benchmark.extra_info["output"] = out.strip()
