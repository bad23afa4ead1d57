"""Typed run settings, validated from the Hydra config before anything runs."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from experiments.summary import METRICS
from forecasting.options import ForecastOptions, OptionError
from scenarios.changes.costs import CostSettings
from scenarios.strategies import STRATEGIES
from scenarios.worlds.loader import embedded_worlds
from simulation.params import (
    CarAccess,
    ChoiceParams,
    DigitalSkill,
    ParameterError,
    Segment,
    SimulationParams,
)


class ConfigError(ValueError):
    """A configuration option has a bad value; the message names the option."""


@dataclass(frozen=True)
class WorldSettings:
    """Which world: an embedded one by ``name``, or any folder at ``path``."""

    name: str = "sysma"
    path: Path | None = None


@dataclass(frozen=True)
class ScenarioSettings:
    """A named scenario: dated network changes as plain mappings."""

    name: str = "status_quo"
    description: str = ""
    changes: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class StrategySettings:
    """A strategy by name with its typed parameters."""

    name: str = "status_quo"
    params: dict[str, Any] = field(default_factory=dict)


ForecastSettings = ForecastOptions
"""The forecast options of a run: :class:`forecasting.options.ForecastOptions`."""


@dataclass(frozen=True)
class RunSettings:
    """Everything one run needs, as plain typed values."""

    world: WorldSettings
    scenario: ScenarioSettings
    strategy: StrategySettings
    forecast: ForecastSettings
    seed: int = 0
    horizon_years: int = 20
    progress: bool = True
    results_file: str = "results.nc"
    config_yaml: str = ""
    simulation: SimulationParams = field(default_factory=SimulationParams)
    costs: CostSettings = field(default_factory=CostSettings)
    regret: bool = False


def _int(value: Any, option: str, lo: int | None = None, hi: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            if isinstance(value, str) and value.strip().lstrip("-").isdigit():
                value = int(value)
            else:
                raise ValueError
        except ValueError:
            raise ConfigError(f"{option}={value!r}: must be an integer") from None
    if lo is not None and value < lo or hi is not None and value > hi:
        raise ConfigError(f"{option}={value}: must be between {lo} and {hi}")
    return int(value)


def _plain(node: Any, empty: Any) -> Any:
    """Convert a config node to plain Python containers (``empty`` when unset)."""
    if node is None:
        return empty
    return OmegaConf.to_container(node, resolve=True) if OmegaConf.is_config(node) else node


def _path(value: Any) -> Path | None:
    return None if value in (None, "") else Path(str(value)).expanduser().resolve()


def _float(value: Any, option: str) -> float:
    if isinstance(value, bool):
        raise ConfigError(f"{option}={value!r}: must be a number")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{option}={value!r}: must be a number") from None


def _typed(cls: type, values: Any, option: str) -> Any:
    """Build dataclass ``cls`` from a mapping; lists become tuples, unknown keys fail."""
    if not isinstance(values, dict):
        raise ConfigError(f"{option}={values!r}: must be a mapping")
    allowed = [f.name for f in fields(cls)]
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ConfigError(f"{option}: unknown keys {unknown}; allowed: {allowed}")
    plain = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    try:
        return cls(**plain)
    except (ParameterError, TypeError) as exc:
        raise ConfigError(f"{option}: {exc}") from None


def simulation_params(node: Any) -> SimulationParams:
    """Validate the ``simulation`` config group into :class:`SimulationParams`.

    Raises
    ------
    ConfigError
        Naming the option and its allowed values or range.
    """
    node = _plain(node, {})
    defaults = SimulationParams()
    segments = node.get("segments")
    if segments is None:
        segments = defaults.segments
    elif not isinstance(segments, list):
        raise ConfigError("simulation.segments: must be a list of segments")
    else:
        segments = tuple(
            _typed(Segment, seg, f"simulation.segments[{i}]") for i, seg in enumerate(segments)
        )
    parts = {
        name: _typed(cls, node[name], f"simulation.{name}")
        for name, cls in (
            ("car_access", CarAccess),
            ("digital_skill", DigitalSkill),
            ("choice", ChoiceParams),
        )
        if node.get(name) is not None
    }
    try:
        return SimulationParams(
            school_transport_km=_float(
                node.get("school_transport_km", 5.0), "simulation.school_transport_km"
            ),
            school_service=str(node.get("school_service", defaults.school_service)),
            segments=segments,
            **parts,
        )
    except ParameterError as exc:
        raise ConfigError(str(exc)) from None


def settings_from_config(cfg: DictConfig) -> RunSettings:
    """Validate a composed config into :class:`RunSettings`.

    Raises
    ------
    ConfigError
        Naming the option, its value and the allowed values.
    """
    world_path = _path(cfg.world.get("path"))
    if world_path is None and cfg.world.name not in embedded_worlds():
        raise ConfigError(
            f"world.name={cfg.world.name!r}: not an embedded world; allowed: "
            f"{list(embedded_worlds())}, or set world.path=DIR"
        )
    if cfg.strategy.name not in STRATEGIES:
        raise ConfigError(
            f"strategy={cfg.strategy.name!r}: allowed values are {sorted(STRATEGIES)}"
        )
    try:
        forecast = ForecastOptions.from_mapping(_plain(cfg.get("forecast"), {}))
    except OptionError as exc:
        raise ConfigError(str(exc)) from None
    changes = _plain(cfg.scenario.get("changes"), [])
    return RunSettings(
        world=WorldSettings(name=str(cfg.world.name), path=world_path),
        scenario=ScenarioSettings(
            name=str(cfg.scenario.name),
            description=str(cfg.scenario.get("description", "")),
            changes=tuple(changes),
        ),
        strategy=StrategySettings(
            name=str(cfg.strategy.name),
            params=_plain(cfg.strategy.get("params"), {}),
        ),
        forecast=forecast,
        seed=_int(cfg.seed, "seed", 0, 2**63 - 1),
        horizon_years=_int(cfg.horizon_years, "horizon_years", 1, 60),
        progress=bool(cfg.simulation.get("progress", True)),
        results_file=str(cfg.results_file),
        config_yaml=OmegaConf.to_yaml(cfg, resolve=True),
        simulation=simulation_params(cfg.get("simulation")),
        costs=cost_settings(cfg.get("costs")),
        regret=bool(cfg.get("regret", False)),
    )


@dataclass(frozen=True)
class SweepSettings:
    """What a run of a sweep reports back, and what the sweep writes at its end.

    ``objective`` is the run metric (a key of ``experiments.summary.METRICS``) that a
    run returns to the sweeper (the Optuna sweeper minimises it); a run whose
    ``constraint_metric`` exceeds ``constraint_max`` returns a large penalty; with
    ``constraint_service`` the constraint is computed on that service alone.
    """

    objective: str = "cost_per_year"
    constraint_metric: str = "unmet_share"
    constraint_max: float | None = None
    constraint_service: str | None = None
    report: bool = True
    forecast_cache: bool = True


def sweep_settings_from_config(cfg: DictConfig) -> SweepSettings:
    """Validate the ``sweep`` group into :class:`SweepSettings`.

    Raises
    ------
    ConfigError
        Naming the option, its value and the allowed values.
    """
    node = cfg.get("sweep") or {}
    defaults = SweepSettings()
    objective = str(node.get("objective", defaults.objective))
    constraint = str(node.get("constraint_metric", defaults.constraint_metric))
    for option, value in (("sweep.objective", objective), ("sweep.constraint_metric", constraint)):
        if value not in METRICS:
            raise ConfigError(f"{option}={value!r}: allowed values are {sorted(METRICS)}")
    bound = node.get("constraint_max", None)
    try:
        bound = None if bound is None else float(bound)
    except (TypeError, ValueError):
        raise ConfigError(f"sweep.constraint_max={bound!r}: must be a number or null") from None
    return SweepSettings(
        objective=objective,
        constraint_metric=constraint,
        constraint_max=bound,
        constraint_service=(
            None if node.get("constraint_service") is None else str(node.constraint_service)
        ),
        report=bool(node.get("report", True)),
        forecast_cache=bool(node.get("forecast_cache", True)),
    )


def cost_settings(node: Any) -> CostSettings:
    """Validate the ``costs`` config group into :class:`CostSettings`.

    Raises
    ------
    ConfigError
        Naming the option and its value when a rate or cost is negative or not a number.
    """
    plain = _plain(node, {})
    allowed = set(CostSettings.__dataclass_fields__)
    unknown = sorted(set(plain) - allowed)
    if unknown:
        raise ConfigError(f"costs.{unknown[0]}: not an option; allowed: {sorted(allowed)}")
    for key, value in plain.items():
        items = value.items() if isinstance(value, dict) else [("", value)]
        for sub, v in items:
            name = f"costs.{key}" + (f".{sub}" if sub else "")
            if isinstance(v, bool) or not isinstance(v, int | float) or v < 0:
                raise ConfigError(f"{name}={v!r}: must be a number >= 0")
    return CostSettings(**plain)
