"""Backtest migration shrinkage, on vs off: Päijät-Häme municipalities and the 19 regions.

    python docs/research/shrinkage_backtest.py --shared ../shared

For each launch year T (2000..2018) the ten municipalities of the Päijät-Häme world
(``scenarios/worlds/paijat_hame/population_history.csv``) are projected together
with :func:`forecasting.rates.assume_rates` (region 7's rates, base period 10,
deterministic) with ``migration_shrinkage`` off and on, and their totals at T + 5 and
T + 10 are scored against the observed totals (APE %). No municipal age-sex series
is available, so each municipality's base population is region 7's age-sex
structure of year T scaled to its total (as the Sysmä tests do).

Second table: the 19 regions (own age-sex structure, ``drop 246``) projected together
with the whole country's rates (region code 246), so that shrinkage pulls each
region's level toward Finland's; MAPE of the total and the service age groups.
(With each region's own rates, as in ``servicesim-backtest``, there is one area per
projection and shrinkage keeps its level: nothing to measure.)
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.cohort import project
from forecasting.inputs import read_rate_tables
from forecasting.rates import assume_rates
from forecasting.types import AGES, SEXES

REPO = Path(__file__).resolve().parents[2]
HORIZONS = (5, 10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, required=True)
    args = parser.parse_args()
    tables = read_rate_tables(REPO / "forecasting" / "data" / "finland")
    history = pd.read_csv(
        REPO / "scenarios" / "worlds" / "paijat_hame" / "population_history.csv",
        dtype={"area_id": str},
    ).rename(columns={"area_id": "area"})
    ages = pd.read_csv(args.shared / "data" / "finland_regional_population_age_sex.csv")
    region = ages[ages["region_code"] == 7]
    areas = sorted(history["area"].unique())
    totals = history.pivot(index="area", columns="year", values="population").loc[areas]
    rows = []
    for launch in range(2000, 2019):
        grid = region[region["year"] == launch].pivot(
            index="sex", columns="age", values="population"
        )
        shape = grid.loc[list(SEXES), list(AGES)].to_numpy(dtype=float, copy=True)
        shape = shape / shape.sum()
        base = xr.DataArray(
            totals[launch].to_numpy(dtype=float)[:, None, None] * shape[None],
            dims=("area", "sex", "age"),
            coords={"area": areas, "sex": list(SEXES), "age": list(AGES), "year": launch},
        )
        past = history[history["year"] <= launch]
        years = np.arange(launch + 1, launch + max(HORIZONS) + 1)
        for shrink in (False, True):
            rates = assume_rates(tables, 7, areas, past, base, years, migration_shrinkage=shrink)
            pop = project(base.drop_vars("year"), rates, years)["population"].isel(sample=0)
            for h in HORIZONS:
                if launch + h > totals.columns.max():
                    continue
                forecast = pop.sel(year=launch + h).sum(("sex", "age")).to_numpy()
                observed = totals[launch + h].to_numpy(dtype=float)
                for area, f, o in zip(areas, forecast, observed, strict=True):
                    rows.append((shrink, launch, h, area, o, 100 * abs(f / o - 1)))
    frame = pd.DataFrame(rows, columns=["shrinkage", "launch", "horizon", "area", "obs", "ape"])
    frame["size"] = np.where(frame["obs"] < 5000, "< 5k", ">= 5k")
    table = frame.groupby(["horizon", "size", "shrinkage"])["ape"].agg(["count", "mean"])
    print(table.unstack("shrinkage").round(2).to_string())
    overall = frame.groupby(["horizon", "shrinkage"])["ape"].mean().unstack("shrinkage")
    print(overall.round(2).to_string())
    regions(args.shared)


GROUPS = {"total": (0, 100), "0_6": (0, 6), "7_15": (7, 15), "75_84": (75, 84), "85plus": (85, 100)}


def regions(shared: Path) -> None:
    """Regions projected with the national rates, shrinkage off and on."""
    tables = read_rate_tables(REPO / "forecasting" / "data" / "finland")
    ages = pd.read_csv(shared / "data" / "finland_regional_population_age_sex.csv")
    ages = ages[ages["region_code"] != 246].assign(area=lambda d: d["region_code"].astype(str))
    pop = ages.set_index(["area", "year", "sex", "age"])["population"].to_xarray().astype(float)
    pop = pop.sel(sex=list(SEXES), age=list(AGES))
    totals = pop.sum(("sex", "age")).to_dataframe("population").reset_index()
    last = int(pop["year"].max())
    rows = []
    for launch in range(2000, 2019):
        years = np.arange(launch + 1, launch + max(HORIZONS) + 1)
        base = pop.sel(year=launch)
        past = totals[totals["year"] <= launch]
        for shrink in (False, True):
            rates = assume_rates(
                tables, 246, list(pop["area"].values), past, base, years,
                migration_shrinkage=shrink,
            )  # fmt: skip
            out = project(base.drop_vars("year"), rates, years)["population"].isel(sample=0)
            for h in HORIZONS:
                if launch + h > last:
                    continue
                for name, (lo, hi) in GROUPS.items():
                    f = out.sel(year=launch + h, age=slice(lo, hi)).sum(("sex", "age"))
                    o = pop.sel(year=launch + h, age=slice(lo, hi)).sum(("sex", "age"))
                    ape = (100 * abs(f / o - 1)).to_numpy()
                    rows += [(shrink, h, name, float(a)) for a in ape]
    frame = pd.DataFrame(rows, columns=["shrinkage", "horizon", "group", "ape"])
    table = frame.groupby(["horizon", "shrinkage", "group"])["ape"].mean().unstack("group")
    print(table[list(GROUPS)].round(2).to_string())


if __name__ == "__main__":
    main()
