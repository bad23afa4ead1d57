"""Run and sweep folders from the command line: reruns, concurrent writers, damaged files.

Issue 16: a rerun never leaves results of one config beside the record of another,
two writers never share a folder, an unreadable file is moved aside and computed
again, and an unusable output folder is a clear error (exit 2, no traceback).
"""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.sweeps import command, load, servicesim

pytestmark = pytest.mark.slow

ONE_YEAR = ("horizon_years=1", "simulation.progress=false", "forecast.n_samples=20")


def start(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*command(), *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def seed_of_hydra_config(run_dir: Path) -> int:
    return yaml.safe_load((run_dir / ".hydra" / "config.yaml").read_text())["seed"]


def no_traceback(proc) -> bool:
    return "Traceback" not in proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    proc = servicesim(*ONE_YEAR, "seed=0", f"hydra.run.dir={out}", cwd=out)
    assert proc.returncode == 0, proc.stderr
    return out


def test_results_are_readable_by_the_group_under_the_default_umask(run_dir):
    # the command runs under the test's umask; a file follows it (0644 under 022)
    mask = os.umask(0)
    os.umask(mask)
    for name in ("results.nc", ".servicesim/run.json"):
        assert (run_dir / name).stat().st_mode & 0o777 == 0o666 & ~mask, name


def test_rerun_with_the_same_config_is_skipped(run_dir):
    before = (run_dir / "results.nc").read_bytes()
    proc = servicesim(*ONE_YEAR, "seed=0", f"hydra.run.dir={run_dir}", cwd=run_dir)
    assert proc.returncode == 0 and "skipped" in proc.stdout, proc.stderr
    assert (run_dir / "results.nc").read_bytes() == before


def test_rerun_with_another_config_is_refused_and_changes_nothing(run_dir):
    before = (run_dir / "results.nc").read_bytes()
    proc = servicesim(*ONE_YEAR, "seed=1", f"hydra.run.dir={run_dir}", cwd=run_dir)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"servicesim: error: {run_dir} already holds results of another config" in proc.stderr
    assert "seed: 0 -> 1" in proc.stderr and no_traceback(proc)
    assert (run_dir / "results.nc").read_bytes() == before
    assert seed_of_hydra_config(run_dir) == 0  # Hydra's record describes the results again
    assert sorted(p.name for p in run_dir.glob("*.nc*")) == ["results.nc"]


def test_truncated_results_are_moved_aside_and_computed_again(run_dir, tmp_path):
    copy = tmp_path / "run"
    subprocess.run(["cp", "-a", str(run_dir), str(copy)], check=True)
    good = load(copy / "results.nc")
    raw = (copy / "results.nc").read_bytes()
    (copy / "results.nc").write_bytes(raw[: len(raw) // 3])
    proc = servicesim(*ONE_YEAR, "seed=0", f"hydra.run.dir={copy}", cwd=copy)
    assert proc.returncode == 0, proc.stderr
    aside = list(copy.glob("results.nc.corrupt-*"))
    assert len(aside) == 1 and "results.nc cannot be read" in proc.stdout + proc.stderr
    assert aside[0].name in proc.stdout + proc.stderr
    assert load(copy / "results.nc").equals(good)


@pytest.mark.parametrize("mode", ["run", "sweep"])
def test_output_folder_that_cannot_be_created_is_a_clear_error(tmp_path, mode):
    (tmp_path / "file").write_text("")
    target = tmp_path / "file" / "out"
    args = ("-m", "seed=0,1") if mode == "sweep" else ()
    proc = servicesim(*args, *ONE_YEAR, f"hydra.{mode}.dir={target}", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"cannot create the {mode} folder {target} (hydra.{mode}.dir)" in proc.stderr
    assert no_traceback(proc) and not list(tmp_path.rglob("*.nc"))


def test_two_runs_into_one_folder_at_once_do_not_both_succeed(tmp_path):
    out = tmp_path / "run"
    procs = [start(*ONE_YEAR, f"seed={n}", f"hydra.run.dir={out}", cwd=tmp_path) for n in (0, 1)]
    results = [(*p.communicate(timeout=600), p.returncode) for p in procs]
    codes = [r[2] for r in results]
    assert sorted(codes) == [0, 2], results
    winner = codes.index(0)
    loser_err = results[1 - winner][1]
    assert str(out) in loser_err and (
        "in use by another servicesim (pid" in loser_err
        or "already holds results of another config" in loser_err
    ), loser_err
    assert load(out / "results.nc").attrs["seed"] == winner
    assert seed_of_hydra_config(out) == winner
    assert not (out / ".servicesim-run.lock").exists()


def seed_of_folder(run_dir: Path) -> int:
    """The seed in a run folder's name (``...,seed=3,...`` or ``s3``)."""
    found = re.search(r"(?:^|,)seed=(\d+)(?:,|$)|^s(\d+)$", run_dir.name)
    return int(found.group(1) or found.group(2))


def statuses(sweep: Path) -> dict[int, dict]:
    return {
        seed_of_folder(p.parent): json.loads(p.read_text()) for p in sweep.glob("*/status.json")
    }


def assert_runs_match_their_folders(sweep: Path) -> None:
    for path in sweep.glob("*/results.nc"):
        ds = load(path)
        assert seed_of_folder(path.parent) == ds.attrs["seed"], path
        assert ds.attrs["scenario"] == "status_quo"
        assert seed_of_hydra_config(path.parent) == ds.attrs["seed"], path


def test_two_sweeps_into_one_folder_at_once_lose_and_mix_nothing(tmp_path):
    sweep = tmp_path / "sweep"
    common = ("-m", *ONE_YEAR, "sweep.report=false", f"hydra.sweep.dir={sweep}")
    procs = [start(*common, seeds, cwd=tmp_path) for seeds in ("seed=0,1", "seed=1,2")]
    results = [(*p.communicate(timeout=600), p.returncode) for p in procs]
    codes = [r[2] for r in results]
    assert sorted(codes) == [0, 2], results
    loser = results[codes.index(2)][1]
    assert f"the sweep folder {sweep} is in use by another servicesim (pid" in loser
    assert "no run was started" in loser
    assert set(statuses(sweep)) == ({0, 1} if codes[0] == 0 else {1, 2})
    assert {s["status"] for s in statuses(sweep).values()} == {"done"}
    assert_runs_match_their_folders(sweep)
    assert not (sweep / ".servicesim-sweep.lock").exists()
    # the refused sweep, run again now, adds its missing run and skips the shared one
    again = servicesim(*common, "seed=0,1,2", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert set(statuses(sweep)) == {0, 1, 2}
    assert "3 runs: 1 done, 2 skipped" in again.stdout + again.stderr
    assert_runs_match_their_folders(sweep)


def test_sweep_recovers_from_truncated_results_and_forecast_cache(tmp_path):
    sweep = tmp_path / "sweep"
    args = ("-m", *ONE_YEAR, "seed=0,1", "sweep.report=false")
    args = (*args, f"hydra.sweep.dir={sweep}")
    assert servicesim(*args, cwd=tmp_path).returncode == 0
    (run1,) = [p.parent for p in sweep.glob("*/results.nc") if seed_of_folder(p.parent) == 1]
    good = load(run1 / "results.nc")
    for path in [run1 / "results.nc", *sweep.glob(".forecast_cache/*.nc")]:
        raw = path.read_bytes()
        path.write_bytes(raw[: len(raw) // 2])
    proc = servicesim(*args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert {k: v["status"] for k, v in statuses(sweep).items()} == {0: "skipped", 1: "done"}
    assert len(list(run1.glob("results.nc.corrupt-*"))) == 1
    assert list(sweep.glob(".forecast_cache/*.corrupt-*"))
    assert load(run1 / "results.nc").equals(good)


def test_sweep_rerun_with_another_config_refuses_those_runs(tmp_path):
    sweep = tmp_path / "sweep"
    common = ("-m", "simulation.progress=false", "forecast.n_samples=20", "sweep.report=false")
    common = (*common, f"hydra.sweep.dir={sweep}", "hydra.sweep.subdir=s${seed}", "seed=0,1")
    assert servicesim(*common, "horizon_years=1", cwd=tmp_path).returncode == 0
    before = {p: p.read_bytes() for p in sweep.glob("*/results.nc")}
    proc = servicesim(*common, "horizon_years=2", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "already holds results of another config" in proc.stderr
    assert "horizon_years: 1 -> 2" in proc.stderr and no_traceback(proc)
    assert {p: p.read_bytes() for p in sweep.glob("*/results.nc")} == before
    assert {s["status"] for s in statuses(sweep).values()} == {"refused"}
