"""Results by zone and group: they add back up to the service-level figures exactly."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

import servicesim
from scenarios.compose import prepare_run
from simulation.access import GROUPS
from simulation.cellplan import eligible_by_row
from simulation.choice import allocate, logit_allocate
from simulation.serve import cell_plan
from simulation.zone_dataset import ZONE_VARIABLES
from simulation.zone_records import eligible_cells, row_arrivals, split_weights

PARTITIONS = [
    ("car", "no_car"),
    ("seasonal", "permanent"),
    ("age_75_plus", "age_under_75"),
    ("digital_low", "digital_high"),
]
RUNS = [
    {"strategy": "status_quo"},
    {"strategy": "reactive", "scenario": "close_village_school"},
    {"strategy": "season_aware", "scenario": "health_to_one_stop_plus_van"},
]


@pytest.fixture(scope="module", params=RUNS, ids=lambda r: "-".join(r.values()))
def run(request):
    return servicesim.run(servicesim.RunSpec(world="sysma", horizon_years=3, **request.param))


def weighted(share: xr.DataArray, weight: xr.DataArray, dim: str) -> xr.DataArray:
    total = weight.sum(dim)
    return ((share.fillna(0) * weight).sum(dim) / total).where(total > 0)


def assert_same(a: xr.DataArray, b: xr.DataArray) -> None:
    a, b = a.transpose(*b.dims), b
    assert (a.isnull() == b.isnull()).all()
    np.testing.assert_allclose(a.fillna(0), b.fillna(0), rtol=0, atol=1e-12)


def test_variables_have_units_and_dims(run):
    for name, (dims, units, _) in ZONE_VARIABLES.items():
        assert run[name].dims == dims and run[name].attrs["units"] == units


def test_zones_weighted_give_back_the_service_compliance(run):
    svc = run["service_within_standard"]
    assert svc.notnull().sum() > 0
    rebuilt = weighted(run["within_standard_zone"], run["within_standard_weight_zone"], "zone")
    assert_same(rebuilt, svc)


def test_groups_give_back_the_service_compliance(run):
    svc = run["service_within_standard"]
    share, weight = run["within_standard_group"], run["within_standard_weight_group"]
    assert_same(share.sel(group="all"), svc)
    for a, b in PARTITIONS:
        pair = list((a, b))
        assert_same(weighted(share.sel(group=pair), weight.sel(group=pair), "group"), svc)


def test_access_by_zone_gives_back_the_service_access(run):
    rebuilt = weighted(run["share_within_20min_zone"], run["eligible_present_zone"], "zone")
    assert_same(rebuilt, run["share_within_20min"])


def test_waiting_by_zone_gives_back_the_facilities_waiting(run):
    world = servicesim.load_world("sysma")
    enrolment = [s.id for s in world.services if s.demand_type == "enrolment"]
    assert enrolment
    stock = run["service"].isin(enrolment)
    at_facilities = xr.where(stock, run["queue_served"] + run["backlog"], run["arrivals"])
    assert_same(run["queue_arrivals_zone"].sum("zone"), at_facilities.sum("facility") * 1.0)
    waits = run["waiting_time_mean"].fillna(0) * at_facilities
    zone_waits = (run["waiting_days_zone"].fillna(0) * run["queue_arrivals_zone"]).sum("zone")
    np.testing.assert_allclose(zone_waits, waits.sum("facility"), rtol=1e-12, atol=1e-9)


def test_shares_are_shares(run):
    for name in ("within_standard_zone", "within_standard_group", "share_within_20min_zone"):
        values = run[name].values[np.isfinite(run[name].values)]
        assert values.size and values.min() >= 0 and values.max() <= 1 + 1e-12, name
    assert (run["waiting_days_zone"].fillna(0) >= 0).all()


@st.composite
def choices(draw):
    n_rows, n_fac = draw(st.integers(1, 8)), draw(st.integers(1, 5))
    demand = np.array(draw(st.lists(st.integers(0, 60), min_size=n_rows, max_size=n_rows)))
    capacity = np.array(draw(st.lists(st.integers(0, 80), min_size=n_fac, max_size=n_fac)))
    offers = np.array(draw(st.lists(st.booleans(), min_size=n_fac, max_size=n_fac)))
    minutes = np.array(
        draw(st.lists(st.floats(0, 90), min_size=n_rows * n_fac, max_size=n_rows * n_fac))
    ).reshape(n_rows, n_fac)
    order = np.argsort(minutes, axis=1, kind="stable")
    order = np.array([row[offers[row]] for row in order]).reshape(n_rows, -1)
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    if draw(st.booleans()):
        alloc = allocate(demand, np.where(offers, capacity, 0), order, minutes, rng)
    else:
        alloc = logit_allocate(demand, capacity, minutes, offers, 0.1, 3, rng, order=order)
    return demand, alloc, n_fac


# the weights are whole counts (queue_served + backlog)
@given(choice=choices(), weights=st.lists(st.integers(0, 10**6), min_size=5, max_size=5))
@settings(max_examples=150, deadline=None)
def test_rows_arrivals_and_weights_add_up(choice, weights):
    demand, alloc, n_fac = choice
    rows, facilities, amounts = row_arrivals(alloc, demand)
    by_row = np.bincount(rows, weights=amounts, minlength=demand.size)
    reached = alloc.first_choice >= 0
    np.testing.assert_array_equal(by_row[reached], demand[reached])  # served + queued
    assert (by_row[~reached] == 0).all()
    by_fac = np.bincount(facilities, weights=amounts, minlength=n_fac)
    unserved = np.where(reached, demand - alloc.served_zone, 0)
    queued = np.bincount(alloc.first_choice[reached], weights=unserved[reached], minlength=n_fac)
    np.testing.assert_array_equal(by_fac, alloc.load + queued)
    weight = np.array(weights[:n_fac], dtype=float)
    home = np.arange(n_fac) % demand.size
    r, f, w = split_weights(rows, facilities, amounts, weight, home, demand.size)
    np.testing.assert_allclose(np.bincount(f, weights=w, minlength=n_fac), weight, rtol=1e-12)
    assert (w >= 0).all() and r.max(initial=0) < demand.size


def test_eligible_cells_add_up_to_the_rows():
    model = prepare_run(servicesim.RunSpec(world="sysma", horizon_years=1)).model()
    plan = cell_plan(model)
    assert plan.table.group_kind.max() == 1  # the world has seasonal groups
    share = np.linspace(0.2, 1.0, plan.table.group_kind.size)
    cache = {}
    for s in range(len(model.world.services)):
        cells = eligible_cells(plan.table, s, share)
        np.testing.assert_allclose(cells.sum(axis=(1, 2, 4)), eligible_by_row(plan, s, share))
        for other in (share, share[::-1]):  # the cache keeps the table, not the shares
            np.testing.assert_array_equal(
                eligible_cells(plan.table, s, other, cache), eligible_cells(plan.table, s, other)
            )


def test_group_coordinate_is_the_access_groups(run):
    assert list(run["group"].values) == list(GROUPS)
