"""Queues: identities, zero backlog under ample capacity, monotone waits, waiting lists."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation.errors import WorldError
from simulation.queues import QueueState, WaitingRule, advance, spread

RULES = st.builds(
    WaitingRule,
    rule=st.sampled_from(["switch", "waitlist", "lost"]),
    patience_days=st.floats(0, 120),
    place_turnover_per_year=st.floats(0.05, 2),
)
COUNTS = st.lists(st.integers(0, 500), min_size=1, max_size=24)


def simulate(demand, capacity, rule, stock=False):
    """One facility over months: new arrivals take the capacity the backlog left."""
    state, months = QueueState(1, 1), []
    for d in demand:
        cap = np.array([capacity])
        if stock:
            served = min(d, capacity)
            q = state.step(0, cap, np.array([served]), np.array([d - served]), rule, True)
        else:
            free = int(state.free_capacity(0, cap)[0])
            served = min(d, free)
            q = state.step(0, cap, np.array([served]), np.array([d - served]), rule)
        months.append(q)
    return months


@given(demand=COUNTS, capacity=st.integers(0, 400), rule=RULES, stock=st.booleans())
@settings(max_examples=200, deadline=None)
def test_arrivals_are_served_plus_balked_plus_backlog_change(demand, capacity, rule, stock):
    rule = WaitingRule("waitlist", 0, rule.place_turnover_per_year) if stock else rule
    before = 0
    for q in simulate(demand, capacity, rule, stock):
        assert int(q.arrivals[0]) == int(q.served[0] + q.balked[0] + q.backlog[0] - before)
        assert q.served[0] <= capacity and min(q.served[0], q.balked[0], q.backlog[0]) >= 0
        assert q.switched[0] == (q.balked[0] if rule.rule == "switch" else 0)
        before = int(q.backlog[0])


@given(
    backlog=st.lists(st.integers(0, 50), min_size=1, max_size=6),
    new=st.lists(st.integers(0, 50), min_size=1, max_size=6),
    rule=RULES,
)
@settings(max_examples=200, deadline=None)
def test_capacity_above_demand_leaves_no_backlog_and_no_wait(backlog, new, rule):
    n = min(len(backlog), len(new))
    b, a = np.array(backlog[:n]), np.array(new[:n])
    q = advance(b, b + a + 1, a, np.zeros(n, dtype=np.int64), rule)
    assert (q.backlog == 0).all() and (q.balked == 0).all()
    assert (q.served == b + a).all()
    # Arrivals spread over the month: the backlog waits, new arrivals do not pile up.
    fresh = b == 0
    assert (q.wait_p90[fresh] == 0).all()


@given(demand=COUNTS, capacity=st.integers(1, 300), more=st.integers(1, 300), stock=st.booleans())
@settings(max_examples=200, deadline=None)
def test_raising_capacity_never_lengthens_waits_of_a_waiting_list(demand, capacity, more, stock):
    rule = WaitingRule("waitlist", 0, 0.5)
    low = simulate(demand, capacity, rule, stock)
    high = simulate(demand, capacity + more, rule, stock)
    for a, b in zip(low, high, strict=True):
        assert b.backlog[0] <= a.backlog[0]
        assert (b.waits <= a.waits + 1e-9).all()
        assert b.wait_mean[0] <= a.wait_mean[0] + 1e-9 or np.isnan(a.wait_mean[0])


@given(demand=COUNTS, capacity=st.integers(1, 300), more=st.integers(1, 300), rule=RULES)
@settings(max_examples=200, deadline=None)
def test_raising_capacity_never_serves_less_and_waits_stay_within_patience(
    demand, capacity, more, rule
):
    # With balking, more capacity keeps more customers in the queue (fewer give up), so
    # the waits of those who stay are bounded by the patience rather than monotone.
    low = simulate(demand, capacity, rule)
    high = simulate(demand, capacity + more, rule)
    served = lambda months: np.cumsum([int(q.served[0]) for q in months])  # noqa: E731
    assert (served(high) >= served(low)).all()
    if not rule.keeps_everyone:
        assert all((q.waits <= rule.patience_days).all() for q in high)


@given(demand=COUNTS, capacity=st.integers(0, 300))
@settings(max_examples=200, deadline=None)
def test_enrolment_services_never_lose_a_person(demand, capacity):
    for q, d in zip(simulate(demand, capacity, WaitingRule("waitlist"), True), demand, strict=True):
        assert q.balked[0] == 0
        assert int(q.served[0] + q.backlog[0]) == d  # placed or on the list


@given(total=st.integers(0, 10_000), weights=st.lists(st.integers(0, 1000), min_size=1))
def test_spread_is_exact_and_proportional(total, weights):
    out = spread(total, np.array(weights))
    assert int(out.sum()) == total and (out >= 0).all()
    if sum(weights):
        exact = np.array(weights) * total / sum(weights)
        assert (np.abs(out - exact) < 1 + 1e-9).all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rule": "queue"}, "waiting rule 'queue' not one of switch, waitlist, lost"),
        ({"rule": "lost", "patience_days": -1.0}, "patience_days=-1.0"),
        ({"rule": "lost", "patience_days": float("nan")}, "patience_days=nan"),
    ],
)
def test_bad_waiting_rules_are_refused(kwargs, message):
    with pytest.raises(WorldError, match=message.replace("(", r"\(")):
        WaitingRule(**kwargs)
