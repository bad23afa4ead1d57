"""Plan periods of five years: population, demand, compliance and cost per plan.

Built from the yearly series each run leaves in ``comparison.nc``
(:func:`experiments.periods.yearly_series`): each run's values are first taken per
period, then summarised over seeds (5/50/95 % quantiles). The table is long (one row
per scenario x strategy x period x measure x item) so a spreadsheet can filter and
pivot it.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import xarray as xr

from experiments.tables import (
    COUNT,
    DAYS,
    EUR,
    LABELS,
    N_,
    QUANTILE_MEANING,
    QUANTILES,
    SHARE,
    SUFFIXES,
    TEXT,
    Column,
    runs_per_plan,
)

#: Years per plan period (municipal service-network plans run four to five years).
PERIOD_YEARS = 5
#: What the quantile columns summarise.
PERIOD_VALUE = N_("the run's period value")

#: measure -> (meaning, unit, number format).
MEASURES: dict[str, tuple[str, str, str]] = {
    "residents": (N_("permanent residents on 1 January of the period's first year, by age "
                     "group"), N_("persons"), COUNT),
    "demand_per_year": (N_("demand per year, mean of the period's years, by service"),
                        N_("visits or place-months per year"), COUNT),
    "unmet_per_year": (N_("unmet demand per year, mean of the period's years, by service"),
                       N_("visits or place-months per year"), COUNT),
    "within_standard_share": (N_("share of demand within the service standard (years "
                                 "weighted by demand)"), N_("share 0-1"), SHARE),
    "wait_mean_days": (N_("mean waiting time, mean of the period's years"), N_("days"), DAYS),
    "wait_p90_days": (N_("P90 waiting time, mean of the period's years"), N_("days"), DAYS),
    "within_20min_share": (N_("share of eligible present persons within 20 minutes, mean of "
                              "the period's years"), N_("share 0-1"), SHARE),
    "cost_per_year_eur": (N_("all costs per year, mean of the period's years"),
                          N_("EUR per year"), EUR),
    "cost_eur": (N_("all costs in the period"), N_("EUR"), EUR),
}  # fmt: skip
#: measure -> its short name in the translated workbook (the English one shows the key).
MEASURE_NAMES: dict[str, str] = {
    "residents": N_("permanent residents"),
    "demand_per_year": N_("demand a year"),
    "unmet_per_year": N_("unmet demand a year"),
    "within_standard_share": N_("share within the standard"),
    "wait_mean_days": N_("mean wait, days"),
    "wait_p90_days": N_("P90 wait, days"),
    "within_20min_share": N_("share within 20 minutes"),
    "cost_per_year_eur": N_("cost a year, EUR"),
    "cost_eur": N_("cost of the period, EUR"),
}
#: The ``item`` of rows about the whole network.
ALL_ITEMS = N_("all")

COLUMNS = (
    *LABELS,
    Column("period", N_("plan period (first-last year)"), "", TEXT, N_("period")),
    Column("first_year", N_("first calendar year of the period"), N_("year"), "0",
           N_("first year")),
    Column("last_year", N_("last calendar year of the period (the horizon may cut it)"),
           N_("year"), "0", N_("last year")),
    Column("measure", N_("what the row measures (readme lists each measure)"), "", TEXT,
           N_("measure")),
    Column("item", N_("age group or service the row is about (all: the whole network)"), "",
           TEXT, N_("item")),
    Column("unit", N_("unit of the values"), "", TEXT, N_("unit")),
    *(
        Column(s, QUANTILE_MEANING.format(meaning=PERIOD_VALUE, percent=int(100 * q)),
               N_("see unit"), "General", s, PERIOD_VALUE, int(100 * q))
        for q, s in zip(QUANTILES, SUFFIXES, strict=True)
    ),
)  # fmt: skip


def _period_of(years: np.ndarray, length: int) -> xr.DataArray:
    first = int(years.min())
    return xr.DataArray((years - first) // length, dims="year", coords={"year": years})


def _mean(da: xr.DataArray, period: xr.DataArray) -> xr.DataArray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return da.groupby(period.rename("period")).mean("year", skipna=True)


def period_values(comparison: xr.Dataset, length: int = PERIOD_YEARS) -> dict[str, xr.DataArray]:
    """Each run's value of every measure of :data:`MEASURES` per plan period.

    Returns
    -------
    dict of str to xarray.DataArray
        Measure -> values on (scenario, strategy, seed, period, item); ``period`` is
        0, 1, ... (periods of ``length`` years from the first year), ``item`` the age
        group, the service, or ``all``.
    """
    period = _period_of(comparison["year"].values, length)
    out = {}
    if "residents_year" in comparison:
        firsts = [int(comparison["year"][period.values == p][0]) for p in np.unique(period)]
        first = comparison["residents_year"].sel(year=firsts)
        first = first.assign_coords(year=np.unique(period.values)).rename(year="period")
        out["residents"] = first.rename(age_group="item")
    for measure, source in (
        ("demand_per_year", "demand_year"),
        ("unmet_per_year", "unmet_year"),
        ("wait_mean_days", "wait_mean_days_year"),
        ("wait_p90_days", "wait_p90_days_year"),
        ("within_20min_share", "share_within_20min_year"),
    ):
        if source in comparison:
            out[measure] = _mean(comparison[source], period).rename(service="item")
    if {"within_standard_year", "demand_year"} <= set(comparison.data_vars):
        share = comparison["within_standard_year"]
        weight = comparison["demand_year"].where(share.notnull())
        total = (share * weight).groupby(period.rename("period")).sum("year", min_count=1)
        norm = weight.groupby(period.rename("period")).sum("year", min_count=1)
        out["within_standard_share"] = (total / norm.where(norm > 0)).rename(service="item")
    if "cost_year" in comparison:
        cost = comparison["cost_year"]
        grouped = cost.groupby(period.rename("period"))
        out["cost_per_year_eur"] = _mean(cost, period).expand_dims(item=[ALL_ITEMS])
        out["cost_eur"] = grouped.sum("year", min_count=1).expand_dims(item=[ALL_ITEMS])
    return out


def _runs(comparison: xr.Dataset) -> set[tuple[str, str]]:
    ran = runs_per_plan(comparison).to_series()
    return {(str(sc), str(st)) for (sc, st), n in ran.items() if n > 0}


def periods_table(comparison: xr.Dataset, length: int = PERIOD_YEARS) -> pd.DataFrame:
    """Plan-period table: quantiles over seeds of each run's period values.

    Parameters
    ----------
    comparison : xarray.Dataset
        ``comparison.nc`` with the yearly series (``residents_year``, ``demand_year``...).
    length : int, default 5
        Years per plan period, counted from the first simulated year.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`COLUMNS`, one row per scenario x strategy (that ran) x period
        x measure x item; empty without yearly series (an older comparison).
    """
    keys = [c.key for c in COLUMNS]
    if "year" not in comparison.dims:
        return pd.DataFrame(columns=keys)
    years = comparison["year"].values
    period = _period_of(years, length)
    spans = {int(p): (int(years[period == p].min()), int(years[period == p].max())) for p in
             np.unique(period)}  # fmt: skip
    ran = _runs(comparison)
    frames = []
    for measure, values in period_values(comparison, length).items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            q = values.quantile(list(QUANTILES), dim="seed", skipna=True)
        q = q.assign_coords(quantile=list(SUFFIXES))
        table = q.to_series().unstack("quantile").reset_index()
        table = table[[(sc, st) in ran for sc, st in zip(table["scenario"], table["strategy"],
                                                          strict=True)]]  # fmt: skip
        table = table.dropna(subset=list(SUFFIXES), how="all")
        table["measure"] = measure
        table["unit"] = MEASURES[measure][1]
        frames.append(table)
    if not frames:
        return pd.DataFrame(columns=keys)
    table = pd.concat(frames, ignore_index=True)
    table["first_year"] = [spans[int(p)][0] for p in table["period"]]
    table["last_year"] = [spans[int(p)][1] for p in table["period"]]
    table["period"] = [f"{a}-{b}" for a, b in zip(table["first_year"], table["last_year"],
                                                    strict=True)]  # fmt: skip
    for col in ("scenario", "strategy", "item"):
        table[col] = table[col].astype(str)
    order = {m: i for i, m in enumerate(MEASURES)}
    table = table.assign(_m=table["measure"].map(order))
    table = table.sort_values(["scenario", "strategy", "first_year", "_m"], kind="stable")
    return table[keys].reset_index(drop=True)
