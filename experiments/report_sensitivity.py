"""What would change the answer: the sensitivity runs saved beside the sweep.

``python -m experiments.seasonal_sensitivity --csv SWEEP/seasonal_sensitivity.csv``
reruns one plan with the seasonal residents' use rates (an unmeasured estimate)
scaled; the report reads that file (:data:`SENSITIVITY_FILE`) and says how the net
present cost and the standards change. Without it the report says that no
sensitivity runs were made.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from experiments.i18n import format_meur, format_number
from experiments.report_context import ReportContext
from experiments.report_tables import header_row, heading

SENSITIVITY_FILE = "seasonal_sensitivity.csv"
COLUMNS = ("scenario", "strategy", "seed", "seasonal x", "npv_cost_eur", "feasible")


def read_sensitivity(folder: Path | None) -> pd.DataFrame | None:
    """Read the seasonal sensitivity table in ``folder`` (None if absent or unusable)."""
    if folder is None or not (Path(folder) / SENSITIVITY_FILE).is_file():
        return None
    try:
        table = pd.read_csv(Path(folder) / SENSITIVITY_FILE)
    except (ValueError, OSError):
        return None
    return table if set(COLUMNS) <= set(table.columns) and len(table) else None


def _range_sentence(table: pd.DataFrame, ctx: ReportContext) -> str:
    _ = ctx.gettext
    low, high = table["npv_cost_eur"].min(), table["npv_cost_eur"].max()
    first = table.iloc[0]
    return _(
        "The seasonal residents' use of services is an estimate. Scaling their use rates "
        "from {low_x} to {high_x} times the estimate moves the net present cost of {plan} "
        "from {low} to {high}; it meets every standard at {feasible} of the {n} settings."
    ).format(
        low_x=format_number(table["seasonal x"].min(), ctx.lang, 1),
        high_x=format_number(table["seasonal x"].max(), ctx.lang, 1),
        plan=ctx.plan(str(first["scenario"]), str(first["strategy"])),
        low=format_meur(low, ctx.lang),
        high=format_meur(high, ctx.lang),
        feasible=int(table["feasible"].sum()),
        n=len(table),
    )


def sensitivity_html(folder: Path | None, ctx: ReportContext) -> str:
    """Render the "what would change the answer" part of the summary."""
    _ = ctx.gettext
    head = heading(_("What would change the answer"))
    table = read_sensitivity(folder)
    if table is None:
        text = _(
            "No sensitivity runs were made for this comparison, so it does not show which "
            "assumption moves the answer most. The assumptions below are estimates; to "
            "test the seasonal use rates, run:"
        )
        command = f"python -m experiments.seasonal_sensitivity --csv {SENSITIVITY_FILE}"
        return f"{head}<p>{html.escape(text)} <code>{html.escape(command)}</code></p>"
    rows = [
        header_row(
            [_("Seasonal use rates"), _("Net present cost"), _("Meets every standard")],
            [_("times the estimate"), "", ""],
        )
    ]
    yes, no = _("yes"), _("no")
    for _i, row in table.iterrows():
        rows.append(
            f"<tr><td>{format_number(row['seasonal x'], ctx.lang, 1)}</td>"
            f"<td>{format_meur(row['npv_cost_eur'], ctx.lang)}</td>"
            f"<td>{html.escape(yes if int(row['feasible']) else no)}</td></tr>"
        )
    sentence = html.escape(_range_sentence(table, ctx))
    return f'{head}<p>{sentence}</p><table class="sensitivity">{"".join(rows)}</table>'
