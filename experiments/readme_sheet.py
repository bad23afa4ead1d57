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
from experiments.tables import TEXT, Column

log = logging.getLogger("servicesim.sweep")

README_COLUMNS = (
    Column("sheet", "sheet the row is about (file: the whole file; config: a setting)", "", TEXT),
    Column("column", "column, measure or setting", "", TEXT),
    Column("meaning", "what it means (or the setting's value)", ""),
    Column("unit", "unit of the column's values", "", TEXT),
)
ASSUMPTION_COLUMNS = (
    Column("key", "stable identifier of the estimate", "", TEXT),
    Column("group", "run, forecast, seasonal, use_rate, capacity, cost, penalty, standard", "",
           TEXT),
    Column("name", "what the estimate is", "", TEXT),
    Column("value", "its value (a number where it is one)", "see unit"),
    Column("unit", "unit of the value", "", TEXT),
    Column("source", "where the value comes from (estimate: no data gives it)", "", TEXT),
)  # fmt: skip
CSV_NOTE = (
    "the same tables as comparison_<sheet>.csv beside this file: UTF-8 with a byte-order "
    "mark, comma-separated, dot as decimal separator; text beginning with = + - or @ starts "
    "with an apostrophe there"
)


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
        ("file", "runs", int(attrs.get("n_runs", 0)), "runs"),
        ("file", "scenarios", int(comparison.sizes.get("scenario", 0)), ""),
        ("file", "strategies", int(comparison.sizes.get("strategy", 0)), ""),
        ("file", "seeds", int(comparison.sizes.get("seed", 0)), ""),
        ("file", "history", str(attrs.get("history", "")), ""),
        ("file", "source", str(attrs.get("source", "")), ""),
        ("file", "CSV", CSV_NOTE, ""),
        ("file", "varies between runs", str(attrs.get("config_varies", "")), ""),
    ]
    if len(years):
        rows.insert(2, ("file", "years simulated", f"{min(years)}-{max(years)}", "year"))
    if "horizon_years" in config:
        rows.insert(2, ("file", "horizon", config["horizon_years"], "years"))
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
        ("periods: measure", key, f"{meaning} (plan periods of {PERIOD_YEARS} years)", unit)
        for key, (meaning, unit, _) in MEASURES.items()
    ]
    config = yaml.safe_load(comparison.attrs.get("config") or "") or {}
    rows += [("config", key, value, "") for key, value in _flatten(config)]
    return pd.DataFrame(rows, columns=[c.key for c in README_COLUMNS]), README_COLUMNS
