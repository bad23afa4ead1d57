import numpy as np
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation import ServiceModel
from simulation.model import spawn_streams
from tests.factories import drifting_path, results_of, small_world

worlds = st.builds(
    small_world,
    n_zones=st.integers(1, 5),
    residents_per_cell=st.integers(0, 3),
    residences=st.integers(0, 30),
    capacity=st.floats(0, 300),
    n_areas=st.integers(1, 2),
    seed=st.integers(0, 1000),
)


def run(world, years=2, seed=1):
    return results_of(ServiceModel(world, drifting_path(world, years, seed=seed), years, seed=seed))


@given(world=worlds, seed=st.integers(0, 2**32 - 1))
@settings(max_examples=25, deadline=None)
def test_demand_is_served_plus_unmet_everywhere(world, seed):
    ds = run(world, seed=seed)
    assert (ds["demand"] == ds["served"] + ds["unmet"]).all()
    assert (ds["demand_zone"] == ds["served_zone"] + ds["unmet_zone"]).all()
    assert (ds["load"] <= ds["capacity"]).all()
    # Every facility attribution adds up to the zone totals (each service has facilities).
    assert (ds["demand"].sum("facility") == ds["demand_zone"].sum("zone")).all()
    assert (ds["load"].sum("facility") == ds["served_zone"].sum("zone")).all()


@given(world=worlds, seed=st.integers(0, 2**32 - 1))
@settings(max_examples=25, deadline=None)
def test_population_accounting_per_zone_and_year(world, seed):
    ds = run(world, years=3, seed=seed)
    change = ds["births"] - ds["deaths"] + ds["in_migration"] - ds["out_migration"]
    assert (ds["residents_end"] == ds["residents_start"] + change).all()
    assert (
        ds["residents_start"].isel(year=slice(1, None)).values
        == ds["residents_end"].isel(year=slice(None, -1)).values
    ).all()
    assert (ds["residents_start"].isel(year=0).values == world.residents.sum(axis=(1, 2))).all()


@given(world=worlds, seed=st.integers(0, 2**32 - 1))
@settings(max_examples=15, deadline=None)
def test_aligned_population_equals_forecast_targets(world, seed):
    years = 3
    path = drifting_path(world, years, seed=seed)
    model = ServiceModel(world, path, years, seed=seed)
    model.run()
    pop = model.population
    ids = pop.ids(pop["kind"] == 0)
    area = world.zones.area_index[pop["zone"][ids]]
    counts = np.zeros(path.population[:, -1].shape, dtype=np.int64)
    np.add.at(counts, (area, pop["sex"][ids], pop["age"][ids]), 1)
    assert (counts == path.population[:, -1]).all()


def test_same_seed_same_results_different_seed_different():
    world = small_world(n_zones=3, residents_per_cell=3)
    a, b, c = run(world, seed=7), run(world, seed=7), run(world, seed=8)
    xr.testing.assert_identical(a, b)
    assert not a["demand"].equals(c["demand"])


def test_streams_are_independent_of_each_other():
    a = spawn_streams(3)
    b = spawn_streams(3)
    a["births"].random(1000)  # drawing from one stream leaves the others untouched
    assert a["demand"].random() == b["demand"].random()


def test_seasonal_presence_follows_profile():
    world = small_world(n_zones=2, residents_per_cell=0, residences=500)
    ds = run(world, years=1)
    seasonal = ds["population"].sel(kind="seasonal").sum(("zone", "age_group"))
    jan, jul = int(seasonal.isel(time=0)), int(seasonal.isel(time=6))
    total = 2 * 500 * 2
    assert abs(jan - 0.1 * total) < 0.05 * total
    assert abs(jul - 0.8 * total) < 0.05 * total


def test_closed_months_have_no_capacity_and_demand_spills_or_is_unmet():
    world = small_world(n_zones=2, residents_per_cell=3, capacity=0.0)
    ds = run(world, years=1)
    health = ds.sel(service="primary_health_care")
    assert int(health["served"].sum()) == 0
    assert int(health["unmet"].sum()) == int(health["demand"].sum()) > 0
