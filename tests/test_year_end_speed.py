"""The faster year end gives the same draws and tables as the straightforward code."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation.cells import build_cells
from simulation.demography import choose_by_group
from simulation.population import Population
from simulation.world import Service


@settings(max_examples=60, deadline=None)
@given(
    groups=st.lists(st.integers(0, 4), min_size=0, max_size=40),
    weights=st.lists(
        st.lists(st.floats(0.0, 50.0), min_size=6, max_size=6).filter(lambda w: sum(w) > 0),
        min_size=5,
        max_size=5,
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_choose_by_group_draws_as_a_choice_loop_per_group(groups, weights, seed):
    group = np.array(groups, dtype=np.int64)
    table = np.array(weights)
    got = choose_by_group(group, lambda g: table[g], np.random.default_rng(seed))
    rng, want = np.random.default_rng(seed), np.empty(group.size, dtype=np.int64)
    for g in np.unique(group):
        p = table[g]
        want[group == g] = rng.choice(6, size=int((group == g).sum()), p=p / p.sum())
    assert got.tolist() == want.tolist()
    # The stream is left where the loop leaves it.
    rng_after = np.random.default_rng(seed)
    choose_by_group(group, lambda g: table[g], rng_after)
    assert rng_after.random() == rng.random()


def _random_population(rng: np.random.Generator, n: int) -> Population:
    pop = Population()
    kind = rng.integers(0, 2, n)
    pop.add(
        n,
        age=rng.integers(0, 101, n),
        sex=rng.integers(0, 2, n),
        zone=rng.integers(0, 5, n),
        kind=kind,
        profile=np.where(kind == 0, rng.integers(0, 3, n), rng.integers(0, 2, n)),
        household=np.arange(n),
        car=rng.integers(0, 2, n),
        digital=rng.integers(0, 2, n),
        channel=rng.integers(0, 4, n),
        remote=np.where(kind == 1, rng.integers(0, 2, n), 0),
    )
    return pop


def _reference_counts(pop: Population, n_zones: int) -> np.ndarray:
    """Persons by (zone, group, age group, car, digital, channel), one person at a time."""
    from simulation.types import age_group_index

    out = np.zeros((n_zones, 3 + 2 * 2, 6, 2, 2, 4), dtype=np.int64)
    ag = age_group_index()
    for i in pop.ids():
        col = {name: int(pop[name][i]) for name in ("zone", "kind", "profile", "remote")}
        g = col["profile"] if col["kind"] == 0 else 3 + 2 * col["profile"] + col["remote"]
        idx = (col["zone"], g, ag[pop["age"][i]], pop["car"][i], pop["digital"][i])
        out[(*idx, pop["channel"][i])] += 1
    return out


def test_cell_table_same_before_and_after_compaction_and_per_person():
    rng = np.random.default_rng(5)
    pop = _random_population(rng, 400)
    pop.remove(np.flatnonzero(rng.random(400) < 0.3))
    rate = np.zeros((2, 101))
    rate[0, 60:] = 0.25
    rate[1, 30:] = 0.5
    svc = Service("h", "Health", "visits", "visits", rate, np.ones(12))
    before = build_cells(pop, (svc,), 5, 3, 2)
    assert before.counts.tolist() == _reference_counts(pop, 5).tolist()
    pop.compact()
    after = build_cells(pop, (svc,), 5, 3, 2)
    for name in ("counts", "rate_sum", "eligible", "rate_any", "eligible_any"):
        assert np.array_equal(getattr(before, name), getattr(after, name)), name
    assert np.array_equal(before.rate_any, before.rate_sum.sum(axis=-1))


def test_compact_is_in_place_and_active_values_is_a_view_only_when_compact():
    pop = Population()
    ids = pop.add(5, age=[1, 2, 3, 4, 5], household=[0, 1, 2, 3, 4])
    column = pop["age"]
    assert np.shares_memory(pop.active_values("age"), column)
    pop.remove(ids[[1, 3]])
    values = pop.active_values("age")
    assert values.tolist() == [1, 3, 5] and not np.shares_memory(values, column)
    pop.compact()
    assert pop["age"].tolist() == [1, 3, 5] and np.shares_memory(pop["age"], column)
    assert pop["household"].tolist() == [0, 2, 4] and pop.rows == 3
    pop.compact()  # nothing inactive: unchanged
    assert pop.rows == 3 and pop.active.all()
