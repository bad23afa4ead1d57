import numpy as np
import pytest

from scenarios.changes.costs import CostSettings, regret
from scenarios.errors import ScenarioError
from scenarios.strategies import STRATEGIES, build_strategy, with_inputs
from simulation import ServiceModel
from tests.factories import small_world
from tests.growth import forecast_of, trend_path
from tests.network import run_network

YEARS = 6
HEALTH = {"services": ["primary_health_care"]}


def world(capacity=150.0):
    # Peak health utilisation about 0.75-0.9 at the start: inside the band [0.3, 0.9].
    return small_world(n_zones=2, residents_per_cell=3, capacity=capacity, residences=20)


def run_strategy(name, growth, seed, years=YEARS, capacity=150.0, **params):
    w = world(capacity)
    path = trend_path(w, years, growth)
    strategy = with_inputs(build_strategy(name, **params), forecast=forecast_of(w, path))
    ds, _ = run_network(world=w, years=years, seed=seed, strategy=strategy, path=path)
    return ds


def unmet(ds):
    return int(ds["unmet_zone"].sel(service="primary_health_care").sum())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_proactive_avoids_the_unmet_demand_reactive_incurs_when_demand_grows(seed):
    # 25 % a year: fast enough that reactive's 12-month lead time leaves demand unmet.
    status_quo = run_strategy("status_quo", 0.25, seed)
    reactive = run_strategy("reactive", 0.25, seed, **HEALTH)
    proactive = run_strategy("proactive", 0.25, seed, **HEALTH)
    assert unmet(status_quo) > unmet(reactive) > 0
    assert unmet(proactive) == 0
    # Proactive's first resize lands before demand exceeds capacity; reactive's only a
    # lead time after it has seen the overload.
    assert min(proactive["change_applied"].values) < min(reactive["change_applied"].values)


@pytest.mark.parametrize("name", ["reactive", "proactive"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_neither_acts_when_demand_is_flat(name, seed):
    # All services (health and school) start inside the band.
    ds = run_strategy(name, 0.0, seed, capacity=180.0)
    assert int(ds["n_changes"]) == 0 and ds.sizes["change"] == 0
    assert unmet(ds) == 0


def test_strategy_changes_are_recorded_with_origin_and_lead_time():
    ds = run_strategy("reactive", 0.15, 1, lead_time_months=6, change_cost_eur=1000.0, **HEALTH)
    assert int(ds["n_changes"]) > 0
    assert set(ds["change_origin"].values) == {"strategy:reactive"}
    assert (ds["change_lead_time_months"] == 6).all()
    assert all(d.endswith("-01") for d in ds["change_decided"].values)
    assert all(e.endswith("-07") for e in ds["change_effective"].values)
    assert float(ds["change_cost"].sum()) == 1000.0 * int(ds["n_changes"])


def test_planning_period_limits_decisions_to_every_other_year():
    ds = run_strategy("proactive", 0.15, 1, period_years=2, **HEALTH)
    years = {int(d[:4]) for d in ds["change_decided"].values}
    assert years and all((y - 2024) % 2 == 0 for y in years)


def test_reactive_sees_only_the_past():
    w = world()
    path = trend_path(w, 3, 0.15)
    strategy = build_strategy("reactive", **HEALTH)
    model = ServiceModel(w, path, 3, seed=1)
    for _ in range(12):
        model.step()
    before = strategy.plan(model)
    model.recorder.data["demand"][12:] = 10**6  # the future, if it could see it
    assert strategy.plan(model) == before


def test_perfect_foresight_oracle_has_no_unmet_demand_and_positive_regret_for_reactive():
    w = world()
    path = trend_path(w, YEARS, 0.15)
    realised = run_network(world=w, years=YEARS, seed=1, path=path)[0]["demand_zone"].values
    oracle = with_inputs(build_strategy("perfect_foresight", **HEALTH), realised=realised)
    costs = CostSettings(unmet_penalty_eur={"primary_health_care": 90.0})
    ds_oracle, _ = run_network(
        world=w, years=YEARS, seed=1, path=path, strategy=oracle, costs=costs
    )
    reactive = build_strategy("reactive", **HEALTH)
    ds_reactive, _ = run_network(
        world=w, years=YEARS, seed=1, path=path, strategy=reactive, costs=costs
    )
    assert unmet(ds_oracle) == 0
    np.testing.assert_array_equal(ds_oracle["demand_zone"].values, realised)
    assert regret(ds_reactive, ds_oracle) > 0


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("clairvoyant", {}, "is not one of"),
        ("reactive", {"uper": 0.9}, "parameter 'uper' is not one of"),
        ("reactive", {"patience": "two"}, "parameter 'patience'='two' must be int"),
        ("proactive", {"lead_time_months": 30, "lookahead_years": 2}, "lookahead_years x 12"),
        ("reactive", {"lower": 0.8, "target": 0.7}, "need 0 <= close_below <= lower"),
    ],
)
def test_bad_strategy_parameters_are_rejected(name, params, message):
    with pytest.raises(ScenarioError, match=message):
        build_strategy(name, **params)


def test_numbers_are_typed_and_every_strategy_builds():
    assert build_strategy("proactive", quantile=1).quantile == 1.0
    assert build_strategy("reactive", services=["library"]).services == ("library",)
    for name in STRATEGIES:
        assert build_strategy(name).name == name


def test_the_old_lookahead_name_is_refused_with_the_new_one():
    with pytest.raises(ScenarioError, match="'horizon_years' is now 'lookahead_years'"):
        build_strategy("proactive", horizon_years=2)
