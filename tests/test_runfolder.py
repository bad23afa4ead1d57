"""Run folders: umask, locks, config hash, unreadable files (unit tests, no command line)."""

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import xarray as xr

from experiments.locks import FolderBusyError, FolderLock, RunFolderError, make_folder
from experiments.output import write_atomic, write_bytes_atomic, write_via
from experiments.runfolder import (
    RECORD,
    UnreadableFileError,
    claim,
    config_hash,
    read_netcdf,
)

CONFIG = {"seed": 0, "scenario": {"name": "status_quo"}, "simulation": {"progress": False}}


def results(seed: int = 0) -> xr.Dataset:
    return xr.Dataset({"x": ("t", [1.0, 2.0, float(seed)])}, attrs={"seed": seed})


@pytest.fixture
def umask():
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_written_files_follow_the_umask(tmp_path, umask, mask, mode):
    umask(mask)
    nc = write_atomic(results(), tmp_path / "results.nc")
    text = write_bytes_atomic("x", tmp_path / "status.json")
    csv = write_via(tmp_path / "table.csv", lambda tmp: Path(tmp).write_text("a,b\n"))
    for path in (nc, text, csv):
        assert path.stat().st_mode & 0o777 == mode, path
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_failed_write_leaves_no_file(tmp_path):
    with pytest.raises(ValueError, match="cannot serialize"):
        write_atomic(xr.Dataset({"x": ((), object())}), tmp_path / "results.nc")
    assert list(tmp_path.iterdir()) == []


HOLD = """
import sys, time
from experiments.locks import FolderLock
lock = FolderLock(sys.argv[1], sys.argv[2]).acquire()
print("locked", flush=True)
time.sleep(120)
"""


def holder(folder: Path, kind: str = "run") -> subprocess.Popen:
    """Start a process that takes the lock and sleeps; return once it holds it."""
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(HOLD), str(folder), kind],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_a_held_lock_refuses_others_naming_folder_pid_and_host(tmp_path):
    proc = holder(tmp_path)
    try:
        with pytest.raises(FolderBusyError) as info:
            FolderLock(tmp_path).acquire()
        message = str(info.value)
        assert str(tmp_path) in message and f"pid {proc.pid}" in message
        assert socket.gethostname() in message and "hydra.run.dir" in message
        with FolderLock(tmp_path, "sweep"):  # the sweep lock is another lock
            pass
    finally:
        proc.kill()
        proc.wait()


def test_stale_lock_of_a_killed_process_is_taken_over(tmp_path):
    proc = holder(tmp_path, "sweep")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (tmp_path / ".servicesim-sweep.lock").exists()  # left behind
    with FolderLock(tmp_path, "sweep") as lock:
        assert lock.recovered["pid"] == proc.pid
        assert json.loads(lock.path.read_text())["pid"] == os.getpid()
    assert not lock.path.exists()  # a clean release removes the file


def test_lock_in_the_same_process_is_exclusive_and_released(tmp_path):
    with FolderLock(tmp_path):
        with pytest.raises(FolderBusyError, match=f"pid {os.getpid()}"):
            FolderLock(tmp_path).acquire()
    with FolderLock(tmp_path) as again:
        assert again.held and again.recovered is None


def test_uncreatable_folder_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(RunFolderError, match=r"cannot create the sweep folder .*hydra.sweep.dir"):
        make_folder(tmp_path / "file" / "sub", "sweep")
    with pytest.raises(RunFolderError, match="cannot create the run folder"):
        FolderLock(tmp_path / "file" / "run").acquire()


def test_first_run_commits_results_and_records_its_config(tmp_path):
    hydra = {".hydra/config.yaml": "seed: 0\n"}
    with claim(tmp_path, "results.nc", CONFIG, hydra) as run:
        assert run.existing is None
        run.commit(results())
    record = json.loads((tmp_path / RECORD).read_text())
    assert record["config_sha256"] == config_hash(CONFIG)
    assert record["results"] == ["results.nc"]
    xr.testing.assert_identical(read_netcdf(tmp_path / "results.nc"), results())
    assert (tmp_path / ".hydra/config.yaml").read_text() == "seed: 0\n"


def test_same_config_is_skipped_even_with_other_progress_or_results_name(tmp_path):
    with claim(tmp_path, "results.nc", CONFIG) as run:
        run.commit(results())
    quiet = {**CONFIG, "simulation": {"progress": True}, "results_file": "results.nc"}
    with claim(tmp_path, "results.nc", quiet) as run:
        xr.testing.assert_identical(run.existing, read_netcdf(tmp_path / "results.nc"))


def test_the_oracle_grid_counts_only_with_regret(tmp_path):
    # Folders of runs made before the oracle.* options (no "oracle" in their config)
    # are the same config as long as regret is off: the grid changes no result then.
    old = {"seed": 0, "regret": False}
    grid = {"strategies": ["proactive"], "lead_time_months": [6, 12, 18]}
    assert config_hash({**old, "oracle": grid}) == config_hash(old)
    assert config_hash({**old, "regret": True, "oracle": grid}) != config_hash(
        {**old, "regret": True}
    )
    with claim(tmp_path, "results.nc", old) as run:
        run.commit(results())
    with claim(tmp_path, "results.nc", {**old, "oracle": grid}) as run:
        xr.testing.assert_identical(run.existing, read_netcdf(tmp_path / "results.nc"))


def test_other_config_is_refused_naming_the_difference_and_nothing_changes(tmp_path):
    with claim(tmp_path, "results.nc", CONFIG, {".hydra/config.yaml": "seed: 0\n"}) as run:
        run.commit(results())
    before = (tmp_path / "results.nc").read_bytes()
    (tmp_path / ".hydra/config.yaml").write_text("seed: 1\n")  # as Hydra does on a rerun
    other = {**CONFIG, "seed": 1}
    with pytest.raises(RunFolderError) as info:
        with claim(tmp_path, "results.nc", other, {".hydra/config.yaml": "seed: 1\n"}):
            pytest.fail("a run of another config must not start")
    message = str(info.value)
    assert str(tmp_path) in message and "seed: 0 -> 1" in message and "results.nc" in message
    assert (tmp_path / "results.nc").read_bytes() == before
    assert (tmp_path / ".hydra/config.yaml").read_text() == "seed: 0\n"  # restored
    assert not (tmp_path / ".servicesim-run.lock").exists()


def test_other_config_is_refused_for_results_of_another_file_name(tmp_path):
    with claim(tmp_path, "a.nc", CONFIG) as run:
        run.commit(results())
    with pytest.raises(RunFolderError, match=r"\(a.nc\)"):
        with claim(tmp_path, "b.nc", {**CONFIG, "seed": 2}):
            pass
    assert not (tmp_path / "b.nc").exists()


def test_other_config_may_run_once_the_results_are_deleted(tmp_path):
    with claim(tmp_path, "results.nc", CONFIG) as run:
        run.commit(results())
    (tmp_path / "results.nc").unlink()
    with claim(tmp_path, "results.nc", {**CONFIG, "seed": 1}) as run:
        assert run.existing is None
        run.commit(results(1))
    assert read_netcdf(tmp_path / "results.nc").attrs["seed"] == 1


def test_results_without_record_are_checked_by_their_stored_config(tmp_path):
    ds = results()
    ds.attrs["config"] = "seed: 0\nscenario:\n  name: status_quo\n"
    write_atomic(ds, tmp_path / "results.nc")  # as an earlier release left it
    with claim(tmp_path, "results.nc", {"seed": 0, "scenario": {"name": "status_quo"}}) as run:
        assert run.existing is not None
    with pytest.raises(RunFolderError, match="seed: 0 -> 3"):
        with claim(tmp_path, "results.nc", {"seed": 3, "scenario": {"name": "status_quo"}}):
            pass


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_unreadable_results_are_moved_aside_and_recomputed(tmp_path, damage, caplog):
    with claim(tmp_path, "results.nc", CONFIG) as run:
        run.commit(results())
    target = tmp_path / "results.nc"
    raw = target.read_bytes()
    target.write_bytes(
        {"truncate": raw[: len(raw) // 2], "garbage": b"x" * 999, "empty": b""}[damage]
    )
    with pytest.raises(UnreadableFileError, match=str(target)):
        read_netcdf(target)
    with caplog.at_level("WARNING", logger="servicesim.folders"):
        with claim(tmp_path, "results.nc", CONFIG) as run:
            assert run.existing is None
            run.commit(results())
    aside = list(tmp_path.glob("results.nc.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() != raw
    assert "cannot be read" in caplog.text and aside[0].name in caplog.text
    xr.testing.assert_identical(read_netcdf(target).drop_attrs(), results().drop_attrs())


def test_a_run_in_progress_keeps_others_out(tmp_path):
    with claim(tmp_path, "results.nc", CONFIG):
        with pytest.raises(FolderBusyError, match=str(tmp_path)):
            with claim(tmp_path, "results.nc", CONFIG):
                pass
    deadline = time.monotonic() + 5
    while (tmp_path / ".servicesim-run.lock").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not (tmp_path / ".servicesim-run.lock").exists()


def test_report_refuses_while_a_sweep_holds_the_folder(tmp_path, capsys):
    from experiments import report_cli
    from tests.test_report import fake_run

    write_atomic(fake_run("a", "s", 0), tmp_path / "seed=0" / "results.nc")
    proc = holder(tmp_path, "sweep")
    try:
        assert report_cli.main([str(tmp_path)]) == 2
    finally:
        proc.kill()
        proc.wait()
    err = capsys.readouterr().err
    assert f"the sweep folder {tmp_path} is in use by another servicesim (pid {proc.pid}" in err
    assert not (tmp_path / "comparison.nc").exists()


def test_report_names_an_unreadable_results_file_and_exits_2(tmp_path, capsys):
    from experiments import report_cli
    from tests.test_report import fake_run

    good = write_atomic(fake_run("a", "s", 0), tmp_path / "seed=0" / "results.nc")
    bad = write_atomic(fake_run("a", "s", 1), tmp_path / "seed=1" / "results.nc")
    bad.write_bytes(bad.read_bytes()[:2000])
    assert report_cli.main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"servicesim-report: error: {bad} cannot be read" in err
    assert "rerun the sweep's command" in err and "Traceback" not in err
    assert not (tmp_path / "comparison.nc").exists() and not (tmp_path / "report.html").exists()
    good.unlink()
    bad.unlink()
    assert report_cli.main([str(tmp_path)]) == 2
    assert f"no results.nc under {tmp_path}" in capsys.readouterr().err
    assert not (tmp_path / "comparison.nc").exists()


def test_a_refused_run_puts_back_the_hydra_files_of_a_committed_holder(tmp_path):
    """Hydra writes .hydra before the lock is tried: a run refused because the folder is
    busy must not leave its own config beside the holder's committed results."""
    with claim(tmp_path, "results.nc", CONFIG, {".hydra/config.yaml": "seed: 0\n"}) as run:
        run.commit(results())
        (tmp_path / ".hydra/config.yaml").write_text("seed: 1\n")  # the late run's Hydra
        other = {**CONFIG, "seed": 1}
        with pytest.raises(FolderBusyError):
            with claim(tmp_path, "results.nc", other, {".hydra/config.yaml": "seed: 1\n"}):
                pass
    assert (tmp_path / ".hydra/config.yaml").read_text() == "seed: 0\n"


def test_busy_message_names_a_holder_that_writes_its_record_just_after_locking(tmp_path):
    """A holder takes the lock, then writes its pid: one turned away in between waits
    for the record instead of saying 'holder unknown' (a race seen in CI)."""
    import fcntl
    import json
    import os
    import threading

    from experiments.locks import LOCK_FILES, FolderBusyError, FolderLock

    path = tmp_path / LOCK_FILES["run"]
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held, record not yet written
    record = {"pid": 4242, "host": "elsewhere", "since": "2026-11-30T17:00:00+0000"}
    writer = threading.Timer(0.2, lambda: os.write(fd, json.dumps(record).encode()))
    writer.start()
    try:
        with pytest.raises(FolderBusyError, match="pid 4242 on elsewhere"):
            FolderLock(tmp_path).acquire()
    finally:
        writer.join()
        os.close(fd)
