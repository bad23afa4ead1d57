"""One run inside a sweep: skip if done, never abort the sweep, record the outcome.

A run of a multirun writes ``results.nc`` atomically into its own folder (named by its
overrides) and a small ``status.json`` beside it: ``done``, ``skipped`` (its result
already existed) or ``failed`` (with the error). A failing run does not stop the
others; the sweep's end-of-multirun callback reads every ``status.json``, logs them
and makes the command exit non-zero if any run failed.
"""

from __future__ import annotations

import json
import logging
import math
import os
import tempfile
import time
import traceback
from pathlib import Path

import xarray as xr
from omegaconf import DictConfig

from experiments.compose import run_one
from experiments.output import write_atomic
from experiments.settings import (
    ConfigError,
    SweepSettings,
    settings_from_config,
    sweep_settings_from_config,
)
from experiments.summary import run_metrics

log = logging.getLogger("servicesim.sweep")

STATUS_FILE = "status.json"
INFEASIBLE = 1e18  # what a run above the constraint returns, plus PENALTY per unit above
PENALTY = 1e15
FORECAST_CACHE = ".forecast_cache"


def write_status(run_dir: Path, record: dict) -> Path:
    """Write a run's ``status.json`` atomically and return its path."""
    run_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=run_dir, prefix=".status.", suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(record, f, indent=1)
    target = run_dir / STATUS_FILE
    os.replace(tmp, target)
    return target


def read_status(run_dir: Path) -> dict | None:
    """Return the run's recorded status, or None if it never recorded one."""
    path = Path(run_dir) / STATUS_FILE
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def objective(
    metrics: dict[str, float], sweep: SweepSettings, constrained: dict[str, float] | None = None
) -> float:
    """Return the value a run gives the sweeper: the objective metric, or a penalty.

    An infeasible run returns :data:`INFEASIBLE` plus :data:`PENALTY` per unit above
    the bound (finite: Optuna refuses infinity), so the sweeper is led back to feasible
    values.

    ``constrained`` are the metrics the constraint is checked on (those of one service
    when ``sweep.constraint_service`` is set); by default ``metrics``.

    Examples
    --------
    >>> s = SweepSettings(objective="cost_per_year", constraint_max=1.0)
    >>> objective({"cost_per_year": 5.0, "unmet_share": 0.5}, s)
    5.0
    >>> objective({"cost_per_year": 5.0, "unmet_share": 2.0}, s)
    1.001e+18
    >>> objective({"cost_per_year": 5.0, "unmet_share": 2.0}, s, {"unmet_share": 0.1})
    5.0
    """
    value = metrics[sweep.objective]
    if sweep.constraint_max is not None:
        bound = (metrics if constrained is None else constrained)[sweep.constraint_metric]
        if math.isnan(bound):
            return INFEASIBLE
        if bound > sweep.constraint_max:
            return INFEASIBLE + PENALTY * (bound - sweep.constraint_max)
    return value


def constrained_metrics(ds: xr.Dataset, sweep: SweepSettings) -> dict[str, float] | None:
    """Metrics of ``sweep.constraint_service`` alone, or None to use all services.

    Raises
    ------
    ConfigError
        If the service is not one of the run's services (listing them).
    """
    if sweep.constraint_service is None:
        return None
    services = [str(s) for s in ds["service"].values]
    if sweep.constraint_service not in services:
        raise ConfigError(
            f"sweep.constraint_service={sweep.constraint_service!r}: allowed values are {services}"
        )
    return run_metrics(ds.sel(service=sweep.constraint_service))


def sweep_job(cfg: DictConfig, run_dir: Path, sweep_dir: Path) -> float:
    """Run (or skip) one job of a multirun and record its status; never raises.

    Parameters
    ----------
    cfg : DictConfig
        The job's composed config.
    run_dir, sweep_dir : Path
        The job's output folder and the sweep's folder (home of the forecast cache).

    Returns
    -------
    float
        :func:`objective` of the run's metrics (:data:`INFEASIBLE` if the run
        failed), which the Optuna sweeper minimises.
    """
    start = time.perf_counter()
    record: dict = {"run_dir": str(run_dir)}
    value = INFEASIBLE  # a failed run: finite, or the Optuna sweeper (1.3) crashes on NaN
    try:
        settings = settings_from_config(cfg)
        sweep = sweep_settings_from_config(cfg)
        target = run_dir / settings.results_file
        if target.exists():
            record["status"] = "skipped"
            with xr.open_dataset(target, engine="h5netcdf") as stored:
                ds = stored.load()
        else:
            cache = sweep_dir / FORECAST_CACHE if sweep.forecast_cache else None
            ds = run_one(settings, forecast_cache=cache)
            write_atomic(ds, target)
            record["status"] = "done"
        value = objective(run_metrics(ds), sweep, constrained_metrics(ds, sweep))
        record["objective"] = value
    except Exception as exc:  # noqa: BLE001 - a failed run must not stop the sweep
        record["status"] = "failed"
        record["error"] = f"{type(exc).__name__}: {exc}"
        record["traceback"] = traceback.format_exc()
        log.error("run %s failed: %s", run_dir.name, record["error"])
    record["seconds"] = round(time.perf_counter() - start, 3)
    write_status(run_dir, record)
    log.info("run %s: %s in %.1f s", run_dir.name, record["status"], record["seconds"])
    return value
