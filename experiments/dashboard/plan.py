"""A workshop plan: the choices and edits of the dashboard, and how the command line runs it.

A :class:`Plan` holds the world, the shipped scenario it starts from, the strategy,
the network changes made in the dashboard (plain mappings in the scenario-file format)
and the assumption sliders (seasonal use, unit costs). It becomes

- a :class:`~scenarios.spec.RunSpec` built exactly as the ``servicesim`` command builds
  it (the Hydra config composed with the plan's overrides), so the dashboard's figures
  are the command line's;
- a scenario file (:func:`scenario_yaml`) plus the command that runs it
  (:func:`command`), written by :func:`save_plan`.

Examples
--------
>>> plan = Plan(scenario="status_quo", horizon_years=2)
>>> plan.overrides()[:3]
['world.name=sysma', 'strategy=status_quo', 'horizon_years=2']
>>> scenario_mapping(plan)["changes"]
[]
"""

from __future__ import annotations

import dataclasses
import functools
import os
import shlex
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hydra import compose, initialize_config_module

from experiments.settings import config_dir, shipped_scenario, spec_from_config
from scenarios.spec import ConfigError, RunSpec, ScenarioSpec

__all__ = [
    "Plan",
    "base_spec",
    "command",
    "run_spec",
    "save_plan",
    "scenario_mapping",
    "scenario_yaml",
    "shipped_scenarios",
    "shipped_strategies",
]

#: Hydra keeps global state: one composition at a time (the server runs sessions in threads).
_HYDRA_LOCK = threading.Lock()


@dataclass(frozen=True)
class Plan:
    """A plan made in the dashboard.

    Parameters
    ----------
    world : str, default "sysma"
        An embedded world's name (ignored when ``world_path`` is given).
    world_path : str, optional
        A world folder (``--world PATH``).
    scenario : str, default "status_quo"
        The shipped scenario the plan starts from (its changes come first).
    strategy : str, default "status_quo"
        The planning strategy.
    edits : tuple of dict
        Network changes made in the dashboard, in the scenario-file format
        (``{"op": "close", "facility": ..., "decided": "YYYY-MM"}``).
    seasonal_use : float, optional
        Multiplier of the seasonal residents' use of services (the seasonal segments'
        ``demand_multiplier``); None keeps the config's value.
    unit_costs : tuple of (str, float)
        Overrides of ``costs.capacity_unit_cost_eur_per_year`` by service (EUR a year
        per unit of monthly capacity).
    horizon_years : int, default 10
        Simulated years.
    seed : int, default 0
        The run's seed.
    name : str, default "workshop_plan"
        Name of the saved scenario.
    description : str, optional
        Its sentence for reports (default: what it was made from).
    """

    world: str = "sysma"
    world_path: str | None = None
    scenario: str = "status_quo"
    strategy: str = "status_quo"
    edits: tuple[dict[str, Any], ...] = ()
    seasonal_use: float | None = None
    unit_costs: tuple[tuple[str, float], ...] = ()
    horizon_years: int = 10
    seed: int = 0
    name: str = "workshop_plan"
    description: str = ""

    def overrides(self) -> list[str]:
        """Hydra overrides of everything but the scenario (world, strategy, sliders...)."""
        out = [f"world.name={self.world}"]
        if self.world_path:
            out = [f"world.path={self.world_path}"]
        out += [
            f"strategy={self.strategy}",
            f"horizon_years={self.horizon_years}",
            f"seed={self.seed}",
        ]
        out += [f"costs.capacity_unit_cost_eur_per_year.{s}={c!r}" for s, c in self.unit_costs]
        if self.seasonal_use is not None:
            out += [
                f"simulation.segments.{i}.demand_multiplier={self.seasonal_use!r}"
                for i in seasonal_segments()
            ]
        return out

    def replace(self, **changes: Any) -> Plan:
        """Return a copy with some fields changed."""
        return dataclasses.replace(self, **changes)


def shipped_scenarios() -> tuple[str, ...]:
    """Names of the scenarios shipped in ``experiments/conf/scenario``, status quo first."""
    names = sorted(p.stem for p in config_dir("scenario").glob("*.yaml"))
    return tuple(sorted(names, key=lambda n: n != "status_quo"))


def shipped_strategies() -> tuple[str, ...]:
    """Names of the strategies shipped in ``experiments/conf/strategy``, status quo first."""
    names = sorted(p.stem for p in config_dir("strategy").glob("*.yaml"))
    return tuple(sorted(names, key=lambda n: n != "status_quo"))


def config_node(group: str, name: str) -> dict[str, Any]:
    """Return a shipped config file (``scenario`` or ``strategy``) as a mapping."""
    return yaml.safe_load((config_dir(group) / f"{name}.yaml").read_text(encoding="utf-8"))


@functools.cache
def seasonal_segments() -> tuple[int, ...]:
    """Return the indices of the seasonal segments in the shipped ``simulation.segments`` list."""
    segments = yaml.safe_load((config_dir("simulation") / "default.yaml").read_text())["segments"]
    return tuple(i for i, s in enumerate(segments) if s.get("kind") == "seasonal")


@functools.lru_cache(maxsize=32)
def _composed_spec(overrides: tuple[str, ...]) -> RunSpec:
    with _HYDRA_LOCK, initialize_config_module("experiments.conf", version_base="1.3"):
        cfg = compose("config", overrides=[*overrides, "simulation.progress=false"])
    return spec_from_config(cfg)


def base_spec(plan: Plan) -> RunSpec:
    """Return the plan's RunSpec without its scenario, as the ``servicesim`` command composes it.

    Raises
    ------
    ConfigError
        If an override is refused (unknown strategy, bad world folder, ...).
    """
    try:
        return _composed_spec(tuple(plan.overrides()))
    except ConfigError:
        raise
    except Exception as exc:  # Hydra's override and composition errors
        raise ConfigError(str(exc)) from None


def scenario_mapping(plan: Plan) -> dict[str, Any]:
    """Return the plan's scenario: the shipped scenario's changes, then the dashboard's edits."""
    base = shipped_scenario(plan.scenario) if plan.scenario != "status_quo" else {}
    changes = [dict(c) for c in base.get("changes") or []] + [dict(e) for e in plan.edits]
    description = plan.description or (
        f"Made in the workshop dashboard from {plan.scenario!r} with {len(plan.edits)} edit(s)."
    )
    return {"name": plan.name, "description": description, "changes": changes}


def run_spec(plan: Plan) -> RunSpec:
    """Return the complete RunSpec of a plan (its scenario included).

    Raises
    ------
    ConfigError
        On a bad override or a malformed change.
    """
    return dataclasses.replace(base_spec(plan), scenario=ScenarioSpec(**scenario_mapping(plan)))


def scenario_yaml(plan: Plan, conf: Path = Path(".")) -> str:
    """Return the plan's scenario file (name, description, changes), with the command in a comment.

    ``conf`` is the config folder holding ``scenario/`` (for the command in the comment).
    """
    head = (
        "# Made in the servicesim workshop dashboard. Run it with the assumptions of the\n"
        "# dashboard's sliders:\n"
        f"#   {shlex.join(command(plan, conf))}\n"
    )
    body = yaml.safe_dump(scenario_mapping(plan), sort_keys=False, allow_unicode=True)
    return head + body


def command(plan: Plan, conf: Path) -> list[str]:
    """Return the ``servicesim`` command that runs the saved plan from config folder ``conf``."""
    search = f"hydra.searchpath=[file://{Path(conf).resolve()}]"
    return ["servicesim", search, f"scenario={plan.name}", *plan.overrides()]


def save_plan(plan: Plan, conf: Path) -> Path:
    """Write the plan as ``conf/scenario/<name>.yaml`` (atomically) and return the path.

    Raises
    ------
    ConfigError
        If the name is not a plain file name (letters, digits, ``_`` and ``-``).
    """
    if not plan.name or not all(c.isalnum() or c in "_-" for c in plan.name):
        raise ConfigError(f"name={plan.name!r}: use letters, digits, '_' and '-' only")
    folder = Path(conf) / "scenario"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{plan.name}.yaml"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{plan.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(scenario_yaml(plan, conf))
    os.replace(tmp, target)
    return target


def unit_cost_defaults(plan: Plan) -> Mapping[str, float]:
    """Return the unit costs of the plan's config before the sliders (EUR/year per unit)."""
    return dict(base_spec(plan.replace(unit_costs=())).costs.capacity_unit_cost_eur_per_year)
