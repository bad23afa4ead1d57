"""The planner's report: one self-contained HTML file plus the figures as PNG.

Built from ``comparison.nc`` (see :mod:`experiments.aggregate`): a summary table per
scenario x strategy (mean and 90 % interval over seeds, best value per column marked)
and the figures of :mod:`experiments.report_figures`, embedded as base64 PNG so the
file opens without network. Figures whose variables are not in the results are left
out with a note saying so.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr

from experiments.output import write_bytes_atomic
from experiments.report_figures import FIGURES, combos
from experiments.summary import METRICS

REPORT_FILE = "report.html"
FIGURE_DIR = "figures"

CSS = """
body { font-family: sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
table { border-collapse: collapse; font-size: 0.85em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.5em; text-align: right; }
th { background: #f0f0f0; } td.name { text-align: left; }
td.best { background: #dff0d8; font-weight: bold; }
.interval { color: #666; font-size: 0.85em; }
figure { margin: 1.5em 0; } img { max-width: 100%; }
.note { color: #8a6d3b; background: #fcf8e3; padding: 0.4em; }
.scroll { overflow-x: auto; }
"""


def summary_rows(ds: xr.Dataset) -> tuple[list[str], list[dict]]:
    """Metrics present in ``ds`` and one row per scenario x strategy.

    Returns
    -------
    metrics : list of str
        Keys of :data:`METRICS` with at least one non-NaN value.
    rows : list of dict
        ``scenario``, ``strategy``, ``n`` (seeds) and per metric ``(mean, p5, p95)``.
    """
    metrics = [m for m in METRICS if f"metric_{m}" in ds and ds[f"metric_{m}"].notnull().any()]
    rows = []
    for s, k in combos(ds):
        row: dict = {"scenario": s, "strategy": k}
        for m in metrics:
            values = ds[f"metric_{m}"].sel(scenario=s, strategy=k).values
            values = values[~np.isnan(values)]
            row["n"] = max(row.get("n", 0), len(values))
            if len(values):
                p5, p95 = np.percentile(values, [5, 95])
                row[m] = (float(values.mean()), float(p5), float(p95))
            else:
                row[m] = (np.nan, np.nan, np.nan)
        rows.append(row)
    return metrics, rows


def _fmt(value: float) -> str:
    if np.isnan(value):
        return "–"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.2f}"


def summary_table_html(ds: xr.Dataset) -> str:
    """Render the summary table as HTML; the best mean of each column has class ``best``."""
    metrics, rows = summary_rows(ds)
    best = {}
    for m in metrics:
        means = [r[m][0] for r in rows if not np.isnan(r[m][0])]
        if len(set(means)) > 1:  # a column where every row ties has no best
            best[m] = min(means) if METRICS[m].better == "lower" else max(means)
    head = "".join(
        f"<th>{html.escape(METRICS[m].label)}<br><small>{html.escape(METRICS[m].unit)}, "
        f"{METRICS[m].better} is better</small></th>"
        for m in metrics
    )
    body = []
    for r in rows:
        cells = []
        for m in metrics:
            mean, p5, p95 = r[m]
            mark = m in best and mean == best[m] and len(rows) > 1
            cells.append(
                f'<td class="{"best" if mark else ""}">{"★ " if mark else ""}{_fmt(mean)}'
                f'<br><span class="interval">[{_fmt(p5)}, {_fmt(p95)}]</span></td>'
            )
        body.append(
            f'<tr><td class="name">{html.escape(r["scenario"])}</td>'
            f'<td class="name">{html.escape(r["strategy"])}</td><td>{r["n"]}</td>'
            + "".join(cells)
            + "</tr>"
        )
    absent = [m for m in METRICS if m not in metrics]
    note = (
        f'<p class="note">Not in these results (left out): {", ".join(absent)}.</p>'
        if absent
        else ""
    )
    return (
        '<div class="scroll"><table id="summary"><tr><th>scenario</th><th>strategy</th>'
        "<th>seeds</th>" + head + "</tr>" + "".join(body) + "</table></div>" + note
    )


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return buf.getvalue()


def render_report(ds: xr.Dataset) -> tuple[str, dict[str, bytes]]:
    """Build the report's HTML text and its figures as PNG bytes (by figure key)."""
    pngs: dict[str, bytes] = {}
    sections = []
    for key, (title, draw) in FIGURES.items():
        result = draw(ds)
        if isinstance(result, str):
            sections.append(
                f"<h2>{html.escape(title)}</h2>"
                f'<p class="note" data-omitted="{key}">Omitted: {html.escape(result)}.</p>'
            )
            continue
        pngs[key] = _png(result)
        data = base64.b64encode(pngs[key]).decode("ascii")
        sections.append(
            f"<h2>{html.escape(title)}</h2><figure>"
            f'<img data-figure="{key}" alt="{html.escape(title)}" '
            f'src="data:image/png;base64,{data}"></figure>'
        )
    scenarios = ", ".join(str(s) for s in ds["scenario"].values)
    strategies = ", ".join(str(s) for s in ds["strategy"].values)
    missing = int(ds["metric_cost_per_year"].isnull().sum())
    title = str(ds.attrs.get("title", "")).removeprefix("servicesim run: ")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>servicesim comparison: {html.escape(str(ds.attrs.get("world", "")))}</title>
<style>{CSS}</style></head><body>
<h1>Service network comparison: {html.escape(title)}</h1>
<p>{int(ds.attrs.get("n_runs", 0))} runs. Scenarios: {html.escape(scenarios)}.
Strategies: {html.escape(strategies)}. Seeds: {ds.sizes["seed"]}
(each seed follows its own forecast sample path and its own random draws).
{f"{missing} scenario x strategy x seed combinations have no run (empty)." if missing else ""}
</p>
<h2>Summary</h2>
<p>Mean over seeds, 90 % interval below it [5th, 95th percentile]; ★ marks the best mean
of each column (none where every row ties). Means over all simulated months; costs per year.</p>
{summary_table_html(ds)}
{"".join(sections)}
<p><small>{html.escape(str(ds.attrs.get("source", "")))}</small></p>
</body></html>
"""
    return page, pngs


def write_report(ds: xr.Dataset, out_dir: Path) -> Path:
    """Write ``report.html`` and ``figures/<name>.png`` into ``out_dir`` atomically.

    Returns
    -------
    Path
        The HTML file.
    """
    out_dir = Path(out_dir)
    page, pngs = render_report(ds)
    figures = out_dir / FIGURE_DIR
    figures.mkdir(parents=True, exist_ok=True)
    for key, data in pngs.items():
        write_bytes_atomic(data, figures / f"{key}.png")
    target = out_dir / REPORT_FILE
    write_bytes_atomic(page, target)
    return target
