"""Short-term accuracy of the regional cohort-component forecast: jump-off migration grid.

Rolling-origin backtest of the 19 Finnish regions (deterministic cohort-component
method, default options except the jump-off migration), launches 2000-2022, horizons
1, 2 and 5 years. Every pair of ``forecast.recent_migration_years`` (years of the
recent mean change the first year's migration level is solved from) and
``forecast.recent_migration_damping`` (share of that level's deviation from the
base-period level kept each further year) is scored, and 5 recent years weighted
by ``forecast.recent_migration_decay`` (latest year 1, each earlier year that share
of the next). The choice is made on the selection launches 2000-2011 only, the
out-of-sample launches 2012-2022 are printed beside it. The second bed, the 309
municipalities' totals (a linear forecast with the same jump-off: first-year change
from the recent years, later years back toward the 15-year mean change), launches
1990-2005 (selection) and 2006-2022, is scored for the same options. Run from the
repository root (about 10 minutes on the shared machine):

    PYTHONPATH=. python docs/research/short_term.py --data ../shared/data \
        --out /tmp/short-term
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.api import backtest
from forecasting.options import ForecastOptions

HORIZONS = [1, 2, 5]
PERIODS = {"selection": (2000, 2011), "out-of-sample": (2012, 2022)}
YEARS = (1, 2, 3, 5)
DAMPINGS = (0.5, 0.75, 1.0)
DECAYS = (0.3, 0.5, 0.7)


def run(
    data: Path, years: int | None, damping: float, out: Path, decay: float | None = None
) -> xr.Dataset:
    """Backtest one option set (saved, so a rerun only scores)."""
    saved = out / (f"regional_{years}_{damping}.nc" if decay is None
                   else f"regional_{years}_{damping}_{decay}.nc")  # fmt: skip
    if saved.exists():
        return xr.load_dataset(saved)
    options = ForecastOptions(method="deterministic", recent_migration_years=years,
                              recent_migration_damping=damping,
                              recent_migration_decay=decay)  # fmt: skip
    ds, _ = backtest(data / "finland_regional_population_age_sex.csv",
                     area_column="region_code", drop_areas=["246"], horizons=HORIZONS,
                     launch_years=list(range(2000, 2023)), age_methods=["cohort_component"],
                     options=options)  # fmt: skip
    ds.to_netcdf(saved)
    return ds


def scores(ds: xr.Dataset, years: int | None, damping: float, decay=None) -> list[dict]:
    """MAPE (%) by period, horizon and age group."""
    ds = ds.isel(method=0, drop=True)
    ape = abs(ds["forecast"] / ds["observed"] - 1) * 100
    rows = []
    for period, (lo, hi) in PERIODS.items():
        mape = ape.sel(launch_year=slice(lo, hi)).mean(("launch_year", "area"))
        for h in HORIZONS:
            row = {"period": period, "recent_years": years, "damping": damping,
                   "decay": decay, "horizon": h}  # fmt: skip
            row.update({f"mape_{g}": float(mape.sel(horizon=h, age_group=g))
                        for g in ds["age_group"].values})  # fmt: skip
            rows.append(row)
    return rows


def municipal(data: Path, base: int = 15) -> pd.DataFrame:
    """1- and 2-year MAPE (%) of the municipal totals with a linear jump-off forecast."""
    table = pd.read_csv(data / "finland_municipal_population_totals.csv",
                        dtype={"municipality_code": str})  # fmt: skip
    wide = table.pivot(index="municipality_code", columns="year", values="population")
    years, values = wide.columns.to_numpy(), wide.to_numpy(dtype=float)
    configs = [(None, 0.5, None), *itertools.product(YEARS, DAMPINGS, [None])]
    configs += [(5, 0.5, decay) for decay in DECAYS]
    rows = []
    for recent, damping, decay in configs:
        for period, launches in (("selection", range(1990, 2006)),
                                 ("out-of-sample", range(2006, 2023))):  # fmt: skip
            errors = {1: [], 2: []}
            for launch in launches:
                j = int(np.searchsorted(years, launch))
                change = np.diff(values[:, j - base : j + 1], axis=1)
                level = change.mean(axis=1)
                k = change.shape[1] if recent is None else recent
                weights = (1.0 if decay is None else decay) ** np.arange(k)[::-1]
                first = change[:, -k:] @ (weights / weights.sum())
                one = values[:, j] + first
                two = one + level + (first - level) * damping
                for h, point in ((1, one), (2, two)):
                    if j + h < len(years):
                        errors[h].append(np.abs(point / values[:, j + h] - 1) * 100)
            rows.append({"recent_years": "off" if recent is None else recent, "damping": damping,
                         "decay": "equal" if decay is None else f"{decay:g}",
                         "period": period, **{f"mape_{h}y": float(np.mean(np.concatenate(e)))
                                              for h, e in errors.items()}})  # fmt: skip
    return pd.DataFrame(rows)


def main() -> None:
    """Run the grid; print the 1- and 2-year MAPE of the total on both beds, then every score."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = scores(run(args.data, None, 0.5, args.out), None, 0.5)
    for years, damping in itertools.product(YEARS, DAMPINGS):
        rows += scores(run(args.data, years, damping, args.out), years, damping)
    for decay in DECAYS:
        rows += scores(run(args.data, 5, 0.5, args.out, decay), 5, 0.5, decay)
    table = pd.DataFrame(rows)
    table["recent_years"] = table["recent_years"].map(lambda v: "off" if pd.isna(v) else int(v))
    table["decay"] = table["decay"].map(lambda v: "equal" if pd.isna(v) else f"{v:g}")
    table.to_csv(args.out / "short_term.csv", index=False)
    short = table[table["horizon"] <= 2].pivot_table(
        index=["recent_years", "damping", "decay"], columns=["period", "horizon"],
        values="mape_total",
    )  # fmt: skip
    print(short.round(3).to_string())
    print("\nmunicipal totals, linear jump-off\n")
    muni = municipal(args.data).pivot_table(
        index=["recent_years", "damping", "decay"], columns="period", values=["mape_1y", "mape_2y"]
    )
    print(muni.round(3).to_string())
    print()
    print(table.round(2).to_string(index=False))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
