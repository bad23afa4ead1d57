import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.changes.operations import OPERATIONS, add_months
from scenarios.changes.scenario import build_scenario
from scenarios.errors import ScenarioError
from tests.factories import small_world
from tests.network import run_network

MONTHS = [add_months("2024-01", k) for k in range(24)]


@given(
    decided=st.integers(0, 23),
    lead=st.integers(0, 30),
    facility=st.sampled_from(["F0", "F1", "F2"]),
    seed=st.integers(0, 1000),
)
@settings(max_examples=20, deadline=None)
def test_change_visible_from_decided_plus_lead_time_and_never_before(decided, lead, facility, seed):
    effective = add_months(MONTHS[decided], lead)
    changes = [
        {"op": "close", "facility": facility, "decided": MONTHS[decided], "lead_time_months": lead}
    ]
    if effective > MONTHS[-1]:
        with pytest.raises(ScenarioError, match="after the simulated period"):
            run_network(changes, seed=seed)
        return
    ds, _ = run_network(changes, seed=seed)
    is_open = ds["facility_open"].sel(facility=facility).values
    k = MONTHS.index(effective)
    assert is_open[:k].all() and not is_open[k:].any()
    assert list(ds["change_applied"].values) == [effective]
    assert int(ds["n_changes"]) == 1


@given(
    decided=st.integers(0, 20),
    lead=st.integers(0, 3),
    capacity=st.integers(0, 500),
)
@settings(max_examples=15, deadline=None)
def test_resize_takes_effect_exactly_at_effective(decided, lead, capacity):
    changes = [
        {
            "op": "resize",
            "facility": "F1",
            "service": "primary_health_care",
            "capacity": capacity,
            "decided": MONTHS[decided],
            "lead_time_months": lead,
        }
    ]
    ds, _ = run_network(changes)
    cap = ds["capacity"].sel(facility="F1", service="primary_health_care").values
    k = decided + lead
    assert (cap[:k] == 200).all() and (cap[k:] == capacity).all()


@given(
    facility=st.sampled_from(["F0", "F1", "F2"]),
    decided=st.integers(0, 23),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=20, deadline=None)
def test_closing_never_loses_users(facility, decided, seed):
    base, _ = run_network(seed=seed)
    ds, _ = run_network(
        [{"op": "close", "facility": facility, "decided": MONTHS[decided]}], seed=seed
    )
    # Demand draws do not depend on the network: the same users come.
    xr.testing.assert_equal(base["demand_zone"], ds["demand_zone"])
    assert (ds["demand_zone"] == ds["served_zone"] + ds["unmet_zone"]).all()
    assert (ds["demand"] == ds["served"] + ds["unmet"]).all()
    after = ds.isel(time=slice(decided, None))
    assert int(after["load"].sel(facility=facility).sum()) == 0
    assert int(after["demand"].sel(facility=facility).sum()) == 0  # nobody attributed to it


def test_closing_every_facility_makes_all_demand_unmet_and_counted():
    changes = [{"op": "close", "facility": f"F{i}", "decided": "2024-01"} for i in range(3)]
    ds, _ = run_network(changes)
    assert int(ds["served_zone"].sum()) == 0
    assert int(ds["unmet_zone"].sum()) == int(ds["demand_zone"].sum()) > 0


def test_open_relocate_merge_co_locate_and_seasonal_opening():
    changes = [
        {
            "op": "open",
            "id": "N",
            "zone": "Z1",
            "capacity": {"primary_health_care": 40},
            "open_months": [6, 7, 8],
            "decided": "2024-01",
            "lead_time_months": 4,
        },
        {"op": "relocate", "facility": "F2", "zone": "Z0", "decided": "2024-03"},
        {
            "op": "merge",
            "facility": "F0",
            "into": "F1",
            "capacity_share": 0.5,
            "decided": "2025-01",
        },
        {"op": "co_locate", "facilities": ["F1"], "into": "N", "decided": "2025-06"},
        {"op": "open_seasonally", "facility": "N", "months": [1, 2], "decided": "2025-09"},
    ]
    ds, model = run_network(changes, unit_costs={"primary_health_care": 270.0})
    cap = ds["capacity"].sel(service="primary_health_care")
    t = {m: i for i, m in enumerate(MONTHS)}
    assert int(cap.sel(facility="N")[t["2024-04"]]) == 0  # declared, not yet open
    assert int(cap.sel(facility="N")[t["2024-06"]]) == 40  # summer only
    assert int(cap.sel(facility="N")[t["2024-09"]]) == 0
    moved = cap.sel(facility="F2@Z0")
    assert int(moved[t["2024-02"]]) == 0 and int(moved[t["2024-03"]]) == 200
    assert int(cap.sel(facility="F2")[t["2024-03"]]) == 0
    assert int(cap.sel(facility="F1")[t["2025-01"]]) == 300  # 200 + half of F0's 200
    # co-located: N offers F1's 300 in its opening months (still June-August in 2025-06)
    assert int(cap.sel(facility="N")[t["2025-07"]]) == 340
    assert int(cap.sel(facility="F1")[t["2025-07"]]) == 0
    assert int(cap.sel(facility="N")[t["2025-09"]]) == 0  # open in January-February only
    # The fixed cost follows the capacity at the unit cost (EUR/year per unit of capacity).
    n = next(f for f in model.facilities if f.facility_id == "N")
    assert n.fixed_cost_eur_per_year == pytest.approx(270.0 * 340)
    assert list(ds["change_op"].values) == [
        "relocate",
        "open",
        "merge",
        "co_locate",
        "open_seasonally",
    ]


def test_validation_lists_every_problem_with_scenario_change_and_field():
    world = small_world()
    changes = [
        {"op": "close", "facility": "nowhere", "decided": "2024-02"},
        {
            "op": "resize",
            "facility": "F0",
            "service": "dentistry",
            "capacity": -3,
            "decided": "2024-13",
        },
        {"op": "open", "id": "F1", "zone": "Z9", "capacity": {"library": 5}, "decided": "2023-12"},
        {"op": "teleport", "decided": "2024-01"},
        {"op": "close", "facility": "F0", "decided": "2025-10", "lead_time_months": 5},
        {"op": "close", "decided": "2024-01", "colour": "red"},
    ]
    with pytest.raises(ScenarioError) as err:
        build_scenario("bad", changes, world, "2024-01", "2025-12")
    msg = str(err.value)
    for needle in (
        "scenario 'bad', change 1 (close): field 'facility': ['nowhere'] not among",
        "change 2 (resize): field 'decided': '2024-13' is not a month",
        "change 2 (resize): field 'service': ['dentistry'] not among the services",
        "change 2 (resize): field 'capacity': -3 must be >= 0",
        "change 3 (open): field 'id': 'F1' already names a facility",
        "change 3 (open): field 'zone': ['Z9'] not among the zones",
        "change 3 (open): field 'capacity': services ['library'] not among",
        "change 3 (open): field 'decided': 2023-12 is outside the simulated period",
        "change 4 (teleport): field 'op': 'teleport' is not one of",
        "change 5 (close): field 'lead_time_months': takes effect 2026-03, after",
        "change 6 (close): field 'colour' is not a field of 'close'",
        "change 6 (close): field 'facility' is missing",
    ):
        assert needle in msg, needle
    assert msg.startswith("12 problem(s)")


def test_a_change_may_refer_to_a_facility_opened_earlier():
    world = small_world()
    changes = [
        {"op": "open", "id": "N", "zone": "Z0", "capacity": {"library": 5}, "decided": "2024-01"}
    ]
    with pytest.raises(ScenarioError):
        build_scenario("x", changes, world, "2024-01", "2025-12")  # no service 'library'
    changes[0]["capacity"] = {"primary_health_care": 5}
    changes.append({"op": "close", "facility": "N", "decided": "2024-05"})
    scenario = build_scenario("x", changes, world, "2024-01", "2025-12")
    assert [c.op_name for c in scenario.changes] == ["open", "close"]
    assert scenario.changes[1].effective == "2024-05"


def test_every_operation_is_documented():
    from pathlib import Path

    doc = (Path(__file__).parents[1] / "docs" / "scenarios.md").read_text()
    for name in OPERATIONS:
        assert f"`{name}`" in doc, name


def test_results_with_no_changes_write_and_read_back(tmp_path):
    ds, _ = run_network()
    assert ds.sizes["change"] == 0 and int(ds["n_changes"]) == 0
    ds.to_netcdf(tmp_path / "r.nc", engine="h5netcdf")
    back = xr.open_dataset(tmp_path / "r.nc", engine="h5netcdf").load()
    assert back.sizes["change"] == 0
    assert np.isclose(float(back["npv_cost"]), float(ds["npv_cost"]))


def test_mobile_route_and_digital_channel_ops_change_the_model_and_cost():
    van = {
        "op": "add_mobile_route",
        "id": "van",
        "services": ["primary_health_care"],
        "zones": ["Z1", "Z2"],
        "months": [6, 7, 8],
        "days_per_month": 6,
        "capacity_per_month": 120,
        "cost_eur_per_year": 12000,
        "decided": "2024-03",
        "lead_time_months": 3,
    }
    bigger = van | {"capacity_per_month": 200, "cost_eur_per_year": 24000, "decided": "2025-01"}
    digital = {"op": "add_digital_channel", "service": "primary_health_care", "adoption": 0.4}
    changes = [van, digital | {"decided": "2024-02"}, bigger, digital | {"decided": "2025-05"}]
    changes[-1]["adoption"] = 0.9
    ds, model = run_network(changes)
    (route,) = model.mobile_routes
    assert route.capacity_per_month == 200 and route.zones == ("Z1", "Z2")
    assert route.months == tuple(m in (6, 7, 8) for m in range(1, 13))
    assert model.digital_channels["primary_health_care"].adoption == 0.9
    # The yearly cost is booked in the running months (June-August) only: a third each.
    mobile = ds["mobile_cost"].values.reshape(2, 12)
    summer = np.isin(np.arange(1, 13), [6, 7, 8])
    assert np.allclose(mobile[0], np.where(summer, 4000.0, 0.0))
    assert np.allclose(mobile[1], np.where(summer, 8000.0, 0.0))  # bigger from 2025-04
    total = ds["cost"].sum("facility") + ds["mobile_cost"] + ds["change_cost"]
    assert np.allclose(ds["total_cost"], total + ds["transport_cost"])
    assert list(ds["change_target"].values) == [
        "primary_health_care",
        "van",
        "van",
        "primary_health_care",
    ]


def test_school_transport_rule_changes_transport_cost():
    # Zone Z0's pupils go to F0 (1 km inside the zone); after F0 closes they travel 6 km.
    changes = [{"op": "close", "facility": "F0", "decided": "2024-03"}]
    ds, _ = run_network(changes)
    strict, _ = run_network(changes + [{"op": "school_transport", "km": 20, "decided": "2024-01"}])
    assert float(ds["transport_cost"][:2].sum()) == 0.0
    assert float(ds["transport_cost"][2:5].sum()) > 0.0
    assert float(strict["transport_cost"].sum()) == 0.0
    assert (strict["school_transport_km"] == 20).all()
