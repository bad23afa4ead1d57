"""The report's opening: the planner's question answered in plain language.

What was compared (world, horizon, base year, runs and seeds), which plans meet
every service standard in each scenario and at what cost (the comparison's
``feasible_share``, ``cheapest_feasible`` and ``cheapest_feasible_npv``), what to
decide by when for each recommended plan (the comparison's ``decision_*`` calendar),
and what would change the answer (:mod:`experiments.report_sensitivity`).
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter

import numpy as np
import xarray as xr

from experiments.i18n import format_date, format_meur, format_number, format_percent
from experiments.report_context import ReportContext
from experiments.report_tables import N_, header_row, heading, stats
from scenarios.strategies.registry import FORESIGHT_STRATEGIES

#: Share of seeds in which a plan must meet every standard to count as feasible
#: (the default of :func:`experiments.aggregate.cheapest_feasible`).
SEED_SHARE = 0.9
#: Decisions listed per recommended plan (the earliest first; the rest are counted).
MAX_DECISIONS = 20

OPERATIONS = {
    "open": N_("open"),
    "close": N_("close"),
    "merge": N_("merge"),
    "resize": N_("change capacity"),
    "relocate": N_("relocate"),
    "open_seasonally": N_("open for the season"),
    "co_locate": N_("move into a shared building"),
    "add_mobile_route": N_("add a mobile service route"),
    "add_digital_channel": N_("add a digital channel"),
}


def recommended(ds: xr.Dataset) -> dict[str, str]:
    """Each scenario's cheapest feasible strategy (scenarios without one left out)."""
    if "cheapest_feasible" not in ds:
        return {}
    out = {}
    for scenario in ds["scenario"].values:
        name = str(ds["cheapest_feasible"].sel(scenario=scenario).item())
        if name != "none":
            out[str(scenario)] = name
    return out


def _money_with_interval(ds, metric: str, scenario: str, strategy: str, ctx) -> str:
    mean, p5, p95, n = stats(ds, metric, scenario, strategy)
    text = format_meur(mean, ctx.lang)
    if n > 1:
        text += f" ({format_meur(p5, ctx.lang)} – {format_meur(p95, ctx.lang)})"
    return text


def _npv_median(ds: xr.Dataset, scenario: str, strategy: str, ctx: ReportContext) -> str:
    """Median NPV of the cheapest feasible plan with its 5-95 % band (``cheapest_feasible_npv``)."""
    if "cheapest_feasible_npv" not in ds:
        return _money_with_interval(ds, "npv_cost", scenario, strategy, ctx)
    low, mid, high = ds["cheapest_feasible_npv"].sel(scenario=scenario).values
    text = format_meur(mid, ctx.lang)
    if ctx.n_seeds > 1:
        text += f" ({format_meur(low, ctx.lang)} – {format_meur(high, ctx.lang)})"
    return text


def scope_html(ctx: ReportContext) -> str:
    """Say what was compared: world, horizon, base year, plans, runs and seeds."""
    _ = ctx.gettext
    first, last = ctx.years[0], ctx.years[-1]
    text = _(
        "This report compares {plans} plans for {world}: {scenarios} scenarios of the "
        "service network, each with {strategies} planning strategies, simulated month by "
        "month from {first} to {last} ({years} years after the base year {base})."
    ).format(
        plans=len(ctx.plans),
        world=ctx.world_title,
        scenarios=len(ctx.scenarios),
        strategies=len(ctx.strategies),
        first=first,
        last=last,
        years=last - first + 1,
        base=ctx.base_year,
    )
    runs = _(
        "{runs} simulation runs, {seeds} seeds per plan: each seed follows its own "
        "population forecast path and its own random draws. Figures are means over the "
        "seeds with the 90 % interval (5th to 95th percentile) in brackets."
    ).format(runs=format_number(ctx.n_runs, ctx.lang), seeds=ctx.n_seeds)
    return f"<p>{html.escape(text)}</p><p>{html.escape(runs)}</p>"


def _scenario_answer(ds: xr.Dataset, ctx: ReportContext, scenario: str) -> str:
    _ = ctx.gettext
    title = html.escape(ctx.title("scenario", scenario))
    plans = [k for s, k in ctx.plans if s == scenario]
    share = ds["feasible_share"].sel(scenario=scenario)
    ok = [k for k in plans if float(share.sel(strategy=k)) >= SEED_SHARE]
    best = recommended(ds).get(scenario)
    if not ok or best is None:
        short = ds["shortfall_mean"].sel(scenario=scenario) if "shortfall_mean" in ds else None

        def rank(k: str) -> tuple[float, float]:
            missed = float(short.sel(strategy=k)) if short is not None else np.nan
            return (float(np.nan_to_num(share.sel(strategy=k))), -np.nan_to_num(missed, nan=1e9))

        adoptable = [k for k in plans if k not in FORESIGHT_STRATEGIES] or plans
        closest = max(adoptable, key=rank)  # a plan that knows the future is no answer
        text = _(
            "No plan meets every service standard in at least {share} of the seeds. "
            "The closest is {plan}: it meets them in {got} of the seeds, and its standards "
            "shortfall is {missed} (share of months, mean over the seeds)."
        ).format(
            share=format_percent(SEED_SHARE, ctx.lang),
            plan=ctx.title("strategy", closest),
            got=format_percent(float(share.sel(strategy=closest)), ctx.lang),
            missed=format_number(-rank(closest)[1], ctx.lang, 2) if short is not None else "–",
        )
        return f"<li><b>{title}</b>: {html.escape(text)}</li>"
    names = ", ".join(ctx.title("strategy", k) for k in ok)
    text = _(
        "{n} of {m} plans meet every service standard in at least {share} of the seeds: "
        "{names}. The cheapest is {plan}: net present cost {npv} (median over the seeds), "
        "cost {cost} a year (mean)."
    ).format(
        n=len(ok),
        m=len(plans),
        share=format_percent(SEED_SHARE, ctx.lang),
        names=names,
        plan=ctx.title("strategy", best),
        npv=_npv_median(ds, scenario, best, ctx),
        cost=_money_with_interval(ds, "cost_per_year", scenario, best, ctx),
    )
    return f"<li><b>{title}</b>: {html.escape(text)}</li>"


def answers_html(ds: xr.Dataset, ctx: ReportContext) -> str:
    """Per scenario: which plans meet every standard, and the cheapest one's cost."""
    _ = ctx.gettext
    head = heading(_("Which plans meet every service standard, at what cost"))
    if "feasible_share" not in ds:
        note = _("The service standards were not assessed in these results.")
        return f'{head}<p class="note">{html.escape(note)}</p>'
    items = "".join(_scenario_answer(ds, ctx, s) for s in ctx.scenarios)
    return f"{head}<ul>{items}</ul>"


def _month(text: str, lang: str) -> str:
    try:
        year, month = (int(p) for p in str(text).split("-")[:2])
    except ValueError:
        return str(text)
    return format_date(dt.date(year, month, 1), lang, "month")


def decision_rows(ds: xr.Dataset, scenario: str, strategy: str) -> list[tuple[tuple, int]]:
    """List the plan's decisions (op, target, decide-by, effective) and their seeds.

    Returns
    -------
    list of (tuple, int)
        Each distinct decision and the number of seeds whose calendar has it, in
        decide-by order.
    """
    plan = ds.sel(scenario=scenario, strategy=strategy)
    seeds = [
        s for s in plan["seed"].values if bool(plan["metric_cost_per_year"].sel(seed=s).notnull())
    ]
    counts: Counter = Counter()
    for seed in seeds:
        run = plan.sel(seed=seed)
        for i in range(run.sizes["decision"]):
            op = str(run["decision_op"].values[i])
            if not op or op == "nan":
                continue
            key = tuple(
                str(run[f"decision_{f}"].values[i]) if f"decision_{f}" in run else ""
                for f in ("op", "target", "decide_by", "effective")
            )
            counts[key] += 1
    return sorted(counts.items(), key=lambda item: (item[0][2], item[0][1]))


def _target(ds: xr.Dataset, ctx: ReportContext, target: str) -> str:
    if target in ctx.services:
        return ctx.service(target)
    if "facility_name" in ds and target in ds["facility"].values:
        return str(ds["facility_name"].sel(facility=target).item())
    return target.replace("_", " ")


def calendar_html(ds: xr.Dataset, ctx: ReportContext) -> str:
    """Render the recommended plans' decision calendars: what to decide by when."""
    _ = ctx.gettext
    head = heading(_("What to decide by when"))
    chosen = recommended(ds)
    if not chosen:
        text = _("No plan is recommended: none meets every standard.")
        return f"{head}<p>{html.escape(text)}</p>"
    if "decision_op" not in ds:
        text = _("The decision calendar is not in these results.")
        return f'{head}<p class="note">{html.escape(text)}</p>'
    columns = [_("Decide by"), _("Takes effect"), _("Change"), _("Facility or service"), _("Seeds")]
    no_change = _("No change to the network.")
    out = [head]
    for scenario, strategy in chosen.items():
        rows = decision_rows(ds, scenario, strategy)
        out.append(f"<h4>{html.escape(ctx.plan(scenario, strategy))}</h4>")
        if not rows:
            out.append(f"<p>{html.escape(no_change)}</p>")
            continue
        n = int(
            ds["metric_cost_per_year"].sel(scenario=scenario, strategy=strategy).notnull().sum()
        )
        cells = [header_row(columns)]
        for (op, target, decide_by, effective), count in rows[:MAX_DECISIONS]:
            change = _(OPERATIONS.get(op, op))
            cells.append(
                f"<tr><td>{_month(decide_by, ctx.lang)}</td><td>{_month(effective, ctx.lang)}</td>"
                f'<td class="name">{html.escape(change)}</td>'
                f'<td class="name">{html.escape(_target(ds, ctx, target))}</td>'
                f"<td>{count} / {n}</td></tr>"
            )
        out.append(f'<table class="calendar">{"".join(cells)}</table>')
        if len(rows) > MAX_DECISIONS:
            more = _("…and {n} later decisions.").format(n=len(rows) - MAX_DECISIONS)
            out.append(f"<p>{html.escape(more)}</p>")
    return "".join(out)
