"""Score recency windows of trend_share's empirical intervals on early and late launches.

Coverage of the 80 % and 95 % intervals of ``EmpiricalIntervals(TrendShare())`` (the
backtest's default method, base period 10), 309 municipalities, launches 1982-2003,
horizons 5/10/20, for each ``recent_launches`` window K (``all``: every inner launch):

    python docs/research/interval_calibration.py \
        --data ../shared/data/finland_municipal_population_totals.csv

With ``--error-spread`` it prints instead, per launch 1982-2021, the 80th percentile
of trend_share's |log error| at horizons 1, 3, 5, 10 and 20 (where observed): what a
volatility scaling could see at a launch.

The intervals are read from the stored error quantiles (the exact 10/90 and
2.5/97.5 % quantiles that 500 sample paths approximate in the backtest), so there is
no sampling noise. Choose K on the selection launches (<= ``--split``), read its
coverage on the later, out-of-sample launches.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from forecasting.empirical import _GRID, EmpiricalIntervals, size_class
from forecasting.totals import as_history
from forecasting.totals_inputs import read_totals
from forecasting.trend_share import TrendShare

HORIZONS = np.array([5, 10, 20])
LEVELS = {"80": 0.8, "95": 0.95}


def log_bounds(results, level: float) -> np.ndarray:
    """Lower and upper log-error bounds (2, area, horizon) of the central ``level`` interval.

    Mirrors ``_EmpiricalResults._project``: a horizon beyond the observed ones takes
    the longest observed horizon's quantiles scaled by ``h / h_observed``; with no
    inner launch at all (the first launch) the wrapped method's paths give them.
    """
    q = results.params["quantiles"]
    if np.isnan(q).all():
        paths = results.simulate(HORIZONS, 4000, np.random.default_rng(0))
        log = np.log(paths / results.forecast(HORIZONS)).to_numpy()
        return np.quantile(log, [(1 - level) / 2, (1 + level) / 2], axis=0)
    klass = results.params["size_class"].astype(np.int64)
    available = np.flatnonzero(~np.isnan(q[:, :, 0]).any(axis=0)) + 1
    index = [int(np.argmin(np.abs(_GRID - p))) for p in ((1 - level) / 2, (1 + level) / 2)]
    out = np.empty((2, len(klass), len(HORIZONS)))
    for i, h in enumerate(HORIZONS):
        source = available[available <= h].max() if (available <= h).any() else available[0]
        out[:, :, i] = (q[klass, source - 1][:, index] * (h / source)).T
    return out


def error_spread(history) -> None:
    """Print the 80th percentile of |log error| of trend_share by launch and horizon."""
    years, values = history["year"].to_numpy(), history.to_numpy()
    print("launch  " + "  ".join(f"h={h:<4d}" for h in (1, 3, 5, 10, 20)))
    for launch in range(int(years[0]) + 10, int(years[-1])):
        j = int(np.flatnonzero(years == launch)[0])
        steps = np.array([1, 3, 5, 10, 20])
        steps = steps[launch + steps <= years[-1]]
        fitted = TrendShare(base_period=10).fit(history.isel(year=slice(0, j + 1)))
        error = np.abs(np.log(values[:, j + steps] / fitted.forecast(steps).to_numpy()))
        print(f"{launch}    " + "  ".join(f"{q:.3f} " for q in np.quantile(error, 0.8, axis=0)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--split", type=int, default=1992, help="last selection launch")
    parser.add_argument("--windows", type=int, nargs="+", default=[3, 5, 8, 12])
    parser.add_argument("--error-spread", action="store_true", help="print error spreads")
    args = parser.parse_args()
    history = as_history(read_totals(args.data, area_column="municipality_code"))
    years, values = history["year"].to_numpy(), history.to_numpy()
    if args.error_spread:
        error_spread(history)
        return
    rows = []
    for launch in range(1982, 2004):
        j = int(np.flatnonzero(years == launch)[0])
        past = history.isel(year=slice(0, j + 1))
        observed, klass = values[:, j + HORIZONS], size_class(values[:, j])
        error = None
        for window in [None, *args.windows]:
            spec = EmpiricalIntervals(TrendShare(base_period=10), recent_launches=window)
            fitted = spec.fit(past)
            if error is None:
                error = np.log(observed / fitted.forecast(HORIZONS).to_numpy())
            for level, p in LEVELS.items():
                lower, upper = log_bounds(fitted, p)
                inside = (error >= lower) & (error <= upper)
                for i, h in enumerate(HORIZONS):
                    for c in range(5):
                        mask = klass == c
                        name = "all" if window is None else f"K={window}"
                        rows.append((name, launch, h, c, level, inside[mask, i].sum(), mask.sum()))
    frame = pd.DataFrame(rows, columns=["window", "launch", "horizon", "size", "level", "in", "n"])
    frame["set"] = np.where(frame["launch"] <= args.split, "selection", "out_of_sample")
    sums = frame.groupby(["set", "window", "level", "horizon", "size"])[["in", "n"]].sum()
    coverage = (100 * sums["in"] / sums["n"]).round(0).astype(int)
    by_class = coverage.unstack("size").astype(str).agg("/".join, axis=1).unstack("horizon")
    pooled = frame.groupby(["set", "window", "level", "horizon"])[["in", "n"]].sum()
    print("coverage % by size class (<2k/2-5k/5-20k/20-100k/>100k), columns = horizon")
    with pd.option_context("display.width", 200, "display.max_rows", 200):
        print(by_class.to_string())
        print("\npooled over size classes")
        print((100 * pooled["in"] / pooled["n"]).round(1).unstack("horizon").to_string())


if __name__ == "__main__":
    main()
