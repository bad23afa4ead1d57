"""The oracle searches the strategies' parameters with perfect foresight; regret >= 0."""

import dataclasses

import pytest
from hydra import compose, initialize_config_module

import scenarios.compose as compose_module
from experiments.settings import spec_from_config
from scenarios.compose import (
    best_oracle_objective,
    oracle_objective,
    prepare_run,
    run,
    simulate,
    with_declared,
)
from scenarios.errors import ScenarioError
from scenarios.spec import RunSpec, StrategySpec
from scenarios.strategies import StatusQuo
from scenarios.strategies.oracle import OracleSearch, foreseeing

SPEC = RunSpec(horizon_years=3, seed=2)


@pytest.fixture(scope="module")
def prepared():
    return prepare_run(SPEC)


def test_the_grid_covers_lead_time_noise_and_threshold_of_each_strategy():
    search = OracleSearch(lead_time_months=(0, 12), noise_z=(1.0,), slack=(0.1, 0.5))
    grid = search.candidates()
    assert len(grid) == 2 * 2 * 1 * 2
    assert {(n, p["lead_time_months"], p["slack"]) for n, p in grid} == {
        (n, lead, slack)
        for n in ("proactive", "season_aware")
        for lead in (0, 12)
        for slack in (0.1, 0.5)
    }
    with pytest.raises(ScenarioError, match="noise_z"):
        OracleSearch(noise_z=())
    with pytest.raises(
        ScenarioError, match="oracle.strategies=\\[.clairvoyant.\\]: allowed values"
    ):
        OracleSearch(strategies=("clairvoyant",))


def test_a_foreseeing_strategy_plans_on_the_runs_own_sample_path(prepared):
    strategy = foreseeing("proactive", {"lead_time_months": 24}, prepared.forecast, 3)
    assert strategy.forecast.sizes["sample"] == 1
    assert int(strategy.forecast["sample"][0]) == int(prepared.forecast["sample"][3])
    assert strategy.lookahead_years * 12 >= 24


def test_the_search_declares_the_summer_annexes_out_of_the_network(prepared):
    searched = with_declared(prepared, ("season_aware",))
    added = set(searched.world.facility_ids) - set(prepared.world.facility_ids)
    assert added and all(f.startswith("seasonal_") for f in added)
    assert set(searched.dormant) == set(prepared.dormant) | added
    assert with_declared(searched, ("season_aware",)) is searched  # nothing new


def test_the_oracle_is_the_best_plan_found_and_never_worse_than_its_parts(prepared):
    status_quo = simulate(prepared, StatusQuo())
    pf = oracle_objective(prepared, status_quo["demand_zone"])
    best = best_oracle_objective(prepared, status_quo)
    assert best <= min(pf, float(status_quo["objective"]))
    searched = with_declared(prepared, ("proactive", "season_aware"))
    plans = [
        float(simulate(searched, foreseeing(n, p, prepared.forecast, prepared.sample))["objective"])
        for n, p in OracleSearch().candidates()
    ]
    assert best == pytest.approx(min([pf, float(status_quo["objective"]), *plans]))
    # The run itself is a plan found: an objective below all others is the oracle.
    assert best_oracle_objective(prepared, status_quo, own=best - 1.0) == best - 1.0


@pytest.mark.parametrize("name", ["status_quo", "reactive", "proactive"])
def test_regret_is_never_negative(name):
    spec = dataclasses.replace(SPEC, strategy=StrategySpec(name), regret=True)
    ds = run(spec)
    assert float(ds["regret_eur"]) >= 0
    assert float(ds["oracle_objective"]) <= float(ds["objective"])
    assert float(ds["regret_eur"]) == pytest.approx(
        float(ds["objective"]) - float(ds["oracle_objective"])
    )


def test_the_oracle_options_of_the_config_set_the_search_of_the_run(monkeypatch):
    with initialize_config_module(version_base="1.3", config_module="experiments.conf"):
        default = spec_from_config(compose("config"))
        cfg = compose("config", overrides=["regret=true", "oracle.lead_time_months=[6,12,18]"])
    spec = dataclasses.replace(spec_from_config(cfg), horizon_years=1)
    assert default.oracle == OracleSearch()  # the config's defaults are the code's
    assert spec.oracle == OracleSearch(lead_time_months=(6, 12, 18))
    assert len(spec.oracle.candidates()) == 12
    assert RunSpec.from_yaml(spec.to_yaml()) == spec  # the grid is stored with the results
    searched = []

    def recording(run, status_quo, own=None, search=None):
        searched.append(search)
        return own

    monkeypatch.setattr(compose_module, "best_oracle_objective", recording)
    ds = run(spec)
    assert searched == [spec.oracle]
    assert float(ds["regret_eur"]) == 0.0
