"""Summaries of one run: a plain-text table for the terminal and the run metrics."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import xarray as xr


def summary_table(ds: xr.Dataset) -> str:
    """Per service: yearly demand, share unmet, mean utilisation and travel time.

    Figures are means over the simulated years of the first and the last year.
    """
    years = ds["time"].dt.year
    first, last = int(years.min()), int(years.max())
    rows = []
    for service in ds["service"].values:
        s = ds.sel(service=service)
        row = {"service": str(service)}
        for year in (first, last):
            sel = years == year
            demand = float(s["demand_zone"].sel(time=sel).sum())
            unmet = float(s["unmet_zone"].sel(time=sel).sum())
            util = s["utilisation"].sel(time=sel).mean().item()
            row[f"demand {year}"] = round(demand)
            row[f"unmet % {year}"] = round(100 * unmet / demand, 2) if demand else 0.0
            row[f"util % {year}"] = round(util, 1) if util == util else float("nan")
        served = float(s["served_zone"].sum())
        row["mean travel min"] = (
            round(float(s["travel_minutes"].sum()) / served, 1) if served else 0
        )
        rows.append(row)
    table = pd.DataFrame(rows).set_index("service")
    residents = ds["residents_end"].sum("zone")
    head = (
        f"{ds.attrs.get('world', '')} | scenario {ds.attrs.get('scenario', '')} | "
        f"strategy {ds.attrs.get('strategy', '')} | seed {ds.attrs.get('seed', '')}\n"
        f"permanent residents: {int(ds['residents_start'].sum('zone')[0])} on 1.1.{first} -> "
        f"{int(residents[-1])} on 31.12.{last}\n"
    )
    if int(ds.attrs.get("placeholder_network", 0)):
        head += "PLACEHOLDER NETWORK: the facilities are estimates, not a real register\n"

    return head + table.to_string()


@dataclass(frozen=True)
class MetricInfo:
    """How a run metric is shown and compared.

    Parameters
    ----------
    label : str
        Short column title.
    unit : str
        Unit of the value (``%``, ``min``, ``EUR/year``...).
    better : {"lower", "higher"}
        Which direction is better when strategies are compared.
    """

    label: str
    unit: str
    better: str


#: CF attributes (UDUNITS ``units``, plus ``currency`` for money) of each display unit
#: of :data:`METRICS`; see docs/reference/results.md.
CF_UNITS: dict[str, dict[str, str]] = {
    "%": {"units": "%"},
    "% of demand": {"units": "%"},
    "units/year": {"units": "year-1"},
    "min": {"units": "min"},
    "pupils": {"units": "1"},
    "EUR/year": {"units": "year-1", "currency": "EUR"},
    "EUR": {"units": "1", "currency": "EUR"},
    "changes": {"units": "1"},
    "ratio": {"units": "1"},
    "1": {"units": "1"},
}


def metric_attrs(name: str) -> dict[str, str]:
    """CF attributes of metric ``name``: units, currency, long_name (with the display unit).

    Examples
    --------
    >>> metric_attrs("cost_per_year")
    {'units': 'year-1', 'currency': 'EUR', 'long_name': 'cost (EUR/year)', 'better': 'lower'}
    """
    info = METRICS[name]
    return {
        **CF_UNITS[info.unit],
        "long_name": f"{info.label} ({info.unit})",
        "better": info.better,
    }


COMPARISONS = (
    "no_car_vs_car",
    "age_75_plus_vs_rest",
    "digital_low_vs_high",
    "seasonal_vs_permanent",
)

METRICS: dict[str, MetricInfo] = {
    "unmet_share": MetricInfo("unmet demand", "% of demand", "lower"),
    "unmet_per_year": MetricInfo("unmet demand", "units/year", "lower"),
    "utilisation": MetricInfo("utilisation", "%", "higher"),
    "mean_travel_minutes": MetricInfo("travel time per in-person visit", "min", "lower"),
    "share_within_20min": MetricInfo("within 20 min", "%", "higher"),
    "pupils_over_transport_km": MetricInfo("pupils over transport km", "pupils", "lower"),
    "cost_per_year": MetricInfo("cost", "EUR/year", "lower"),
    "npv_cost": MetricInfo("NPV of cost", "EUR", "lower"),
    "n_changes": MetricInfo("network changes", "changes", "lower"),
    "peak_to_trough": MetricInfo("seasonal peak/trough of demand", "ratio", "lower"),
    **{
        f"equity_gap_{c}": MetricInfo(f"gap {c.replace('_', ' ')}", "min", "lower")
        for c in COMPARISONS
    },
    "gini_access": MetricInfo("Gini of access", "1", "lower"),
    "palma_access": MetricInfo("Palma of access", "1", "lower"),
    "objective": MetricInfo("cost + unmet penalty (NPV)", "EUR", "lower"),
    "regret": MetricInfo("regret vs the oracle", "EUR", "lower"),
    # Sweep-level: computed when runs are combined (experiments.aggregate.best_known_regret).
    "regret_best": MetricInfo("regret vs best known plan", "EUR", "lower"),
}


def _mean(ds: xr.Dataset, name: str, scale_share: bool = False) -> float:
    if name not in ds:
        return float("nan")
    value = float(ds[name].mean(skipna=True))
    if scale_share and ds[name].attrs.get("units") in ("1", "fraction", "share"):
        value *= 100.0
    return value


def run_metrics(ds: xr.Dataset) -> dict[str, float]:
    """Summarise one run's results into the metrics of :data:`METRICS`.

    Each metric is computed from the variables it needs and is NaN when one of them
    is absent from ``ds``, so older results files still summarise.

    Parameters
    ----------
    ds : xarray.Dataset
        One run's results (``results.nc``).

    Returns
    -------
    dict of str to float
        One value per key of :data:`METRICS`, in its unit: means over the simulated
        months (and services) unless the metric says otherwise.
    """
    nan = float("nan")
    out = dict.fromkeys(METRICS, nan)
    n_years = ds.sizes["time"] / 12 if "time" in ds.dims else nan
    if {"demand_zone", "unmet_zone"} <= set(ds.data_vars):
        demand = float(ds["demand_zone"].sum())
        unmet = float(ds["unmet_zone"].sum())
        out["unmet_share"] = 100.0 * unmet / demand if demand else 0.0
        out["unmet_per_year"] = unmet / n_years
    if {"load", "capacity"} <= set(ds.data_vars):
        capacity = float(ds["capacity"].sum())
        out["utilisation"] = 100.0 * float(ds["load"].sum()) / capacity if capacity else nan
    if {"travel_minutes", "served_zone"} <= set(ds.data_vars):
        served = float(ds["served_zone"].sum())
        if "visits_channel" in ds and "in_person" in ds["channel"].values:
            served = float(ds["visits_channel"].sel(channel="in_person").sum())
        out["mean_travel_minutes"] = float(ds["travel_minutes"].sum()) / served if served else nan
    out["share_within_20min"] = _mean(ds, "share_within_20min", scale_share=True)
    out["pupils_over_transport_km"] = _mean(ds, "pupils_over_transport_km")
    cost = "total_cost" if "total_cost" in ds else "cost"
    if cost in ds:
        out["cost_per_year"] = float(ds[cost].sum()) / n_years
    for scalar in ("npv_cost", "n_changes"):
        if scalar in ds:
            out[scalar] = float(ds[scalar].sum())
    if "demand" in ds and "time" in ds.dims:
        last = ds["demand"].sel(time=ds["time"].dt.year == int(ds["time"].dt.year.max()))
        monthly = last.sum([d for d in last.dims if d != "time"])
        low = float(monthly.min())
        out["peak_to_trough"] = float(monthly.max()) / low if low else nan
    if "equity_gap" in ds and "comparison" in ds["equity_gap"].dims:
        for c in COMPARISONS:
            if c in ds["comparison"].values:
                out[f"equity_gap_{c}"] = float(ds["equity_gap"].sel(comparison=c).mean())
    out["gini_access"] = _mean(ds, "gini_access")
    out["palma_access"] = _mean(ds, "palma_access")
    for metric, name in (("objective", "objective"), ("regret", "regret_eur")):
        if name in ds:
            out[metric] = float(ds[name])
    return out
