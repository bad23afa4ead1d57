"""``servicesim-report`` shows its progress on stderr while it combines the runs."""

import logging
import re

import pytest

from experiments import report_cli
from experiments.output import write_atomic
from tests.sweeps import servicesim
from tests.test_report import fake_run

LINE = re.compile(r"^\[[0-9-]+ [0-9:,]+\]\[servicesim\.sweep\]\[INFO\] - (.*)$")


def write_runs(folder, n):
    paths = [folder / f"seed={i}" / "results.nc" for i in range(n)]
    return [write_atomic(fake_run("a", "s", i), path) for i, path in enumerate(paths)]


@pytest.mark.slow
def test_the_report_command_logs_each_step_on_stderr(tmp_path):
    write_runs(tmp_path, 3)
    proc = servicesim(str(tmp_path), cwd=tmp_path, name="servicesim-report")
    assert proc.returncode == 0, proc.stderr
    messages = [m.group(1) for m in map(LINE.match, proc.stderr.splitlines()) if m]
    assert messages[:5] == [
        "comparison: reading 3 runs",
        "comparison: 1 of 3 runs read",
        "comparison: 2 of 3 runs read",
        "comparison: 3 of 3 runs read",
        "comparison: combining 3 runs",
    ]
    assert messages[-1].endswith("report.html")
    assert "3 runs combined into" in proc.stdout and "INFO" not in proc.stdout


def test_progress_reaches_stderr_and_the_logger_is_left_as_found(tmp_path, capsys):
    bad = write_runs(tmp_path, 1)[0]
    bad.write_bytes(bad.read_bytes()[:2000])
    logger = logging.getLogger("servicesim")
    before = (list(logger.handlers), logger.level)
    assert report_cli.main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "[servicesim.sweep][INFO] - comparison: reading 1 runs" in err
    assert "cannot be read" in err
    assert (list(logger.handlers), logger.level) == before
