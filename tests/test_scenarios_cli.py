"""The Sysmä scenario catalogue and the strategies through the command (slow)."""

import pytest
import xarray as xr

from tests.test_cli import servicesim

pytestmark = pytest.mark.slow

CATALOGUE = {
    "status_quo": [],
    "close_village_school": [("merge", "sysma_school_nuoramoinen", "2024-08")],
    "health_to_one_stop_plus_van": [
        ("co_locate", "sysma_one_stop", "2025-01"),
        ("add_mobile_route", "sysma_health_van", "2025-01"),
    ],
    "digital_first": [
        ("add_digital_channel", "primary_health_care", "2025-01"),
        ("add_digital_channel", "library", "2025-01"),
        ("add_digital_channel", "one_stop_service", "2025-01"),
        ("resize", "sysma_health_station", "2025-07"),
    ],
    "summer_capacity": [
        ("open", "karilanmaa_summer_health", "2025-06"),
        ("open", "karilanmaa_summer_library", "2025-06"),
    ],
}


def results(tmp_path, *overrides):
    proc = servicesim(*overrides, "horizon_years=2", f"hydra.run.dir={tmp_path}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    with xr.open_dataset(tmp_path / "results.nc") as ds:
        return ds.load()


@pytest.mark.parametrize("scenario", sorted(CATALOGUE))
def test_catalogue_scenario_runs_and_records_its_changes(tmp_path, scenario):
    ds = results(tmp_path, f"scenario={scenario}")
    got = list(
        zip(
            ds["change_op"].values.tolist(),
            ds["change_target"].values.tolist(),
            ds["change_applied"].values.tolist(),
            strict=True,
        )
    )
    assert got == CATALOGUE[scenario]
    assert ds.attrs["scenario"] == scenario
    for name in ("change_cost", "transport_cost", "mobile_cost", "total_cost"):
        assert ds[name].dims == ("time",) and ds[name].attrs["units"] == "1"  # CF: money
        assert ds[name].attrs["currency"] == "EUR" and "(EUR in the month)" in ds[name].long_name
    assert float(ds["npv_cost"]) > 0 and int(ds["n_changes"]) == len(got)
    assert float(ds["change_cost"].sum()) == float(ds["change_one_off_cost_eur"].sum())
    if scenario == "health_to_one_stop_plus_van":
        assert float(ds["mobile_cost"].sel(time="2025-03").sum()) == 150000 / 12
    if scenario == "close_village_school":
        school = ds["capacity"].sel(service="basic_education").sum("facility")
        centre = ds["capacity"].sel(service="basic_education", facility="sysma_school_centre")
        before = ds["capacity"].sel(service="basic_education", time="2024-05")
        assert int(before.sel(facility="sysma_school_nuoramoinen").sum()) > 0
        # the centre school takes the village school's places
        assert int(centre.sel(time="2024-09").sum()) == int(before.sum())
        assert int(school.sel(time="2024-05").sum()) == int(school.sel(time="2024-09").sum())
        village = ds["facility_open"].sel(facility="sysma_school_nuoramoinen")
        assert int(village.sel(time=slice("2024-08", None)).sum()) == 0


def test_proactive_with_regret_against_the_oracle(tmp_path):
    ds = results(
        tmp_path, "strategy=proactive", "regret=true", "strategy.params.lead_time_months=6"
    )
    assert ds.attrs["strategy"] == "proactive"
    assert '"lead_time_months": 6' in ds.attrs["strategy_params"]
    assert "regret_eur" in ds and ds["regret_eur"].attrs["currency"] == "EUR"
    oracle = float(ds["oracle_objective"])
    assert float(ds["regret_eur"]) == pytest.approx(float(ds["objective"]) - oracle)
    assert set(ds["change_origin"].values) <= {"strategy:proactive"}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            ['scenario.changes=[{op:close,facility:nowhere,decided:"2024-13"}]'],
            "change 1 (close): field 'facility': ['nowhere'] not among the facilities",
        ),
        (
            ["strategy=reactive", "+strategy.params.colour=red"],
            "parameter 'colour' is not one of",
        ),
        (["costs.discount_rate=-1"], "costs.discount_rate=-1: must be a number >= 0"),
    ],
)
def test_bad_scenario_strategy_or_costs_fail_before_running(tmp_path, overrides, message):
    proc = servicesim(*overrides, "horizon_years=2", f"hydra.run.dir={tmp_path}", cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert not (tmp_path / "results.nc").exists()
