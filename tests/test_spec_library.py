"""A spec named in Python is the spec the command line composes for the same names.

``RunSpec(strategy="optimised")`` once took the code's default parameters while
``servicesim strategy=optimised`` took the shipped file's, so the library face ran
another plan (one that spopt could not solve on Sysmä).
"""

from __future__ import annotations

import pytest
from hydra import compose, initialize_config_module

import servicesim
from experiments.settings import config_dir, spec_from_config

STRATEGIES = sorted(p.stem for p in config_dir("strategy").glob("*.yaml"))
SCENARIOS = sorted(p.stem for p in config_dir("scenario").glob("*.yaml"))


def composed(*overrides: str) -> servicesim.RunSpec:
    with initialize_config_module(version_base="1.3", config_module="experiments.conf"):
        return spec_from_config(compose("config", overrides=list(overrides)))


@pytest.mark.parametrize("name", STRATEGIES)
def test_strategy_by_name_is_the_shipped_one(name):
    cli = composed(f"strategy={name}")
    assert servicesim.RunSpec(strategy=name).strategy == cli.strategy


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_by_name_is_the_shipped_one(name):
    cli = composed(f"scenario={name}")
    assert servicesim.RunSpec(scenario=name).scenario == cli.scenario


def test_shipped_optimised_plan_runs_on_sysma():
    ds = servicesim.run(servicesim.RunSpec(world="sysma", horizon_years=6, strategy="optimised"))
    assert int(ds["n_changes"]) > 0
