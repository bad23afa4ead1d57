"""Sweeps that survive: skip finished runs, record failures, check overrides first."""

import json
import os
import signal
import subprocess
import time

import pytest
import xarray as xr
from hydra import compose, initialize_config_module

from experiments.compose import run_one
from experiments.settings import settings_from_config
from tests.sweeps import SHORT, command, load, servicesim

pytestmark = pytest.mark.slow


def statuses(sweep_dir):
    return {
        p.parent.name: json.loads(p.read_text())["status"] for p in sweep_dir.glob("*/status.json")
    }


def test_sweep_runs_every_combination_then_skips_them(tmp_path):
    sweep = tmp_path / "sweep"
    args = ("-m", *SHORT, "seed=0,1", "sweep.report=false", f"hydra.sweep.dir={sweep}")
    proc = servicesim(*args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert sorted(statuses(sweep).values()) == ["done", "done"]
    assert "2 runs: 2 done, 0 skipped, 0 failed, 0 missing" in proc.stdout + proc.stderr
    first = {p: load(p) for p in sweep.glob("*/results.nc")}
    assert len(first) == 2
    proc = servicesim(*args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "2 runs: 0 done, 2 skipped" in proc.stdout + proc.stderr
    for path, ds in first.items():
        xr.testing.assert_identical(ds, load(path))


def test_killed_sweep_resumes_only_what_is_missing(tmp_path):
    sweep = tmp_path / "sweep"
    args = ["-m", *SHORT, "seed=range(0,8)", "sweep.report=false", f"hydra.sweep.dir={sweep}"]
    proc = subprocess.Popen(
        [*command(), *args],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while not list(sweep.glob("*/status.json")) and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = statuses(sweep)
    assert 1 <= len(before) < 8, before
    for path in sweep.glob("*/results.nc"):  # every visible result is complete
        load(path)
    done_before = {p: load(p) for p in sweep.glob("*/results.nc")}
    rerun = servicesim(*args, cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    after = statuses(sweep)
    assert len(after) == 8
    assert [after[n] for n in before] == ["skipped"] * len(before)
    assert sum(s == "done" for s in after.values()) == 8 - len(before)
    assert f"8 runs: {8 - len(before)} done, {len(before)} skipped" in rerun.stdout + rerun.stderr
    for path, ds in done_before.items():
        xr.testing.assert_identical(ds, load(path))
    assert not list(sweep.glob("*/.results.nc*"))  # no temporary file left behind


def test_failed_run_is_recorded_others_finish_and_exit_is_nonzero(tmp_path):
    sweep = tmp_path / "sweep"
    proc = servicesim(
        "-m",
        *SHORT,
        "forecast.rates_dir=null,no_such_rates",  # relative to cwd: tmp_path
        "sweep.report=false",
        f"hydra.sweep.dir={sweep}",
        cwd=tmp_path,
    )
    assert proc.returncode == 1
    assert sorted(statuses(sweep).values()) == ["done", "failed"]
    assert "1 done, 0 skipped, 1 failed" in proc.stdout + proc.stderr
    assert "rerun the same command" in proc.stdout + proc.stderr
    failed = next(sweep.glob("*rates_dir=no_such_rates*/status.json"))
    assert "death_probabilities.csv: file not found" in json.loads(failed.read_text())["error"]


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("seed=0,abc", "seed='abc': must be an integer"),
        ("horizon_years=2,-1", "horizon_years=-1: must be between 1 and 60"),
        ("strategy.name=status_quo,clairvoyant", "strategy='clairvoyant': allowed values are"),
        ("scenario=status_quo,atlantis", "scenario='atlantis': allowed values are ['close_"),
        ("sweep.objective=beauty", "sweep.objective='beauty': allowed values are"),
        (
            "sweep.constraint_service=library,dentistry",
            "sweep.constraint_service='dentistry': allowed values are ['early_childhood",
        ),
    ],
)
def test_bad_sweep_overrides_fail_before_any_run(tmp_path, override, message):
    sweep = tmp_path / "sweep"
    proc = servicesim("-m", override, f"hydra.sweep.dir={sweep}", cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stdout + proc.stderr
    assert "no run was started" in proc.stdout + proc.stderr
    assert not list(sweep.glob("*/results.nc")) and not list(sweep.glob("*/status.json"))


def test_forecast_cache_gives_identical_results(tmp_path):
    with initialize_config_module(version_base="1.3", config_module="experiments.conf"):
        cfg = compose("config", overrides=[*SHORT, "seed=3"])
    settings = settings_from_config(cfg)
    plain = run_one(settings)
    cache = tmp_path / "cache"
    written = run_one(settings, forecast_cache=cache)
    (cached_file,) = cache.glob("forecast-*.nc")
    stamp = cached_file.stat().st_mtime_ns
    read = run_one(settings, forecast_cache=cache)
    assert cached_file.stat().st_mtime_ns == stamp  # read, not rebuilt
    xr.testing.assert_identical(plain, written)
    xr.testing.assert_identical(plain, read)
