"""Choose the default totals method on selection launches, report it on later launches.

Point forecasts only. Two test beds of different structure: the 309 Finnish
municipalities (StatFin 11re totals, 1972-2023) and the 19 Finnish regions (sums of
the regional age-sex file). Rolling origin with a 10-year base period; selection
launches 1982-1995, out-of-sample launches 1996-2022 (each horizon scored where
observed: 20 years only up to 2003).

Rule, fixed before the out-of-sample launches were looked at: a candidate must be
a combination of at least three simple methods (a single method's assumption can
fail on other data, as trend_share did on another country's small areas), and
among those the one with the smallest worst-case ratio of its MAPE to the naive
average's (over both test beds and the horizons 5, 10 and 20 years) on the
selection launches is chosen. Run from the repository root:

    PYTHONPATH=. python docs/research/totals_selection.py \
        --municipal ../shared/data/finland_municipal_population_totals.csv \
        --regional ../shared/data/finland_regional_population_age_sex.csv
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from forecasting.combination import DampedTrend, TrendCombination
from forecasting.totals import (
    ConstantPopulation,
    Exponential,
    Linear,
    LinearExponentialAverage,
    as_history,
)
from forecasting.totals_inputs import read_totals
from forecasting.trend_share import TrendShare

HORIZONS = [1, 2, 5, 10, 20]
SCORED = [5, 10, 20]
LAST_SELECTION = 1995
CANDIDATES = {
    "naive": LinearExponentialAverage(),
    "linear": Linear(),
    "exponential": Exponential(),
    "constant": ConstantPopulation(),
    "trend_share": TrendShare(),
    "damped": DampedTrend(),
    "mean(L,E,TS)": TrendCombination(("linear", "exponential", "trend_share")),
    "mean(L,E,TS,D)": TrendCombination(("linear", "exponential", "trend_share", "damped")),
    "mean(E,TS,D)": TrendCombination(("exponential", "trend_share", "damped")),
    "mean(L,E,D)": TrendCombination(("linear", "exponential", "damped")),
    "median(L,E,TS,D)": TrendCombination(
        ("linear", "exponential", "trend_share", "damped"), average="median"
    ),
}
COMBINATIONS = [n for n in CANDIDATES if n.startswith(("mean", "median"))]


def scores(history) -> pd.DataFrame:
    """MAPE (%) by method, launch and horizon, point forecasts."""
    years = history["year"].to_numpy()
    rows = []
    for launch in range(int(years[0]) + 10, int(years[-1])):
        steps = [h for h in HORIZONS if launch + h <= years[-1]]
        past = history.sel(year=slice(None, launch))
        observed = history.sel(year=[launch + h for h in steps]).to_numpy()
        for name, spec in CANDIDATES.items():
            ape = np.abs(spec.fit(past).forecast(steps).to_numpy() / observed - 1) * 100
            rows += [(name, launch, h, ape[:, k].mean()) for k, h in enumerate(steps)]
    return pd.DataFrame(rows, columns=["method", "launch", "horizon", "mape"])


def main() -> None:
    """Score every candidate, apply the rule, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipal", required=True)
    parser.add_argument("--regional", required=True)
    args = parser.parse_args()
    regional = pd.read_csv(args.regional, dtype={"region_code": str})
    regional = regional[regional["region_code"] != "246"]
    regional = regional.groupby(["region_code", "year"], as_index=False)["population"].sum()
    beds = {
        "municipalities": as_history(read_totals(args.municipal, "municipality_code")),
        "regions": as_history(regional.rename(columns={"region_code": "area"})),
    }
    ratios = []
    for bed, history in beds.items():
        table = scores(history)
        for period, part in (("selection", table[table["launch"] <= LAST_SELECTION]),
                             ("out-of-sample", table[table["launch"] > LAST_SELECTION])):  # fmt: skip
            mape = part.groupby(["method", "horizon"])["mape"].mean().unstack()
            launches = f"{part['launch'].min()}-{part['launch'].max()}"
            print(f"\n{bed}, {period} launches {launches}: MAPE (%) by horizon")
            print(mape.round(2).to_string())
            ratio = mape[SCORED].div(mape.loc["naive", SCORED]).stack().rename("ratio")
            ratios.append(ratio.reset_index().assign(bed=bed, period=period))
    ratios = pd.concat(ratios)
    worst = ratios.groupby(["period", "method"])["ratio"].max().unstack(0)
    print("\nworst ratio of MAPE to the naive average's (both beds, horizons 5/10/20):")
    print(worst.round(3).sort_values("selection").to_string())
    chosen = worst.loc[COMBINATIONS, "selection"].idxmin()
    print(f"\nchosen on the selection launches: {chosen}; out of sample its worst ratio is "
          f"{worst.loc[chosen, 'out-of-sample']:.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
