"""Who lives in the model: profiles, car access, digital skill, channels, remote work."""

import dataclasses

import numpy as np
import pytest
from hydra import compose, initialize_config_module

from experiments.settings import ConfigError, settings_from_config
from simulation import ServiceModel, SimulationParams
from simulation.attributes import assign, household_types
from simulation.params import DigitalSkill, Segment
from simulation.population import Population, household_sizes
from simulation.types import CHANNELS
from tests.factories import drifting_path, small_world


def big_population(n_households=4000, seed=0):
    rng = np.random.default_rng(seed)
    pop = Population()
    sizes = rng.integers(1, 5, n_households)
    hh = np.repeat(np.arange(n_households), sizes)
    age = rng.integers(0, 101, hh.size)
    kind = (hh % 4 == 3).astype(np.int8)  # every fourth household is seasonal
    ids = pop.add(hh.size, age=age, household=hh, kind=kind, zone=hh % 2)
    pop.new_households(n_households)
    return pop, ids


def assigned(params=None, seed=1):
    pop, ids = big_population()
    params = params or SimulationParams()
    assign(pop, ids, params, np.array([0, 1], np.int8), ("leisure",), np.random.default_rng(seed))
    return pop, ids


def test_car_access_is_shared_by_the_household():
    pop, ids = assigned()
    hh, car = pop["household"][ids], pop["car"][ids]
    per_hh_min = np.full(hh.max() + 1, 1)
    per_hh_max = np.zeros(hh.max() + 1, dtype=int)
    np.minimum.at(per_hh_min, hh, car)
    np.maximum.at(per_hh_max, hh, car)
    assert (per_hh_min == per_hh_max).all()
    assert 0.3 < car.mean() < 0.95


def test_digital_skill_follows_age_bands_and_children_take_the_households_best():
    pop, ids = assigned(SimulationParams(segments=(Segment("all", "permanent"),)))
    age, dig, kind = pop["age"][ids], pop["digital"][ids], pop["kind"][ids]
    young = (age >= 16) & (age <= 54) & (kind == 0)
    old = (age >= 75) & (kind == 0)
    assert abs(dig[young].mean() - 0.97) < 0.02
    assert abs(dig[old].mean() - 0.27) < 0.04
    hh = pop["household"][ids]
    best = np.zeros(hh.max() + 1, dtype=int)
    adult = age >= 16
    np.maximum.at(best, hh[adult], dig[adult])
    child = ~adult
    assert (dig[child] == best[hh[child]]).all()


def test_preferred_channel_is_digital_only_for_the_digitally_able():
    pop, ids = assigned()
    ch, dig = pop["channel"][ids], pop["digital"][ids]
    digital = CHANNELS.index("digital")
    assert (dig[ch == digital] == 1).all()
    assert (ch == digital).any() and (ch == CHANNELS.index("in_person")).any()


def test_profiles_follow_household_type_and_seasonal_keep_theirs():
    pop, ids = assigned()
    kind, profile = pop["kind"][ids], pop["profile"][ids]
    assert (profile[kind == 1] == 0).all()
    local, hh_type, _ = household_types(pop["age"][ids], pop["household"][ids])
    perm = kind == 0
    families = perm & (hh_type[local] == 0)
    old = perm & (hh_type[local] == 3)
    # busy_families (profile 0) dominates families and is absent among 75+ households.
    assert (profile[families] == 0).mean() > 0.6
    assert (profile[old] == 0).sum() == 0
    assert set(np.unique(profile[perm])) == {0, 1, 2, 3}


def test_remote_work_only_for_seasonal_working_age():
    pop, ids = assigned()
    age, kind, remote = pop["age"][ids], pop["kind"][ids], pop["remote"][ids]
    assert not remote[(kind == 0) | (age < 25) | (age > 64)].any()
    working = (kind == 1) & (age >= 25) & (age <= 64)
    assert abs(remote[working].mean() - 0.43) < 0.06


def test_household_sizes_count_active_members():
    pop, ids = big_population(n_households=50)
    sizes = household_sizes(pop, ids)
    hh = pop["household"][ids]
    assert (sizes == np.bincount(hh)[hh]).all()


def test_model_population_has_attributes_and_newcomers_get_them():
    world = small_world(n_zones=3, residents_per_cell=4)
    model = ServiceModel(world, drifting_path(world, 2, seed=3), 2, seed=3)
    pop = model.population
    ids = pop.ids(pop["kind"] == 0)
    young = ids[(pop["age"][ids] >= 20) & (pop["age"][ids] <= 50)]
    assert pop["digital"][young].mean() > 0.85
    seen = []
    assign_newcomers = model._newcomers

    def spy(new_ids):
        assign_newcomers(new_ids)
        keep = (pop["age"][new_ids] >= 20) & (pop["age"][new_ids] <= 50)
        seen.extend(pop["digital"][new_ids[keep]].tolist())

    model._newcomers = spy
    model.run_for(12)  # one year end: births and in-migrants
    assert model.month_index == 12
    assert len(seen) > 10 and np.mean(seen) > 0.8  # the column default is 0


def test_same_seed_same_attributes():
    world = small_world(n_zones=2, residents_per_cell=3)
    a = ServiceModel(world, drifting_path(world, 1), 1, seed=5).population
    b = ServiceModel(world, drifting_path(world, 1), 1, seed=5).population
    for col in ("profile", "car", "digital", "channel", "remote"):
        assert (a[col] == b[col]).all()


def compose_sim(*overrides):
    with initialize_config_module(version_base="1.3", config_module="experiments.conf"):
        return compose("config", overrides=list(overrides))


def test_config_defaults_equal_the_dataclass_defaults_and_overrides_apply():
    assert settings_from_config(compose_sim()).simulation == SimulationParams()
    s = settings_from_config(compose_sim("simulation.digital_skill.by_age=[1,1,1,0.5]"))
    assert s.simulation.digital_skill == DigitalSkill((1.0, 1.0, 1.0, 0.5))


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("simulation.digital_skill.by_age=[1,1,1]", "digital_skill.by_age: 3 values, expected 4"),
        ("simulation.car_access.seasonal=1.5", "values must be in [0, 1]"),
        ("+simulation.choice.colour=red", "unknown keys ['colour']"),
        ("simulation.segments=[{name: x, kind: tourist}]", "kind 'tourist' not in"),
    ],
)
def test_bad_simulation_options_name_themselves(override, message):
    with pytest.raises(ConfigError, match=re_escape(message)):
        settings_from_config(compose_sim(override))


def re_escape(text):
    import re

    return re.escape(text)


def test_params_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        SimulationParams().school_transport_km = 3
