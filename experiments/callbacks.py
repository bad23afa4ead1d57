"""Hydra callbacks of a sweep: check before the first run, summarise after the last.

Configured in ``conf/hydra/default.yaml`` under ``hydra.callbacks.sweep``. Both hooks
run in the driver process, whichever launcher runs the jobs.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from experiments.settings import ConfigError, report_language
from experiments.sweep import read_status
from experiments.sweep_checks import PlannedRun, plan_sweep

log = logging.getLogger("servicesim.sweep")


def collect_statuses(sweep_dir: Path, planned: list[PlannedRun] | None) -> dict[str, dict]:
    """Status record of every run, by run folder relative to the sweep folder.

    Planned runs that recorded nothing are reported as ``missing``; without a plan
    (a non-discrete sweep) every ``status.json`` under ``sweep_dir`` counts.
    """
    if planned is None:
        dirs = sorted(p.parent for p in sweep_dir.rglob("status.json"))
    else:
        dirs = [run.run_dir for run in planned]
    out = {}
    for run_dir in dirs:
        record = read_status(run_dir) or {"status": "missing"}
        out[str(run_dir.resolve().relative_to(sweep_dir.resolve()))] = record
    return out


OUTCOMES = ("done", "skipped", "failed", "missing", "refused")


def refuse(statuses: dict[str, dict], sweep_dir: Path) -> None:
    """Print why runs were refused (folder in use, results of another config); exit 2."""
    refused = [record for record in statuses.values() if record["status"] == "refused"]
    for record in refused:
        print(f"servicesim: error: {record.get('error', '')}", file=sys.stderr)
    print(f"servicesim: {len(refused)} runs refused in {sweep_dir}", file=sys.stderr)
    sys.exit(2)


class SweepCallback(Callback):
    """Validate a multirun up front; at its end log outcomes, aggregate and report."""

    def __init__(self) -> None:
        self.planned: list[PlannedRun] | None = None

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Compose and check every run; exit with status 2 listing all bad options."""
        try:
            self.planned, problems = plan_sweep(config)
        except Exception as exc:  # noqa: BLE001 - Hydra would only warn and go on
            problems = [f"checking the sweep failed: {type(exc).__name__}: {exc}"]
        try:
            report_language(config)
        except ConfigError as exc:
            problems = [*problems, str(exc)]
        if problems:
            for problem in problems:
                print(f"servicesim: error: {problem}", file=sys.stderr)
            print("servicesim: no run was started", file=sys.stderr)
            sys.exit(2)
        if self.planned is not None:
            log.info("sweep of %d runs checked", len(self.planned))

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        """Log done/skipped/failed runs, write comparison and report; exit 1 on failure."""
        try:
            self._summarise(config)
        except Exception as exc:  # noqa: BLE001 - Hydra would only warn and exit 0
            print(f"servicesim: error: ending the sweep failed: {exc!r}", file=sys.stderr)
            sys.exit(1)

    def _summarise(self, config: DictConfig) -> None:
        sweep_dir = Path(str(config.hydra.sweep.dir)).resolve()
        statuses = collect_statuses(sweep_dir, self.planned)
        counts = Counter(record["status"] for record in statuses.values())
        for name, record in statuses.items():
            if record["status"] in ("failed", "missing"):
                log.error("%s: %s %s", name, record["status"], record.get("error", ""))
        log.info(
            "sweep %s: %d runs: %s",
            sweep_dir,
            len(statuses),
            ", ".join(f"{counts[s]} {s}" for s in OUTCOMES if s != "refused" or counts[s]),
        )
        report_failed = False
        if config.get("sweep", {}).get("report", True):
            from experiments.aggregate import write_comparison_and_report

            try:
                write_comparison_and_report(sweep_dir, report_language(config))
            except Exception as exc:  # noqa: BLE001 - report the failure, then exit 1
                log.error("comparison/report failed: %s: %s", type(exc).__name__, exc)
                report_failed = True
        if report_failed and not (counts["failed"] or counts["missing"]):
            print(
                f"servicesim: every run finished but comparison.nc or the report could not "
                f"be written in {sweep_dir}; see the log, then `servicesim-report {sweep_dir}`",
                file=sys.stderr,
            )
            sys.exit(1)
        if counts["refused"]:
            refuse(statuses, sweep_dir)
        if counts["failed"] or counts["missing"]:
            print(
                f"servicesim: {counts['failed']} failed and {counts['missing']} missing "
                f"runs in {sweep_dir}; rerun the same command to finish them",
                file=sys.stderr,
            )
            sys.exit(1)
