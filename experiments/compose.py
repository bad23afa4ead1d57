"""One run composed from plain settings: world, forecast, scenario, strategy -> Dataset.

``run_one`` composes the packages (world loader, forecast, model) and returns the
results ``Dataset``; the ``servicesim`` command (:mod:`experiments.run`) and the sweep
engine (:mod:`experiments.sweep`) both call it.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import xarray as xr
from tqdm import tqdm

from experiments.forecast import (
    build_forecast,
    build_seasonal_stock,
    follows_seasonal_forecast,
    seasonal_path_of,
)
from experiments.forecast_cache import cached_forecast, forecast_key, seasonal_key
from experiments.settings import RunSettings
from experiments.strategy_inputs import with_seasonal_forecast
from scenarios.changes.costs import CostSettings
from scenarios.changes.records import network_results
from scenarios.changes.scenario import (
    Scenario,
    build_scenario,
    dormant_ids,
    extend_world,
    prepare_model,
)
from scenarios.strategies import StatusQuo, build_strategy, with_inputs
from scenarios.worlds.loader import embedded_world_path, load_world
from simulation import DemographicPath, ServiceModel, World, path_from_forecast
from simulation.protocols import Strategy


def package_version() -> str:
    """Installed version of the ``servicesim`` distribution."""
    try:
        return metadata.version("servicesim")
    except metadata.PackageNotFoundError:
        return "unknown"


def rates_dir(settings: RunSettings) -> Path:
    """Folder of rate tables: the configured one or the shipped Finnish tables."""
    if settings.forecast.rates_dir is not None:
        return settings.forecast.rates_dir
    return Path(str(resources.files("forecasting") / "data" / "finland"))


@dataclass(frozen=True)
class PreparedRun:
    """A validated run, ready to simulate: nothing here has been stepped yet."""

    settings: RunSettings
    world_dir: Path
    world: World
    scenario: Scenario
    strategy: Strategy
    path: DemographicPath
    sample: int
    seasonal_path: dict[int, float] | None = None
    dormant: tuple[str, ...] = ()
    costs: CostSettings = CostSettings()

    def model(self, strategy: Strategy | None = None) -> ServiceModel:
        """Build a fresh model for this run (optionally with another strategy)."""
        model = ServiceModel(
            self.world,
            self.path,
            self.settings.horizon_years,
            self.settings.seed,
            changes=self.scenario.changes,
            strategy=strategy or self.strategy,
            params=self.settings.simulation,
            seasonal_path=self.seasonal_path,
        )
        return prepare_model(model, self.dormant, self.costs.capacity_unit_cost_eur_per_year)


def seasonal_stock(
    cache: Path | None, world_dir: Path, world: World, rates: Path, settings: RunSettings
) -> xr.Dataset | None:
    """Seasonal-stock forecast of the world, shared through the cache when there is one."""
    if cache is None or not follows_seasonal_forecast(world, settings):
        return build_seasonal_stock(world, rates, settings)
    key = seasonal_key(settings, world_dir, rates, package_version())
    return cached_forecast(
        cache, key, lambda: build_seasonal_stock(world, rates, settings), prefix="seasonal"
    )


def prepare_run(settings: RunSettings, forecast_cache: Path | None = None) -> PreparedRun:
    """Load and validate the world, scenario and strategy, and make the forecast.

    Everything that can be wrong with the input is found here, before any month is
    simulated. With ``forecast_cache`` (a folder), the forecast is read from there if
    an identical one was made before (see :mod:`experiments.forecast_cache`).
    """
    world_dir = settings.world.path or embedded_world_path(settings.world.name)
    base_world = load_world(world_dir)
    first = f"{base_world.base_year + 1}-01"
    last = f"{base_world.base_year + settings.horizon_years}-12"
    scenario = build_scenario(
        settings.scenario.name,
        settings.scenario.changes,
        base_world,
        first,
        last,
        settings.scenario.description,
        unit_costs=settings.costs.capacity_unit_cost_eur_per_year,
    )
    strategy = build_strategy(settings.strategy.name, **settings.strategy.params)
    candidates = getattr(strategy, "new_facilities", None)
    world = extend_world(
        base_world, scenario.new_facilities + (candidates(base_world) if candidates else ())
    )
    rates = rates_dir(settings)
    if forecast_cache is None:
        forecast = build_forecast(world, rates, settings)
    else:
        key = forecast_key(settings, world_dir, rates, package_version())
        forecast = cached_forecast(
            forecast_cache, key, lambda: build_forecast(world, rates, settings)
        )
    strategy = with_inputs(strategy, forecast=forecast)
    stock = seasonal_stock(forecast_cache, world_dir, world, rates, settings)
    strategy = with_seasonal_forecast(strategy, stock)
    sample = settings.forecast.sample
    if sample is None:
        sample = settings.seed % settings.forecast.n_samples
    years = tuple(range(world.base_year + 1, world.base_year + 1 + settings.horizon_years))
    path = path_from_forecast(forecast, sample, world.zones.areas, years)
    seasonal = seasonal_path_of(stock, sample)
    dormant = dormant_ids(world, base_world)
    return PreparedRun(
        settings,
        world_dir,
        world,
        scenario,
        strategy,
        path,
        sample,
        seasonal_path=seasonal,
        dormant=dormant,
        costs=settings.costs,
    )


def simulate(run: PreparedRun, strategy: Strategy | None = None, progress=None) -> xr.Dataset:
    """Run the model to the horizon; add the applied changes and the costs."""
    model = run.model(strategy)
    ds = model.run(progress=progress)
    return network_results(ds, model, run.costs)


def realised_demand(run: PreparedRun) -> xr.DataArray:
    """Demand by (time, zone, service) of this run, from a status-quo pass.

    Demand draws have their own random streams and do not depend on the network, so
    every strategy of the same run meets exactly this demand.
    """
    return simulate(run, StatusQuo())["demand_zone"]


def best_oracle_objective(run: PreparedRun, status_quo: xr.Dataset) -> float:
    """Objective (EUR) of the oracle: the better of perfect foresight and doing nothing.

    Knowing the realised demand, the oracle may also keep the network as it is; the
    status-quo pass (``status_quo``, already run for the realised demand) costs
    nothing more.
    """
    return min(oracle_objective(run, status_quo["demand_zone"]), float(status_quo["objective"]))


def oracle_objective(run: PreparedRun, realised: xr.DataArray) -> float:
    """Objective (EUR) of the perfect-foresight oracle with default parameters."""
    oracle = with_inputs(build_strategy("perfect_foresight"), realised=realised.values)
    return float(simulate(run, oracle)["objective"])


def run_one(settings: RunSettings, forecast_cache: Path | None = None) -> xr.Dataset:
    """Run one simulation and return its results ``Dataset``.

    ``forecast_cache`` is an optional folder shared by the runs of a sweep.
    """
    run = prepare_run(settings, forecast_cache)
    realised = status_quo = None
    if settings.regret or run.strategy.name == "perfect_foresight":
        status_quo = simulate(run, StatusQuo())
        realised = status_quo["demand_zone"]
        run = dataclasses.replace(run, strategy=with_inputs(run.strategy, realised=realised.values))
    label = f"{run.world.name} {run.scenario.name}/{run.strategy.name} seed={settings.seed}"
    with tqdm(
        total=12 * settings.horizon_years,
        desc=label,
        unit="month",
        disable=not settings.progress,
        file=sys.stderr,
    ) as bar:
        ds = simulate(run, progress=bar.update)
    if status_quo is not None and settings.regret:
        oracle = best_oracle_objective(run, status_quo)
        ds["oracle_objective"] = (
            (),
            oracle,
            {"units": "EUR", "long_name": "oracle's objective: perfect foresight or status quo"},
        )
        ds["regret_eur"] = (
            (),
            float(ds["objective"]) - oracle,
            {"units": "EUR", "long_name": "objective minus the oracle's"},
        )
    ds.attrs.update(
        {
            "Conventions": "CF-1.11",
            "title": f"servicesim run: {run.world.title}",
            "source": f"servicesim {package_version()}",
            "world": run.world.name,
            "world_path": str(run.world_dir),
            "scenario": run.scenario.name,
            "strategy": run.strategy.name,
            "strategy_params": json.dumps(settings.strategy.params, sort_keys=True),
            "seed": settings.seed,
            "forecast_sample": run.sample,
            "forecast_samples": settings.forecast.n_samples,
            "config": settings.config_yaml,
        }
    )
    return ds
