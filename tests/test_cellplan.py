"""The per-year cell plan and the draws that skip empty cells."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation import ServiceModel
from simulation.cellplan import draw_presence, population
from simulation.demand import draw_visits
from simulation.serve import cell_plan
from tests.factories import drifting_path, small_world


@given(
    n=st.lists(st.integers(0, 50), min_size=1, max_size=30),
    p=st.floats(0, 1),
    lam=st.lists(st.sampled_from([0.0, 0.3, 4.0, 25.0]), min_size=1, max_size=30),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=60, deadline=None)
def test_skipping_empty_cells_draws_the_same_numbers(n, p, lam, seed):
    # The monthly draws rely on numpy drawing nothing for n = 0 and lam = 0.
    n, lam = np.array(n), np.array(lam)
    full, part = np.random.default_rng(seed), np.random.default_rng(seed)
    expected = full.binomial(n, p)
    got = np.zeros_like(expected)
    got[n > 0] = part.binomial(n[n > 0], p)
    assert (got == expected).all()
    expected = full.poisson(lam)
    got = np.zeros_like(expected)
    got[lam > 0] = part.poisson(lam[lam > 0])
    assert (got == expected).all()
    assert full.random() == part.random()


def _model():
    world = small_world(n_zones=3, residents_per_cell=4, residences=60)
    return ServiceModel(world, drifting_path(world, 1), 1, seed=2)


def test_plan_counts_every_person_once():
    model = _model()
    plan = cell_plan(model)
    everyone = np.ones(model.cells.group_kind.size)
    present = draw_presence(plan, everyone, np.random.default_rng(0))
    pop = population(plan, present)
    assert pop.sum() == model.cells.counts.sum()
    assert pop[..., 1].sum() == plan.s_count.sum() > 0
    assert cell_plan(model) is plan  # kept until the cells change


def test_visit_means_follow_presence_and_month_factor():
    model = _model()
    plan = cell_plan(model)
    n_z, n_g = model.cells.counts.shape[:2]
    probs = np.zeros((n_z, n_g, 2, 2, 4, 4))
    probs[..., 0] = 1.0  # every visit in person
    nobody = np.zeros_like(plan.s_count)
    rng = np.random.default_rng(0)
    none = draw_visits(plan, 0, 1.0, nobody, probs, rng)
    assert none[:, 1].sum() == 0 and none[:, 0].sum() > 0  # permanent only
    assert draw_visits(plan, 0, 0.0, plan.s_count, probs, rng).sum() == 0
    visits = draw_visits(plan, 0, 1.0, plan.s_count, probs, rng)
    assert visits[..., 1:].sum() == 0 and visits[:, 1].sum() > 0
