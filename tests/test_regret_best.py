"""Regret against the best known plan of each scenario and seed (comparison time)."""

import numpy as np
import pytest
import xarray as xr

from experiments.aggregate import best_known_regret, combine_runs
from experiments.report import render_report
from experiments.report_tables import stats
from scenarios.changes.costs import CostSettings
from scenarios.strategies import build_strategy, with_inputs
from tests.growth import trend_path
from tests.network import run_network
from tests.test_strategies import HEALTH, YEARS, world

PENALTY = CostSettings(unmet_penalty_eur={"primary_health_care": 90.0}, objective="penalty")


def comparison(objective, oracle=None):
    dims = ("scenario", "strategy", "seed")
    coords = {"scenario": ["s"], "strategy": ["a", "b", "c"], "seed": [0, 1]}
    ds = xr.Dataset({"metric_objective": (dims, np.asarray(objective, dtype=float))}, coords)
    if oracle is not None:
        ds["oracle_objective"] = (dims, np.asarray(oracle, dtype=float))
    return ds


def test_regret_is_zero_for_the_best_strategy_and_positive_for_the_others():
    out = best_known_regret(comparison([[[10.0, 5.0], [7.0, 9.0], [np.nan, 6.0]]]))
    regret = out["metric_regret_best"].sel(scenario="s")
    np.testing.assert_allclose(regret.sel(seed=0).values, [3.0, 0.0, np.nan])
    np.testing.assert_allclose(regret.sel(seed=1).values, [0.0, 4.0, 1.0])
    np.testing.assert_allclose(out["best_objective"].sel(scenario="s").values, [7.0, 5.0])
    assert out["metric_regret_best"].attrs["units"] == "1"  # CF: money is 1 + currency
    assert out["metric_regret_best"].attrs["currency"] == "EUR"


def test_the_report_table_shows_regret_against_the_best_known_plan():
    out = best_known_regret(comparison([[[10.0, 5.0], [7.0, 9.0], [8.0, 6.0]]]))
    out["metric_cost_per_year"] = out["metric_objective"] / 10  # every real run has it
    by_strategy = {k: stats(out, "regret_best", "s", k)[0] for k in ("a", "b", "c")}
    assert by_strategy == pytest.approx({"a": 1.5, "b": 2.0, "c": 1.0})
    assert "Regret against the best known plan" in render_report(out, "en")[0]


def test_an_oracle_better_than_every_strategy_sets_the_bar():
    objective = [[[10.0, 5.0], [7.0, 9.0], [8.0, 6.0]]]
    oracle = [[[4.0, np.nan], [np.nan, np.nan], [np.nan, 4.5]]]
    out = best_known_regret(comparison(objective, oracle))
    assert (out["metric_regret_best"] > 0).all()
    np.testing.assert_allclose(out["best_objective"].values, [[4.0, 4.5]])


def run_objective(name, **params):
    w = world()
    path = trend_path(w, YEARS, 0.15)
    strategy = build_strategy(name, **params)
    if name == "perfect_foresight":
        realised = run_network(world=w, years=YEARS, seed=1, path=path)[0]["demand_zone"]
        strategy = with_inputs(strategy, realised=realised.values)
    ds, _ = run_network(world=w, years=YEARS, seed=1, path=path, strategy=strategy, costs=PENALTY)
    return ds


@pytest.fixture(scope="module")
def growing_runs():
    return {
        "status_quo": run_objective("status_quo"),
        "reactive": run_objective("reactive", **HEALTH),
        "perfect_foresight": run_objective("perfect_foresight", **HEALTH),
    }


def test_the_oracle_beats_the_status_quo_on_a_growing_world(growing_runs):
    objective = {k: float(ds["objective"]) for k, ds in growing_runs.items()}
    assert objective["perfect_foresight"] < objective["status_quo"]
    assert objective["perfect_foresight"] < objective["reactive"]


def test_regret_of_every_run_of_a_sweep_is_not_negative(growing_runs, tmp_path):
    files = []
    for name, ds in growing_runs.items():
        ds = ds.assign_attrs(scenario="growth", strategy=name, seed=1)
        path = tmp_path / name / "results.nc"
        path.parent.mkdir()
        ds.to_netcdf(path, engine="h5netcdf")
        files.append(path)
    out = combine_runs(files)
    regret = out["metric_regret_best"].sel(scenario="growth", seed=1)
    assert (regret >= 0).all() and float(regret.min()) == 0.0
    assert float(regret.sel(strategy="perfect_foresight")) == 0.0
    assert float(regret.sel(strategy="status_quo")) > 0
