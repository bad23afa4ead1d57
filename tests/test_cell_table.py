"""The cell table against a per-person reference; its blocked products against one product."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation import cells
from simulation.cells import build_cells
from simulation.population import Population
from simulation.types import age_group_index
from simulation.world import Service


def _population(rng: np.random.Generator, n: int, n_zones: int) -> Population:
    pop = Population()
    kind = rng.integers(0, 2, n)
    pop.add(
        n,
        age=rng.integers(0, 101, n),
        zone=rng.integers(0, n_zones, n),
        kind=kind,
        profile=np.where(kind == 0, rng.integers(0, 2, n), 0),
        household=np.arange(n),
        car=rng.integers(0, 2, n),
        digital=rng.integers(0, 2, n),
        channel=rng.integers(0, 4, n),
        remote=np.where(kind == 1, rng.integers(0, 2, n), 0),
    )
    return pop


def _services(rng: np.random.Generator) -> tuple[Service, ...]:
    out = []
    for i in range(2):
        rate = rng.random((2, 101)) * (rng.random((2, 101)) < 0.7)  # some zero rates
        out.append(Service(f"s{i}", f"S{i}", "visits", "visits", rate, np.ones(12)))
    return tuple(out)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 300), n_zones=st.integers(1, 4))
def test_cell_table_sums_each_persons_rate_into_their_cell(seed, n, n_zones):
    rng = np.random.default_rng(seed)
    pop = _population(rng, n, n_zones)
    pop.remove(np.flatnonzero(rng.random(n) < 0.2))
    services = _services(rng)
    table = build_cells(pop, services, n_zones, 2, 1)
    shape = table.counts.shape
    counts = np.zeros(shape, dtype=np.int64)
    rate_sum = np.zeros((len(services), *shape))
    eligible = np.zeros((len(services), *shape), dtype=np.int64)
    ages = age_group_index()
    for i in pop.ids():
        kind, age = int(pop["kind"][i]), int(pop["age"][i])
        group = int(pop["profile"][i]) if kind == 0 else 2 + int(pop["remote"][i])
        cell = (pop["zone"][i], group, ages[age], pop["car"][i], pop["digital"][i])
        cell = (*cell, pop["channel"][i])
        counts[cell] += 1
        for s, svc in enumerate(services):
            rate_sum[(s, *cell)] += svc.rate[kind, age]
            eligible[(s, *cell)] += svc.rate[kind, age] > 0
    assert np.array_equal(table.counts, counts)
    assert np.array_equal(table.eligible, eligible)
    assert np.array_equal(table.eligible_any, eligible.sum(axis=-1))
    np.testing.assert_allclose(table.rate_sum, rate_sum, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(table.rate_any, rate_sum.sum(axis=-1), rtol=1e-12, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), rows=st.integers(1, 200), ages=st.integers(1, 50))
def test_products_in_row_blocks_cover_every_row_once(seed, rows, ages):
    rng = np.random.default_rng(seed)
    cell_counts = rng.integers(0, 30, (rows, ages + 3)).astype(float)[:, 2 : 2 + ages]
    weights = rng.random((3, ages))
    whole_numbers = (weights > 0.5).astype(float)
    original = cells._BLAS_SINGLE_THREAD_SIZE
    try:
        cells._BLAS_SINGLE_THREAD_SIZE = weights.size * int(rng.integers(1, 8))
        blocked = cells._products(cell_counts, weights)
        counted = cells._products(cell_counts, whole_numbers)
    finally:
        cells._BLAS_SINGLE_THREAD_SIZE = original
    # Counts of persons are exact in any order and block size; rates to rounding (the
    # BLAS kernel, and so the order of a sum, may depend on the shape of the block).
    assert np.array_equal(counted, whole_numbers @ cell_counts.T)
    np.testing.assert_allclose(blocked, weights @ cell_counts.T, rtol=1e-14)
