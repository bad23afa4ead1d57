"""servicesim: a simulation and forecasting engine for public-service demand.

The library face. It re-exports what a researcher or planner needs from the layers
below (``experiments`` -> ``scenarios`` -> ``simulation`` -> ``forecasting``); nothing
in those layers imports it.

Examples
--------
>>> import servicesim
>>> world = servicesim.load_world("sysma")
>>> world.name
'sysma'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import xarray as xr

import experiments.settings  # noqa: F401 - registers the shipped scenarios for RunSpec
from scenarios.compose import rates_dir as _rates_dir
from scenarios.compose import run as _run
from scenarios.run_forecast import build_forecast as _build_forecast
from scenarios.spec import ConfigError, RunSpec
from scenarios.worlds.loader import embedded_world_path, embedded_worlds
from scenarios.worlds.loader import load_world as _load_folder
from simulation.world import World

try:
    __version__ = metadata.version("servicesim")
except metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "unknown"

__all__ = [
    "ConfigError",
    "RunSpec",
    "World",
    "__version__",
    "backtest",
    "forecast",
    "load_world",
    "run",
    "sweep",
]


def load_world(world: str | Path) -> World:
    """Load and validate a world: an embedded one by name, or a world folder.

    Parameters
    ----------
    world : str or Path
        The name of an embedded world (``"sysma"``, ``"paijat_hame"``) or the path of
        a world folder (see the world format in the docs).

    Returns
    -------
    World
        The validated world.

    Raises
    ------
    scenarios.errors.WorldFileError
        If a file of the world is missing or has bad rows; the message names the file,
        row, field and value.

    Examples
    --------
    >>> load_world("sysma").base_year
    2023
    """
    if isinstance(world, str) and world in embedded_worlds():
        return _load_folder(embedded_world_path(world))
    return _load_folder(Path(world))


def run(spec: RunSpec) -> xr.Dataset:
    """Run one simulation and return its complete results; no file is written.

    Parameters
    ----------
    spec : RunSpec
        The run: world, scenario, strategy, forecast options, costs, seed, horizon.

    Returns
    -------
    xarray.Dataset
        Every variable the ``servicesim`` command writes to ``results.nc``
        (population, demand/served/unmet, utilisation, access, the network over
        time, costs, changes, objective; ``oracle_objective`` and ``regret_eur`` with
        ``regret=True``). ``attrs["config"]`` holds the spec, so
        ``RunSpec.from_dataset(ds)`` rebuilds the run.

    Raises
    ------
    scenarios.errors.WorldFileError, scenarios.errors.ScenarioError
        If the world's files or the scenario's changes are bad.
    forecasting.errors.ForecastingError
        If the rate tables cannot give a forecast.

    See Also
    --------
    sweep : many runs and their comparison.

    Examples
    --------
    >>> spec = RunSpec(world="sysma", horizon_years=2, forecast={"n_samples": 5})
    >>> ds = run(spec)
    >>> ds.sizes["time"], ds.attrs["strategy"]
    (24, 'status_quo')
    >>> bool((ds["demand"] == ds["served"] + ds["unmet"]).all())
    True
    >>> RunSpec.from_dataset(ds) == spec
    True
    """
    return _run(spec)


def sweep(
    specs: Iterable[RunSpec],
    n_jobs: int = 1,
    objective: str = "cost_per_year",
) -> xr.Dataset:
    """Run many specs and compare them, in memory: the dataset ``comparison.nc`` holds.

    The engine of ``servicesim -m``: each run is the same job (run, record its
    status, reduce it to its metrics), and the comparison is built by the same code.
    Worker processes stay alive between calls and keep the forecasts they made.

    Parameters
    ----------
    specs : iterable of RunSpec
        The runs; each (scenario, strategy, seed) once, or differing in strategy
        parameters (then the parameters are added to the strategy label).
    n_jobs : int, default 1
        Worker processes (1: in this process).
    objective : str, default "cost_per_year"
        Run metric each run reports as its objective (``sweep.objective``).

    Returns
    -------
    xarray.Dataset
        Dims (scenario, strategy, seed) plus each variable's own: ``metric_*``
        scalars per run, totals over time, end-year maps, ``metric_regret_best``.
        ``attrs["failed"]`` lists the runs that failed (empty when all ran).

    Raises
    ------
    RuntimeError
        If every run failed.

    Examples
    --------
    >>> specs = [RunSpec(horizon_years=2, seed=s, forecast={"n_samples": 5}) for s in (0, 1)]
    >>> cmp = sweep(specs)
    >>> dict(cmp["metric_cost_per_year"].sizes)
    {'scenario': 1, 'strategy': 1, 'seed': 2}
    """
    from experiments.settings import SweepSettings
    from experiments.sweep import sweep_specs

    specs = list(specs)
    comparison, records = sweep_specs(specs, n_jobs, SweepSettings(objective=objective))
    failed = [
        f"{s.scenario.name}/{s.strategy.name} seed={s.seed}: {r['error']}"
        for s, r in zip(specs, records, strict=True)
        if r["status"] == "failed"
    ]
    comparison.attrs["failed"] = "\n".join(failed)
    return comparison


def forecast(
    world: str | Path = "sysma",
    horizon_years: int = 20,
    options: Mapping[str, Any] | None = None,
) -> xr.Dataset:
    """Forecast the population of a world's areas, as a run does.

    Parameters
    ----------
    world : str or Path, default "sysma"
        An embedded world or a world folder.
    horizon_years : int, default 20
        Years after the world's base year.
    options : mapping, optional
        ``forecast.*`` options (``method``, ``n_samples``, ``seed``, ...).

    Returns
    -------
    xarray.Dataset
        ``population`` (sample, area, year, sex, age), persons on 31.12 of the base
        year and each forecast year, and the
        components; see :func:`forecasting.cohort.project`.

    Examples
    --------
    >>> ds = forecast("sysma", horizon_years=2, options={"n_samples": 3})
    >>> dict(ds["population"].sizes)
    {'sample': 3, 'area': 1, 'year': 3, 'sex': 2, 'age': 101}
    """
    spec = RunSpec(world=world, horizon_years=horizon_years, forecast=dict(options or {}))
    folder = spec.world.path or spec.world.name
    return _build_forecast(load_world(folder), _rates_dir(spec), spec, spec.world.path)


def backtest(
    data: pd.DataFrame | xr.DataArray | str | Path,
    methods: Sequence[str] = ("trend_share", "linear"),
    horizons: Sequence[int] = (5, 10),
    launch_years: Sequence[int] | None = None,
    **options: Any,
) -> tuple[xr.Dataset, pd.DataFrame]:
    """Rolling-origin backtest of population forecasts, as ``servicesim-backtest`` runs it.

    A thin wrapper of :func:`forecasting.api.backtest`; nothing is written.

    Parameters
    ----------
    data : DataFrame, DataArray, str or Path
        Totals (``area, year, population``) or population by sex and age (``area,
        year, sex, age, population``), as a table, an array or a CSV file.
    methods : sequence of str, default ("trend_share", "linear")
        Totals methods (``trend_share``, ``linear_exponential_average``, ``linear``,
        ``exponential``, ``constant``, ``share_of_region``, ``damped_ets``).
    horizons : sequence of int, default (5, 10)
        Years ahead to score.
    launch_years : sequence of int, optional
        Default: every year with a base period behind it and the longest horizon
        observed.
    **options
        Further options of :func:`forecasting.api.backtest` (``area_column``,
        ``n_samples``, ``seed``, ``base_period``, ``age_methods``, ``births``,
        ``deaths``, ``options`` (a :class:`forecasting.options.ForecastOptions`)...).

    Returns
    -------
    (xarray.Dataset, pandas.DataFrame)
        Every forecast, interval and outcome (dims method, launch_year, horizon,
        area), and the summary by method, horizon and size class.

    Examples
    --------
    >>> years = np.arange(1990, 2011)
    >>> totals = 1000.0 + 5 * (years - 1990)
    >>> history = pd.DataFrame({"area": "a", "year": years, "population": totals})
    >>> ds, summary = backtest(history, methods=["linear"], horizons=[5], n_samples=20)
    >>> cell = {"method": "linear", "launch_year": 2000, "horizon": 5, "area": "a"}
    >>> float(ds["forecast"].sel(cell))
    1075.0
    """
    from forecasting.api import backtest as _backtest

    return _backtest(data, methods=methods, horizons=horizons, launch_years=launch_years, **options)
