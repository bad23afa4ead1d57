"""The accuracy table of docs/explanation/forecast-accuracy.md.

Rolling-origin backtests, selection launches and out-of-sample launches apart:

- the 19 Finnish regions by sex and single age (cohort_component with the default
  forecast options, the same without the jump-off migration, hamilton_perry, naive),
  launches 2000-2022 (selection 2000-2011, out of sample 2012-2022): MAPE of the total
  and of the service age groups 0-6, 7-15, 75-84 and 85+, and the coverage of 80 %
  intervals from each method's own earlier errors (forecasting.calibration);
- the 309 Finnish municipalities' totals (trend_average, trend_share, the naive
  linear/exponential average), launches 1982-2022 (selection 1982-1995, out of sample
  1996-2022): MAPE and the coverage of each method's own empirical 80 % intervals.

Horizons 1, 2, 5, 10 and 20 years, each scored where observed (data end in 2023).
Run from the repository root (several minutes):

    PYTHONPATH=. python docs/research/forecast_accuracy.py --data ../shared/data \
        --out /tmp/forecast-accuracy
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.api import backtest
from forecasting.calibration import coverage, past_error_intervals
from forecasting.options import ForecastOptions

HORIZONS = [1, 2, 5, 10, 20]
REGIONAL_PERIODS = {"selection": (2000, 2011), "out-of-sample": (2012, 2022)}
MUNICIPAL_PERIODS = {"selection": (1982, 1995), "out-of-sample": (1996, 2022)}


def regional(data: Path, out: Path) -> pd.DataFrame:
    """Age-structured backtest of the regions, both option sets; scores by period."""
    path = data / "finland_regional_population_age_sex.csv"
    saved = out / "regional_backtest.nc"
    if saved.exists():  # a rerun scores the saved backtest
        ds = xr.load_dataset(saved)
        lower, upper = past_error_intervals(ds, 0.8)
        return _scores(ds, lower, upper, REGIONAL_PERIODS)
    runs = []
    for label, options in (("", ForecastOptions(method="deterministic")),
                           (" (no jump-off)", ForecastOptions(method="deterministic",
                                                              recent_migration_years=None))):  # fmt: skip
        methods = ["cohort_component", "hamilton_perry", "naive"] if not label else [
            "cohort_component"]  # fmt: skip
        ds, _ = backtest(path, area_column="region_code", drop_areas=["246"], horizons=HORIZONS,
                         launch_years=list(range(2000, 2023)), age_methods=methods,
                         options=options)  # fmt: skip
        runs.append(ds.assign_coords(method=[m + label for m in methods]))
    ds = xr.concat(runs, dim="method", data_vars="all")
    ds.to_netcdf(saved)
    lower, upper = past_error_intervals(ds, 0.8)
    return _scores(ds, lower, upper, REGIONAL_PERIODS)


def municipal(data: Path, out: Path) -> pd.DataFrame:
    """Totals backtest of the municipalities with each method's own empirical intervals."""
    saved = out / "municipal_backtest.nc"
    if saved.exists():
        ds = xr.load_dataset(saved).expand_dims(age_group=["total"], axis=-1)
        return _scores(ds, ds["lower80"], ds["upper80"], MUNICIPAL_PERIODS)
    ds, _ = backtest(data / "finland_municipal_population_totals.csv",
                     area_column="municipality_code", horizons=HORIZONS,
                     launch_years=list(range(1982, 2023)),
                     methods=["trend_average", "trend_share", "linear_exponential_average"],
                     n_samples=500)  # fmt: skip
    ds.to_netcdf(saved)
    ds = ds.expand_dims(age_group=["total"], axis=-1)
    return _scores(ds, ds["lower80"], ds["upper80"], MUNICIPAL_PERIODS)


def _scores(ds, lower, upper, periods) -> pd.DataFrame:
    ape = abs(ds["forecast"] / ds["observed"] - 1) * 100
    rows = []
    for period, (lo, hi) in periods.items():
        sel = {"launch_year": slice(lo, hi)}
        mape = ape.sel(sel).mean(("launch_year", "area"))
        cover = coverage(ds["observed"].sel(sel), lower.sel(sel), upper.sel(sel),
                         ("launch_year", "area"))  # fmt: skip
        n = ds["observed"].sel(sel).notnull().any("area").sum("launch_year")
        for method in ds["method"].values:
            for h in ds["horizon"].values:
                row = {"period": period, "launches": f"{lo}-{hi}", "method": str(method),
                       "horizon": int(h)}  # fmt: skip
                at = {"method": method, "horizon": h}
                row["n_launches"] = int(n.sel(at).max())
                for g in ds["age_group"].values:
                    row[f"mape_{g}"] = float(mape.sel({**at, "age_group": g}))
                row["coverage80_total"] = float(cover.sel({**at, "age_group": "total"}))
                groups = [g for g in ds["age_group"].values if g != "total"]
                if groups:
                    row["coverage80_groups"] = float(cover.sel({**at, "age_group": groups}).mean())
                rows.append(row)
    return pd.DataFrame(rows)


def markdown(table: pd.DataFrame) -> str:
    """A pipe table of ``table`` (floats with two decimals)."""
    cells = table.map(lambda v: f"{v:.2f}" if isinstance(v, float) else str(v))
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(row) + " |" for row in cells.to_numpy().tolist()]
    return "\n".join(lines)


def main() -> None:
    """Run both backtests, write CSVs and print markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, run in (("regional", regional), ("municipal", municipal)):
        table = run(args.data, args.out)
        table.to_csv(args.out / f"{name}.csv", index=False)
        shown = table[table["n_launches"] > 0].round(2)
        print(f"\n{name}\n")
        print(markdown(shown))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
