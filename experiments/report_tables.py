"""The report's tables: a compact table of seven figures per plan, and the details.

The compact table (:func:`compact_table`) has at most :data:`MAX_COLUMNS` columns:
the plan, then standards compliance, waiting time, access, cost, net present cost
and the number of network changes. Each cell is the mean over seeds with the 90 %
interval (5th-95th percentile) under it; the best mean of a column within a scenario
is marked. The details (:func:`details_tables`) are one table per scenario, the
metrics as rows and the strategies as columns (best marked too), so they fit the
page width. Money is
shown in millions or thousands of euros, units in words, numbers as the language
writes them (:mod:`experiments.i18n`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import xarray as xr

from experiments.i18n import format_keur, format_meur, format_number, format_percent
from experiments.report_context import ReportContext
from experiments.summary import METRICS

#: The compact table's column limit (the plan column included).
MAX_COLUMNS = 8


def N_(text: str) -> str:  # noqa: N802 - the gettext marker: translated when rendered
    """Mark ``text`` for translation; it is translated where it is shown."""
    return text


@dataclass(frozen=True)
class Column:
    """How one metric is shown: its heading, its unit in words and its number form.

    ``form`` is ``meur`` or ``keur`` (euros), ``share`` (a percentage, the value
    in %), ``d1`` or ``d0`` (decimals), ``seeds`` (share of seeds, 0-1, shown in %).
    """

    metric: str
    heading: str
    unit: str
    form: str


COMPACT = (
    Column("feasible", N_("Meets every standard"), N_("share of seeds"), "seeds"),
    Column("wait_p90_days", N_("Waiting time (P90)"), N_("days"), "d1"),
    Column("share_within_20min", N_("Within 20 minutes"), N_("share of visits"), "share"),
    Column("cost_per_year", N_("Cost a year"), N_("euros a year"), "meur"),
    Column("npv_cost", N_("Net present cost"), N_("euros"), "meur"),
    Column("n_changes", N_("Network changes"), N_("changes"), "d1"),
)
DETAILS = (
    Column("unmet_share", N_("Unmet demand"), N_("share of demand"), "share"),
    Column("unmet_per_year", N_("Unmet demand"), N_("visits or places a year"), "d0"),
    Column("utilisation", N_("Utilisation"), N_("share of capacity"), "share"),
    Column("mean_travel_minutes", N_("Travel time per visit"), N_("minutes"), "d1"),
    Column("pupils_over_transport_km", N_("Pupils beyond the transport limit"), N_("pupils"), "d1"),
    Column("peak_to_trough", N_("Seasonal peak to trough of demand"), N_("ratio"), "d1"),
    Column("equity_gap_no_car_vs_car", N_("Travel gap: no car vs car"), N_("minutes"), "d1"),
    Column(
        "equity_gap_age_75_plus_vs_rest", N_("Travel gap: aged 75+ vs others"), N_("minutes"), "d1"
    ),
    Column(
        "equity_gap_digital_low_vs_high",
        N_("Travel gap: low vs high digital skills"),
        N_("minutes"),
        "d1",
    ),
    Column(
        "equity_gap_seasonal_vs_permanent",
        N_("Travel gap: seasonal vs permanent residents"),
        N_("minutes"),
        "d1",
    ),
    Column("gini_access", N_("Gini index of access"), N_("index 0-1"), "d2"),
    Column("palma_access", N_("Palma ratio of access"), N_("ratio"), "d2"),
    Column("standards_shortfall", N_("Standards shortfall"), N_("share of months"), "d2"),
    Column("objective", N_("Planner's objective"), N_("euros"), "meur"),
    Column("regret_best", N_("Regret against the best known plan"), N_("euros"), "meur"),
)


def heading(text: str, level: str = "h3") -> str:
    """Return an escaped heading element."""
    return f"<{level}>{html.escape(text)}</{level}>"


def header_row(texts: list[str], small: list[str] | None = None) -> str:
    """Return a table header row of escaped texts, each with an optional small second line."""
    small = small or [""] * len(texts)
    cells = "".join(
        f"<th>{html.escape(t)}" + (f"<br><small>{html.escape(s)}</small>" if s else "") + "</th>"
        for t, s in zip(texts, small, strict=True)
    )
    return f"<tr>{cells}</tr>"


def fmt(form: str, value: float, lang: str) -> str:
    """Format one value of a column ``form`` in ``lang``."""
    if form == "meur":
        return format_meur(value, lang)
    if form == "keur":
        return format_keur(value, lang)
    if form == "share":
        return format_percent(value / 100.0, lang, 1)
    if form == "seeds":
        return format_percent(value, lang)
    return format_number(value, lang, int(form[1]) if form[0] == "d" else 0)


def stats(ds: xr.Dataset, metric: str, scenario: str, strategy: str) -> tuple[float, ...]:
    """Mean, 5th and 95th percentile over seeds, and the number of seeds (NaN if none)."""
    name = f"metric_{metric}"
    if name not in ds:
        return (np.nan, np.nan, np.nan, 0)
    values = ds[name].sel(scenario=scenario, strategy=strategy).values.astype(float)
    values = values[~np.isnan(values)]
    if not len(values):
        return (np.nan, np.nan, np.nan, 0)
    p5, p95 = np.percentile(values, [5, 95])
    return (float(values.mean()), float(p5), float(p95), len(values))


def present(ds: xr.Dataset, columns: tuple[Column, ...]) -> list[Column]:
    """Return the columns whose metric has a value in the comparison."""
    return [
        c
        for c in columns
        if f"metric_{c.metric}" in ds and bool(ds[f"metric_{c.metric}"].notnull().any())
    ]


def cell(column: Column, values: tuple[float, ...], lang: str, best: bool = False) -> str:
    """One table cell: the mean and, with two seeds or more, the 90 % interval."""
    mean, p5, p95, n = values
    text = fmt(column.form, mean, lang)
    if n > 1 and not np.isnan(p5) and column.form != "seeds":
        low, high = fmt(column.form, p5, lang), fmt(column.form, p95, lang)
        text += f'<br><span class="interval">{html.escape(low)} – {html.escape(high)}</span>'
    mark = ' class="best"' if best else ""
    return f"<td{mark}>{'★ ' if best else ''}{text}</td>"


def _best(ds: xr.Dataset, column: Column, scenario: str, plans: list[str]) -> float | None:
    means = [stats(ds, column.metric, scenario, k)[0] for k in plans]
    means = [m for m in means if not np.isnan(m)]
    if len(set(means)) < 2:
        return None  # a column where every plan ties has no best
    lower = METRICS[column.metric].better == "lower"
    return min(means) if lower else max(means)


def compact_table(ds: xr.Dataset, ctx: ReportContext, recommended: dict[str, str]) -> str:
    """Render the compact table: one row per plan, grouped by scenario (status quo first).

    ``recommended`` maps a scenario to its recommended strategy (marked with ✔).
    """
    _ = ctx.gettext
    columns = present(ds, COMPACT)[: MAX_COLUMNS - 1]
    rows = [
        header_row(
            [_("Plan"), *(_(c.heading) for c in columns)], ["", *(_(c.unit) for c in columns)]
        )
    ]
    for scenario in ctx.scenarios:
        plans = [k for s, k in ctx.plans if s == scenario]
        if not plans:
            continue
        title = html.escape(ctx.title("scenario", scenario))
        rows.append(f'<tr class="group"><th colspan="{1 + len(columns)}">{title}</th></tr>')
        best = {c.metric: _best(ds, c, scenario, plans) for c in columns}
        for strategy in plans:
            name = html.escape(ctx.title("strategy", strategy))
            if recommended.get(scenario) == strategy:
                name = f'<span class="recommended">✔ {name}</span>'
            cells = []
            for c in columns:
                values = stats(ds, c.metric, scenario, strategy)
                cells.append(cell(c, values, ctx.lang, values[0] == best[c.metric]))
            rows.append(f'<tr><td class="name">{name}</td>{"".join(cells)}</tr>')
    return f'<table id="summary" class="compact">{"".join(rows)}</table>'


def _chunks(ctx: ReportContext) -> list[tuple[str, list[str]]]:
    """Each scenario's strategies, at most ``MAX_COLUMNS - 1`` to a table."""
    out = []
    width = MAX_COLUMNS - 1
    for scenario in ctx.scenarios:
        plans = [k for s, k in ctx.plans if s == scenario]
        out += [(scenario, plans[i : i + width]) for i in range(0, len(plans), width)]
    return out


def details_tables(ds: xr.Dataset, ctx: ReportContext) -> str:
    """One details table per scenario: the other metrics by strategy."""
    _ = ctx.gettext
    columns = present(ds, DETAILS)
    if not columns:
        return ""
    out = []
    for scenario, plans in _chunks(ctx):
        rows = [header_row([_("Figure"), *(ctx.title("strategy", k) for k in plans)])]
        for c in columns:
            title, unit = _(c.heading), _(c.unit)
            name = f"{html.escape(title)}<br><small>{html.escape(unit)}</small>"
            best = _best(ds, c, scenario, plans)
            values = [stats(ds, c.metric, scenario, k) for k in plans]
            cells = "".join(cell(c, v, ctx.lang, v[0] == best) for v in values)
            rows.append(f'<tr><td class="name">{name}</td>{cells}</tr>')
        title = html.escape(ctx.title("scenario", scenario))
        out.append(
            f'<h3>{title}</h3><table class="details" data-scenario="{html.escape(scenario)}">'
            + "".join(rows)
            + "</table>"
        )
    return "".join(out)
