"""Channel choice responds to the travel time to the nearest facility (elasticities)."""

import dataclasses

import numpy as np
import pytest

from simulation import DigitalChannel, ServiceModel, SimulationParams
from simulation.channels import DIGITAL, availability, channel_probabilities, distance_factors
from simulation.params import ChoiceParams, DigitalSkill, ParameterError, Segment
from simulation.serve import _channel_probabilities, network
from tests.factories import drifting_path, results_of, small_world

PHC = "primary_health_care"


def params(elasticity, reference=5.0):
    seg = (
        Segment("all", "permanent", channel_weights=(0.6, 0.0, 0.3, 0.1)),
        Segment("leisure", "seasonal", channel_weights=(0.6, 0.0, 0.3, 0.1)),
    )
    choice = ChoiceParams(
        distance_elasticity=elasticity, distance_reference_minutes=reference, channel_loyalty=0.0
    )
    return SimulationParams(segments=seg, digital_skill=DigitalSkill((1.0,) * 4), choice=choice)


def one_facility_world():
    """Four zones on a line, 5 km apart; only zone Z0 has a facility."""
    world = small_world(n_zones=4, residents_per_cell=3, residences=40, capacity=1e6)
    return dataclasses.replace(
        world, facilities=world.facilities[:1], digital_channels=(DigitalChannel(PHC),)
    )


def model(elasticity, seed=1):
    world = one_facility_world()
    path = drifting_path(world, 1, seed=seed)
    return ServiceModel(world, path, 1, seed=seed, params=params(elasticity))


def digital_share_by_zone(m):
    """Probability that a digitally able car driver's visit goes digital, by zone."""
    s = m.world.service_ids.index(PHC)
    net = network(m, 1)
    avail = availability(m.world.services[s], np.zeros(4, bool), m.digital_channels[PHC])
    probs = _channel_probabilities(m, avail, net.nearest(s).reshape(-1, 2))
    return probs[:, 0, 1, 1, 0, DIGITAL]  # zone; group 0, car, digital able, prefers in person


def test_far_zones_shift_more_visits_to_digital():
    share = digital_share_by_zone(model((0.0, 0.0, 0.5, 0.5)))
    assert np.all(np.diff(share) > 0)  # farther from Z0, more digital
    flat = digital_share_by_zone(model((0.0, 0.0, 0.0, 0.0)))
    assert np.allclose(flat, flat[0]) and 0.3 <= flat[0] < share[-1]  # same everywhere


def test_zero_elasticity_leaves_the_probabilities_unchanged():
    avail = np.ones((3, 2, 4))
    weights = np.array([[0.5, 0.2, 0.2, 0.1], [0.7, 0.1, 0.1, 0.1]])
    nearest = np.array([[1.0, 3.0], [20.0, 60.0], [np.inf, np.inf]])
    ones = distance_factors(nearest, (0.0, 0.0, 0.0, 0.0), 15.0, 120.0)
    assert (ones == 1.0).all()
    assert np.array_equal(
        channel_probabilities(avail, weights, 0.7, ones), channel_probabilities(avail, weights, 0.7)
    )


def test_elasticity_moves_visits_and_conserves_demand():
    flat = results_of(model((0.0, 0.0, 0.0, 0.0)))
    elastic = results_of(model((0.0, 0.0, 1.0, 1.0)))
    for ds in (flat, elastic):
        assert (ds["demand"] == ds["served"] + ds["unmet"]).all()
        assert (ds["demand_zone"] == ds["served_zone"] + ds["unmet_zone"]).all()
        assert (ds["visits_channel"].sum("channel") == ds["served_zone"].sum("zone")).all()
    channel = {
        name: ds["visits_channel"].sel(service=PHC).sum("time")
        for name, ds in (("flat", flat), ("elastic", elastic))
    }
    # Every zone is farther than the 5-minute reference by car or on foot: more digital.
    digital = {k: int(v.sel(channel="digital")) for k, v in channel.items()}
    total = {k: int(v.sum()) for k, v in channel.items()}
    assert digital["elastic"] / total["elastic"] > digital["flat"] / total["flat"] + 0.05


@pytest.mark.parametrize(
    "kwargs",
    [
        {"distance_elasticity": (0.1, 0.0, 0.3, 0.3)},
        {"distance_elasticity": (0.0, 0.3, 0.3)},
        {"distance_reference_minutes": 0.0},
        {"distance_reference_minutes": 200.0, "distance_cap_minutes": 120.0},
    ],
)
def test_bad_distance_parameters_are_named(kwargs):
    with pytest.raises(ParameterError, match="choice.distance_"):
        ChoiceParams(**kwargs)
