"""The dashboard page: choices in the sidebar, key figures, figures and edit panels.

Everything a user sees is built from a :class:`~experiments.dashboard.session.Session`
kept per browser tab (``solara.use_state``); an edit runs the plan
(:func:`~experiments.dashboard.session.update`) and the previous outcome stays beside
the new one. The server's settings (a world folder, the language, the folder plans are
saved to) come from the environment the ``servicesim-dashboard`` command sets.
"""

from __future__ import annotations

import dataclasses
import html
import os
import shlex
from pathlib import Path

import solara

from experiments.dashboard import figures, panels
from experiments.dashboard.cli import ENV_LANG, ENV_SAVE, ENV_WORLD
from experiments.dashboard.metrics import KeyFigures, service_rows
from experiments.dashboard.plan import (
    Plan,
    base_spec,
    command,
    config_node,
    save_plan,
    seasonal_segments,
    shipped_scenarios,
    shipped_strategies,
    unit_cost_defaults,
)
from experiments.dashboard.session import Session, first_month, plan_world, start, update
from experiments.dashboard.texts import (
    LANGUAGES,
    format_meur,
    format_percent,
    service_name,
    texts,
)
from experiments.i18n import format_number, label
from scenarios.spec import ConfigError
from scenarios.worlds.loader import embedded_worlds

__all__ = ["Page", "initial_plan", "key_table", "standards_table"]


def initial_plan() -> Plan:
    """Return the first plan: the ``--world`` folder if one was given, else Sysmä; 10 years."""
    path = os.environ.get(ENV_WORLD) or None
    return Plan(world_path=str(Path(path).resolve()) if path else None)


def _figure_row(label: str, key: str, now: str, before: str | None) -> str:
    cells = f'<td data-metric="{key}" data-plan="current">{html.escape(now)}</td>'
    if before is not None:
        cells += f'<td data-metric="{key}" data-plan="previous">{html.escape(before)}</td>'
    return f"<tr><th>{html.escape(label)}</th>{cells}</tr>"


def _formatted(k: KeyFigures, lang: str) -> dict[str, str]:
    tx = texts(lang)
    return {
        "access": format_percent(k.access_share, lang, 1),
        "npv": format_meur(k.npv_eur, lang, 2),
        "cost_year": format_meur(k.cost_per_year_eur, lang, 2),
        "unmet": format_percent(k.unmet_share, lang, 1),
        "standards": tx["of"].format(k.standards_held, k.standards_assessed),
        "worst_wait": tx["days"].format(format_number(k.worst_p90_wait_days, lang)),
    }


def key_table(session: Session) -> str:
    """Return the key figures as an HTML table: current plan, and the previous one if any."""
    lang = session.lang
    tx = texts(lang)
    now = _formatted(session.current.figures, lang)
    before = _formatted(session.previous.figures, lang) if session.previous else None
    head = f"<th>{html.escape(tx['current'])}</th>"
    if before:
        head += f"<th>{html.escape(tx['previous'])}</th>"
    rows = "".join(
        _figure_row(tx[key], key, now[key], before[key] if before else None) for key in now
    )
    return f'<table class="dash-key-figures"><tr><th></th>{head}</tr>{rows}</table>'


def standards_table(session: Session) -> str:
    """Each service's standard status and months met, current (previous) plan."""
    lang = session.lang
    tx = texts(lang)
    old = {r.service: r for r in service_rows(session.previous.results)} if session.previous else {}
    rows = []
    for r in service_rows(session.current.results):
        status = tx.get(r.status, r.status)
        if r.service in old and old[r.service].status != r.status:
            status += f" ({tx['previous'].lower()}: {tx.get(old[r.service].status)})"
        met = "–" if r.months_met != r.months_met else f"{100 * r.months_met:.0f} %"
        rows.append(
            f"<tr><td>{html.escape(service_name(r.service, lang))}</td>"
            f'<td data-service="{r.service}">{html.escape(status)}</td><td>{met}</td></tr>'
        )
    head = f"<tr><th>{tx['service']}</th><th>{tx['status']}</th><th>{tx['months_met']}</th></tr>"
    return f'<table class="dash-standards">{head}{"".join(rows)}</table>'


@solara.component
def Figures(session: Session) -> None:
    """Show the map, the forecast, access, waiting and cost: previous plan beside the current."""
    lang, cur = session.lang, session.current.results
    prev = session.previous.results if session.previous else None
    world = plan_world(session.current.plan)
    tx = texts(lang)
    deps = [id(session.current), id(session.previous), lang]
    made = solara.use_memo(
        lambda: {
            "map": figures.map_figure(world, cur, prev, lang),
            "population": figures.population_figure(cur, lang),
            "access": figures.service_bars(
                cur, prev, lang, lambda r: 100 * r.access_share, tx["access"], "%"
            ),
            "waiting": figures.service_bars(
                cur, prev, lang, lambda r: r.p90_wait_days, tx["waiting"], tx["days"].format("")
            ),
            "cost": figures.cost_figure(cur, prev, lang),
        },
        dependencies=deps,
    )
    with solara.Card(tx["map"]):
        solara.FigureMatplotlib(made["map"], format="png", dependencies=deps)
    for key in ("access", "cost", "waiting", "population"):
        with solara.Card(classes=[f"dash-figure-{key}"]):
            solara.FigureMatplotlib(made[key], format="png", dependencies=deps)


@solara.component
def SavePanel(session: Session) -> None:
    """Save the plan as a scenario file and show the command that runs it."""
    tx = texts(session.lang)
    plan = session.current.plan
    name, set_name = solara.use_state(plan.name)
    folder, set_folder = solara.use_state(os.environ.get(ENV_SAVE) or str(Path("workshop_conf")))
    saved, set_saved = solara.use_state("")

    def save() -> None:
        try:
            named = plan.replace(name=name)
            path = save_plan(named, Path(folder))
            set_saved(f"{tx['saved'].format(path)}\n\n{shlex.join(command(named, Path(folder)))}")
        except (ConfigError, OSError) as exc:
            set_saved(tx["refused"].format(exc))

    with solara.Card(tx["save"], classes=["dash-save-panel"]):
        solara.InputText(tx["plan_name"], value=name, on_value=set_name)
        solara.InputText(tx["save_folder"], value=folder, on_value=set_folder)
        solara.Button(tx["save"], on_click=save, classes=["dash-save"])
        if saved:
            solara.Preformatted(saved, class_="dash-saved")


@solara.component
def Choices(session: Session, on_session) -> None:
    """Language, world, scenario, strategy and horizon."""
    tx = texts(session.lang)
    plan = session.current.plan

    def replan(**changes) -> None:
        on_session(update(session, plan.replace(**changes)))

    def new_world(name: str) -> None:
        try:
            on_session(start(Plan(world=name, horizon_years=plan.horizon_years), session.lang))
        except (ConfigError, ValueError) as exc:  # the world's files are refused: keep ours
            on_session(dataclasses.replace(session, message=tx["refused"].format(exc)))

    solara.Select(
        tx["language"],
        values=list(LANGUAGES),
        value=session.lang,
        on_value=lambda lang: on_session(dataclasses.replace(session, lang=lang)),
    )
    worlds = list(embedded_worlds()) if not plan.world_path else [plan.world_path]
    solara.Select(
        tx["world"], values=worlds, value=plan.world_path or plan.world, on_value=new_world
    )
    for group, names in (("scenario", shipped_scenarios()), ("strategy", shipped_strategies())):
        titles = {label(config_node(group, n), "title", session.lang): n for n in names}
        current = next(t for t, n in titles.items() if n == getattr(plan, group))
        solara.Select(
            tx[group],
            values=list(titles),
            value=current,
            on_value=lambda t, g=group, ts=titles: replan(**{g: ts[t]}),
        )
    years = sorted({5, 10, 15, 20, 25, 30, plan.horizon_years})
    solara.Select(
        tx["horizon"],
        values=years,
        value=plan.horizon_years,
        on_value=lambda n: replan(horizon_years=int(n)),
    )


@solara.component
def Page() -> None:
    """Show the dashboard."""
    default_lang = os.environ.get(ENV_LANG) or "fi"
    first = solara.use_memo(lambda: start(initial_plan(), default_lang), dependencies=[])
    session, set_session = solara.use_state(first)
    lang, plan = session.lang, session.current.plan
    tx = texts(lang)
    world = plan_world(plan)
    month = first_month(plan)
    seasonal = (
        base_spec(plan.replace(seasonal_use=None))
        .simulation.segments[seasonal_segments()[0]]
        .demand_multiplier
    )

    def on_plan(new: Plan) -> None:
        set_session(update(session, new))

    solara.Title(tx["title"])
    with solara.Sidebar():
        Choices(session, set_session)
        panels.AssumptionPanel(plan, unit_cost_defaults(plan), seasonal, on_plan, lang)
    with solara.Column(classes=["dash-main"]):
        solara.HTML(tag="h2", unsafe_innerHTML=html.escape(f"{tx['title']}: {world.title}"))
        with solara.Column():  # a fixed slot: the panels below keep their state
            if session.message:
                solara.Error(session.message, classes=["dash-message"])
        solara.Text(tx["updated"].format(f"{session.current.seconds:.1f}"), classes=["dash-time"])
        with solara.Card(tx["key_figures"]):
            solara.HTML(tag="div", unsafe_innerHTML=key_table(session))
        with solara.Columns([3, 2]):
            Figures(session)
            with solara.Column():
                panels.FacilityPanel(world, plan, on_plan, month, lang)
                panels.EditList(world, plan, on_plan, lang)
                with solara.Card(tx["status_table"]):
                    solara.HTML(tag="div", unsafe_innerHTML=standards_table(session))
                panels.ChannelPanel(world, plan, on_plan, month, lang)
                panels.NewFacilityPanel(world, plan, on_plan, month, lang)
                SavePanel(session)
