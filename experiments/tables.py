"""The comparison as tables for strategists: summary, standards and decision calendars.

Each table is a :class:`pandas.DataFrame` built from ``comparison.nc`` alone, with
one row per scenario x strategy (x service, x decision) and numbers as numbers:
money in EUR, shares as fractions (0-1), days, minutes. :data:`COLUMNS` says what
each column means, its unit and its spreadsheet number format; the spreadsheet
(:mod:`experiments.spreadsheet`) writes them to ``comparison.xlsx`` and CSV. The plan
periods table is :func:`experiments.period_tables.periods_table`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr
import yaml

QUANTILES = (0.05, 0.5, 0.95)
SUFFIXES = ("p05", "p50", "p95")
EUR = "#,##0 [$€-40B]"
SHARE = "0.0%"
DAYS = "0.0"
COUNT = "#,##0"
TEXT = "@"


def N_(text: str) -> str:  # noqa: N802 - the gettext marker the extractor looks for
    """Mark ``text`` for the ``tables`` catalogue; it is translated where it is shown."""
    return text


@dataclass(frozen=True)
class Column:
    """A column of a table: its meaning, unit and spreadsheet number format.

    Parameters
    ----------
    key : str
        Column name in the sheet and the CSV (stable; the report translates by it).
    meaning : str
        What the column holds, in English.
    unit : str
        Unit in words (``EUR``, ``share 0-1``, ``days``); empty for labels.
    fmt : str
        Excel number format (``#,##0``, ``0.0%``...; ``@`` for text).
    header : str
        Short English header of the translated workbook (``key`` if empty); the
        English workbook and the CSV show ``key``.
    base : str
        For a quantile column, the meaning of the quantity (``meaning`` adds the
        quantile); empty otherwise.
    quantile : int
        For a quantile column, the percentage (5, 50, 95); 0 otherwise.
    """

    key: str
    meaning: str
    unit: str = ""
    fmt: str = "General"
    header: str = ""
    base: str = ""
    quantile: int = 0


@dataclass(frozen=True)
class Sheet:
    """One table of the spreadsheet.

    Parameters
    ----------
    name : str
        Stable English key of the sheet: the CSV suffix (``comparison_<name>.csv``).
    frame : pandas.DataFrame
        The rows; its columns are ``columns``' keys, in order.
    columns : tuple of Column
        Meaning, unit and number format of each column.
    row_formats : dict of str to list of str
        Per-row number formats of some columns (their values' unit varies by row).
    title : str
        Name of the worksheet (<= 31 characters, no ``/``); ``name`` if empty.
    headers : tuple of str
        Header row of the worksheet; the columns' keys if empty.
    """

    name: str
    frame: pd.DataFrame
    columns: tuple[Column, ...]
    row_formats: dict[str, list[str]] = field(default_factory=dict)
    title: str = ""
    headers: tuple[str, ...] = ()


LABELS = (
    Column("scenario", N_("scenario (its config file's name)"), "", TEXT, N_("scenario")),
    Column("strategy", N_("planning strategy (with parameters, if a sweep varied them)"), "",
           TEXT, N_("strategy")),
)  # fmt: skip
TITLES = (
    Column("scenario_title", N_("the scenario's title in its config (English)"), "", TEXT,
           N_("scenario title")),
    Column("strategy_title", N_("the strategy's title in its config (English)"), "", TEXT,
           N_("strategy title")),
)  # fmt: skip

#: (metric of comparison.nc without ``metric_``, column stem, short header, meaning,
#: unit, format, scale from the metric's unit to the column's).
SUMMARY_METRICS = (
    ("standards_shortfall", "standards_shortfall", N_("standards shortfall"),
     N_("standards shortfall: sum over services of the required share of months minus the "
        "share met, where below (0: all hold)"), N_("share of months"), DAYS, 1.0),
    ("unmet_share", "unmet_share", N_("unmet share"), N_("unmet demand as a share of demand"),
     N_("share 0-1"), SHARE, 0.01),
    ("wait_p90_days", "wait_p90_days", N_("P90 wait, days"),
     N_("P90 waiting time of the worst facility, mean over months"), N_("days"), DAYS, 1.0),
    ("share_within_20min", "within_20min_share", N_("within 20 min"),
     N_("share of eligible present persons within 20 minutes of a facility, mean over months "
        "and services"), N_("share 0-1"), SHARE, 0.01),
    ("mean_travel_minutes", "travel_minutes", N_("travel, min"),
     N_("travel time per in-person visit"), N_("minutes"), DAYS, 1.0),
    ("cost_per_year", "cost_per_year_eur", N_("cost a year, EUR"),
     N_("all costs per year (facilities, changes, school transport, vans)"),
     N_("EUR per year"), EUR, 1.0),
    ("npv_cost", "npv_cost_eur", N_("NPV of cost, EUR"),
     N_("net present value of all costs at the start of the run"), N_("EUR"), EUR, 1.0),
    ("n_changes", "changes", N_("changes"), N_("network changes applied"), N_("changes"), DAYS,
     1.0),
)  # fmt: skip
#: The English meaning of a quantile column (its base meaning and percentage).
QUANTILE_MEANING = N_("{meaning}: {percent} % quantile over seeds")


def _quantile_columns(stem: str, header: str, meaning: str, unit: str, fmt: str) -> list[Column]:
    return [
        Column(
            f"{stem}_{s}",
            QUANTILE_MEANING.format(meaning=meaning, percent=int(100 * q)),
            unit,
            fmt,
            f"{header} {s}",
            meaning,
            int(100 * q),
        )
        for q, s in zip(QUANTILES, SUFFIXES, strict=True)
    ]


def _summary_columns() -> tuple[Column, ...]:
    cols = [
        *LABELS,
        *TITLES,
        Column("runs", N_("runs (seeds) with results"), N_("runs"), COUNT, N_("runs")),
        Column("feasible_share", N_("share of seeds in which every standard holds"),
               N_("share 0-1"), SHARE, N_("feasible share")),
        Column("recommended", N_("1 for the scenario's cheapest plan feasible in >= 90 % of "
               "seeds (lowest median NPV), else 0"), "1", "0", N_("recommended")),
        Column("standards_assessed", N_("services with an assessed standard"), N_("services"),
               COUNT, N_("standards assessed")),
    ]  # fmt: skip
    cols += _quantile_columns(
        "standards_held",
        N_("standards held"),
        N_("services whose standard holds (met in the required share of months)"),
        N_("services"),
        DAYS,
    )
    for _, stem, header, meaning, unit, fmt, _ in SUMMARY_METRICS:
        cols += _quantile_columns(stem, header, meaning, unit, fmt)
    return tuple(cols)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "summary": _summary_columns(),
    "standards": (
        *LABELS,
        Column("service", N_("service"), "", TEXT, N_("service")),
        *_quantile_columns(
            "months_met", N_("months met"),
            N_("share of assessed months meeting the service standard"), N_("share 0-1"), SHARE,
        ),
    ),
    "decisions": (
        *LABELS,
        Column("seed", N_("root seed of the run"), "", "0", N_("seed")),
        Column("recommended", N_("1 if the strategy is the scenario's recommended plan"), "1",
               "0", N_("recommended")),
        Column("decide_by", N_("decide-by month: effective month minus lead time"), N_("YYYY-MM"),
               TEXT, N_("decide by")),
        Column("effective", N_("month the change takes effect"), N_("YYYY-MM"), TEXT,
               N_("takes effect")),
        Column("op", N_("operation (open, close, merge, resize, add_mobile_route...)"), "", TEXT,
               N_("operation")),
        Column("target", N_("facility, route, service or rule changed"), "", TEXT,
               N_("target")),
        Column("services", N_("services the change affects"), "", TEXT, N_("services")),
        Column("origin", N_("who scheduled it: scenario or strategy:<name>"), "", TEXT,
               N_("origin")),
        Column("lead_time_months", N_("lead time from decision to effect"), N_("months"), "0",
               N_("lead time, months")),
        Column("one_off_cost_eur", N_("one-off cost of the change"), N_("EUR"), EUR,
               N_("one-off cost, EUR")),
    ),
}  # fmt: skip


def _quantiles(da: xr.DataArray) -> xr.DataArray:
    """5/50/95 % quantiles over ``seed`` (NaN where every seed is NaN)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return da.quantile(list(QUANTILES), dim="seed", skipna=True)


def runs_per_plan(comparison: xr.Dataset) -> xr.DataArray:
    """Count runs with results per scenario x strategy (seeds with any metric)."""
    metrics = [v for v in comparison.data_vars if v.startswith("metric_")]
    if not metrics:
        raise ValueError("the comparison has no metric_* variables: no runs to tabulate")
    present = xr.concat([comparison[m].notnull() for m in metrics], "m").any("m")
    return present.sum("seed")


def ran_plans(runs: xr.DataArray) -> list[dict[str, object]]:
    """Return the selections ``{"scenario", "strategy"}`` of the plans with runs."""
    return [
        {"scenario": scenario, "strategy": strategy}
        for scenario in runs["scenario"].values
        for strategy in runs["strategy"].values
        if int(runs.sel(scenario=scenario, strategy=strategy)) > 0
    ]


def titles(comparison: xr.Dataset, kind: str, lang: str = "en") -> dict[str, str]:
    """Title of each scenario or strategy name (``<kind>_labels`` attribute) in ``lang``.

    A title given per language (``{en: ..., fi: ...}``) gives its ``lang`` text (else
    its ``en`` text); a strategy label with parameters (``reactive [x=1]``) is looked
    up by its name.
    """
    labels = yaml.safe_load(comparison.attrs.get(f"{kind}_labels") or "") or {}
    out = {}
    for name, texts in labels.items():
        title = (texts or {}).get("title", "")
        if isinstance(title, dict):
            title = title.get(lang) or title.get("en", "")
        out[str(name)] = str(title)
    return out


def recommended(comparison: xr.Dataset) -> dict[str, str]:
    """Each scenario's cheapest feasible strategy (``cheapest_feasible``), if any."""
    if "cheapest_feasible" not in comparison:
        return {}
    names = comparison["cheapest_feasible"].to_series()
    return {str(k): str(v) for k, v in names.items() if str(v) not in ("none", "", "nan")}


def summary_table(comparison: xr.Dataset) -> pd.DataFrame:
    """One row per scenario x strategy run: compliance, waiting, access, cost, NPV.

    Returns
    -------
    pandas.DataFrame
        Columns of ``COLUMNS["summary"]``: per metric its 5/50/95 % quantiles over
        seeds (shares as fractions 0-1, money in EUR).
    """
    runs = runs_per_plan(comparison)
    best = recommended(comparison)
    named = {kind: titles(comparison, kind) for kind in ("scenario", "strategy")}
    share = comparison.get("feasible_share", runs * np.nan)
    quantiles = {
        stem: _quantiles(comparison[f"metric_{metric}"]) * scale
        for metric, stem, *_, scale in SUMMARY_METRICS
        if f"metric_{metric}" in comparison
    }
    assessed = runs * np.nan
    if "standard_holds" in comparison:
        holds = comparison["standard_holds"]
        quantiles["standards_held"] = _quantiles(holds.sum("service", min_count=1))
        assessed = holds.notnull().sum("service").max("seed")
    rows = []
    for at in ran_plans(runs):
        scenario, strategy = str(at["scenario"]), str(at["strategy"])
        row = {"scenario": scenario, "strategy": strategy}
        row["scenario_title"] = named["scenario"].get(scenario, "")
        row["strategy_title"] = named["strategy"].get(strategy.split(" [")[0], "")
        row["runs"] = int(runs.sel(at))
        row["feasible_share"] = float(share.sel(at))
        row["recommended"] = int(best.get(scenario) == strategy)
        row["standards_assessed"] = float(assessed.sel(at))
        for stem, q in quantiles.items():
            for qv, suffix in zip(QUANTILES, SUFFIXES, strict=True):
                row[f"{stem}_{suffix}"] = float(q.sel({**at, "quantile": qv}))
        rows.append(row)
    return pd.DataFrame(rows, columns=[c.key for c in COLUMNS["summary"]])


def standards_table(comparison: xr.Dataset) -> pd.DataFrame:
    """One row per scenario x strategy x service: compliance with its standard, 5/50/95 %.

    Services without an assessed standard (all NaN) are left out.
    """
    columns = [c.key for c in COLUMNS["standards"]]
    if "standard_months_met_q" not in comparison:
        return pd.DataFrame(columns=columns)
    runs = runs_per_plan(comparison)
    q = comparison["standard_months_met_q"]
    rows = []
    for at in ran_plans(runs):
        for service in comparison["service"].values:
            values = q.sel({**at, "service": service}).values
            if not np.isnan(values).all():
                plan = [str(at["scenario"]), str(at["strategy"]), str(service)]
                rows.append([*plan, *map(float, values)])
    return pd.DataFrame(rows, columns=columns)


def decisions_table(comparison: xr.Dataset) -> pd.DataFrame:
    """Every run's decision calendar: one row per network change, by decide-by month.

    Returns
    -------
    pandas.DataFrame
        Columns of ``COLUMNS["decisions"]``; ``recommended`` marks the rows of each
        scenario's cheapest feasible strategy (what to decide by when).
    """
    columns = [c.key for c in COLUMNS["decisions"]]
    if "decision_op" not in comparison or comparison.sizes.get("decision", 0) == 0:
        return pd.DataFrame(columns=columns)
    fields = [f"decision_{c}" for c in columns[4:] if f"decision_{c}" in comparison]
    table = comparison[fields].to_dataframe().reset_index()
    table.columns = [c.removeprefix("decision_") for c in table.columns]
    kept = table["op"].notna() & ~table["op"].astype(str).isin(["", "nan"])
    table = table[kept].copy()  # runs are padded to the longest calendar
    best = recommended(comparison)
    table["recommended"] = [
        int(best.get(str(sc)) == str(st))
        for sc, st in zip(table["scenario"], table["strategy"], strict=True)
    ]
    for c in columns:
        if c not in table:
            table[c] = np.nan
    table = table[columns].sort_values(["scenario", "strategy", "seed", "decide_by"], kind="stable")
    table["seed"] = table["seed"].astype(int)
    return table.reset_index(drop=True)
