import numpy as np
import pytest

from scenarios.errors import ScenarioError
from scenarios.strategies import build_strategy
from scenarios.strategies.channel_shift import ChannelShift, digital_share
from tests.factories import small_world
from tests.network import run_network

HEALTH = ("primary_health_care",)
CLOSE_F2 = [{"op": "close", "facility": "F2", "decided": "2024-01"}]


def run(strategy, years=2):
    world = small_world(n_zones=3, residents_per_cell=3, capacity=150)
    return run_network(CLOSE_F2, world=world, years=years, seed=1, strategy=strategy)


def test_van_for_far_zones_and_digital_channel_where_users_are_digital():
    strategy = ChannelShift(
        services=HEALTH, min_digital_share=0.0, mobile_min_minutes=5.0, lead_time_months=3
    )
    ds, model = run(strategy)
    (route,) = model.mobile_routes
    # Z2 is 6 km (minutes) from F1 once F2 closes; Z0 and Z1 have their own facility.
    assert route.zones == ("Z2",) and route.services == HEALTH
    assert route.capacity_per_month > 0
    assert model.digital_channels["primary_health_care"].adoption == 0.8
    mine = ds["change_origin"].values == "strategy:channel_shift"
    assert set(ds["change_effective"].values[mine]) == {"2024-04"}
    assert float(ds["mobile_cost"].sel(time="2024-05").sum()) == pytest.approx(150_000 / 12)
    # The simulation routes demand to the new channels once they are in effect.
    visits = ds["visits_channel"].sel(service="primary_health_care")
    for channel in ("digital", "mobile"):
        assert int(visits.sel(channel=channel, time=slice(None, "2024-03")).sum()) == 0
        assert int(visits.sel(channel=channel, time=slice("2024-04", None)).sum()) > 0


def test_no_digital_channel_when_too_few_users_are_digital():
    ds, model = run(ChannelShift(services=HEALTH, min_digital_share=1.0))
    share = digital_share(model, 0)
    assert 0.0 <= share <= 1.0
    if share < 1.0:
        assert "primary_health_care" not in model.digital_channels


def test_fixed_capacity_only_shrinks():
    ds, _ = run(ChannelShift(services=HEALTH, mobile_min_minutes=1e9, min_digital_share=1.0), 3)
    resized = ds["change_op"].values == "resize"
    targets = ds["change_target"].values[resized]
    for fac in set(targets):
        cap = ds["capacity"].sel(facility=fac, service="primary_health_care")
        assert int(cap.max()) == 150 and int(cap.isel(time=-1)) <= 150


def test_bad_parameters():
    with pytest.raises(ScenarioError, match="must be in"):
        build_strategy("channel_shift", adoption=1.5)
    assert np.isclose(build_strategy("channel_shift", mobile_share=1).mobile_share, 1.0)
