"""Results are written with h5netcdf and read with netCDF4 (faster): nothing changes.

``servicesim-report`` reads every run of a sweep; :data:`experiments.runfolder.READ_ENGINE`
reads them in a seventh of the time h5netcdf takes. The comparison built from them
must be the one h5netcdf reading gives, to the bit.
"""

import pytest
import xarray as xr

import servicesim
from experiments import runfolder
from experiments.aggregate import combine_runs
from experiments.output import write_atomic

PLANS = (("status_quo", "status_quo", 0), ("close_village_school", "reactive", 1))


@pytest.fixture(scope="module")
def run_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("runs")
    files = []
    for scenario, strategy, seed in PLANS:
        spec = servicesim.RunSpec(
            world="sysma",
            horizon_years=2,
            scenario=scenario,
            strategy=strategy,
            seed=seed,
            forecast={"n_samples": 5},
        )
        files.append(write_atomic(servicesim.run(spec), folder / scenario / "results.nc"))
    return files


def test_results_read_back_identical_to_h5netcdf(run_files):
    assert runfolder.READ_ENGINE == "netcdf4"
    for path in run_files:
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            expected = ds.load()
        got = runfolder.read_netcdf(path)
        assert got.sizes["change"] > 0 or "close" not in str(path)
        xr.testing.assert_identical(got, expected)


def test_the_comparison_is_the_same_whichever_engine_reads(run_files, monkeypatch):
    fast = combine_runs(run_files)
    monkeypatch.setattr(runfolder, "READ_ENGINE", "h5netcdf")
    xr.testing.assert_identical(fast, combine_runs(run_files))


def test_a_missing_file_is_still_a_file_not_found_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        runfolder.read_netcdf(tmp_path / "results.nc")
