"""``reactive`` opens a new facility when resizing is capped or the overload is far away."""

import dataclasses

import numpy as np
import pytest

from scenarios.errors import ScenarioError
from scenarios.strategies import build_strategy
from simulation import DemographicPath
from tests.factories import small_world
from tests.growth import trend_path
from tests.network import run_network

YEARS = 6
HEALTH = "primary_health_care"
CANDIDATE = "candidate_primary_health_care_Z2"


def one_facility_world():
    # Three zones on a line (car minutes 1, 6, 11 from zone 0); one facility, in zone 0.
    w = small_world(n_zones=3, residents_per_cell=3, capacity=360.0, n_areas=3, residences=0)
    return dataclasses.replace(w, facilities=w.facilities[:1])


def remote_growth_path(world, growth):
    """Zone 2 (its own area) grows by ``growth`` a year; the others stay flat."""
    path = trend_path(world, YEARS, 0.0)
    pop = path.population.copy()
    factor = (1 + growth) ** np.arange(1, YEARS + 1)
    pop[2] = np.rint(world.area_residents[2][None] * factor[:, None, None]).astype(np.int64)
    return DemographicPath(
        years=path.years,
        population=pop,
        death_probability=path.death_probability,
        infant_death_probability=path.infant_death_probability,
        fertility_rate=path.fertility_rate,
        sex_ratio_at_birth=path.sex_ratio_at_birth,
    )


def run_reactive(growth, seed=1, **params):
    w = one_facility_world()
    strategy = build_strategy(
        "reactive",
        services=[HEALTH],
        open_lead_time_months=12,
        open_cost_eur=500_000.0,
        **params,
    )
    return run_network(
        world=w,
        years=YEARS,
        seed=seed,
        strategy=strategy,
        path=remote_growth_path(w, growth),
        extra_facilities=strategy.new_facilities(w),
    )


def openings(ds):
    return [
        (str(t), str(e))
        for op, t, e in zip(
            ds["change_op"].values,
            ds["change_target"].values,
            ds["change_effective"].values,
            strict=True,
        )
        if op == "open"
    ]


@pytest.mark.parametrize("params", [{"far_minutes": 8.0}, {"max_capacity_factor": 1.2}])
@pytest.mark.parametrize("seed", [1, 2])
def test_growth_in_a_remote_zone_opens_a_facility_there(params, seed):
    ds, model = run_reactive(0.5, seed, **params)
    opened = openings(ds)
    assert [t for t, _ in opened] == [CANDIDATE]  # once: it waits a year after a change
    # Decided in a January after an overloaded year, in effect a year later; costed.
    ((_, effective),) = opened
    applied = ds["change_applied"].values[list(ds["change_op"].values).index("open")]
    assert applied == effective and effective.endswith("-01")
    assert 500_000.0 in ds["change_one_off_cost_eur"].values
    new = next(f for f in model.facilities if f.facility_id == CANDIDATE)
    assert new.in_network and new.capacity[0] > 0
    # The new facility serves zone 2 once open; the old one keeps serving zone 0.
    t = list(ds["time"].dt.strftime("%Y-%m").values).index(effective)
    served = ds["served"].sel(service=HEALTH).isel(time=slice(t, None))
    assert float(served.sel(facility=CANDIDATE).sum()) > 0


def test_capped_resizing_stays_under_the_cap():
    ds, model = run_reactive(0.5, 1, max_capacity_factor=1.2)
    old = model.facilities[0]
    assert old.capacity[0] <= np.floor(1.2 * 360.0)
    assert int((ds["change_op"].values == "open").sum()) == 1


def test_the_new_facility_cuts_unmet_demand_compared_with_capped_resizing_alone():
    opened, _ = run_reactive(0.5, 1, max_capacity_factor=1.2)
    w = one_facility_world()  # same cap, but no candidate sites declared: it cannot open
    strategy = build_strategy("reactive", services=[HEALTH], max_capacity_factor=1.2)
    capped, _ = run_network(
        world=w, years=YEARS, seed=1, strategy=strategy, path=remote_growth_path(w, 0.5)
    )
    assert "open" not in capped["change_op"].values
    unmet = lambda ds: int(ds["unmet_zone"].sel(service=HEALTH).sum())  # noqa: E731
    assert unmet(opened) < unmet(capped)


@pytest.mark.parametrize("params", [{"far_minutes": 8.0}, {"max_capacity_factor": 1.2}])
def test_no_opening_when_demand_is_flat(params):
    ds, _ = run_reactive(0.0, 1, **params)
    assert openings(ds) == [] and int(ds["n_changes"]) == 0


def test_far_demand_that_cannot_relieve_the_overload_is_resized_instead():
    # Zones beyond 20 minutes: none, so the far rule never opens; the band rule resizes.
    ds, _ = run_reactive(0.5, 1, far_minutes=20.0)
    assert openings(ds) == []
    assert "resize" in ds["change_op"].values


def test_default_reactive_declares_no_candidates_and_bad_values_are_rejected():
    assert build_strategy("reactive").new_facilities(one_facility_world()) == ()
    with pytest.raises(ScenarioError, match="max_capacity_factor must be 0"):
        build_strategy("reactive", max_capacity_factor=0.5)
    with pytest.raises(ScenarioError, match="must be >= 0"):
        build_strategy("reactive", open_cost_eur=-1.0)
