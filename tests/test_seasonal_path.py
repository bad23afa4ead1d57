"""The model scales its seasonal residents by the forecast's seasonal path."""

import numpy as np
import pytest

from simulation import ServiceModel
from tests.factories import drifting_path, results_of, small_world


def model(world, years, seasonal_path):
    path = drifting_path(world, years, seed=3)
    return ServiceModel(world, path, years, seed=3, seasonal_path=seasonal_path)


def seasonal_count(m) -> int:
    ids = m.population.ids()
    return int((m.population["kind"][ids] == 1).sum())


def test_seasonal_residents_follow_the_path_each_year():
    world = small_world(n_zones=3, residents_per_cell=1, residences=40, seed=2)
    m = model(world, 2, {2024: 1.0, 2025: 0.5})
    base = model(world, 2, None)
    assert m.start_year == 2024
    assert seasonal_count(m) == seasonal_count(base) > 0
    np.testing.assert_array_equal(m.cells.counts, base.cells.counts)
    m.run_for(12)
    assert seasonal_count(m) == round(seasonal_count(base) * 0.5)
    assert m.cells.counts[:, m.cells.n_permanent_groups :].sum() == seasonal_count(m)


def test_a_flat_path_changes_nothing():
    world = small_world(n_zones=2, residents_per_cell=2, residences=25, seed=5)
    flat = results_of(model(world, 2, {2024: 1.0, 2025: 1.0}))
    none = results_of(model(world, 2, None))
    assert flat.identical(none)


def test_the_path_must_cover_every_simulated_year():
    world = small_world(n_zones=1, residents_per_cell=1, residences=5, seed=0)
    with pytest.raises(ValueError, match="lacks the simulated years \\[2025\\]"):
        model(world, 2, {2024: 1.0})
