"""Does the first months' domestic net migration of the projected year help the regions?

The monthly file (StatFin 12w7, intermunicipal net migration by municipality,
January 2022 - December 2023) summed to the 19 regions with the key of
``scenarios/worlds/data/municipalities.csv`` gives each region's net migration with
the rest of Finland (moves inside a region cancel; international migration is not
in the file). One launch can be scored: 2022 (population on 31.12.2022), forecasting
the regional totals of 2023 with the default deterministic cohort-component method,
knowing the first ``months`` months of 2023. The forecast total is corrected by the
change of those months' net migration from 2022 to 2023, scaled to a year
(``12 / months``), fully or by half. Run from the repository root:

    PYTHONPATH=. python docs/research/monthly_migration_regions.py --data ../shared/data
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.api import backtest
from forecasting.options import ForecastOptions

KEY = Path("scenarios/worlds/data/municipalities.csv")


def regional_moves(data: Path) -> pd.DataFrame:
    """Net migration (region, year, month) with the rest of Finland."""
    moves = pd.read_csv(data / "finland_municipal_net_migration_monthly.csv",
                        dtype={"municipality_code": str})  # fmt: skip
    key = pd.read_csv(KEY, dtype={"municipality_code": str, "region_code": str})
    moves = moves.merge(key[["municipality_code", "region_code"]], on="municipality_code",
                        how="left", validate="many_to_one")  # fmt: skip
    if moves["region_code"].isna().any():
        raise SystemExit("municipalities without a region in the key")
    return moves.groupby(["region_code", "year", "month"])["net_intermunicipal_migration"].sum()


def main() -> None:
    """Print the 1-year regional MAPE (%) of launch 2022 with and without the correction."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    args = parser.parse_args()
    moves = regional_moves(args.data).unstack("month")
    ds, _ = backtest(args.data / "finland_regional_population_age_sex.csv",
                     area_column="region_code", drop_areas=["246"], horizons=[1],
                     launch_years=[2022], age_methods=["cohort_component"],
                     options=ForecastOptions(method="deterministic"))  # fmt: skip
    at = {"method": "cohort_component", "launch_year": 2022, "horizon": 1, "age_group": "total"}
    point = ds["forecast"].sel(at).to_series()
    observed = ds["observed"].sel(at).to_series()
    rows = []
    for months in (1, 3, 6, 9, 12):
        known = moves.loc[:, 1:months].sum(axis=1).unstack("year")
        change = (known[2023] - known[2022]).reindex(point.index) * 12 / months
        for label, weight in (("none", 0.0), ("half", 0.5), ("full", 1.0)):
            ape = ((point + weight * change) / observed - 1).abs() * 100
            rows.append((months, label, round(float(ape.mean()), 3)))
    table = pd.DataFrame(rows, columns=["months known", "correction", "mape"])
    print(table.pivot_table(index="correction", columns="months known", values="mape")
          .to_string())  # fmt: skip


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
