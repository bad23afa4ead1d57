"""A short plain-text summary of one run, for the terminal."""

from __future__ import annotations

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
    return head + table.to_string()
