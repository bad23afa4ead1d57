"""Check every run of a sweep before the first one starts.

The sweep's overrides are expanded into the runs' override lists (as Hydra's basic
sweeper does). Every value of every override is composed into a run config and
validated like a single run's (one config per value, not per combination, so a large
sweep is checked in seconds), and all problems are reported at once, each naming the
option and its allowed values. Each run's folder is computed the way Hydra names it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from hydra._internal.config_loader_impl import get_overrides_dirname
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import ConfigCompositionException, MissingConfigException
from omegaconf import DictConfig, OmegaConf, open_dict

from experiments.settings import ConfigError, settings_from_config, sweep_settings_from_config
from scenarios.changes.scenario import build_scenario
from scenarios.errors import ScenarioError, WorldFileError
from scenarios.spec_checks import english
from scenarios.strategies import build_strategy
from scenarios.worlds.loader import embedded_world_path, load_world


@dataclass(frozen=True)
class PlannedRun:
    """One run of a sweep: its overrides and the folder it writes to."""

    overrides: tuple[str, ...]
    run_dir: Path


def sweep_values(overrides: list[str]) -> list[list[str]] | None:
    """Each override's values as ``key=value`` strings (one for a plain override).

    Returns None when a sweep is not discrete (``interval(...)`` for the Optuna
    sweeper): such runs are only known while the sweep runs.

    Examples
    --------
    >>> sweep_values(["seed=range(0,2)", "scenario=a,b", "horizon_years=2"])
    [['seed=0', 'seed=1'], ['scenario=a', 'scenario=b'], ['horizon_years=2']]
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
    return lists


def expand_overrides(overrides: list[str]) -> list[list[str]] | None:
    """Expand discrete sweeps (``a,b``, ``range(0,3)``) into one override list per run.

    Returns None when a sweep is not discrete, like :func:`sweep_values`.

    Examples
    --------
    >>> expand_overrides(["seed=range(0,2)", "scenario=a,b", "horizon_years=2"])
    ... # doctest: +NORMALIZE_WHITESPACE
    [['seed=0', 'scenario=a', 'horizon_years=2'], ['seed=0', 'scenario=b', 'horizon_years=2'],
     ['seed=1', 'scenario=a', 'horizon_years=2'], ['seed=1', 'scenario=b', 'horizon_years=2']]
    """
    lists = sweep_values(overrides)
    return None if lists is None else [list(c) for c in itertools.product(*lists)]


def one_per_value(lists: list[list[str]]) -> list[list[str]]:
    """Override lists that together use every value once: the first values, then each other.

    Examples
    --------
    >>> one_per_value([["seed=0", "seed=1", "seed=2"], ["scenario=a", "scenario=b"]])
    ... # doctest: +NORMALIZE_WHITESPACE
    [['seed=0', 'scenario=a'], ['seed=1', 'scenario=a'], ['seed=2', 'scenario=a'],
     ['seed=0', 'scenario=b']]
    """
    base = [values[0] for values in lists]
    out = [base]
    for i, values in enumerate(lists):
        out += [[*base[:i], v, *base[i + 1 :]] for v in values[1:]]
    return out


def run_dirs(config: DictConfig, combos: list[list[str]]) -> list[Path] | None:
    """Each run's folder when the sweep subdir is Hydra's override dirname, else None."""
    raw = OmegaConf.to_container(config.hydra.sweep, resolve=False)
    if str(raw.get("subdir")) != "${hydra.job.override_dirname}":
        return None
    naming = config.hydra.job.config.override_dirname
    parser = OverridesParser.create()
    root = Path(str(config.hydra.sweep.dir))
    return [
        root
        / get_overrides_dirname(
            parser.parse_overrides(combo),
            exclude_keys=list(naming.exclude_keys),
            item_sep=naming.item_sep,
            kv_sep=naming.kv_sep,
        )
        for combo in combos
    ]


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
        english(settings.scenario.description),
    )


def _compose(
    loader,
    config: DictConfig,
    combo: list[str],
    first: list[str],
    base: DictConfig | None,
    groups: set[str],
) -> DictConfig:
    """Compose a run config.

    A run differing from the first only in one plain (non-group) value gets the first
    run's config with that value set, which is much faster than composing anew.
    """
    changed = [o for o, f in zip(combo, first, strict=True) if o != f]
    if base is not None and len(changed) == 1:
        (override,) = OverridesParser.create().parse_overrides(changed)
        key = override.get_key_element()
        plain = override.type.name == "CHANGE" and not override.is_force_add()
        if plain and key.split("/")[0].split("@")[0] not in groups:
            cfg = base.copy()
            OmegaConf.update(cfg, key, override.value(), merge=True)
            return cfg
    return loader.load_sweep_config(config, combo)


def plan_sweep(config: DictConfig) -> tuple[list[PlannedRun] | None, list[str]]:
    """Plan and check the runs of the multirun described by ``config``.

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
    lists = sweep_values(task)
    if lists is None:
        return None, []
    combos = [list(c) for c in itertools.product(*lists)]
    dirs = run_dirs(config, combos)
    # Every value is checked once; with a custom sweep subdir every run is composed.
    checked = one_per_value(lists) if dirs is not None else combos
    loader = GlobalHydra.instance().config_loader()
    groups = set(loader.list_groups(""))
    base: DictConfig | None = None
    worlds: dict[Path, object] = {}
    composed: list[Path] = []
    problems: dict[str, None] = {}
    for combo in checked:
        try:
            fast_base = base if dirs is not None else None  # copies keep the first's folder
            cfg = _compose(loader, config, combo, checked[0], fast_base, groups)
            base = base if combo is not checked[0] else cfg
        except MissingConfigException as exc:
            problems[_missing_option(exc)] = None
            continue
        except ConfigCompositionException as exc:
            problems[str(exc).splitlines()[0]] = None
            continue
        composed.append(Path(str(cfg.hydra.sweep.dir)) / str(cfg.hydra.sweep.subdir))
        task_cfg = cfg.copy()
        with open_dict(task_cfg):
            del task_cfg["hydra"]  # as in a job: the task config has no hydra node
        try:
            check_run(task_cfg, worlds)
        except (ConfigError, ScenarioError, WorldFileError) as exc:
            problems[str(exc)] = None
    if dirs is None:
        dirs = composed
    return [PlannedRun(tuple(c), d) for c, d in zip(combos, dirs, strict=False)], list(problems)
