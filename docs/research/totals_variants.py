"""Score trend_share variants on early (selection) and late (out-of-sample) launches.

Point forecasts only, 309 municipalities, launches 1982-2003, horizons 5/10/20:

    python docs/research/totals_variants.py --data ../shared/data/finland_municipal_population_totals.csv

Prints, per variant, the MAPE averaged over the five size classes and three
horizons for launches 1982-1992 and 1993-2003, and the out-of-sample MAPE of the
2-5k and > 100k classes. A damped share trend moves the share by
``sum(phi**i, i = 1..h)`` instead of ``h``; ``share trend x w`` moves it by ``w h``
(growth shrunk toward the region's).
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from forecasting.empirical import size_class
from forecasting.totals import LinearExponentialAverage, as_history
from forecasting.totals_inputs import read_totals
from forecasting.trend_share import TrendShare

HORIZONS = np.array([5, 10, 20])


def damped_trend_share(results, phi: float, weight: float = 1.0) -> np.ndarray:
    """trend_share point forecast (area, horizon), share trend damped by phi, times weight.

    ``weight < 1`` shrinks every area's share trend toward 0, i.e. its growth toward
    the region's growth.
    """
    p = results.params
    h = weight * np.array([sum(phi**i for i in range(1, k + 1)) for k in HORIZONS])[None, :]
    linear = np.maximum(p["share"][:, None] + p["slope"][:, None] * h, 0.0)
    exponential = p["share"][:, None] * np.exp(p["rate"][:, None] * h)
    share = np.where(p["rate"][:, None] > 0, linear, exponential)
    totals = np.maximum(p["total"][:, None] + p["total_slope"][:, None] * HORIZONS[None], 0.0)
    return share / share.sum(axis=0) * totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--split", type=int, default=1992, help="last selection launch")
    args = parser.parse_args()
    history = as_history(read_totals(args.data, area_column="municipality_code"))
    years, values = history["year"].to_numpy(), history.to_numpy()
    rows = []
    for launch in range(1982, 2004):
        j = int(np.flatnonzero(years == launch)[0])
        past = history.isel(year=slice(0, j + 1))
        observed, klass = values[:, j + HORIZONS], size_class(values[:, j])
        forecasts = {}
        for base in (10, 15, 20):
            fitted = TrendShare(base_period=base).fit(past)
            for phi in (1.0, 0.98, 0.95, 0.9):
                forecasts[f"base {base}, phi {phi}"] = damped_trend_share(fitted, phi)
            for weight in (0.5, 0.75, 0.9):
                forecasts[f"base {base}, share trend x {weight}"] = damped_trend_share(
                    fitted, 1.0, weight
                )
        naive = LinearExponentialAverage(base_period=10).fit(past).forecast(HORIZONS).to_numpy()
        forecasts["naive"] = naive
        forecasts["naive base 15"] = (
            LinearExponentialAverage(base_period=15).fit(past).forecast(HORIZONS).to_numpy()
        )
        forecasts["mean of trend_share and naive"] = 0.5 * (forecasts["base 10, phi 1.0"] + naive)
        for name, forecast in forecasts.items():
            ape = np.abs(forecast / observed - 1) * 100
            for i, h in enumerate(HORIZONS):
                for c in range(5):
                    mask = klass == c
                    rows.append((name, launch, h, c, ape[mask, i].sum(), mask.sum()))
    frame = pd.DataFrame(rows, columns=["variant", "launch", "horizon", "size", "ape", "n"])
    frame["set"] = np.where(frame["launch"] <= args.split, "selection", "out_of_sample")
    sums = frame.groupby(["set", "variant", "horizon", "size"])[["ape", "n"]].sum()
    mape = sums["ape"] / sums["n"]
    overall = mape.groupby(["set", "variant"]).mean().unstack("set")
    late = mape.loc["out_of_sample"].unstack("horizon")
    for size, label in ((1, "2-5k"), (4, ">100k")):
        part = late.xs(size, level="size")
        overall[label] = part.round(2).astype(str).agg(" / ".join, axis=1)
    with pd.option_context("display.width", 200):
        print(overall.sort_values("selection").round(3).to_string())


if __name__ == "__main__":
    main()
