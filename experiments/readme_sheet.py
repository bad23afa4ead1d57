"""The spreadsheet's ``readme`` and ``assumptions`` sheets.

``readme`` says what the file is (world, runs, horizon, who made it), what each
sheet and column means and in which unit, the plan-period measures, and the
configuration every run shared, one setting a row. ``assumptions`` lists
:func:`experiments.assumptions.assumptions`.
"""

from __future__ import annotations

import logging

import pandas as pd
import xarray as xr
import yaml

from experiments.assumptions import Assumption, assumptions, assumptions_frame
from experiments.period_tables import MEASURES, PERIOD_YEARS
from experiments.tables import N_, TEXT, Column

log = logging.getLogger("servicesim.sweep")

README_COLUMNS = (
    Column(
        "sheet",
        N_("sheet the row is about (file: the whole file; config: a setting)"),
        "",
        TEXT,
        N_("sheet"),
    ),
    Column("column", N_("column, measure or setting"), "", TEXT, N_("column")),
    Column("meaning", N_("what it means (or the setting's value)"), "", "General", N_("meaning")),
    Column("unit", N_("unit of the column's values"), "", TEXT, N_("unit")),
)
ASSUMPTION_COLUMNS = (
    Column("key", N_("stable identifier of the estimate"), "", TEXT, N_("key")),
    Column(
        "group",
        N_("run, forecast, seasonal, use_rate, capacity, cost, penalty, standard"),
        "",
        TEXT,
        N_("group"),
    ),
    Column("name", N_("what the estimate is"), "", TEXT, N_("name")),
    Column(
        "value", N_("its value (a number where it is one)"), N_("see unit"), "General", N_("value")
    ),
    Column("unit", N_("unit of the value"), "", TEXT, N_("unit")),
    Column(
        "source",
        N_("where the value comes from (estimate: no data gives it)"),
        "",
        TEXT,
        N_("source"),
    ),
)
CSV_NOTE = N_(
    "the same tables as comparison_<sheet>.csv beside this file, named by the English sheet "
    "name and with English column names in every language: UTF-8 with a byte-order mark, "
    "comma-separated, dot as decimal separator; text beginning with = + - or @ starts with "
    "an apostrophe there"
)
#: The readme's row about a plan-period measure.
MEASURE_MEANING = N_("{meaning} (plan periods of {years} years)")
#: Labels of the readme's rows about the whole file.
ABOUT = {
    "title": N_("title"),
    "world": N_("world"),
    "horizon": N_("horizon"),
    "years simulated": N_("years simulated"),
    "runs": N_("runs"),
    "scenarios": N_("scenarios"),
    "strategies": N_("strategies"),
    "seeds": N_("seeds"),
    "history": N_("history"),
    "source": N_("source"),
    "CSV": N_("CSV files"),
    "varies between runs": N_("varies between runs"),
}
#: The readme's ``sheet`` of rows not about a sheet's column.
README_SHEETS = {
    "file": N_("file"),
    "config": N_("config"),
    "periods: measure": N_("periods: measure"),
}  # fmt: skip


def assumptions_sheet(comparison: xr.Dataset) -> tuple[pd.DataFrame, tuple[Column, ...]]:
    """Build the assumptions table; one explaining row if the world cannot be read here."""
    try:
        rows = assumptions(comparison)
    except Exception as exc:  # noqa: BLE001 - the other sheets are still worth writing
        log.warning("assumptions sheet: %s: %s", type(exc).__name__, exc)
        where = str(comparison.attrs.get("world_path", comparison.attrs.get("world", "")))
        rows = [Assumption("unavailable", "run", f"the world could not be read: {exc}", "",
                           "", where)]  # fmt: skip
    return assumptions_frame(rows), ASSUMPTION_COLUMNS


def _flatten(node, prefix: str = "") -> list[tuple[str, object]]:
    """Dotted keys and values of a nested configuration (lists as YAML text)."""
    if isinstance(node, dict) and node:
        out = []
        for key, value in node.items():
            out += _flatten(value, f"{prefix}{key}.")
        return out
    plain = isinstance(node, int | float | str) and not isinstance(node, bool)
    value = node if plain else yaml.safe_dump(node, default_flow_style=True, width=10**9).strip()
    value = value.removesuffix("\n...").strip() if isinstance(value, str) else value
    return [(prefix.rstrip("."), value)]


def _about(comparison: xr.Dataset) -> list[tuple[str, str, object, str]]:
    attrs = comparison.attrs
    config = yaml.safe_load(attrs.get("config") or "") or {}
    years = comparison["year"].values if "year" in comparison.dims else []
    rows = [
        ("file", "title", str(attrs.get("title", "")), ""),
        ("file", "world", str(attrs.get("world", "")), ""),
        ("file", "runs", int(attrs.get("n_runs", 0)), N_("runs")),
        ("file", "scenarios", int(comparison.sizes.get("scenario", 0)), ""),
        ("file", "strategies", int(comparison.sizes.get("strategy", 0)), ""),
        ("file", "seeds", int(comparison.sizes.get("seed", 0)), ""),
        ("file", "history", str(attrs.get("history", "")), ""),
        ("file", "source", str(attrs.get("source", "")), ""),
        ("file", "CSV", CSV_NOTE, ""),
        ("file", "varies between runs", str(attrs.get("config_varies", "")), ""),
    ]
    if len(years):
        rows.insert(2, ("file", "years simulated", f"{min(years)}-{max(years)}", N_("year")))
    if "horizon_years" in config:
        rows.insert(2, ("file", "horizon", config["horizon_years"], N_("years")))
    return rows


def readme_table(
    comparison: xr.Dataset, sheets: list[tuple[str, tuple[Column, ...]]]
) -> tuple[pd.DataFrame, tuple[Column, ...]]:
    """Build the readme: about the file, every sheet's columns, the measures, the config.

    Parameters
    ----------
    comparison : xarray.Dataset
        ``comparison.nc`` (its attributes are read).
    sheets : list of (str, tuple of Column)
        The other sheets' names and columns.

    Returns
    -------
    (pandas.DataFrame, tuple of Column)
        Rows of (sheet, column, meaning, unit) and the readme's own columns.
    """
    rows = _about(comparison)
    for name, columns in sheets:
        rows += [(name, c.key, c.meaning, c.unit) for c in columns]
    rows += [
        ("periods: measure", key, MEASURE_MEANING.format(meaning=meaning, years=PERIOD_YEARS), unit)
        for key, (meaning, unit, _) in MEASURES.items()
    ]
    config = yaml.safe_load(comparison.attrs.get("config") or "") or {}
    rows += [("config", key, value, "") for key, value in _flatten(config)]
    return pd.DataFrame(rows, columns=[c.key for c in README_COLUMNS]), README_COLUMNS
