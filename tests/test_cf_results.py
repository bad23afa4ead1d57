"""Results follow CF 1.8: units parse with UDUNITS (cf_units), time is a CF time axis.

A short run with network changes, costs and regret is written as results.nc and read
back undecoded; two such files are combined into comparison.nc the same way.
"""

import cf_units
import numpy as np
import pytest
import xarray as xr

from experiments.aggregate import combine_runs
from experiments.output import write_atomic
from scenarios.changes.costs import CostSettings, run_results
from simulation import ServiceModel
from tests.factories import drifting_path, small_world

GLOBAL = ("Conventions", "title", "institution", "source", "history")
VAN = {
    "op": "add_mobile_route",
    "id": "van",
    "services": ["primary_health_care"],
    "zones": ["Z1"],
    "capacity_per_month": 50,
    "cost_eur_per_year": 1000,
    "decided": "2024-04",
}


def short_run(seed: int, strategy: str) -> xr.Dataset:
    from scenarios.changes.scenario import build_scenario

    world = small_world(n_zones=3, residents_per_cell=3)
    scenario = build_scenario("cf", [VAN], world, "2024-01", "2025-12")
    model = ServiceModel(world, drifting_path(world, 2), 2, seed=seed, changes=scenario.changes)
    model.run()
    attrs = {"scenario": "cf", "strategy": strategy}
    return run_results(model, CostSettings(), oracle_objective=1000.0, attrs=attrs)


def numeric(ds: xr.Dataset):
    return [v for v in ds.variables.values() if v.dtype.kind in "iuf"]


def assert_cf(ds: xr.Dataset) -> None:
    assert ds.attrs["Conventions"] == "CF-1.8"
    for name in GLOBAL:
        assert str(ds.attrs.get(name, "")).strip(), name
    found = numeric(ds)
    assert len(found) > 20
    for var in found:
        units = var.attrs.get("units")
        assert units is not None, f"{var.name} has no units"
        cf_units.Unit(units)  # raises on a string UDUNITS cannot parse
        assert var.attrs.get("long_name") or var.attrs.get("standard_name"), var.name
        if "currency" in var.attrs:
            assert units in ("1", "year-1") and var.attrs["currency"] == "EUR", var.name
    time = ds["time"]
    assert time.attrs["standard_name"] == "time" and time.attrs["axis"] == "T"
    assert cf_units.Unit(time.attrs["units"], calendar=time.attrs["calendar"]).is_time_reference()


def test_results_file_is_cf_conformant(tmp_path):
    ds = short_run(1, "status_quo")
    assert ds["time"].attrs["standard_name"] == "time"  # in memory already
    assert ds["mobile_cost"].attrs["currency"] == "EUR"
    assert "zone_name" in ds.coords and "facility_name" in ds.coords  # auxiliary labels
    path = write_atomic(ds, tmp_path / "results.nc")
    with xr.open_dataset(path, engine="h5netcdf", decode_times=False) as raw:
        assert_cf(raw.load())
    # Values survive the encoding: the time axis decodes to the same months.
    with xr.open_dataset(path, engine="h5netcdf") as back:
        assert (back["time"].values == ds["time"].values).all()
        xr.testing.assert_equal(back["demand"], ds["demand"])


def test_every_recorded_unit_would_be_caught_if_invalid():
    ds = short_run(1, "status_quo")
    ds["demand"].attrs["units"] = "visits/month"
    with pytest.raises(ValueError):
        cf_units.Unit(ds["demand"].attrs["units"])


def test_comparison_file_is_cf_conformant(tmp_path):
    files = []
    for seed, strategy in ((1, "status_quo"), (2, "reactive")):
        ds = short_run(seed, strategy)
        files.append(write_atomic(ds, tmp_path / f"{strategy}-{seed}" / "results.nc"))
    comparison = combine_runs(files)
    assert np.isfinite(comparison["metric_cost_per_year"]).any()
    path = write_atomic(comparison, tmp_path / "comparison.nc")
    with xr.open_dataset(path, engine="h5netcdf", decode_times=False) as raw:
        assert_cf(raw.load())
