"""The assumptions box: every estimate that drives the result, with value and source.

The rows come from :func:`experiments.assumptions.assumptions` (the world and the
configuration every run shared). Each row has a stable ``key`` (``use_rate.library.
seasonal.0-100``, ``capacity.library``...), from which its name is written in the
report's language; values are formatted by locale with their unit in words, and
sources are shown as the file they come from, the law's number, or "estimate".
"""

from __future__ import annotations

import html
import re
from typing import Any

import xarray as xr

from experiments.i18n import format_number, format_percent
from experiments.report_context import ReportContext
from experiments.report_tables import N_, header_row

GROUPS = {
    "run": N_("Simulation"),
    "forecast": N_("Population forecast"),
    "seasonal": N_("Seasonal residents"),
    "use_rate": N_("Use of services"),
    "capacity": N_("Capacity"),
    "cost": N_("Costs"),
    "penalty": N_("Penalties of the planner's objective"),
    "standard": N_("Service standards"),
}
NAMES = {
    "run.base_year": N_("Base year (last year of data)"),
    "run.horizon_years": N_("Horizon"),
    "run.discount_rate": N_("Discount rate of the net present cost"),
    "run.standards_required_share": N_("Share of months a standard must be met"),
    "run.school_transport_km": N_("Free school transport beyond"),
    "run.school_trip_detour": N_("School transport time over the direct car time (estimate)"),
    "run.school_trip_wait_minutes": N_("Waiting for school transport a day (estimate)"),
    "seasonal.residences": N_("Free-time residences"),
    "seasonal.users_per_residence": N_("Seasonal residents per free-time residence"),
    "unit_cost.school_transport": N_("Free school transport per pupil"),
    "penalty.standards_shortfall": N_("Penalty per unit of standards shortfall"),
    "penalty.objective": N_("Planner's objective"),
    "forecast.method": N_("Forecast method"),
    "forecast.n_samples": N_("Forecast paths"),
    "forecast.seasonal": N_("Forecast of the seasonal residents"),
    "forecast.base_period": N_("Years the forecast rates are fitted on"),
    "forecast.fit_start": N_("First year of the fit"),
    "forecast.e0_trend": N_("Trend of life expectancy"),
}
UNITS = {
    "year": N_("year"),
    "years": N_("years"),
    "1 per year": N_("share a year"),
    "1": N_("share"),
    "km": N_("kilometres"),
    "days": N_("days"),
    "minutes": N_("minutes"),
    "residences": N_("residences"),
    "persons": N_("persons"),
    "EUR": N_("euros"),
    "EUR per year": N_("euros a year"),
    "EUR per pupil-year": N_("euros per pupil a year"),
    "EUR per visit or place-month": N_("euros per visit or place a month"),
    "EUR per year per unit of monthly capacity": N_("euros a year per unit of monthly capacity"),
    "visits per person-month": N_("visits per person a month"),
    "places per person-month": N_("places per person a month"),
    "share of eligible persons enrolled": N_("share of those eligible enrolled"),
    "visits per month": N_("visits a month"),
    "places per month": N_("places"),
}
KINDS = {"permanent": N_("permanent residents"), "seasonal": N_("seasonal residents")}
MEASURES = {
    "waiting_days": N_("waiting time"),
    "contact_days": N_("time to first contact"),
    "access_minutes": N_("travel time"),
    "travel_km": N_("school journey"),
    "daily_trip_minutes": N_("daily school trip"),
}
_LAW = re.compile(r"\b\d{2,4}/\d{4}\b")


def _facility(ds: xr.Dataset, facility: str) -> str:
    if "facility_name" in ds and facility in ds["facility"].values:
        return str(ds["facility_name"].sel(facility=facility).item())
    return facility


def row_name(key: str, ds: xr.Dataset, ctx: ReportContext) -> str:
    """Return the name of an assumption row in the report's language, from its key."""
    _ = ctx.gettext
    if key in NAMES:
        return _(NAMES[key])
    parts = key.split(".")
    if parts[0] == "use_rate" and len(parts) == 4:
        return _("{service}: {kind} aged {ages}").format(
            service=ctx.service(parts[1]), kind=_(KINDS.get(parts[2], parts[2])), ages=parts[3]
        )
    if parts[0] == "capacity":
        return _("{service}: capacity of the initial network").format(service=ctx.service(parts[1]))
    if parts[0] == "facility_cost" and len(parts) == 3:
        text = _("{facility}: fixed cost") if parts[2] == "fixed" else _("{facility}: cost per use")
        return text.format(facility=_facility(ds, parts[1]))
    if parts[0] == "unit_cost":
        return _("{service}: yearly cost of a unit of capacity").format(
            service=ctx.service(parts[1])
        )
    if parts[0] == "penalty" and len(parts) == 3:
        return _("{service}: penalty per unit of unmet demand").format(
            service=ctx.service(parts[2])
        )
    if parts[0] == "forecast":
        return _("Forecast option {name}").format(name=parts[1])
    if parts[0] == "standard" and len(parts) >= 5:
        what = _("{service}: {measure}").format(
            service=ctx.service(parts[1]), measure=_(MEASURES.get(parts[2], parts[2]))
        )
        return what + (_(", limit") if parts[-1] == "limit" else _(", share within the limit"))
    return key


def _value(row: Any, ctx: ReportContext) -> str:
    value = row.value
    if isinstance(value, str):
        return f"<code>{html.escape(value)}</code>"
    if row.unit in ("1", "1 per year"):
        return format_percent(value, ctx.lang, 1)
    if row.unit == "year" or row.key.endswith(("_year", "_start")):
        return str(int(value))  # a calendar year, not a quantity
    digits = 0 if abs(value) >= 100 or float(value).is_integer() else (2 if abs(value) >= 1 else 3)
    return format_number(value, ctx.lang, digits)


def _source(source: str, ctx: ReportContext) -> str:
    _ = ctx.gettext
    laws = _LAW.findall(source)
    parts = []
    if "estimate" in source:
        parts.append(_("estimate"))
    if laws:
        parts.append(_("law {numbers}").format(numbers=", ".join(dict.fromkeys(laws))))
    files = re.findall(r"[\w./:-]+\.(?:yaml|csv)", source)
    if files:
        parts.append(f"<code>{html.escape(files[0])}</code>")
    elif "config" in source and not laws:
        parts.append(_("run configuration"))
    return ", ".join(p if p.startswith("<code>") else html.escape(p) for p in parts)


def assumptions_html(ds: xr.Dataset, ctx: ReportContext, rows: list | None = None) -> str:
    """Render the assumptions box (``rows`` default to ``experiments.assumptions``)."""
    _ = ctx.gettext
    if rows is None:
        try:
            from experiments.assumptions import assumptions
        except ImportError:  # the module of the tables helper (issue 14 part 3)
            assumptions = None
        try:
            rows = assumptions(ds) if assumptions is not None else None
            reason = "experiments.assumptions"
        except (ValueError, OSError) as exc:
            rows, reason = None, str(exc)
        if rows is None:
            text = _("The assumptions could not be listed:")
            return f'<p class="note">{html.escape(text)} <code>{html.escape(reason)}</code></p>'
    head = header_row([_("Assumption"), _("Value"), _("Unit"), _("Source")])
    body, group = [head], None
    for row in rows:
        if row.group != group:
            group = row.group
            name = html.escape(_(GROUPS.get(group, group)))
            body.append(f'<tr class="group"><th colspan="4">{name}</th></tr>')
        unit = _(UNITS[row.unit]) if row.unit in UNITS else html.escape(row.unit)
        body.append(
            f'<tr><td class="name">{html.escape(row_name(row.key, ds, ctx))}</td>'
            f'<td>{_value(row, ctx)}</td><td class="name">{unit}</td>'
            f'<td class="name">{_source(row.source, ctx)}</td></tr>'
        )
    return f'<div class="assumptions"><table id="assumptions">{"".join(body)}</table></div>'
