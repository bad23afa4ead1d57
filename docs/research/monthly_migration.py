"""Does the first months' net migration of the projected year help a 1-year forecast?

The monthly file (StatFin 12w7, intermunicipal net migration by municipality,
January 2022 - December 2023) allows one scored launch only: 2022, forecasting the
municipal totals of 2023. The default totals forecast (trend_average) and the naive
average are corrected by the change of the first ``months`` months' net migration
from 2022 to 2023, scaled to a year (fully, or by half). Run from the repository root:

    PYTHONPATH=. python docs/research/monthly_migration.py --data ../shared/data
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from forecasting.combination import TrendAverage
from forecasting.totals import LinearExponentialAverage, as_history
from forecasting.totals_inputs import read_totals


def main() -> None:
    """Print the 1-year MAPE (%) of launch 2022 with and without the monthly correction."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    args = parser.parse_args()
    history = as_history(read_totals(args.data / "finland_municipal_population_totals.csv"))
    moves = pd.read_csv(args.data / "finland_municipal_net_migration_monthly.csv",
                        dtype={"municipality_code": str})  # fmt: skip
    observed = history.sel(year=2023).to_series()
    rows = []
    for months in (3, 6, 9):
        part = moves[moves["month"] <= months].groupby(["municipality_code", "year"])
        part = part["net_intermunicipal_migration"].sum().unstack()
        for name, spec in (("trend_average", TrendAverage()),
                           ("naive", LinearExponentialAverage())):  # fmt: skip
            point = spec.fit(history.sel(year=slice(None, 2022))).forecast([1]).isel(year=0)
            point = point.to_series()
            change = (part[2023] - part[2022]).reindex(point.index).fillna(0) * 12 / months
            for label, weight in (("none", 0.0), ("full", 1.0), ("half", 0.5)):
                forecast = point + weight * change
                ape = (forecast / observed.reindex(forecast.index) - 1).abs() * 100
                rows.append((months, name, label, round(ape.mean(), 3)))
    table = pd.DataFrame(rows, columns=["months known", "method", "correction", "mape"])
    print(table.pivot_table(index=["method", "correction"], columns="months known",
                            values="mape").to_string())  # fmt: skip


if __name__ == "__main__":
    main()
