"""Check every run of a sweep before the first one starts.

The sweep's overrides are expanded into the runs' override lists (as Hydra's basic
sweeper does), each run's config is composed and validated like a single run's, and
all problems are reported at once, each naming the option and its allowed values.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import ConfigCompositionException, MissingConfigException
from omegaconf import DictConfig, OmegaConf, open_dict

from experiments.settings import ConfigError, settings_from_config, sweep_settings_from_config
from scenarios.changes import build_scenario
from scenarios.errors import ScenarioError, WorldFileError
from scenarios.loader import embedded_world_path, load_world
from scenarios.strategies import build_strategy


@dataclass(frozen=True)
class PlannedRun:
    """One run of a sweep: its overrides and the folder it writes to."""

    overrides: tuple[str, ...]
    run_dir: Path


def expand_overrides(overrides: list[str]) -> list[list[str]] | None:
    """Expand discrete sweeps (``a,b``, ``range(0,3)``) into one override list per run.

    Returns None when a sweep is not discrete (``interval(...)`` for the Optuna
    sweeper): such runs are only known while the sweep runs.

    Examples
    --------
    >>> expand_overrides(["seed=range(0,2)", "scenario=a,b", "horizon_years=2"])
    ... # doctest: +NORMALIZE_WHITESPACE
    [['seed=0', 'scenario=a', 'horizon_years=2'], ['seed=0', 'scenario=b', 'horizon_years=2'],
     ['seed=1', 'scenario=a', 'horizon_years=2'], ['seed=1', 'scenario=b', 'horizon_years=2']]
    """
    lists = []
    for override in OverridesParser.create().parse_overrides(overrides):
        key = override.get_key_element()
        if not override.is_sweep_override():
            lists.append([f"{key}={override.get_value_element_as_str()}"])
        elif override.is_discrete_sweep():
            lists.append([f"{key}={v}" for v in override.sweep_string_iterator()])
        else:
            return None
    return [list(combo) for combo in itertools.product(*lists)]


def _missing_option(exc: MissingConfigException) -> str:
    file = str(exc.missing_cfg_file or "")
    group, _, name = file.rpartition("/")
    if group and exc.options is not None:
        return f"{group}={name!r}: allowed values are {sorted(exc.options)}"
    return str(exc).splitlines()[0]


def check_run(cfg: DictConfig, worlds: dict[Path, object]) -> None:
    """Validate one composed run config as a run would, without simulating.

    Raises
    ------
    ConfigError, ScenarioError, WorldFileError
        Naming the option or file at fault.
    """
    settings = settings_from_config(cfg)
    sweep = sweep_settings_from_config(cfg)
    build_strategy(settings.strategy.name, **settings.strategy.params)
    world_dir = settings.world.path or embedded_world_path(settings.world.name)
    if world_dir not in worlds:
        worlds[world_dir] = load_world(world_dir)
    world = worlds[world_dir]
    if sweep.constraint_service not in (None, *world.service_ids):
        raise ConfigError(
            f"sweep.constraint_service={sweep.constraint_service!r}: allowed values are "
            f"{list(world.service_ids)}"
        )
    first = f"{world.base_year + 1}-01"
    last = f"{world.base_year + settings.horizon_years}-12"
    build_scenario(
        settings.scenario.name,
        settings.scenario.changes,
        world,
        first,
        last,
        settings.scenario.description,
    )


def plan_sweep(config: DictConfig) -> tuple[list[PlannedRun] | None, list[str]]:
    """Compose and check every run of the multirun described by ``config``.

    Parameters
    ----------
    config : DictConfig
        The multirun's config, as Hydra hands it to ``on_multirun_start``.

    Returns
    -------
    runs : list of PlannedRun or None
        Every run with its folder, or None when the sweep is not discrete.
    problems : list of str
        One message per bad option value (duplicates removed); empty when all is well.
    """
    task = list(OmegaConf.to_container(config.hydra.overrides.task, resolve=False))
    params = config.hydra.sweeper.get("params") or {}
    task += [f"{k}={v}" for k, v in params.items()]
    combos = expand_overrides(task)
    if combos is None:
        return None, []
    loader = GlobalHydra.instance().config_loader()
    worlds: dict[Path, object] = {}
    runs: list[PlannedRun] = []
    problems: dict[str, None] = {}
    for combo in combos:
        try:
            cfg = loader.load_sweep_config(config, combo)
        except MissingConfigException as exc:
            problems[_missing_option(exc)] = None
            continue
        except ConfigCompositionException as exc:
            problems[str(exc).splitlines()[0]] = None
            continue
        sweep = cfg.hydra.sweep
        runs.append(PlannedRun(tuple(combo), Path(str(sweep.dir)) / str(sweep.subdir)))
        with open_dict(cfg):
            del cfg["hydra"]  # as in a job: the task config has no hydra node
        try:
            check_run(cfg, worlds)
        except (ConfigError, ScenarioError, WorldFileError) as exc:
            problems[str(exc)] = None
    return runs, list(problems)
