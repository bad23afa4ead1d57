"""comparison.nc keeps each run's yearly series, decision calendar and standards intervals.

The series are checked against variables of results.nc they are not computed from
(``residents_start`` by zone, facility-level ``demand``, ``total_cost``), and the
comparison's intervals against NumPy quantiles of the per-run values.
"""

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

import servicesim
from experiments.aggregate import combine_reduced, reduced_run
from experiments.assumptions import assumptions, assumptions_frame
from experiments.output import write_atomic
from experiments.periods import reduce_periods
from scenarios.worlds import embedded_world_path

HORIZON = 3
YEARLY = (
    "residents_year",
    "demand_year",
    "unmet_year",
    "within_standard_year",
    "wait_mean_days_year",
    "wait_p90_days_year",
    "share_within_20min_year",
    "cost_year",
)
PLANS = (("status_quo", "status_quo"), ("close_village_school", "reactive"))


@pytest.fixture(scope="module")
def runs():
    """Three seeds of status quo and of the village-school merge (reactive), 3 years."""
    specs = {
        (scenario, strategy, seed): servicesim.RunSpec(
            world="sysma",
            horizon_years=HORIZON,
            scenario=scenario,
            strategy=strategy,
            seed=seed,
            forecast={"n_samples": 5},
        )
        for scenario, strategy in (
            ("status_quo", "status_quo"),
            ("close_village_school", "reactive"),
        )
        for seed in (0, 1, 2)
    }
    return {key: servicesim.run(spec) for key, spec in specs.items()}


@pytest.fixture(scope="module")
def comparison(runs, tmp_path_factory):
    combined = combine_reduced([reduced_run(ds, source=str(k)) for k, ds in runs.items()])
    path = write_atomic(combined, tmp_path_factory.mktemp("cmp") / "comparison.nc")
    with xr.open_dataset(path, engine="h5netcdf") as back:
        return back.load()


def test_yearly_series_agree_with_other_variables_of_the_run(runs):
    ds = runs[("close_village_school", "reactive", 0)]
    out = reduce_periods(ds)
    years = ds["time"].dt.year
    # 1 January residents by age group add up to the zone totals on 1 January.
    np.testing.assert_array_equal(
        out["residents_year"].sum("age_group").values, ds["residents_start"].sum("zone").values
    )
    # Demand by home zone per year = demand by resident kind per year (all channels).
    by_kind = ds["demand_kind"].sum("kind").groupby(years).sum("time")
    np.testing.assert_allclose(out["demand_year"].values, by_kind.values)
    np.testing.assert_allclose(
        float(out["cost_year"].sum()), float(ds["total_cost"].sum()), rtol=1e-12
    )
    for name in ("within_standard_year", "share_within_20min_year"):
        share = out[name].values
        assert np.nanmin(share) >= 0 and np.nanmax(share) <= 1, name
    for name in ("wait_mean_days_year", "wait_p90_days_year"):
        assert (out[name].fillna(0) >= 0).all(), name


def test_within_standard_is_the_demand_weighted_mean_of_the_months(runs):
    ds = runs[("status_quo", "status_quo", 1)]
    out = reduce_periods(ds)
    year = int(ds["year"][1])
    service = "primary_health_care"
    months = ds["time"].dt.year == year
    share = ds["service_within_standard"].sel(service=service, time=months).values
    demand = ds["demand_zone"].sel(service=service, time=months).sum("zone").values
    ok = ~np.isnan(share)
    expected = (share[ok] * demand[ok]).sum() / demand[ok].sum()
    got = float(out["within_standard_year"].sel(year=year, service=service))
    assert got == pytest.approx(expected, rel=1e-12)


def test_decision_calendar_is_kept_per_run_and_padded(runs, comparison):
    ds = runs[("close_village_school", "reactive", 2)]
    assert ds.sizes["change"] > 0
    run = comparison.sel(scenario="close_village_school", strategy="reactive", seed=2)
    n = ds.sizes["change"]
    assert run["decision_op"].values[:n].tolist() == ds["change_op"].values.tolist()
    assert run["decision_decide_by"].values[:n].tolist() == ds["change_decide_by"].values.tolist()
    np.testing.assert_array_equal(
        run["decision_one_off_cost_eur"].values[:n], ds["change_one_off_cost_eur"].values
    )
    assert set(run["decision_op"].values[n:].tolist()) <= {""}
    assert np.isnan(run["decision_lead_time_months"].values[n:]).all()
    quo = comparison.sel(scenario="status_quo", strategy="status_quo", seed=0)
    assert set(quo["decision_op"].values.tolist()) == {""}  # no change: all padding


def test_standards_intervals_are_quantiles_over_seeds(runs, comparison):
    q = comparison["standard_months_met_q"]
    for (scenario, strategy, _), _ds in runs.items():
        per_seed = np.array(
            [runs[(scenario, strategy, s)]["standard_months_met"].values for s in (0, 1, 2)]
        )
        for i, service in enumerate(comparison["service"].values):
            got = q.sel(scenario=scenario, strategy=strategy, service=service).values
            if np.isnan(per_seed[:, i]).all():
                assert np.isnan(got).all()
                continue
            expected = np.nanquantile(per_seed[:, i], [0.05, 0.5, 0.95])
            np.testing.assert_allclose(got, expected)
    assert q.attrs["units"] == "1"


def test_new_comparison_variables_carry_cf_units(comparison):
    assert set(YEARLY) <= set(comparison.data_vars)
    for name, var in comparison.data_vars.items():
        if name in YEARLY or name == "standard_months_met_q":
            assert var.attrs.get("units") in ("1", "d"), name
            assert var.attrs.get("long_name"), name
    assert comparison["cost_year"].attrs["currency"] == "EUR"
    assert "cell_methods" not in comparison["within_standard_year"].attrs


def test_comparison_keeps_the_config_the_runs_share(comparison, runs):
    config = yaml.safe_load(comparison.attrs["config"])
    assert config["horizon_years"] == HORIZON
    assert config["world"]["name"] == "sysma"
    assert "seed" not in config and "seed" in comparison.attrs["config_varies"].split(",")
    assert "scenario.name" in comparison.attrs["config_varies"].split(",")
    assert comparison.attrs["world_path"] == "embedded:sysma"


def test_assumptions_list_the_world_estimates_with_sources(comparison):
    table = assumptions_frame(assumptions(comparison))
    assert table["key"].is_unique
    assert table["source"].str.len().min() > 0
    rows = table.set_index("key")
    folder = embedded_world_path("sysma")
    # Capacities: sums over facility_services.csv, read here with pandas.
    capacity = pd.read_csv(folder / "facility_services.csv").groupby("service_id")
    for service, total in capacity["capacity_per_month"].sum().items():
        assert rows.loc[f"capacity.{service}", "value"] == pytest.approx(total)
    # Seasonal use rates: the bands of services.yaml.
    services = yaml.safe_load((folder / "services.yaml").read_text())
    for service in services:
        for band in service["rates"]:
            if band["seasonal"] > 0:
                key = f"use_rate.{service['id']}.seasonal.{band['age_from']}-{band['age_to']}"
                assert rows.loc[key, "value"] == pytest.approx(band["seasonal"]), key
    assert rows.loc["run.horizon_years", "value"] == HORIZON
    assert rows.loc["run.base_year", "value"] == 2023
    # Standards: only those in force during the years simulated (2024-2026).
    assert not any(
        k.startswith("standard.primary_health_care.waiting_days.2005") for k in rows.index
    )
    assert rows.loc[
        "standard.elderly_care.waiting_days.2013-07-01.0-100.limit", "value"
    ] == pytest.approx(91)
