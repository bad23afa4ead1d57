"""The demand outlook uses the simulation's own demand model (multipliers, presence, channels)."""

import dataclasses

import numpy as np
import pytest

from scenarios.strategies.outlook import forecast_permanent
from simulation import ServiceModel
from simulation.expected import expected_demand
from simulation.results import run_dataset
from simulation.world import DigitalChannel, MobileRoute
from tests.factories import small_world
from tests.growth import forecast_of, trend_path

HEALTH, SCHOOL = "primary_health_care", "basic_education"


def channel_world():
    # About 12,000 residents and 3,000 seasonal residents: Poisson noise of a year's
    # total is well under 1 %. Health has an e-service and a small van in zone 2.
    w = small_world(n_zones=3, residents_per_cell=40, residences=500, capacity=5000.0)
    services = tuple(
        dataclasses.replace(s, channels=("in_person", "phone")) if s.id == HEALTH else s
        for s in w.services
    )
    van = MobileRoute("van", (HEALTH,), ("Z2",), (True,) * 12, 4, 150.0, 0.0)
    return dataclasses.replace(
        w,
        services=services,
        digital_channels=(DigitalChannel(HEALTH, 1.0),),
        mobile_routes=(van,),
    )


@pytest.fixture(scope="module")
def first_year():
    """Outlook made before the first month, and the simulated first year."""
    w = channel_world()
    path = trend_path(w, 1, 0.0)
    model = ServiceModel(w, path, 1, seed=3)
    permanent = forecast_permanent(model, forecast_of(w, path), [w.base_year])
    outlook = {
        by: expected_demand(model, permanent, by_channel=by)[0, 0].sum(axis=0)
        for by in (True, False)
    }  # (service, month)
    model.run()
    ds = run_dataset(model)
    return outlook, ds


def rel_error(expected, simulated):
    return np.abs(expected - simulated) / simulated


@pytest.mark.parametrize("service", [HEALTH, SCHOOL])
def test_outlook_matches_the_simulated_in_person_demand_of_the_next_year(first_year, service):
    outlook, ds = first_year
    s = list(ds["service"].values).index(service)
    in_person = ds["demand"].sel(service=service).sum("facility").values  # all months
    assert rel_error(outlook[True][s].sum(), in_person.sum()) < 0.02
    open_months = in_person > 0
    assert (rel_error(outlook[True][s][open_months], in_person[open_months]) < 0.06).all()
    assert (outlook[True][s][~open_months] == 0).all()
    total = ds["demand_zone"].sel(service=service).sum("zone").values
    assert rel_error(outlook[False][s].sum(), total.sum()) < 0.02


def test_ignoring_channel_shares_misses_the_in_person_demand(first_year):
    outlook, ds = first_year
    in_person = float(ds["demand"].sel(service=HEALTH).sum())
    assert float(ds["visits_channel"].sel(service=HEALTH).sum()) > 1.2 * in_person
    s = list(ds["service"].values).index(HEALTH)
    assert rel_error(outlook[False][s].sum(), in_person) > 0.1


def test_a_full_van_leaves_its_excess_to_in_person_demand():
    w = channel_world()
    path = trend_path(w, 1, 0.0)
    demand = {}
    for capacity in (0.0, 150.0, 1e6):
        van = dataclasses.replace(w.mobile_routes[0], capacity_per_month=capacity)
        model = ServiceModel(dataclasses.replace(w, mobile_routes=(van,)), path, 1, seed=3)
        permanent = forecast_permanent(model, forecast_of(w, path), [w.base_year])
        demand[capacity] = expected_demand(model, permanent)[0, 0, 2, 0]  # by month
    wanting_van = demand[0.0] - demand[1e6]  # all of it spills from an empty van
    assert (wanting_van > 0).all()
    # (to 1 %: the forecast scales the permanent part, synthesis rounds the world a little)
    np.testing.assert_allclose(
        demand[0.0] - demand[150.0], np.minimum(wanting_van, 150.0), rtol=0.01
    )
