"""Capacity for a waiting-time standard: monotone in capacity, smallest, same queue as the model."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation.queues import WaitingRule, advance
from simulation.sizing import capacity_for_standard, fluid_within, meets

RULES = st.builds(
    WaitingRule,
    rule=st.sampled_from(["switch", "waitlist", "lost"]),
    patience_days=st.floats(0, 120),
    place_turnover_per_year=st.floats(0.05, 2),
)
ARRIVALS = st.lists(st.floats(0, 3000), min_size=1, max_size=24)
LIMITS = st.sampled_from([0.0, 7.0, 14.0, 91.0, 122.0])


@given(
    arrivals=ARRIVALS,
    low=st.floats(0, 3000),
    extra=st.floats(0, 3000),
    limit=LIMITS,
    rule=RULES,
    backlog=st.floats(0, 2000),
    stock=st.booleans(),
)
@settings(max_examples=300, deadline=None)
def test_more_capacity_never_lowers_the_within_standard_share(
    arrivals, low, extra, limit, rule, backlog, stock
):
    a = np.array(arrivals)
    small = fluid_within(a, low, limit, rule, backlog, stock)
    large = fluid_within(a, low + extra, limit, rule, backlog, stock)
    assert (large >= small - 1e-12).all()


@given(arrivals=ARRIVALS, limit=LIMITS, rule=RULES, backlog=st.floats(0, 500), stock=st.booleans())
@settings(max_examples=200, deadline=None)
def test_the_capacity_found_is_the_smallest_that_meets_the_standard(
    arrivals, limit, rule, backlog, stock
):
    a = np.array(arrivals)
    x = float(capacity_for_standard(a, limit, 0.9, rule, backlog, stock))
    if not np.isfinite(x):  # out of reach: even a huge capacity misses it
        assert not meets(a, np.full(a.shape, 1e9), limit, 0.9, rule, backlog, stock)
        return
    assert x == int(x) and x >= 0
    assert meets(a, np.full(a.shape, x), limit, 0.9, rule, backlog, stock)
    if x > 0:
        assert not meets(a, np.full(a.shape, x - 1), limit, 0.9, rule, backlog, stock)


def test_sizing_is_vectorised_over_facilities_and_samples():
    rule = WaitingRule("switch", 21.0)
    a = np.array([[[150.0, 150.0], [0.0, 0.0]], [[10.0, 1000.0], [150.0, 150.0]]])
    x = capacity_for_standard(a, 14.0, 0.9, rule)
    one = [[float(capacity_for_standard(row, 14.0, 0.9, rule)) for row in s] for s in a]
    assert x.shape == (2, 2) and x.tolist() == one


def test_a_change_that_takes_effect_later_is_sized_for_the_months_after_it():
    rule = WaitingRule("switch", 21.0)
    a = np.array([200.0, 200.0, 200.0])
    later = np.array([0.0, 1.0, 1.0])  # the current 100 units until the change
    x = capacity_for_standard(a, np.array([np.nan, 14.0, 14.0]), 0.9, rule, 0, False,
                              base=100.0 * (1 - later), profile=later)  # fmt: skip
    now = capacity_for_standard(a, 14.0, 0.9, rule)
    assert x > now  # it must also clear the backlog the first month leaves
    cap = 100.0 * (1 - later) + x * later
    assert meets(a, cap, np.array([np.nan, 14.0, 14.0]), 0.9, rule)


@given(
    demand=st.lists(st.integers(0, 400), min_size=1, max_size=12),
    capacity=st.integers(1, 400),
    patience=st.floats(1, 60),
)
@settings(max_examples=100, deadline=None)
def test_the_fluid_backlog_follows_the_models_queue(demand, capacity, patience):
    """Same recurrence as :func:`simulation.queues.advance`, up to its integer rounding."""
    rule = WaitingRule("lost", patience)
    backlog, fluid = 0, 0.0
    for d in demand:
        first = min(backlog, capacity)
        served = min(d, capacity - first)
        q = advance(np.array([backlog]), np.array([capacity]), np.array([served]),
                    np.array([d - served]), rule)  # fmt: skip
        backlog = int(q.backlog[0])
        fluid = min(max(fluid + d - capacity, 0.0), patience * capacity / (365.25 / 12))
        assert abs(backlog - fluid) <= 1.0 + 1e-9
