import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation.choice import allocate, preference_order


@st.composite
def allocation_case(draw):
    n_zones = draw(st.integers(1, 6))
    n_fac = draw(st.integers(1, 5))
    demand = np.array(draw(st.lists(st.integers(0, 50), min_size=n_zones, max_size=n_zones)))
    capacity = np.array(draw(st.lists(st.integers(0, 60), min_size=n_fac, max_size=n_fac)))
    minutes = np.array(
        draw(
            st.lists(
                st.floats(0, 100, allow_nan=False),
                min_size=n_zones * n_fac,
                max_size=n_zones * n_fac,
            )
        )
    ).reshape(n_zones, n_fac)
    offers = np.array(draw(st.lists(st.booleans(), min_size=n_fac, max_size=n_fac)))
    return demand, capacity * offers, minutes, offers, draw(st.integers(0, 2**32 - 1))


@given(allocation_case())
@settings(max_examples=200, deadline=None)
def test_allocation_conserves_demand_and_respects_capacity(case):
    demand, capacity, minutes, offers, seed = case
    order = preference_order(minutes, offers)
    a = allocate(demand, capacity, order, minutes, np.random.default_rng(seed))
    assert (a.served_zone >= 0).all() and (a.served_zone <= demand).all()
    assert (a.load <= capacity).all()
    assert a.served_zone.sum() == a.load.sum()
    # Nothing is left unmet while some offering facility still has capacity.
    unmet = demand - a.served_zone
    if unmet.sum() > 0 and offers.any():
        assert (capacity - a.load)[offers].sum() == 0
    if not offers.any():
        assert a.served_zone.sum() == 0 and (a.first_choice == -1).all()


def test_nearest_facility_is_used_first_and_overflow_spills():
    minutes = np.array([[1.0, 5.0], [1.0, 5.0]])
    order = preference_order(minutes, np.array([True, True]))
    a = allocate(np.array([6, 6]), np.array([8, 100]), order, minutes, np.random.default_rng(0))
    assert a.load.tolist() == [8, 4]
    assert a.served_zone.sum() == 12
    assert a.travel_minutes.sum() == 8 * 1.0 + 4 * 5.0
    assert a.first_choice.tolist() == [0, 0]
