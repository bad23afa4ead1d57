"""One run inside a sweep: skip if done, never abort the sweep, record the outcome.

A run of a multirun writes ``results.nc`` atomically into its own folder (named by its
overrides) and a small ``status.json`` beside it: ``done``, ``skipped`` (its result
already existed), ``failed`` (with the error) or ``refused`` (its folder is in use or
holds results of another config; see :mod:`experiments.runfolder`). A failing run does not stop the
others; the sweep's end-of-multirun callback reads every ``status.json``, logs them
and makes the command exit non-zero if any run failed.
"""

from __future__ import annotations

import json
import logging
import math
import multiprocessing
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import xarray as xr
from omegaconf import DictConfig

from experiments.aggregate import ReducedRun, combine_reduced, reduced_run
from experiments.forecast_cache import FileForecasts
from experiments.output import write_bytes_atomic
from experiments.runfolder import RunFolderError, hydra_files, run_in_folder
from experiments.settings import (
    ConfigError,
    SweepSettings,
    results_file,
    spec_from_config,
    sweep_settings_from_config,
)
from experiments.summary import run_metrics
from scenarios.compose import prepare_run, run
from scenarios.spec import RunSpec

log = logging.getLogger("servicesim.sweep")

STATUS_FILE = "status.json"
INFEASIBLE = 1e18  # what a run above the constraint returns, plus PENALTY per unit above
PENALTY = 1e15
FORECAST_CACHE = ".forecast_cache"


def write_status(run_dir: Path, record: dict) -> Path:
    """Write a run's ``status.json`` atomically and return its path."""
    return write_bytes_atomic(json.dumps(record, indent=1), Path(run_dir) / STATUS_FILE)


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


@dataclass(frozen=True)
class JobResult:
    """What one job of a sweep hands back: its status record and its reduced run."""

    record: dict
    value: float
    run: ReducedRun | None = None


#: Forecast sources of this process, by cache folder (None: in memory only). A worker
#: of a sweep keeps them for its lifetime, so it makes or reads each forecast once.
_FORECASTS: dict[Path | None, FileForecasts] = {}


def worker_forecasts(cache_dir: Path | None) -> FileForecasts:
    """Return the forecast source of this process for ``cache_dir`` (kept in memory too)."""
    if cache_dir not in _FORECASTS:
        _FORECASTS[cache_dir] = FileForecasts(cache_dir, memory=True)
    return _FORECASTS[cache_dir]


def run_job(
    spec: RunSpec,
    sweep: SweepSettings,
    forecasts: FileForecasts | None,
    target: Path | None = None,
    variant: str = "",
    files: dict[str, str] | None = None,
) -> JobResult:
    """Run (or skip) one run of a sweep and record its outcome; never raises.

    The one job function of both sweep paths: ``servicesim -m`` (through
    :func:`sweep_job`) and :func:`servicesim.sweep` (through :func:`sweep_specs`).

    Parameters
    ----------
    spec : RunSpec
        The run.
    sweep : SweepSettings
        Objective and constraint the run reports back.
    forecasts : FileForecasts or None
        Where forecasts are shared between the runs (None: made for the run).
    target : Path or None
        The run's results file: an existing one is read instead of run again (status
        ``skipped``), a new one is written atomically together with ``status.json``
        beside it. None: nothing is read or written.
    variant : str
        Label part that tells runs apart that share scenario, strategy and seed.
    files : dict, optional
        The ``.hydra`` files of the job (:func:`experiments.runfolder.hydra_files`).

    Returns
    -------
    JobResult
        The status record (``done``, ``skipped``, ``failed`` or ``refused`` (the
        folder is locked or holds results of another config) with the error), the
        value for the sweeper (:data:`INFEASIBLE` if failed) and the reduced run
        (without ``target`` only: a sweep of files compares the files at its end).
    """
    start = time.perf_counter()
    record: dict = {} if target is None else {"run_dir": str(target.parent)}
    value, reduced = INFEASIBLE, None  # a failed run: finite, or Optuna (1.3) crashes on NaN
    try:
        if target is None:
            ds, record["status"] = run(spec, forecasts), "done"
        else:  # locked folder; another config refused; unreadable results moved aside
            compute = lambda: run(spec, forecasts)  # noqa: E731
            ds, record["status"] = run_in_folder(target, spec.to_mapping(), compute, files)
        metrics = run_metrics(ds)
        value = objective(metrics, sweep, constrained_metrics(ds, sweep))
        record["objective"] = value
        if target is None:  # a sweep from files compares the files at its end
            reduced = reduced_run(ds, variant, metrics=metrics)
    except RunFolderError as exc:
        record.update(status="refused", error=str(exc))
    except Exception as exc:  # noqa: BLE001 - a failed run must not stop the sweep
        record["status"] = "failed"
        record["error"] = f"{type(exc).__name__}: {exc}"
        record["traceback"] = traceback.format_exc()
    record["seconds"] = round(time.perf_counter() - start, 3)
    if target is not None:
        write_status(target.parent, record)
    return JobResult(record, value, reduced)


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
    try:
        spec = spec_from_config(cfg)
        sweep = sweep_settings_from_config(cfg)
        target = run_dir / results_file(cfg)
    except Exception as exc:  # noqa: BLE001 - a bad config fails this run only
        record = {"run_dir": str(run_dir), "status": "failed"}
        record["error"] = f"{type(exc).__name__}: {exc}"
        write_status(run_dir, record)
        log.error("run %s failed: %s", run_dir.name, record["error"])
        return INFEASIBLE
    cache = sweep_dir / FORECAST_CACHE if sweep.forecast_cache else None
    result = run_job(spec, sweep, worker_forecasts(cache), target, files=hydra_files(cfg))
    if result.record["status"] in ("failed", "refused"):
        log.error("run %s failed: %s", run_dir.name, result.record["error"])
    record = result.record
    log.info("run %s: %s in %.1f s", run_dir.name, record["status"], record["seconds"])
    return result.value


def _memory_job(spec: RunSpec, sweep: SweepSettings) -> JobResult:
    """One run of :func:`sweep_specs` in a worker: forecasts kept in the worker's memory."""
    variant = json.dumps(spec.strategy.params, sort_keys=True) if spec.strategy.params else ""
    return run_job(spec, sweep, worker_forecasts(None), None, variant)


def _fork_context() -> multiprocessing.context.BaseContext:
    """Fork where the platform has it (workers inherit this process), else the default."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _make_forecasts(specs: list[RunSpec]) -> None:
    """Make each distinct forecast of ``specs`` once, in this process's memory source."""
    seen: set[tuple] = set()
    for spec in specs:
        key = (spec.world, spec.forecast, spec.horizon_years)
        if key in seen:
            continue
        seen.add(key)
        try:
            prepare_run(spec, worker_forecasts(None))
        except Exception:  # noqa: BLE001, S112 - the run's own job reports the error
            continue


def sweep_specs(
    specs: list[RunSpec], n_jobs: int = 1, sweep: SweepSettings | None = None
) -> tuple[xr.Dataset, list[dict]]:
    """Run every spec (on ``n_jobs`` worker processes) and build the comparison.

    Each distinct forecast is made once, here, and kept in this process's memory
    (:func:`worker_forecasts`). With ``n_jobs > 1`` the workers are forked from this
    process (``fork``, where the platform has it), so they start without importing
    anything and inherit the forecasts instead of making them again. Nothing is
    written.

    Returns
    -------
    comparison : xarray.Dataset
        As ``comparison.nc`` (:func:`experiments.aggregate.combine_reduced`).
    records : list of dict
        Each run's status record, in the order of ``specs``.
    """
    sweep = sweep or SweepSettings()
    _make_forecasts(specs)
    if n_jobs == 1:
        results = [_memory_job(spec, sweep) for spec in specs]
    else:
        with ProcessPoolExecutor(n_jobs, mp_context=_fork_context()) as pool:
            results = list(pool.map(_memory_job, specs, [sweep] * len(specs)))
    done = [r.run for r in results if r.run is not None]
    if not done:
        errors = "; ".join(r.record.get("error", "") for r in results)
        raise RuntimeError(f"every run of the sweep failed: {errors}")
    return combine_reduced(done), [r.record for r in results]
