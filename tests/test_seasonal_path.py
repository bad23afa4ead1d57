"""The model scales its seasonal residents by the forecast's seasonal path."""

import numpy as np
import pytest

from simulation import ServiceModel
from tests.factories import drifting_path, small_world


def model(world, years, seasonal_path):
    path = drifting_path(world, years, seed=3)
    return ServiceModel(world, path, years, seed=3, seasonal_path=seasonal_path)


def seasonal(m):
    return m.cells.counts[:, m.cells.n_permanent_groups :]


def test_seasonal_cells_follow_the_path_each_year():
    world = small_world(n_zones=3, residents_per_cell=1, residences=40, seed=2)
    m = model(world, 2, {2024: 1.0, 2025: 0.5})
    base = seasonal(model(world, 2, None))
    assert m.start_year == 2024 and base.sum() > 0
    np.testing.assert_array_equal(seasonal(m), base)
    m.run_for(12)
    halved = seasonal(m)
    assert halved.sum() == round(base.sum() * 0.5)
    assert (np.abs(halved - base * 0.5) < 1).all()  # largest remainder, total exact
    p = m.cells.n_permanent_groups
    per_person = m.cells.rate_sum[:, :, p:] / np.where(halved > 0, halved, 1)
    unscaled = model(world, 2, None).cells
    assert per_person.sum() > 0 and np.isfinite(per_person).all()
    assert unscaled.rate_sum[:, :, p:].sum() > m.cells.rate_sum[:, :, p:].sum()


def test_a_flat_path_changes_nothing():
    world = small_world(n_zones=2, residents_per_cell=2, residences=25, seed=5)
    flat = model(world, 2, {2024: 1.0, 2025: 1.0}).run()
    none = model(world, 2, None).run()
    assert flat.identical(none)


def test_the_path_must_cover_every_simulated_year():
    world = small_world(n_zones=1, residents_per_cell=1, residences=5, seed=0)
    with pytest.raises(ValueError, match="lacks the simulated years \\[2025\\]"):
        model(world, 2, {2024: 1.0})
