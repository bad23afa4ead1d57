import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.errors import ScenarioError
from scenarios.strategies import build_strategy, with_inputs
from scenarios.strategies.optimise import Optimised, max_cover_sites, p_median_sites
from tests.factories import small_world
from tests.growth import forecast_of, trend_path
from tests.network import run_network


@given(n=st.integers(3, 6), p=st.integers(1, 3), seed=st.integers(0, 10**6))
@settings(max_examples=15, deadline=None)
def test_p_median_matches_brute_force_when_capacity_does_not_bind(n, p, seed):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 50, size=(n, 2))
    minutes = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    weights = rng.integers(1, 100, size=n).astype(float)
    p = min(p, n)
    sites = p_median_sites(minutes, weights, p, site_capacity=weights.sum())
    assert len(sites) == p

    def total(chosen):
        return float((weights * minutes[:, list(chosen)].min(axis=1)).sum())

    best = min(total(c) for c in itertools.combinations(range(n), p))
    assert np.isclose(total(sites), best)


def test_optimised_re_sites_to_fewer_facilities_where_demand_is():
    world = small_world(n_zones=3, residents_per_cell=3, capacity=150)
    years = 3
    path = trend_path(world, years, 0.0)
    strategy = Optimised(
        services=("primary_health_care",), sites=2, lead_time_months=6, period_years=2
    )
    extra = strategy.new_facilities(world)
    assert len(extra) == 3  # one candidate per zone for the planned service
    strategy = with_inputs(strategy, forecast=forecast_of(world, path))
    ds, model = run_network(
        world=world, years=years, seed=1, strategy=strategy, path=path, extra_facilities=extra
    )
    health = ds["capacity"].sel(service="primary_health_care")
    offering = (health > 0).sum("facility")
    assert int(offering.isel(time=0)) == 3 and int(offering.isel(time=-1)) == 2
    assert set(ds["change_effective"].values) <= {"2024-07", "2026-07"}
    # What the two sites offer covers the demand they were sized for (target 0.75).
    last = ds.isel(time=slice(-12, None))
    assert int(last["unmet_zone"].sel(service="primary_health_care").sum()) == 0
    assert (ds["demand_zone"] == ds["served_zone"] + ds["unmet_zone"]).all()


def test_optimised_is_registered_with_typed_parameters():
    s = build_strategy("optimised", sites=1, quantile=0.5, services=["library"])
    assert isinstance(s, Optimised) and s.sites == 1 and s.services == ("library",)


@given(n=st.integers(3, 6), p=st.integers(1, 3), seed=st.integers(0, 10**6))
@settings(max_examples=10, deadline=None)
def test_max_cover_matches_brute_force(n, p, seed):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 50, size=(n, 2))
    minutes = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    weights = rng.integers(1, 100, size=n).astype(float)
    p, radius = min(p, n), 20.0
    sites = max_cover_sites(minutes, weights, p, radius)

    def covered(chosen):
        return float(weights[(minutes[:, list(chosen)] <= radius).any(axis=1)].sum())

    best = max(covered(c) for c in itertools.combinations(range(n), p))
    assert len(sites) <= p and np.isclose(covered(sites), best)


def test_bad_method_is_rejected():
    with pytest.raises(ScenarioError, match="method must be one of"):
        build_strategy("optimised", method="genetic")
