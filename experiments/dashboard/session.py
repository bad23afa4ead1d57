"""A workshop session: the current plan's outcome, the previous one, and the last message.

:func:`start` runs a plan; :func:`update` runs an edited plan and makes the current
outcome the previous one. An edit that the scenario checks refuse, or that leaves a
service with no facility (:mod:`~experiments.dashboard.checks`), or whose run fails,
changes nothing but the message: the last valid plan and its figures stay.

Examples
--------
>>> from experiments.dashboard.plan import Plan
>>> from experiments.dashboard.edits import close
>>> s = start(Plan(horizon_years=1))
>>> first = first_month(s.current.plan)
>>> both = close(close(s.current.plan, "sysma_school_centre", first),
...              "sysma_school_nuoramoinen", first)
>>> refused = update(s, both)
>>> refused.current is s.current and "Basic education" in refused.message
True
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import xarray as xr

from experiments.dashboard.checks import service_gaps
from experiments.dashboard.metrics import KeyFigures, key_figures
from experiments.dashboard.plan import Plan, run_spec
from experiments.dashboard.texts import service_name, texts
from experiments.forecast_cache import FileForecasts
from scenarios.changes.scenario import build_scenario
from scenarios.compose import run as compose_run
from scenarios.errors import ScenarioError
from scenarios.spec import ConfigError, RunSpec
from scenarios.worlds.loader import embedded_world_path, load_world
from simulation.world import World

__all__ = ["Outcome", "Session", "first_month", "plan_world", "run_plan", "start", "update"]


@dataclass(frozen=True)
class Outcome:
    """A plan with its run's results, key figures and run time (seconds)."""

    plan: Plan
    results: xr.Dataset
    figures: KeyFigures
    seconds: float


@dataclass(frozen=True)
class Session:
    """What the page shows: the current outcome, the previous one, and a message."""

    current: Outcome
    previous: Outcome | None = None
    message: str = ""
    lang: str = "en"


#: Forecasts made in this process, by their inputs' hash (shared by the page's sessions).
_FORECASTS = FileForecasts(None, memory=True)


@functools.lru_cache(maxsize=8)
def _world(name: str, path: str | None) -> World:
    return load_world(Path(path) if path else embedded_world_path(name))


def plan_world(plan: Plan) -> World:
    """Return the plan's world (loaded once per process)."""
    return _world(plan.world, plan.world_path)


def first_month(plan: Plan) -> str:
    """Return the first simulated month of the plan (``YYYY-MM``): where the edits take effect."""
    return f"{plan_world(plan).base_year + 1}-01"


def problems(plan: Plan, lang: str = "en") -> tuple[RunSpec | None, str]:
    """Return the plan's RunSpec, or None and the reason it is refused (in ``lang``)."""
    tx = texts(lang)
    try:
        spec = run_spec(plan)
        world = plan_world(plan)
        last = f"{world.base_year + spec.horizon_years}-12"
        changes = build_scenario(
            spec.scenario.name,
            spec.scenario.changes,
            world,
            first_month(plan),
            last,
            unit_costs=spec.costs.capacity_unit_cost_eur_per_year,
        ).changes
    except (ConfigError, ScenarioError) as exc:
        return None, str(exc)
    names = {f.id: f.name for f in world.facilities}
    for gap in service_gaps(world, changes):
        facility = getattr(gap.change, "facility", getattr(gap.change, "target", ""))
        return None, tx["gap"].format(
            service=service_name(gap.service, lang),
            month=gap.month,
            facility=names.get(facility, facility),
        )
    return spec, ""


def run_plan(plan: Plan, spec: RunSpec | None = None) -> Outcome:
    """Run a plan (one seed) and time it.

    The run is ``servicesim.run``'s (:func:`scenarios.compose.run`), with the
    forecasts kept in memory between the edits (an edit of the network does not change
    the population forecast; the forecast's inputs are its key, so a new horizon or
    world makes a new one). The results are identical with or without the kept forecast.
    """
    spec = spec or run_spec(plan)
    tic = time.perf_counter()
    ds = compose_run(spec, forecasts=_FORECASTS)
    return Outcome(plan, ds, key_figures(ds), time.perf_counter() - tic)


def start(plan: Plan, lang: str = "en") -> Session:
    """Run a plan as the first of a session.

    Raises
    ------
    ConfigError, ScenarioError
        If the plan itself is refused (there is no earlier plan to keep).
    """
    spec, reason = problems(plan, lang)
    if spec is None:
        raise ConfigError(reason)
    return Session(current=run_plan(plan, spec), lang=lang)


def update(
    session: Session, plan: Plan, runner: Callable[[Plan, RunSpec], Outcome] = run_plan
) -> Session:
    """Run an edited plan; on a refusal or failure keep the session's plan and say why."""
    tx = texts(session.lang)
    spec, reason = problems(plan, session.lang)
    if spec is None:
        return Session(
            session.current, session.previous, tx["refused"].format(reason), session.lang
        )
    try:
        outcome = runner(plan, spec)
    except (ConfigError, ScenarioError, ValueError, RuntimeError) as exc:
        return Session(session.current, session.previous, tx["refused"].format(exc), session.lang)
    return Session(outcome, session.current, "", session.lang)
