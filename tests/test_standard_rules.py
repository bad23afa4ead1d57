"""Rules approximated at the monthly step: a limit for a share of demand, the daily school trip."""

import dataclasses
import shutil

import numpy as np
import pytest
import xarray as xr
import yaml

from scenarios.errors import WorldFileError
from scenarios.worlds.loader import embedded_world_path, load_world
from simulation.errors import WorldError
from simulation.standards import Standard, StandardsTable, TripRule, assess, standards_dataset
from tests.factories import small_world
from tests.network import run_network

ECE = "early_childhood_education"


def test_a_limit_for_a_share_of_demand_acts_on_the_common_list_scaled_by_that_share():
    rows = (
        Standard(ECE, "waiting_days", 122, "2018-09-01", target_share=0.9),
        Standard(ECE, "waiting_days", 14, "2018-09-01", target_share=0.9, demand_share=0.2),
    )
    std = StandardsTable(rows, [ECE]).limit(0, "2024-01")
    assert std.limit == pytest.approx(70.0) and std.demand_share == 1.0
    loose = (rows[0], dataclasses.replace(rows[1], demand_share=0.1))  # 140 > 122 days
    assert StandardsTable(loose, [ECE]).limit(0, "2024-01").limit == 122
    with pytest.raises(WorldError, match="demand_share=0"):
        Standard(ECE, "waiting_days", 14, "2018-09-01", demand_share=0)


def test_sysma_assesses_the_two_week_rule_and_the_daily_school_trip():
    world = load_world(embedded_world_path("sysma"))
    measures = {(s.service, s.measure) for s in world.standards}
    assert ("basic_education", "daily_trip_minutes") in measures
    assert any(s.demand_share < 1 for s in world.standards if s.service == ECE)


def trip_world(minutes_to_school):
    w = small_world(n_zones=2, residents_per_cell=3)
    minutes = np.array([[5.0, minutes_to_school], [minutes_to_school, 5.0]])
    travel = dataclasses.replace(w.travel, minutes_car=minutes)
    trip = Standard("basic_education", "daily_trip_minutes", 150, "2000-01-01")
    return dataclasses.replace(w, travel=travel, standards=(trip,))


@pytest.mark.parametrize(("minutes", "holds"), [(20.0, True), (60.0, False)])
def test_the_daily_school_trip_is_assessed_against_the_nearest_open_school(minutes, holds):
    # Close the school of zone 1: its pupils travel to zone 0 (2 x 1.3 x minutes + 30).
    close = [{"op": "close", "facility": "F1", "decided": "2024-01"}]
    ds, _ = run_network(changes=close, world=trip_world(minutes), years=1)
    share = ds["service_within_standard"].sel(service="basic_education")
    pupils_far = int(ds["served_zone"].sel(service="basic_education").isel(zone=1).sum())
    assert pupils_far > 0
    assert bool((share.dropna("time") == 1.0).all()) == holds
    assert str(ds["standard_status"].sel(service="basic_education").values) == (
        "holds" if holds else "fails"
    )


def test_without_a_travel_rule_the_daily_trip_is_not_assessed():
    ds = xr_dataset()
    table = StandardsTable((Standard("s", "daily_trip_minutes", 150, "2000-01-01"),), ["s"])
    out = standards_dataset(ds, assess(ds, table), 0.95)
    assert str(out["standard_status"].values[0]) == "not assessed"
    rule = TripRule(np.array([[10.0], [100.0]]), 1.0, 0.0)
    out = standards_dataset(ds, assess(ds, table, rule), 0.95)
    np.testing.assert_allclose(out["service_within_standard"].values[:, 0], [0.25])


def xr_dataset():
    coords = {"time": np.array(["2024-01-01"], dtype="datetime64[ns]"), "service": ["s"]}
    ds = xr.Dataset(coords=coords | {"facility": ["a"], "zone": ["z0", "z1"]})
    ds["within_standard"] = (("time", "facility", "service"), [[[np.nan]]])
    ds["queue_served"] = (("time", "facility", "service"), [[[0]]])
    ds["backlog"] = (("time", "facility", "service"), [[[0]]])
    ds["capacity"] = (("time", "facility", "service"), [[[10]]])
    ds["served_zone"] = (("time", "zone", "service"), [[[1], [3]]])
    return ds


def test_a_bad_demand_share_in_standards_yaml_names_file_service_and_value(tmp_path):
    folder = tmp_path / "w"
    shutil.copytree(embedded_world_path("sysma"), folder)
    rows = yaml.safe_load((folder / "standards.yaml").read_text(encoding="utf-8"))
    rows[0]["demand_share"] = 1.5
    (folder / "standards.yaml").write_text(yaml.safe_dump(rows), encoding="utf-8")
    with pytest.raises(WorldFileError) as err:
        load_world(folder)
    message = str(err.value)
    assert "standards.yaml" in message and "primary_health_care" in message
    assert "demand_share=1.5" in message


def test_one_assessment_picks_wait_then_access_then_trip_and_judges_each_zone():
    rows = (
        Standard("s", "daily_trip_minutes", 150, "2000-01-01"),
        Standard("s", "access_minutes", 20, "2024-02-01"),
        Standard("s", "waiting_days", 14, "2024-03-01"),
    )
    ds = xr_dataset()
    ds = xr.concat([ds, ds, ds], "time").assign_coords(
        time=np.array(["2024-01-01", "2024-02-01", "2024-03-01"], dtype="datetime64[ns]")
    )
    ds["share_within_20min"] = (("time", "service"), [[0.5], [0.5], [0.5]])
    rule = TripRule(np.array([[10.0], [100.0]]), 1.0, 0.0)
    got = assess(ds, StandardsTable(rows, ["s"]), rule)
    assert got.trip[:, 0].tolist() == [True, False, False]
    assert got.access[:, 0].tolist() == [False, True, False]
    np.testing.assert_array_equal(got.wait_limit[:, 0], [np.nan, np.nan, 14.0])
    assert got.trip_within[0, :, 0].tolist() == [True, False]
    assert not got.trip_within[1:].any()
    np.testing.assert_allclose(got.trip_share[:, 0], [0.25, np.nan, np.nan])
