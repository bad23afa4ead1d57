"""Channels, facility choice, school transport and access metrics in the monthly step."""

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation import DigitalChannel, MobileRoute, ServiceModel, SimulationParams
from simulation.access import gini_palma
from simulation.choice import logit_allocate, ration
from simulation.params import CarAccess, ChoiceParams, DigitalSkill, Segment
from simulation.results import run_dataset
from tests.factories import drifting_path, small_world

PHC = "primary_health_care"


def params(car=None, digital=None, channels=(0.5, 0.2, 0.2, 0.1), **kw):
    seg = (
        Segment("all", "permanent", channel_weights=channels),
        Segment("leisure", "seasonal", channel_weights=channels),
    )
    extra = {}
    if car is not None:
        extra["car_access"] = CarAccess(rural=(car,) * 5, urban=(car,) * 5, seasonal=car)
    if digital is not None:
        extra["digital_skill"] = DigitalSkill((digital,) * 4)
    return SimulationParams(segments=seg, **extra, **kw)


def run(world, p=None, years=1, seed=1):
    model = ServiceModel(world, drifting_path(world, years, seed=seed), years, seed=seed, params=p)
    model.run()
    return run_dataset(model)


def with_channels(world, routes=(), digital=()):
    return dataclasses.replace(world, mobile_routes=tuple(routes), digital_channels=tuple(digital))


def test_no_car_persons_travel_by_no_car_minutes():
    world = small_world(n_zones=1, residents_per_cell=3, capacity=1e6)
    # one zone, one facility in it: travel inside the zone is 1 min by car, 3 without
    car = run(world, params(car=1.0))["mean_travel_minutes"].sel(service=PHC)
    nocar = run(world, params(car=0.0))["mean_travel_minutes"].sel(service=PHC)
    assert np.allclose(car.sel(group="car"), 1.0) and car.sel(group="no_car").isnull().all()
    assert np.allclose(nocar.sel(group="no_car"), 3.0) and nocar.sel(group="car").isnull().all()


def test_digital_channel_absorbs_visits_only_from_able_persons():
    world = with_channels(
        small_world(n_zones=2, residents_per_cell=3, capacity=1e6), digital=[DigitalChannel(PHC)]
    )
    able = run(world, params(digital=1.0))["visits_channel"].sel(service=PHC)
    unable = run(world, params(digital=0.0))["visits_channel"].sel(service=PHC)
    none = run(small_world(n_zones=2, residents_per_cell=3, capacity=1e6), params(digital=1.0))
    assert int(able.sel(channel="digital").sum()) > 0.1 * int(able.sum())
    assert int(unable.sel(channel="digital").sum()) == 0
    assert int(none["visits_channel"].sel(channel="digital").sum()) == 0
    # a channel at zero adoption is not used either
    zero = with_channels(world, digital=[DigitalChannel(PHC, 0.0)])
    assert int(run(zero, params(digital=1.0))["visits_channel"].sel(channel="digital").sum()) == 0


def test_mobile_route_serves_only_its_zones_and_months():
    base = small_world(n_zones=3, residents_per_cell=3, capacity=1e6)
    summer = tuple(m in (6, 7, 8) for m in range(1, 13))
    route = MobileRoute("van", (PHC,), ("Z2",), summer, 4, 1e6, 0.0)
    ds = run(with_channels(base, routes=[route]), params())
    mobile = ds["visits_channel"].sel(service=PHC, channel="mobile").values
    assert (mobile[[5, 6, 7]] > 0).all() and (np.delete(mobile, [5, 6, 7]) == 0).all()
    assert int(ds["visits_channel"].sel(service="basic_education", channel="mobile").sum()) == 0
    # a route to a zone where nobody lives takes no visits
    keep = np.array([1, 1, 0])
    empty = dataclasses.replace(
        base,
        residents=base.residents * keep[:, None, None],
        seasonal=dataclasses.replace(base.seasonal, residences=base.seasonal.residences * keep),
    )
    empty_ds = run(with_channels(empty, routes=[route]), params(), seed=2)
    assert int(empty_ds["population"].sel(zone="Z2").sum()) == 0
    assert int(empty_ds["visits_channel"].sel(channel="mobile").sum()) == 0
    assert int(empty_ds["visits_channel"].sel(channel="in_person").sum()) > 0


def test_full_van_spills_to_in_person_and_conserves():
    base = small_world(n_zones=2, residents_per_cell=3, capacity=1e6)
    route = MobileRoute("van", (PHC,), ("Z0", "Z1"), (True,) * 12, 4, 5.0, 0.0)
    ds = run(with_channels(base, routes=[route]), params(channels=(0.01, 1.0, 0.0, 0.0)))
    mobile = ds["visits_channel"].sel(service=PHC, channel="mobile")
    assert (mobile <= 5).all() and int(mobile.sum()) > 0
    assert (ds["demand_zone"] == ds["served_zone"] + ds["unmet_zone"]).all()


def test_school_transport_rule_counts_pupils_beyond_the_limit():
    world = small_world(n_zones=3, residents_per_cell=3, capacity=1e6)
    pupils = run(world, params())["served_zone"].sel(service="basic_education").sum("zone")
    near = run(world, params(school_transport_km=0.0))["pupils_over_transport_km"]
    far = run(world, params(school_transport_km=1000.0))["pupils_over_transport_km"]
    assert (near.values == pupils.values).all() and int(near.sum()) > 0
    assert int(far.sum()) == 0


def test_seasonal_residents_never_demand_school_places():
    world = small_world(n_zones=2, residents_per_cell=0, residences=200)
    ds = run(world, params())
    assert int(ds["demand_kind"].sel(kind="seasonal", service="basic_education").sum()) == 0
    assert int(ds["demand_kind"].sel(kind="seasonal", service=PHC).sum()) > 0


def test_access_metrics_are_in_range_and_have_units():
    world = small_world(n_zones=4, residents_per_cell=2, capacity=1e6)
    ds = run(world, params(choice=ChoiceParams(beta_per_minute=20.0)))
    share = ds["share_within_20min"]
    assert ((share >= 0) & (share <= 1)).all() and share.attrs["units"] == "1"
    assert ((ds["gini_access"] >= 0) & (ds["gini_access"] <= 1)).all()
    gap = ds["equity_gap"].sel(comparison="no_car_vs_car", service=PHC)
    # strong distance decay, ample capacity: all go to their own zone, 1 min by car, 3 without
    assert np.allclose(gap, 2.0)
    for name in (
        "visits_channel",
        "mean_travel_minutes",
        "equity_gap",
        "palma_access",
        "pupils_over_transport_km",
    ):
        assert {"units", "long_name"} <= set(ds[name].attrs), name


def test_gini_and_palma_of_a_known_distribution():
    g, p = gini_palma(np.array([0.0, 10.0]), np.array([1.0, 1.0]))
    assert g == 0.5
    g, p = gini_palma(np.array([1.0, 2.0, 3.0, 4.0, 10.0]), np.ones(5))
    assert 0 < g < 1 and p > 1


channel_worlds = st.builds(
    small_world,
    n_zones=st.integers(1, 4),
    residents_per_cell=st.integers(0, 3),
    residences=st.integers(0, 30),
    capacity=st.floats(0, 300),
    n_areas=st.integers(1, 2),
    seed=st.integers(0, 1000),
)


@given(
    world=channel_worlds,
    van=st.floats(0, 200),
    adoption=st.floats(0, 1),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=20, deadline=None)
def test_conservation_with_vans_and_digital_channels(world, van, adoption, seed):
    zones = world.zones.ids
    route = MobileRoute("van", (PHC,), zones[-1:], (True,) * 6 + (False,) * 6, 4, van, 0.0)
    world = with_channels(world, routes=[route], digital=[DigitalChannel(PHC, adoption)])
    ds = run(world, params(), seed=seed)
    assert (ds["demand_zone"] == ds["served_zone"] + ds["unmet_zone"]).all()
    assert (ds["demand"] == ds["served"] + ds["unmet"]).all()
    assert (ds["load"] <= ds["capacity"]).all()
    assert (ds["visits_channel"].sum("channel") == ds["served_zone"].sum("zone")).all()
    assert (ds["visits_channel"].sel(channel="mobile") <= np.floor(van)).all()


@given(
    demand=st.lists(st.integers(0, 60), min_size=1, max_size=6),
    caps=st.lists(st.integers(0, 80), min_size=1, max_size=5),
    beta=st.floats(0, 1),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=100, deadline=None)
def test_logit_allocation_conserves_and_fills_before_leaving_unmet(demand, caps, beta, seed):
    rng = np.random.default_rng(seed)
    d, c = np.array(demand), np.array(caps)
    cost = rng.uniform(0, 60, (d.size, c.size))
    offers = rng.random(c.size) < 0.8
    a = logit_allocate(d, c, cost, offers, beta, c.size, rng)
    assert (a.flows >= 0).all() and (a.load <= np.where(offers, c, 0)).all()
    assert (a.served_zone <= d).all() and a.served_zone.sum() == a.load.sum()
    if (d - a.served_zone).sum() > 0:
        assert (np.where(offers, c, 0) - a.load).sum() == 0


@given(
    requests=st.lists(st.integers(1, 40), min_size=1, max_size=12),
    n_fac=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=100, deadline=None)
def test_ration_gives_each_facility_exactly_its_capacity(requests, n_fac, seed):
    rng = np.random.default_rng(seed)
    req = np.array(requests)
    fac = rng.integers(0, n_fac, req.size)
    totals = np.bincount(fac, weights=req, minlength=n_fac).astype(int)
    cap = np.array([rng.integers(0, t) if t > 0 else 0 for t in totals])  # over capacity
    got = ration(req, fac, cap, rng)
    assert ((got >= 0) & (got <= req)).all()
    assert (np.bincount(fac, weights=got, minlength=n_fac).astype(int) == cap).all()
