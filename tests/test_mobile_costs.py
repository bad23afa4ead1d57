"""A mobile route's yearly cost is booked in the months it runs, not spread over the year."""

import numpy as np
import pytest

from tests.network import run_network

SUMMER = [6, 7, 8]


def route(id_, months, cost=12_000.0, decided="2024-01", days=4):
    return {
        "op": "add_mobile_route",
        "id": id_,
        "services": ["primary_health_care"],
        "zones": ["Z2"],
        "months": months,
        "days_per_month": days,
        "capacity_per_month": 50,
        "cost_eur_per_year": cost,
        "decided": decided,
    }


def monthly_cost(changes):
    ds, _ = run_network(changes, years=2)
    return ds["mobile_cost"].values.reshape(2, 12)


def test_a_summer_van_costs_its_yearly_cost_in_the_summer_months_only():
    cost = monthly_cost([route("summer", SUMMER)])
    expected = np.zeros(12)
    expected[[5, 6, 7]] = 4000.0
    np.testing.assert_allclose(cost, [expected, expected])
    assert cost.sum() == pytest.approx(2 * 12_000.0)


def test_a_year_round_route_costs_a_twelfth_each_month_from_when_it_starts():
    cost = monthly_cost([route("all", list(range(1, 13)), decided="2024-07")])
    np.testing.assert_allclose(cost[0], [0.0] * 6 + [1000.0] * 6)
    np.testing.assert_allclose(cost[1], [1000.0] * 12)


def test_a_replaced_route_is_costed_by_its_schedule_at_the_time():
    # Year-round in 2024, summer only from January 2025 (same id: the route is replaced).
    cost = monthly_cost(
        [route("van", list(range(1, 13))), route("van", SUMMER, cost=6000.0, decided="2025-01")]
    )
    np.testing.assert_allclose(cost[0], [1000.0] * 12)
    np.testing.assert_allclose(cost[1], [0.0] * 5 + [2000.0] * 3 + [0.0] * 4)


def test_a_route_without_service_days_costs_nothing():
    assert monthly_cost([route("idle", SUMMER, days=0)]).sum() == 0.0
