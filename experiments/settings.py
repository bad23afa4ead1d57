"""From a composed Hydra config to a :class:`scenarios.spec.RunSpec` (and sweep settings).

The checks of every run option live in the spec (:mod:`scenarios.spec`); this module
only lays the config out as the spec's mapping, and checks what belongs to the command
line alone: ``results_file`` and the ``sweep`` group. It also registers the shipped
scenarios (``conf/scenario/*.yaml``) so ``RunSpec(scenario="NAME")`` finds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePath
from typing import Any

import yaml
from omegaconf import DictConfig, OmegaConf

from experiments.i18n import LANGUAGES
from experiments.summary import METRICS
from forecasting.options import ForecastOptions
from scenarios.spec import (
    ConfigError,
    RunSpec,
    ScenarioSpec,
    StrategySpec,
    WorldSpec,
    use_scenario_library,
    use_strategy_library,
)
from scenarios.spec_checks import check_bool, check_keys, cost_settings, simulation_params

__all__ = [
    "ConfigError",
    "ForecastSettings",
    "RunSettings",
    "RunSpec",
    "ScenarioSpec",
    "StrategySpec",
    "SweepSettings",
    "WorldSpec",
    "cost_settings",
    "report_language",
    "results_file",
    "settings_from_config",
    "shipped_scenario",
    "simulation_params",
    "spec_from_config",
    "sweep_settings_from_config",
]

RunSettings = RunSpec
"""The settings of a run are its :class:`~scenarios.spec.RunSpec` (former name)."""

ForecastSettings = ForecastOptions
"""The forecast options of a run: :class:`forecasting.options.ForecastOptions`."""

#: Top-level config keys that are not run options (the command line's own).
COMMAND_KEYS = ("results_file", "sweep", "report", "hydra")


def config_dir(group: str) -> Path:
    """Folder of a config group shipped with the package."""
    return Path(str(resources.files("experiments") / "conf" / group))


def shipped_scenario(name: str) -> dict[str, Any]:
    """Return the shipped scenario ``conf/scenario/NAME.yaml`` as a mapping.

    Raises
    ------
    ConfigError
        If there is no such scenario, listing the allowed names.
    """
    folder = config_dir("scenario")
    allowed = sorted(p.stem for p in folder.glob("*.yaml"))
    if name not in allowed:
        raise ConfigError(f"scenario={name!r}: allowed values are {allowed}")
    return yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8"))


def shipped_strategy(name: str) -> dict[str, Any]:
    """Return the shipped strategy ``conf/strategy/NAME.yaml`` as a mapping.

    A strategy without a file gets its code defaults (``{"name": NAME}``); an unknown
    name is refused by :class:`~scenarios.spec.StrategySpec`, listing the allowed names.
    """
    path = config_dir("strategy") / f"{name}.yaml"
    if not path.is_file():
        return {"name": name}
    found = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {**found, "params": found.get("params") or {}}


use_scenario_library(shipped_scenario)
use_strategy_library(shipped_strategy)


def _container(cfg: DictConfig) -> dict[str, Any]:
    return OmegaConf.to_container(cfg, resolve=True) if OmegaConf.is_config(cfg) else dict(cfg)


def spec_from_config(cfg: DictConfig) -> RunSpec:
    """Build the :class:`RunSpec` of a composed run config.

    ``simulation.progress`` becomes the spec's ``progress``; ``results_file`` and the
    ``sweep`` group are the command line's and are left out. Unknown keys (``+foo=1``,
    ``+simulation.foo=1``) are refused by name.

    Raises
    ------
    ConfigError
        Naming the option, its value and the allowed values.
    """
    values = {k: v for k, v in _container(cfg).items() if k not in COMMAND_KEYS}
    simulation = dict(values.get("simulation") or {})
    if "progress" in simulation:
        values["progress"] = check_bool(simulation.pop("progress"), "simulation.progress")
    values["simulation"] = simulation
    scenario = values.get("scenario")
    if isinstance(scenario, dict):
        values["scenario"] = {**scenario, "changes": scenario.get("changes") or []}
    strategy = values.get("strategy")
    if isinstance(strategy, dict):
        values["strategy"] = {**strategy, "params": strategy.get("params") or {}}
    return RunSpec.from_mapping(values)


settings_from_config = spec_from_config


def results_file(cfg: DictConfig) -> str:
    """Check the ``results_file`` option: a plain file name inside the run folder.

    Raises
    ------
    ConfigError
        If it is empty, absolute or has a folder part (``../x.nc``).

    Examples
    --------
    >>> results_file({"results_file": "results.nc"})
    'results.nc'
    >>> results_file({"results_file": "../x.nc"})
    Traceback (most recent call last):
    ...
    scenarios.spec_checks.ConfigError: results_file='../x.nc': must be a plain file name \
inside the run folder (no folder part, not absolute)
    """
    name = cfg.get("results_file", "results.nc")
    if (
        not isinstance(name, str)
        or name in ("", ".", "..")
        or PurePath(name).name != name
        or PurePath(name).is_absolute()
    ):
        raise ConfigError(
            f"results_file={name!r}: must be a plain file name inside the run folder "
            "(no folder part, not absolute)"
        )
    return name


def report_language(cfg: DictConfig) -> str | None:
    """Check ``report.language``: fi, sv, en, or null for the world's language.

    Examples
    --------
    >>> report_language({"report": {"language": "sv"}}), report_language({})
    ('sv', None)
    >>> report_language({"report": {"language": "de"}})
    Traceback (most recent call last):
    ...
    scenarios.spec_checks.ConfigError: report.language='de': allowed values are fi, sv, en \
or null (the world's language)
    """
    node = cfg.get("report") or {}
    node = check_keys(_container(node), "report", ["language"])
    lang = node.get("language")
    if lang is not None and lang not in LANGUAGES:
        raise ConfigError(
            f"report.language={lang!r}: allowed values are {', '.join(LANGUAGES)} "
            "or null (the world's language)"
        )
    return lang


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
    node = check_keys(_container(node), "sweep", list(SweepSettings.__dataclass_fields__))
    defaults = SweepSettings()
    objective = node.get("objective", defaults.objective)
    constraint = node.get("constraint_metric", defaults.constraint_metric)
    for option, value in (("sweep.objective", objective), ("sweep.constraint_metric", constraint)):
        if value not in METRICS:
            raise ConfigError(f"{option}={value!r}: allowed values are {sorted(METRICS)}")
    bound = node.get("constraint_max", None)
    if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int | float)):
        raise ConfigError(f"sweep.constraint_max={bound!r}: must be a number or null")
    service = node.get("constraint_service")
    return SweepSettings(
        objective=objective,
        constraint_metric=constraint,
        constraint_max=None if bound is None else float(bound),
        constraint_service=None if service is None else str(service),
        report=check_bool(node.get("report", True), "sweep.report"),
        forecast_cache=check_bool(node.get("forecast_cache", True), "sweep.forecast_cache"),
    )
