"""One run composed from a RunSpec: world + forecast + scenario + strategy -> model -> Dataset.

:func:`run` is the whole of a run in memory; it writes no file and knows nothing of
Hydra. A sweep may pass a ``forecasts`` source (:class:`ForecastSource`) that shares
the population and seasonal-stock forecasts between its runs (the ``experiments``
layer passes a file cache, a worker keeps them in memory); without one the forecasts
are made for the run. Either way the values are identical, so is the result.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import xarray as xr
from tqdm import tqdm

from scenarios.changes.costs import CostSettings, regret_part, run_results
from scenarios.changes.scenario import Scenario, build_scenario, dormant_ids, extend_world
from scenarios.run_forecast import (
    build_forecast,
    build_seasonal_stock,
    follows_seasonal_forecast,
    seasonal_path_of,
)
from scenarios.spec import RunSpec
from scenarios.spec_checks import english
from scenarios.strategies import StatusQuo, build_strategy, with_inputs
from scenarios.strategies.oracle import OracleSearch, foreseeing
from scenarios.worlds.loader import embedded_world_path, load_world
from simulation import DemographicPath, ServiceModel, World, path_from_forecast
from simulation.protocols import Strategy
from simulation.results import package_version

__all__ = [
    "ForecastSource",
    "PreparedRun",
    "package_version",
    "prepare_run",
    "rates_dir",
    "run",
    "simulate",
]


class ForecastSource(Protocol):
    """Where a run gets a forecast: ``source(kind, spec, world_dir, rates, build)``.

    ``kind`` is ``"forecast"`` (the population forecast) or ``"seasonal"`` (the
    free-time residence stock); ``build()`` makes it. A source may return a stored
    forecast made for the same inputs instead of calling ``build``.
    """

    def __call__(
        self,
        kind: str,
        spec: RunSpec,
        world_dir: Path,
        rates: Path,
        build: Callable[[], xr.Dataset],
    ) -> xr.Dataset:
        """Return the forecast of ``kind`` for the run."""


def rates_dir(spec: RunSpec) -> Path:
    """Folder of rate tables: the configured one or the shipped Finnish tables."""
    if spec.forecast.rates_dir is not None:
        return spec.forecast.rates_dir
    return Path(str(resources.files("forecasting") / "data" / "finland"))


def world_dir(spec: RunSpec) -> Path:
    """Folder of the run's world: ``world.path`` or the embedded world's folder."""
    return spec.world.path or embedded_world_path(spec.world.name)


@dataclass(frozen=True)
class PreparedRun:
    """A validated run, ready to simulate: nothing here has been stepped yet."""

    settings: RunSpec
    world_dir: Path
    world: World
    scenario: Scenario
    strategy: Strategy
    path: DemographicPath
    sample: int
    seasonal_path: dict[int, float] | None = None
    dormant: tuple[str, ...] = ()
    costs: CostSettings = CostSettings()
    forecast: xr.Dataset | None = dataclasses.field(default=None, repr=False, compare=False)
    seasonal_stock: xr.Dataset | None = dataclasses.field(default=None, repr=False, compare=False)

    def model(self, strategy: Strategy | None = None) -> ServiceModel:
        """Build a fresh model for this run (optionally with another strategy)."""
        return ServiceModel(
            self.world,
            self.path,
            self.settings.horizon_years,
            self.settings.seed,
            changes=self.scenario.changes,
            strategy=strategy or self.strategy,
            params=self.settings.simulation,
            seasonal_path=self.seasonal_path,
            capacity_unit_cost_eur_per_year=self.costs.capacity_unit_cost_eur_per_year,
            dormant=self.dormant,
        )


def _made(kind, spec, folder, rates, build, forecasts: ForecastSource | None) -> xr.Dataset:
    return build() if forecasts is None else forecasts(kind, spec, folder, rates, build)


def with_seasonal_forecast(strategy: Any, stock: xr.Dataset | None) -> Any:
    """Return the strategy with every sample path of the seasonal-stock forecast.

    Only strategies with a ``seasonal_forecast`` field get it (``season_aware``):
    ``free_time_residences`` (sample, year), years from the base year. Nothing changes
    when ``stock`` is ``None`` (constant seasonal residents, or none in the world).
    """
    if stock is None or "seasonal_forecast" not in {f.name for f in dataclasses.fields(strategy)}:
        return strategy
    return with_inputs(strategy, seasonal_forecast=stock["free_time_residences"])


def prepare_run(spec: RunSpec, forecasts: ForecastSource | None = None) -> PreparedRun:
    """Load and validate the world, scenario and strategy, and make the forecast.

    Everything that can be wrong with the input is found here, before any month is
    simulated.
    """
    folder = world_dir(spec)
    base_world = load_world(folder)
    first = f"{base_world.base_year + 1}-01"
    last = f"{base_world.base_year + spec.horizon_years}-12"
    scenario = build_scenario(
        spec.scenario.name,
        spec.scenario.changes,
        base_world,
        first,
        last,
        english(spec.scenario.description),
        unit_costs=spec.costs.capacity_unit_cost_eur_per_year,
    )
    strategy = build_strategy(spec.strategy.name, **spec.strategy.params)
    candidates = getattr(strategy, "new_facilities", None)
    world = extend_world(
        base_world, scenario.new_facilities + (candidates(base_world) if candidates else ())
    )
    rates = rates_dir(spec)
    forecast = _made(
        "forecast",
        spec,
        folder,
        rates,
        lambda: build_forecast(world, rates, spec, folder),
        forecasts,
    )
    strategy = with_inputs(strategy, forecast=forecast)
    stock = None
    if follows_seasonal_forecast(world, spec):
        stock = _made(
            "seasonal",
            spec,
            folder,
            rates,
            lambda: build_seasonal_stock(world, rates, spec),
            forecasts,
        )
    strategy = with_seasonal_forecast(strategy, stock)
    years = tuple(range(world.base_year + 1, world.base_year + 1 + spec.horizon_years))
    path = path_from_forecast(forecast, spec.sample, world.zones.areas, years)
    return PreparedRun(
        spec,
        folder,
        world,
        scenario,
        strategy,
        path,
        spec.sample,
        seasonal_path=seasonal_path_of(stock, spec.sample),
        dormant=dormant_ids(world, base_world),
        costs=spec.costs,
        forecast=forecast,
        seasonal_stock=stock,
    )


def simulate(
    run: PreparedRun,
    strategy: Strategy | None = None,
    progress=None,
    oracle_objective: float | None = None,
    attrs: dict | None = None,
) -> xr.Dataset:
    """Run the model to the horizon and assemble its complete results (see run_results)."""
    model = run.model(strategy)
    model.run(progress=progress)
    return run_results(model, run.costs, oracle_objective, attrs)


def realised_demand(run: PreparedRun) -> xr.DataArray:
    """Demand by (time, zone, service) of this run, from a status-quo pass.

    Demand draws have their own random streams and do not depend on the network, so
    every strategy of the same run meets exactly this demand.
    """
    return simulate(run, StatusQuo())["demand_zone"]


def best_oracle_objective(
    run: PreparedRun,
    status_quo: xr.Dataset,
    own: float | None = None,
    search: OracleSearch | None = None,
) -> float:
    """Objective (EUR) of the best plan found for the run: the oracle.

    The lowest objective of: ``perfect_foresight`` on the realised demand (default
    parameters), doing nothing (``status_quo``, already run for the realised demand),
    the strategies of ``search`` with perfect foresight of the run's population path
    over their parameter grid (:mod:`scenarios.strategies.oracle`), and ``own`` (the
    run's own objective), so that regret is never negative.
    """
    search = search or OracleSearch()
    found = [oracle_objective(run, status_quo["demand_zone"]), float(status_quo["objective"])]
    if run.forecast is not None:
        searched = with_declared(run, search.strategies)
        for name, params in search.candidates():
            strategy = foreseeing(name, params, run.forecast, run.sample, run.seasonal_stock)
            found.append(float(simulate(searched, strategy)["objective"]))
    if own is not None:
        found.append(own)
    return min(found)


def with_declared(run: PreparedRun, names: tuple[str, ...]) -> PreparedRun:
    """Add the facilities that strategies ``names`` declare (e.g. summer annexes) to a run.

    They are declared for the run's facilities in the network (not for dormant ones)
    and added out of the network after the run's own facilities, so a searched plan
    can open them; ids the run already has are kept as they are.
    """
    have = set(run.world.facility_ids)
    live = tuple(f for f in run.world.facilities if f.id not in set(run.dormant))
    base = dataclasses.replace(run.world, facilities=live)
    extra: list[dict[str, Any]] = []
    for name in names:
        declare = getattr(build_strategy(name), "new_facilities", None)
        for spec in declare(base) if declare else ():
            if spec["id"] not in have:
                extra.append(spec)
                have.add(spec["id"])
    if not extra:
        return run
    world = extend_world(run.world, extra)
    dormant = run.dormant + tuple(world.facility_ids[len(run.world.facilities) :])
    return dataclasses.replace(run, world=world, dormant=dormant)


def oracle_objective(run: PreparedRun, realised: xr.DataArray) -> float:
    """Objective (EUR) of the perfect-foresight oracle with default parameters."""
    oracle = with_inputs(build_strategy("perfect_foresight"), realised=realised.values)
    return float(simulate(run, oracle)["objective"])


def run(spec: RunSpec, forecasts: ForecastSource | None = None) -> xr.Dataset:
    """Run one simulation and return its complete results ``Dataset``.

    The dataset's ``attrs["config"]`` is ``spec.to_yaml()`` (with ``progress`` off:
    a progress bar changes no result), so ``RunSpec.from_dataset(ds)`` rebuilds the run.
    """
    prepared = prepare_run(spec, forecasts)
    status_quo = None
    if spec.regret or prepared.strategy.name == "perfect_foresight":
        status_quo = simulate(prepared, StatusQuo())
        realised = status_quo["demand_zone"].values
        prepared = dataclasses.replace(
            prepared, strategy=with_inputs(prepared.strategy, realised=realised)
        )
    attrs = {
        "title": f"servicesim run: {prepared.world.title}",
        "world": prepared.world.name,
        # An embedded world is named, not located: where the package is installed must
        # not change the results (the same spec gives the same file anywhere).
        "world_path": (
            str(spec.world.path) if spec.world.path is not None else f"embedded:{spec.world.name}"
        ),
        "placeholder_network": int(prepared.world.placeholder_network),
        "scenario": prepared.scenario.name,
        "strategy": prepared.strategy.name,
        "strategy_params": json.dumps(spec.strategy.params, sort_keys=True),
        "seed": spec.seed,
        "forecast_sample": prepared.sample,
        "forecast_samples": spec.forecast.n_samples,
        "config": dataclasses.replace(spec, progress=False).to_yaml(),
    }
    label = f"{prepared.world.name} {prepared.scenario.name}/{prepared.strategy.name}"
    with tqdm(
        total=12 * spec.horizon_years,
        desc=f"{label} seed={spec.seed}",
        unit="month",
        disable=not spec.progress,
        file=sys.stderr,
    ) as bar:
        ds = simulate(prepared, progress=bar.update, attrs=attrs)
    if status_quo is not None and spec.regret:
        oracle = best_oracle_objective(
            prepared, status_quo, own=float(ds["objective"]), search=spec.oracle
        )
        for name, (dims, value, var_attrs) in regret_part(oracle)(ds).items():
            ds[name] = xr.Variable(dims, value, var_attrs)
    return ds
