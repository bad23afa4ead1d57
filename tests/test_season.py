import numpy as np
import pytest

from scenarios.errors import ScenarioError
from scenarios.strategies import build_strategy, with_inputs
from scenarios.strategies.season import SeasonAware, season_months
from tests.factories import small_world
from tests.growth import forecast_of, trend_path
from tests.network import run_network

YEARS = 3
HEALTH = ("primary_health_care",)


def summer_world():
    # Many free-time residences: July demand is well above the year-round capacity.
    return small_world(n_zones=2, residents_per_cell=3, capacity=150, residences=300)


def run(strategy, world=None, seasonal_path=None):
    world = world or summer_world()
    path = trend_path(world, YEARS, 0.0)
    extra = strategy.new_facilities(world) if hasattr(strategy, "new_facilities") else ()
    strategy = with_inputs(strategy, forecast=forecast_of(world, path))
    ds, model = run_network(
        world=world,
        years=YEARS,
        seed=1,
        strategy=strategy,
        path=path,
        extra_facilities=extra,
        unit_costs={"primary_health_care": 270.0},
        seasonal_path=seasonal_path,
    )
    return ds, model


def summer_unmet(ds, year):
    health = ds["unmet_zone"].sel(service="primary_health_care").sum("zone")
    return int(health.sel(time=slice(f"{year}-06", f"{year}-08")).sum())


def test_season_months_follow_the_presence_profile():
    assert season_months(summer_world(), 0.3) == (6, 7, 8)
    assert season_months(summer_world(), 0.75) == (7,)


def test_annex_opens_only_in_the_season_and_removes_summer_unmet_demand():
    strategy = SeasonAware(services=HEALTH, lead_time_months=6)
    base, _ = run(build_strategy("status_quo"))
    ds, model = run(strategy)
    annex = next(f for f in model.facilities if f.facility_id == "seasonal_F0")
    cap = annex.capacity[0]
    assert cap > 0 and annex.fixed_cost_eur_per_year == pytest.approx(cap * 270.0 * 3 / 12)
    assert summer_unmet(base, 2025) > 0
    assert summer_unmet(ds, 2025) == 0 and summer_unmet(ds, 2026) == 0
    is_open = ds["facility_open"].sel(facility="seasonal_F0").sel(time="2025").values
    assert is_open.tolist() == [0] * 5 + [1] * 3 + [0] * 4
    assert set(ds["change_op"].values) == {"open"}
    # The annex has capacity in the season months only.
    annex = ds["capacity"].sel(facility="seasonal_F0", service="primary_health_care")
    assert int(annex.sel(time="2025-07").sum()) > 0 and int(annex.sel(time="2025-09").sum()) == 0


def test_mobile_mode_adds_summer_vans_with_their_cost():
    ds, model = run(SeasonAware(services=HEALTH, mode="mobile", lead_time_months=6))
    assert {r.id for r in model.mobile_routes} == {
        "seasonal_van_F0_primary_health_care",
        "seasonal_van_F1_primary_health_care",
    }
    assert all(r.months == tuple(m in (6, 7, 8) for m in range(1, 13)) for r in model.mobile_routes)
    # Vans cost only in the season months they run.
    assert float(ds["mobile_cost"].sel(time="2025-07").sum()) > 0
    assert float(ds["mobile_cost"].sel(time="2025-01").sum()) == 0
    assert float(ds["mobile_cost"].sel(time="2024-01").sum()) == 0


def test_no_season_capacity_without_seasonal_residents():
    world = small_world(n_zones=2, residents_per_cell=3, capacity=180, residences=0)
    ds, _ = run(SeasonAware(), world=world)
    assert int(ds["n_changes"]) == 0


def test_bad_mode_is_rejected():
    with pytest.raises(ScenarioError, match="mode must be one of"):
        build_strategy("season_aware", mode="boat")
    assert np.isclose(build_strategy("season_aware", quantile=1).quantile, 1.0)
