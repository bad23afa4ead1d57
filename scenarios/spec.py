"""RunSpec: a frozen, typed, self-validating description of one run.

A :class:`RunSpec` says everything a run depends on: the world, the scenario (its
dated network changes), the strategy and its parameters, the forecast options, the
cost assumptions, the simulation parameters, the seed and the horizon. Every value is
checked when the spec is built, with the messages the ``servicesim`` command prints
(the command builds a RunSpec from its config, so both share the checks). A spec
writes itself as YAML and reads itself back exactly; a results file stores it in
``attrs["config"]``, so :meth:`RunSpec.from_dataset` rebuilds the run from the file.

Examples
--------
>>> spec = RunSpec(world="sysma", horizon_years=2, strategy="reactive")
>>> spec.world.name, spec.strategy.name, spec.horizon_years
('sysma', 'reactive', 2)
>>> RunSpec.from_yaml(spec.to_yaml()) == spec
True
>>> RunSpec(horizon_years=0)
Traceback (most recent call last):
...
scenarios.spec_checks.ConfigError: horizon_years=0: must be between 1 and 60
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from forecasting.options import ForecastOptions, OptionError
from scenarios.changes.costs import CostSettings
from scenarios.errors import ScenarioError
from scenarios.spec_checks import (
    ConfigError,
    check_bool,
    check_choice,
    check_int,
    check_keys,
    check_text,
    cost_settings,
    plain,
    simulation_params,
)
from scenarios.strategies import STRATEGIES, build_strategy
from scenarios.strategies.oracle import OracleSearch
from scenarios.worlds.loader import embedded_worlds
from simulation.params import SimulationParams

__all__ = [
    "ConfigError",
    "ForecastOptions",
    "RunSpec",
    "ScenarioSpec",
    "StrategySpec",
    "WorldSpec",
    "use_scenario_library",
    "use_strategy_library",
]

MAX_SEED = 2**63 - 1

#: Finds a named scenario's mapping (name, description, changes); set by the layer that
#: ships scenario files (:func:`use_scenario_library`).
_scenario_library: Callable[[str], Mapping[str, Any]] | None = None


def use_scenario_library(find: Callable[[str], Mapping[str, Any]]) -> None:
    """Let ``RunSpec(scenario="NAME")`` resolve shipped scenarios through ``find``.

    ``find(name)`` returns the scenario's mapping or raises :class:`ConfigError`
    listing the allowed names. The ``experiments`` layer registers the scenarios of
    its config folder.
    """
    global _scenario_library
    _scenario_library = find


#: Finds a named strategy's mapping (name, title, description, params); set by the
#: layer that ships strategy files (:func:`use_strategy_library`).
_strategy_library: Callable[[str], Mapping[str, Any]] | None = None


def use_strategy_library(find: Callable[[str], Mapping[str, Any]]) -> None:
    """Let ``RunSpec(strategy="NAME")`` take a shipped strategy's parameters from ``find``.

    So that ``RunSpec(strategy="optimised")`` runs what ``servicesim
    strategy=optimised`` runs (the shipped file's parameters, not the code's
    defaults). ``find(name)`` returns the mapping or raises :class:`ConfigError`.
    """
    global _strategy_library
    _strategy_library = find


def _path(value: Any, option: str) -> Path | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str | Path):
        raise ConfigError(f"{option}={value!r}: must be a file or folder path or null")
    return Path(value).expanduser().resolve()


def _set(obj: Any, **values: Any) -> None:
    for key, value in values.items():
        object.__setattr__(obj, key, value)


@dataclass(frozen=True)
class WorldSpec:
    """Which world: an embedded one by ``name``, or any world folder at ``path``."""

    name: str = "sysma"
    path: Path | None = None

    def __post_init__(self) -> None:
        """Check the name (when no path is given) and make the path absolute."""
        _set(self, path=_path(self.path, "world.path"))
        if not isinstance(self.name, str):
            raise ConfigError(f"world.name={self.name!r}: must be a name")
        if self.path is None and self.name not in embedded_worlds():
            raise ConfigError(
                f"world.name={self.name!r}: not an embedded world; allowed: "
                f"{list(embedded_worlds())}, or set world.path=DIR"
            )


@dataclass(frozen=True)
class ScenarioSpec:
    """A scenario: its name, a sentence, and dated network changes as plain mappings.

    ``title`` and ``description`` are display texts, English or a mapping
    ``{en: ..., fi: ..., sv: ...}`` (:func:`~scenarios.spec_checks.check_text`).
    """

    name: str = "status_quo"
    description: str | dict[str, str] = ""
    changes: tuple[dict[str, Any], ...] = ()
    title: str | dict[str, str] = ""

    def __post_init__(self) -> None:
        """Check the types; the changes are checked against the world when it is loaded."""
        if not isinstance(self.name, str) or not self.name:
            raise ConfigError(f"scenario.name={self.name!r}: must be a non-empty name")
        _set(
            self,
            description=plain(check_text(self.description, "scenario.description")),
            title=plain(check_text(self.title, "scenario.title")),
        )
        if not isinstance(self.changes, list | tuple):
            raise ConfigError(f"scenario.changes={self.changes!r}: must be a list of changes")
        for i, change in enumerate(self.changes):
            if not isinstance(change, Mapping) or "op" not in change:
                raise ConfigError(
                    f"scenario.changes[{i}]={change!r}: must be a mapping with an 'op'"
                )
        _set(self, changes=tuple(plain(c) for c in self.changes))


@dataclass(frozen=True)
class StrategySpec:
    """A strategy by name (a key of ``STRATEGIES``) with its parameters.

    ``title`` and ``description`` are display texts as in :class:`ScenarioSpec`.
    """

    name: str = "status_quo"
    params: dict[str, Any] = field(default_factory=dict)
    title: str | dict[str, str] = ""
    description: str | dict[str, str] = ""

    def __post_init__(self) -> None:
        """Check the name and the parameters (by building the strategy once)."""
        check_choice(self.name, "strategy", list(STRATEGIES))
        _set(
            self,
            title=plain(check_text(self.title, "strategy.title")),
            description=plain(check_text(self.description, "strategy.description")),
        )
        _set(self, params=plain(check_keys(self.params, "strategy.params", list(self.params))))
        try:
            build_strategy(self.name, **self.params)
        except ScenarioError as exc:
            raise ConfigError(str(exc)) from None


def _world(value: Any) -> WorldSpec:
    if isinstance(value, WorldSpec):
        return value
    if isinstance(value, Path):
        return WorldSpec(path=value)
    if isinstance(value, str):
        if value in embedded_worlds():
            return WorldSpec(name=value)
        if not Path(value).expanduser().is_dir():
            raise ConfigError(
                f"world={value!r}: neither an embedded world {list(embedded_worlds())} "
                "nor a world folder"
            )
        return WorldSpec(path=value)
    return WorldSpec(**check_keys(value, "world", ["name", "path"]))


def _scenario(value: Any) -> ScenarioSpec:
    if isinstance(value, ScenarioSpec):
        return value
    if isinstance(value, str):
        if _scenario_library is None and value == ScenarioSpec.name:
            return ScenarioSpec()
        if _scenario_library is None:
            raise ConfigError(
                f"scenario={value!r}: no scenario library is loaded (import servicesim), "
                "or give the scenario as a mapping"
            )
        value = _scenario_library(value)
    keys = ["name", "title", "description", "changes"]
    return ScenarioSpec(**check_keys(value, "scenario", keys))


def _strategy(value: Any) -> StrategySpec:
    if isinstance(value, StrategySpec):
        return value
    if isinstance(value, str):
        if _strategy_library is None:
            return StrategySpec(name=value)
        value = _strategy_library(value)
    keys = ["name", "title", "description", "params"]
    return StrategySpec(**check_keys(value, "strategy", keys))


def _forecast(value: Any) -> ForecastOptions:
    if isinstance(value, ForecastOptions):
        return value
    try:
        return ForecastOptions.from_mapping(value)
    except OptionError as exc:
        raise ConfigError(str(exc)) from None


def _oracle(value: Any) -> OracleSearch:
    if isinstance(value, OracleSearch):
        return value
    values = check_keys(value, "oracle", [f.name for f in fields(OracleSearch)])
    try:
        return OracleSearch(**values)
    except ScenarioError as exc:
        raise ConfigError(str(exc)) from None


@dataclass(frozen=True)
class RunSpec:
    """Everything one run depends on, checked when built.

    Parameters
    ----------
    world : WorldSpec, str, Path or mapping, default "sysma"
        An embedded world by name (``"sysma"``, ``"paijat_hame"``), a world folder, or
        ``{"name": ..., "path": ...}``.
    scenario : ScenarioSpec, str or mapping, default "status_quo"
        ``{"name", "description", "changes"}`` with the dated changes as plain
        mappings, or the name of a shipped scenario (resolved at construction).
    strategy : StrategySpec, str or mapping, default "status_quo"
        A strategy name, or ``{"name": ..., "params": {...}}``.
    forecast : ForecastOptions or mapping
        The ``forecast.*`` options (missing ones take their defaults); see
        :class:`forecasting.options.ForecastOptions`.
    costs : CostSettings or mapping
        The ``costs.*`` options (discount rate, capacity unit costs, penalties).
    simulation : SimulationParams or mapping
        The ``simulation.*`` options (segments, car access, choice...).
    seed : int, default 0
        Root of every random stream of the run, 0..2**63-1.
    horizon_years : int, default 20
        Simulated years, 1..60, from January after the world's base year.
    regret : bool, default False
        Also run the oracle and store ``oracle_objective`` and ``regret_eur``.
    oracle : OracleSearch or mapping
        The ``oracle.*`` options: the parameter grid the oracle searches with perfect
        foresight when ``regret`` is on; see :class:`scenarios.strategies.oracle.OracleSearch`.
    progress : bool, default False
        Show a progress bar on stderr (the results do not depend on it).

    Raises
    ------
    ConfigError
        On any bad value, naming the option as the command line spells it.
    """

    world: WorldSpec = field(default_factory=WorldSpec)
    scenario: ScenarioSpec = field(default_factory=ScenarioSpec)
    strategy: StrategySpec = field(default_factory=StrategySpec)
    forecast: ForecastOptions = field(default_factory=ForecastOptions)
    costs: CostSettings = field(default_factory=CostSettings)
    simulation: SimulationParams = field(default_factory=SimulationParams)
    seed: int = 0
    horizon_years: int = 20
    regret: bool = False
    oracle: OracleSearch = field(default_factory=OracleSearch)
    progress: bool = False

    def __post_init__(self) -> None:
        """Convert names and mappings into the typed parts and check every value."""
        _set(
            self,
            world=_world(self.world),
            scenario=_scenario(self.scenario),
            strategy=_strategy(self.strategy),
            forecast=_forecast(self.forecast),
            costs=cost_settings(self.costs),
            simulation=simulation_params(self.simulation),
            seed=check_int(self.seed, "seed", 0, MAX_SEED),
            horizon_years=check_int(self.horizon_years, "horizon_years", 1, 60),
            regret=check_bool(self.regret, "regret"),
            oracle=_oracle(self.oracle),
            progress=check_bool(self.progress, "progress"),
        )

    @property
    def sample(self) -> int:
        """The forecast sample path the run follows (``forecast.sample`` or seed mod n)."""
        if self.forecast.sample is not None:
            return self.forecast.sample
        return self.forecast.sample_for(self.seed)

    @classmethod
    def from_mapping(cls, values: Any) -> RunSpec:
        """Build from a plain mapping laid out like :meth:`to_mapping` (unknown keys refused)."""
        return cls(**check_keys(values, "", [f.name for f in fields(cls)]))

    def to_mapping(self) -> dict[str, Any]:
        """Plain mapping of every value (lists, dicts, text, numbers)."""
        return {f.name: plain(getattr(self, f.name)) for f in fields(self)}

    def to_yaml(self) -> str:
        """Write the spec as YAML text; :meth:`from_yaml` reads it back to an equal spec."""
        values = self.to_mapping()
        text = yaml.safe_dump(values, sort_keys=False, allow_unicode=True)
        if yaml.safe_load(text) != values:  # PyYAML reads some characters (NEL...) back
            text = yaml.safe_dump(values, sort_keys=False)  # as others: escape them all
        return text

    @classmethod
    def from_yaml(cls, text: str) -> RunSpec:
        """Read a spec written by :meth:`to_yaml`."""
        try:
            values = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"run spec: not valid YAML: {exc}") from None
        return cls.from_mapping(values)

    @classmethod
    def from_dataset(cls, ds: Any) -> RunSpec:
        """Rebuild the spec of a run from its results (``attrs["config"]``).

        Raises
        ------
        ConfigError
            If the dataset carries no run spec.
        """
        text = getattr(ds, "attrs", {}).get("config", "")
        if not text:
            raise ConfigError("the dataset has no run spec in attrs['config']")
        return cls.from_yaml(text)
