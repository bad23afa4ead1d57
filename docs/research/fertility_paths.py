"""Do the stochastic forecast's fertility paths cover the fall of the 2010s? 0-6 at 5 and 10 y.

The simulation's default forecast is stochastic: the TFR follows a damped-trend ETS
model of the region's log TFR (``forecasting.rate_paths``), e0 and migration their own
time-series models. For each of the 19 regions and each launch 2000-2018 (data up to
the launch only), 100 sample paths of the default options are projected 10 years;
the 80 % interval (10th-90th percentile of the paths) of 0-6, 7-15, 75-84, 85+ and
the total at 5 and 10 years is compared with what happened. Selection launches
2000-2011, out of sample 2012-2018 (5 years) and 2012-2013 (10 years). Also printed:
the coverage of the TFR paths' own 80 % interval for the observed TFR. ``--tfr-spread``
widens the TFR paths (``forecast.tfr_spread``; default: the option's default, 1 = the
ETS model's own spread); ``--tfr-model random_walk`` uses the pooled random walk
(``forecast.tfr_model``; the spread is then the factor on its yearly step). Run from the repository root (about 10-20 minutes each;
results are saved in ``--out``):

    PYTHONPATH=. python docs/research/fertility_paths.py --data ../shared/data \
        --out /tmp/fertility-paths --tfr-spread 1
    PYTHONPATH=. python docs/research/fertility_paths.py --data ../shared/data \
        --out /tmp/fertility-paths --tfr-spread 2.6
    PYTHONPATH=. python docs/research/fertility_paths.py --data ../shared/data \
        --out /tmp/fertility-paths --tfr-model random_walk --tfr-spread 1.2
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.age_backtest import SERVICE_GROUPS
from forecasting.api import shipped_rates_dir
from forecasting.area_rates import area_rates
from forecasting.cohort import project
from forecasting.inputs import read_rate_tables
from forecasting.options import ForecastOptions
from forecasting.population_inputs import read_population

LAUNCHES = range(2000, 2019)
HORIZONS = (5, 10)
N_SAMPLES = 100


def run(data: Path, spread: float, model: str = "ets") -> pd.DataFrame:
    """Rows (launch, area, horizon, group): observed, mean, 10th and 90th percentile."""
    population = read_population(data / "finland_regional_population_age_sex.csv",
                                 "region_code", drop_areas=("246",))  # fmt: skip
    tables = read_rate_tables(shipped_rates_dir())
    o = ForecastOptions()
    rng = np.random.default_rng(np.random.SeedSequence(o.seed))
    last = int(population["year"].max())
    rows = []
    for launch in LAUNCHES:
        history = population.sel(year=slice(None, launch))
        years = np.arange(launch + 1, launch + max(HORIZONS) + 1)
        for area in map(str, population["area"].values):
            rates = area_rates(area, history, years, tables, base_period=o.base_period,
                               n_samples=N_SAMPLES, rng=rng, fit_start=o.fit_start,
                               e0_trend=o.e0_trend, old_age_mortality=o.old_age_mortality,
                               tfr_period=o.tfr_period, **o.jump_off(),
                               tfr_spread=spread, tfr_model=model)  # fmt: skip
            base = history.sel(area=[area], year=launch).drop_vars("year")
            paths = project(base, rates, years)["population"].isel(area=0).sum("sex")
            tfr = rates["fertility_rate"].isel(area=0).sum("age")
            for h in HORIZONS:
                if launch + h > last:
                    continue
                for group, (lo, hi) in {**SERVICE_GROUPS, "tfr": (0, 0)}.items():
                    if group == "tfr":
                        sims = tfr.sel(year=launch + h).to_numpy()
                        seen = tables.tfr
                        seen = seen[(seen["region_code"].astype(str) == area)
                                    & (seen["year"] == launch + h)]["tfr"]  # fmt: skip
                        observed = float(seen.iloc[0]) if len(seen) else np.nan
                    else:
                        sims = paths.sel(year=launch + h, age=slice(lo, hi)).sum("age").to_numpy()
                        observed = float(population.sel(area=area, year=launch + h,
                                                        age=slice(lo, hi)).sum())  # fmt: skip
                    rows.append({"launch": launch, "area": area, "horizon": h, "group": group,
                                 "observed": observed, "mean": float(sims.mean()),
                                 "p10": float(np.quantile(sims, 0.1)),
                                 "p90": float(np.quantile(sims, 0.9))})  # fmt: skip
        print("launch", launch, flush=True)
    return pd.DataFrame(rows)


def main() -> None:
    """Run (or reload) the paths and print MAPE of the mean and 80 % coverage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--tfr-spread", type=float, default=ForecastOptions().tfr_spread)
    parser.add_argument("--tfr-model", default=ForecastOptions().tfr_model)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    name = "" if args.tfr_model == "ets" else f"{args.tfr_model}_"
    saved = args.out / f"fertility_paths_{name}{args.tfr_spread:g}.csv"
    table = (pd.read_csv(saved) if saved.exists()
             else run(args.data, args.tfr_spread, args.tfr_model))  # fmt: skip
    table.to_csv(saved, index=False)
    table = table.dropna(subset=["observed"])
    table["period"] = np.where(table["launch"] <= 2011, "selection 2000-2011",
                               "out of sample 2012-2018")  # fmt: skip
    table["ape"] = (table["mean"] / table["observed"] - 1).abs() * 100
    table["inside"] = (table["observed"] >= table["p10"]) & (table["observed"] <= table["p90"])
    table["bias"] = (table["mean"] / table["observed"] - 1) * 100
    summary = table.groupby(["period", "horizon", "group"]).agg(
        launches=("launch", "nunique"), mape=("ape", "mean"), bias=("bias", "mean"),
        cover80=("inside", "mean"),
    )  # fmt: skip
    summary["cover80"] *= 100
    print(summary.round(2).to_string())


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
