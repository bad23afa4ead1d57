"""The seasonal residents follow the forecast stock exactly, household by household."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation.population import Population
from simulation.seasonal_stock import follow_stock


def _store(sizes: list[int]) -> Population:
    pop = Population()
    hh = pop.new_households(len(sizes)).repeat(sizes)
    n = int(sum(sizes))
    pop.add(n, kind=1, household=hh, age=np.arange(n) % 90, zone=np.arange(n) % 3)
    pop.add(5, kind=0, age=40)  # permanent residents are never touched
    return pop


def _seasonal(pop: Population) -> np.ndarray:
    ids = pop.ids()
    return ids[pop["kind"][ids] == 1]


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 6), min_size=1, max_size=30),
    target=st.integers(0, 400),
    seed=st.integers(0, 2**32 - 1),
)
def test_hits_the_target_and_keeps_permanent(sizes, target, seed):
    pop = _store(sizes)
    before = _seasonal(pop).size
    change = follow_stock(pop, target, np.random.default_rng(seed))
    assert _seasonal(pop).size == target
    assert change == target - before
    assert (pop["kind"][pop.ids()] == 0).sum() == 5


def test_copies_keep_age_and_zone_and_get_new_households():
    pop = _store([2, 3, 4])
    old = _seasonal(pop)
    follow_stock(pop, 20, np.random.default_rng(1))
    new = _seasonal(pop)[old.size :]
    pairs = set(zip(pop["age"][old].tolist(), pop["zone"][old].tolist(), strict=True))
    assert set(zip(pop["age"][new].tolist(), pop["zone"][new].tolist(), strict=True)) <= pairs
    assert not set(pop["household"][new]) & set(pop["household"][old])


def test_shrinking_removes_whole_households_but_the_last():
    pop = _store([3] * 10)
    follow_stock(pop, 16, np.random.default_rng(2))
    _, counts = np.unique(pop["household"][_seasonal(pop)], return_counts=True)
    assert counts.sum() == 16 and (counts < 3).sum() <= 1


def test_same_seed_same_result():
    a, b = _store([2, 5, 1, 4]), _store([2, 5, 1, 4])
    follow_stock(a, 30, np.random.default_rng(7))
    follow_stock(b, 30, np.random.default_rng(7))
    assert np.array_equal(a["age"], b["age"]) and np.array_equal(a["household"], b["household"])
