"""Strategies plan for the service standards: proactive and season_aware meet them cheaply."""

import dataclasses

import numpy as np
import pytest

from scenarios.strategies import build_strategy, with_inputs
from simulation.queues import WaitingRule
from simulation.standards import Standard
from tests.factories import small_world
from tests.growth import forecast_of, trend_path
from tests.network import run_network

YEARS = 5
HEALTH = "primary_health_care"


def standard_world(capacity=130.0):
    """Small world whose health queue switches to phone after 21 days, 14-day standard."""
    w = small_world(n_zones=2, residents_per_cell=3, capacity=capacity, residences=300)
    services = tuple(
        dataclasses.replace(s, waiting=WaitingRule("switch", 21.0)) if s.id == HEALTH else s
        for s in w.services
    )
    limit = Standard(HEALTH, "waiting_days", 14.0, "2000-01-01", target_share=0.9)
    return dataclasses.replace(w, services=services, standards=(limit,))


def run(name, growth=0.1, seed=1, **params):
    w = standard_world()
    path = trend_path(w, YEARS, growth)
    services = {} if name == "status_quo" else {"services": [HEALTH]}
    strategy = build_strategy(name, **services, **params)
    strategy = with_inputs(strategy, forecast=forecast_of(w, path))
    extra = strategy.new_facilities(w) if hasattr(strategy, "new_facilities") else ()
    ds, _ = run_network(
        world=w, years=YEARS, seed=seed, strategy=strategy, path=path, extra_facilities=extra
    )
    return ds


def months_met_after_first_year(ds):
    share = ds["service_within_standard"].sel(service=HEALTH).values[12:]
    return float(np.mean(share[~np.isnan(share)] >= 0.9))


def year_round(ds):
    cap = ds["capacity"].sel(service=HEALTH)
    main = [f for f in cap["facility"].values if not str(f).startswith("seasonal_")]
    return cap.sel(facility=main).sum("facility").values


@pytest.fixture(scope="module")
def runs():
    return {
        "status_quo": run("status_quo"),
        "standard": run("proactive"),
        "utilisation": run("proactive", sizing="utilisation"),
        "season_aware": run("season_aware"),
    }


def test_proactive_sizes_for_the_standard_not_for_a_utilisation_target(runs):
    assert months_met_after_first_year(runs["status_quo"]) < 0.9
    assert months_met_after_first_year(runs["standard"]) >= 0.95
    # The standard asks for less capacity than the utilisation target of 0.75.
    assert year_round(runs["standard"])[-1] < year_round(runs["utilisation"])[-1]


def test_season_aware_meets_the_summer_standard_with_seasonal_capacity_first(runs):
    ds = runs["season_aware"]
    assert months_met_after_first_year(ds) >= 0.95
    cap = ds["capacity"].sel(service=HEALTH)
    annex = [f for f in cap["facility"].values if str(f).startswith("seasonal_")]
    summer = cap.sel(facility=annex).sum("facility").values.reshape(YEARS, 12)
    assert summer[1:, 6].min() > 0 and summer[1:, 0].max() == 0  # July only
    assert year_round(ds)[-1] < year_round(runs["standard"])[-1]


def test_bad_sizing_parameters_are_refused():
    with pytest.raises(Exception, match="sizing must be one of"):
        build_strategy("proactive", sizing="peak")
    with pytest.raises(Exception, match="noise_z"):
        build_strategy("season_aware", noise_z=-1.0)
    for name in ("perfect_foresight", "optimised", "channel_shift"):  # band rule only
        with pytest.raises(Exception, match="sizing='standard' is not implemented"):
            build_strategy(name, sizing="standard")
        assert build_strategy(name).sizing == "utilisation"
