"""The planner's report: one self-contained HTML file plus the figures as PNG.

Built from ``comparison.nc`` (see :mod:`experiments.aggregate`) in Finnish, Swedish
or English (by default the world's language, ``language`` of its world.yaml). It
opens with the answer (:mod:`experiments.report_summary`: what was compared, which
plans meet every standard at what cost, what to decide by when, what would change
the answer), then the scenarios and strategies as their configs describe them, the
assumptions, a compact table and the details (:mod:`experiments.report_tables`), maps
(:mod:`experiments.report_maps`) and charts (:mod:`experiments.report_figures`),
embedded as base64 PNG so the file opens without network. It prints on A4 pages
(:mod:`experiments.report_css`). Figures whose variables are not in the results are
left out with a note saying so.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import matplotlib.pyplot as plt
import xarray as xr

from experiments.output import write_bytes_atomic
from experiments.report_assumptions import assumptions_html
from experiments.report_context import ReportContext, build_context
from experiments.report_css import css
from experiments.report_figures import FIGURES
from experiments.report_maps import draw_maps
from experiments.report_sensitivity import sensitivity_html
from experiments.report_summary import answers_html, calendar_html, recommended, scope_html
from experiments.report_tables import compact_table, details_tables, heading

__all__ = ["FIGURE_DIR", "REPORT_FILE", "render_report", "write_report"]

REPORT_FILE = "report.html"
FIGURE_DIR = "figures"


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _figure(key: str, title: str, drawn, caption: str, pngs: dict, level: str = "h3") -> str:
    """One figure (embedded PNG) under its heading, or a note saying why it is left out."""
    if isinstance(drawn, str):
        return (
            f"<{level}>{html.escape(title)}</{level}>"
            f'<p class="note" data-omitted="{key}">{html.escape(drawn)}.</p>'
        )
    pngs[key] = _png(drawn)
    data = base64.b64encode(pngs[key]).decode("ascii")
    return (
        f"<{level}>{html.escape(title)}</{level}><figure>"
        f'<img data-figure="{key}" alt="{html.escape(title)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def _chart(key: str, title: str, draw, ds: xr.Dataset, ctx: ReportContext, pngs: dict) -> str:
    drawn = draw(ds, ctx)
    figure, caption = (drawn, "") if isinstance(drawn, str) else drawn
    return _figure(key, title, figure, caption, pngs)


def plans_html(ctx: ReportContext) -> str:
    """Scenarios and strategies as their configs describe them, the status quo first."""
    _ = ctx.gettext
    out = []
    parts = (("scenario", _("Scenarios")), ("strategy", _("Planning strategies")))
    for part, title in parts:
        names = ctx.scenarios if part == "scenario" else ctx.strategies
        items = "".join(
            f"<dt>{html.escape(ctx.title(part, n))}</dt>"
            f"<dd>{html.escape(ctx.description(part, n))}</dd>"
            for n in names
        )
        out.append(f'{heading(title)}<dl class="plans">{items}</dl>')
    return "".join(out)


def _section(key: str, title: str, body: str) -> str:
    return f'<section id="{key}"><h2>{html.escape(title)}</h2>{body}</section>'


def render_report(
    ds: xr.Dataset, lang: str | None = None, folder: Path | None = None
) -> tuple[str, dict[str, bytes]]:
    """Build the report's HTML text and its figures as PNG bytes (by figure key).

    Parameters
    ----------
    ds : xarray.Dataset
        The comparison.
    lang : {"fi", "sv", "en"}, optional
        Language; by default the world's.
    folder : Path, optional
        The sweep folder (read for ``seasonal_sensitivity.csv``).

    Raises
    ------
    ValueError
        On an unknown language.
    """
    ctx = build_context(ds, lang)
    _ = ctx.gettext
    pngs: dict[str, bytes] = {}
    summary = (
        scope_html(ctx)
        + answers_html(ds, ctx)
        + calendar_html(ds, ctx)
        + sensitivity_html(folder, ctx)
    )
    explain = _(
        "Mean over the seeds, 90 % interval under it; ★ marks the best mean of a column "
        "within a scenario (none where all plans tie) and ✔ the recommended plan: the "
        "cheapest that meets every standard. Costs are yearly means; the net present cost "
        "is discounted over the horizon."
    )
    tables = (
        f"<p>{html.escape(explain)}</p>{compact_table(ds, ctx, recommended(ds))}"
        + heading(_("Details"), "h3")
        + details_tables(ds, ctx)
    )
    maps = "".join(_figure(k, _(t), d, c, pngs) for k, t, d, c in draw_maps(ds, ctx))
    charts = "".join(
        _chart(key, _(title), draw, ds, ctx, pngs) for key, (title, draw) in FIGURES.items()
    )
    title = _("Service network comparison: {world}").format(world=ctx.world_title)
    body = "".join(
        [
            _section("answer", _("Summary"), summary),
            _section("plans", _("Scenarios and strategies"), plans_html(ctx)),
            _section("comparison", _("Plans compared"), tables),
            _section("maps", _("Maps"), maps),
            _section("charts", _("Forecasts and charts"), charts),
            _section("assumptions-section", _("Assumptions"), assumptions_html(ds, ctx)),
        ]
    )
    style = css(_("Page"))
    page = f"""<!DOCTYPE html>
<html lang="{ctx.lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{style}</style></head><body>
<h1>{html.escape(title)}</h1>
{body}
<p><small><code>{html.escape(str(ds.attrs.get("source", "")))}</code></small></p>
</body></html>
"""
    return page, pngs


def write_report(ds: xr.Dataset, out_dir: Path, lang: str | None = None) -> Path:
    """Write ``report.html`` and ``figures/<name>.png`` into ``out_dir`` atomically.

    Returns
    -------
    Path
        The HTML file.
    """
    out_dir = Path(out_dir)
    page, pngs = render_report(ds, lang, out_dir)
    figures = out_dir / FIGURE_DIR
    figures.mkdir(parents=True, exist_ok=True)
    for key, data in pngs.items():
        write_bytes_atomic(data, figures / f"{key}.png")
    target = out_dir / REPORT_FILE
    write_bytes_atomic(page, target)
    return target
