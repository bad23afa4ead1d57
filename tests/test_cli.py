"""The ``servicesim`` command end to end (slow: each test starts the command)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import xarray as xr

pytestmark = pytest.mark.slow


def servicesim(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).parent / "servicesim"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "experiments.run"]
    return subprocess.run(
        [*cmd, *args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    proc = servicesim("horizon_years=3", f"hydra.run.dir={out}", cwd=out)
    assert proc.returncode == 0, proc.stderr
    return out, proc


def test_default_run_writes_results_with_required_content(default_run):
    out, proc = default_run
    with xr.open_dataset(out / "results.nc") as ds:
        ds.load()
    for name in ("demand", "served", "unmet"):
        assert ds[name].dims == ("time", "facility", "service")
    assert ds.sizes["time"] == 36 and ds.sizes["zone"] == 8
    assert set(ds["population"].dims) == {"time", "zone", "age_group", "kind"}
    for name, var in ds.data_vars.items():
        assert "long_name" in var.attrs, name
        assert "units" in var.attrs or var.dtype.kind in "OU", name
    assert ds.attrs["seed"] == 0 and "horizon_years: 3" in ds.attrs["config"]
    assert ds.attrs["world"] == "sysma"
    assert (ds["demand"] == ds["served"] + ds["unmet"]).all()
    assert int(ds["residents_start"].isel(year=0).sum()) == 3496
    assert "primary_health_care" in proc.stdout and "results written to" in proc.stdout


def test_same_config_and_seed_give_identical_results(default_run, tmp_path):
    out, _ = default_run
    proc = servicesim("horizon_years=3", f"hydra.run.dir={tmp_path}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    with xr.open_dataset(out / "results.nc") as a, xr.open_dataset(tmp_path / "results.nc") as b:
        xr.testing.assert_identical(a.load(), b.load())


def test_existing_result_is_skipped(default_run):
    out, _ = default_run
    proc = servicesim("horizon_years=3", f"hydra.run.dir={out}", cwd=out)
    assert proc.returncode == 0 and "skipped" in proc.stdout


def test_bad_world_folder_fails_clearly_and_writes_nothing(tmp_path):
    import scenarios

    world = tmp_path / "world"
    shutil.copytree(Path(scenarios.__file__).parent / "worlds" / "sysma", world)
    df = pd.read_csv(world / "residents.csv", dtype=str)
    df.loc[0, "count"] = "-5"
    df.loc[1, "zone_id"] = "99999"
    df.to_csv(world / "residents.csv", index=False)
    out = tmp_path / "out"
    proc = servicesim(
        f"world.path={world}", "horizon_years=2", f"hydra.run.dir={out}", cwd=tmp_path
    )
    assert proc.returncode != 0
    assert "residents.csv, line 2, field 'count'" in proc.stderr
    assert "residents.csv, line 3, field 'zone_id': '99999'" in proc.stderr
    assert not list(out.glob("*.nc*"))


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("seed=abc", "seed"),
        ("horizon_years=-1", "horizon_years=-1: must be between 1 and 60"),
        ("strategy.name=clairvoyant", "strategy='clairvoyant': allowed values are"),
        ("world.name=atlantis", "world.name='atlantis': not an embedded world"),
    ],
)
def test_bad_options_fail_before_running(tmp_path, override, message):
    proc = servicesim(override, f"hydra.run.dir={tmp_path}", cwd=tmp_path)
    assert proc.returncode != 0
    assert message in proc.stderr
    assert not (tmp_path / "results.nc").exists()
