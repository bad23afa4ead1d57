"""Speed of the full monthly model on the embedded worlds.

Run with ``pytest benchmarks --benchmark-only``; the printed ``person-months/s``
(extra_info) is persons x months simulated per second of wall time, demography at
year ends included. Figures belong in the README, never in assertions.
"""

from __future__ import annotations

import pytest
from hydra import compose, initialize_config_module

from experiments.compose import prepare_run
from experiments.settings import settings_from_config
from simulation.results import run_dataset


def prepared(world: str, years: int):
    with initialize_config_module(version_base="1.3", config_module="experiments.conf"):
        cfg = compose("config", overrides=[f"world={world}", f"horizon_years={years}"])
    return prepare_run(settings_from_config(cfg))


@pytest.mark.parametrize("world", ["sysma", "paijat_hame"])
def test_one_simulated_year(benchmark, world):
    run = prepared(world, years=1)

    def setup():
        return (run.model(),), {}

    def simulate(model):
        model.run()
        run_dataset(model)  # the results, as ServiceModel.run() built them before
        return model

    model = benchmark.pedantic(simulate, setup=setup, rounds=3, iterations=1)
    persons = model.population.size
    seconds = benchmark.stats.stats.min
    benchmark.extra_info["persons"] = persons
    benchmark.extra_info["person_months_per_s"] = persons * 12 / seconds
    print(f"\n{world}: {persons} persons, {persons * 12 / seconds / 1e6:.2f} M person-months/s")
