"""``season_aware`` sizes summer capacity to a quantile of the seasonal-stock forecast."""

import numpy as np
import pytest
import xarray as xr

from scenarios.changes.scenario import dormant_ids, extend_world
from scenarios.strategies import INPUTS, build_strategy, with_inputs
from scenarios.strategies.season import SeasonAware
from simulation import ServiceModel
from tests.factories import small_world
from tests.growth import forecast_of, trend_path
from tests.test_season import HEALTH, run, summer_unmet, summer_world

YEARS = 3


def growing_stock(world, growth_by_sample):
    """Seasonal stock / base-year stock: sample i grows by ``growth_by_sample[i]`` a year."""
    years = np.arange(world.base_year, world.base_year + YEARS + 1)
    growth = np.asarray(growth_by_sample)[:, None]
    ratio = (1 + growth) ** (years - world.base_year)[None, :]
    return xr.DataArray(
        ratio, dims=("sample", "year"), coords={"sample": np.arange(len(growth)), "year": years}
    )


def summer_capacity(quantile, stock, mode="annex"):
    """Season capacity ordered in the first January (annex capacity or van capacity)."""
    world = summer_world()
    path = trend_path(world, YEARS, 0.0)
    strategy = with_inputs(
        SeasonAware(services=HEALTH, quantile=quantile, mode=mode, lead_time_months=6),
        forecast=forecast_of(world, path),
        seasonal_forecast=stock,
    )
    full = extend_world(world, strategy.new_facilities(world))  # the annexes, dormant
    model = ServiceModel(full, path, YEARS, seed=1, dormant=dormant_ids(full, world))
    orders = strategy.plan(model)
    if mode == "annex":
        return sum(sum(o.capacity.values()) for o in orders if o.op_name == "open")
    return sum(o.capacity_per_month for o in orders if o.op_name == "add_mobile_route")


@pytest.mark.parametrize("mode", ["annex", "mobile"])
def test_a_higher_quantile_gives_more_summer_capacity_when_the_forecast_grows(mode):
    stock = growing_stock(summer_world(), [0.0, 0.1, 0.2, 0.3, 0.4])
    low, high = summer_capacity(0.2, stock, mode), summer_capacity(0.9, stock, mode)
    assert 0 < low < high
    # Without the seasonal forecast: sized for today's stock, less than either.
    assert summer_capacity(0.2, None, mode) < low


def test_the_quantile_does_not_matter_when_the_stock_is_flat():
    stock = growing_stock(summer_world(), [0.0] * 5)
    assert summer_capacity(0.2, stock) == summer_capacity(0.9, stock) > 0
    assert summer_capacity(0.9, stock) == summer_capacity(0.9, None)


def test_the_seasonal_forecast_is_an_input_not_a_parameter():
    assert "seasonal_forecast" in INPUTS
    with pytest.raises(Exception, match="not one of"):
        build_strategy("season_aware", seasonal_forecast=1.0)


def test_a_run_with_the_growing_forecast_leaves_less_summer_demand_unmet():
    # Stock +30 % a year, lead time 12 months: sized for today's stock, the annex
    # ordered in January 2025 is too small by summer 2026; sized for the forecast, not.
    world = small_world(n_zones=2, residents_per_cell=3, capacity=150, residences=300)
    stock = growing_stock(world, [0.3])
    path = {y: float(stock.sel(sample=0, year=y)) for y in range(2024, 2024 + YEARS)}
    runs = {
        name: run(
            with_inputs(SeasonAware(services=HEALTH, lead_time_months=12), seasonal_forecast=given),
            seasonal_path=path,
        )[0]
        for name, given in (("blind", None), ("aware", stock))
    }
    assert summer_unmet(runs["aware"], 2026) < summer_unmet(runs["blind"], 2026) / 10
