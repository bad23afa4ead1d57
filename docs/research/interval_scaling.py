"""Horizon-dependent width factors for the 80 % intervals, chosen on selection launches.

Two beds, as in ``forecast_accuracy.py``:

- 19 regions by sex and single age, deterministic cohort-component method with the
  default options, launches 2000-2022 (selection 2000-2011, out of sample
  2012-2022); intervals from the method's own earlier errors
  (``forecasting.calibration.past_error_intervals``);
- 309 municipalities' totals, ``trend_average`` with its own empirical intervals,
  launches 1982-2022 (selection 1982-1995, out of sample 1996-2022).

For each horizon (and, for the regions, each age group) the factor on the log width
of the interval that gave 80 % coverage on the selection launches is found
(``forecasting.calibration.width_scales``) and applied unchanged to the
out-of-sample launches. Printed: the factors, and the coverage before and after.
Run from the repository root (several minutes; backtests are saved in ``--out``):

    PYTHONPATH=. python docs/research/interval_scaling.py --data ../shared/data \
        --out /tmp/interval-scaling
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.api import backtest
from forecasting.calibration import coverage, past_error_intervals, scale_intervals, width_scales
from forecasting.options import ForecastOptions

HORIZONS = [1, 2, 5, 10, 20]
BEDS = {
    "regions": ((2000, 2011), (2012, 2022)),
    "municipalities": ((1982, 1995), (1996, 2022)),
}


def regions(data: Path, out: Path) -> tuple[xr.Dataset, xr.DataArray, xr.DataArray]:
    """Regional backtest (saved) and its past-error intervals."""
    saved = out / "regions.nc"
    if not saved.exists():
        ds, _ = backtest(data / "finland_regional_population_age_sex.csv",
                         area_column="region_code", drop_areas=["246"], horizons=HORIZONS,
                         launch_years=list(range(2000, 2023)),
                         age_methods=["cohort_component"],
                         options=ForecastOptions(method="deterministic"))  # fmt: skip
        ds.to_netcdf(saved)
    ds = xr.load_dataset(saved).isel(method=0, drop=True)
    ds["observed"] = ds["observed"].transpose(*ds["forecast"].dims)
    lower, upper = past_error_intervals(ds, 0.8)
    return ds, lower, upper


def municipalities(data: Path, out: Path) -> tuple[xr.Dataset, xr.DataArray, xr.DataArray]:
    """Municipal totals backtest of trend_average (saved) with its empirical intervals."""
    saved = out / "municipalities.nc"
    if not saved.exists():
        ds, _ = backtest(data / "finland_municipal_population_totals.csv",
                         area_column="municipality_code", horizons=HORIZONS,
                         launch_years=list(range(1982, 2023)), methods=["trend_average"],
                         n_samples=500)  # fmt: skip
        ds.to_netcdf(saved)
    ds = xr.load_dataset(saved).isel(method=0, drop=True)
    ds = ds.expand_dims(age_group=["total"], axis=-1)
    ds["observed"] = ds["observed"].transpose(*ds["forecast"].dims)
    return (
        ds,
        ds["lower80"].transpose(*ds["forecast"].dims),
        ds["upper80"].transpose(*ds["forecast"].dims),
    )


def table(name: str, ds: xr.Dataset, lower: xr.DataArray, upper: xr.DataArray) -> pd.DataFrame:
    """Factors chosen on the selection launches; coverage before and after by period."""
    (s0, s1), (o0, o1) = BEDS[name]
    scale = width_scales(ds, lower, upper, slice(s0, s1))
    lo, hi = scale_intervals(ds["forecast"], lower, upper, scale)
    rows = []
    for period, (a, b) in (("selection", (s0, s1)), ("out-of-sample", (o0, o1))):
        sel = {"launch_year": slice(a, b)}
        before = coverage(ds["observed"].sel(sel), lower.sel(sel), upper.sel(sel),
                          ("launch_year", "area"))  # fmt: skip
        after = coverage(ds["observed"].sel(sel), lo.sel(sel), hi.sel(sel),
                         ("launch_year", "area"))  # fmt: skip
        for group in ds["age_group"].values:
            for h in ds["horizon"].values:
                at = {"age_group": group, "horizon": h}
                rows.append({"bed": name, "period": f"{period} {a}-{b}", "age_group": group,
                             "horizon": int(h), "scale": float(scale.sel(at)),
                             "cover_before": float(before.sel(at)),
                             "cover_after": float(after.sel(at))})  # fmt: skip
    return pd.DataFrame(rows)


def main() -> None:
    """Run both beds and print the factors and coverages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    parts = [table("regions", *regions(args.data, args.out)),
             table("municipalities", *municipalities(args.data, args.out))]  # fmt: skip
    result = pd.concat(parts, ignore_index=True)
    result.to_csv(args.out / "interval_scaling.csv", index=False)
    print(result.round(2).to_string(index=False))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
