"""Backtest of the municipal forecasts controlled to the region, on the municipal totals.

Every one of the 309 municipalities (1.1.2024 boundaries) is projected from a launch
year with its region's rates (:func:`forecasting.regional_control.municipal_forecast`,
the default deterministic options), controlled to the region's own cohort-component
forecast and uncontrolled, beside the totals methods ``trend_average`` (the default)
and ``linear_exponential_average`` (the naive average); the MAPE of the totals is
scored over all municipalities and by size class (:mod:`forecasting.municipal_backtest`).

The jump-off structure by single age and sex is an estimate (no municipal age-sex
series is in ../shared):

- ``bands``, launch 2018 only: Paavo's 20 age bands of 31.12.2018 per municipality
  (``finland_municipal_age_bands_2018.csv``, 2020 division; Honkajoki 099 added to
  Kankaanpää 214, which it joined in 2021), each band split over single ages and sexes
  like the region's 2018 population in that band, scaled to the official 2018 total;
- ``crude``, any launch: the region's age-sex structure scaled to the municipal total.

Municipality -> region key: ``scenarios/worlds/data/municipalities.csv``. Run from the
repository root:

    PYTHONPATH=. python docs/research/municipal_control.py --data ../shared/data
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import xarray as xr

from forecasting.inputs import read_rate_tables
from forecasting.municipal_backtest import backtest_launch, band_jump_off, scaled_jump_off, score
from forecasting.population_inputs import read_population

KEY = Path("scenarios/worlds/data/municipalities.csv")
RATES = Path("forecasting/data/finland")
MERGED = {"099": "214"}
"""Municipalities of the 2020 division merged since (Honkajoki into Kankaanpää, 2021)."""
RUNS = (("bands", (2018,), (1, 2, 3, 4, 5)), ("crude", (2018,), (1, 2, 3, 4, 5)),
        ("crude", tuple(range(2005, 2019)), (1, 2, 5, 10)))  # fmt: skip
"""(jump-off, launch years pooled, horizons) backtested; 2005 is the first launch whose
15-year base period lies within the rate tables (1990-)."""


def read_inputs(data: Path) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """Key (municipality -> region), totals (area, year, population), bands of 2018."""
    key = pd.read_csv(KEY, dtype={"municipality_code": str, "region_code": str})
    regions = dict(zip(key["municipality_code"], key["region_code"], strict=True))
    totals = pd.read_csv(data / "finland_municipal_population_totals.csv",
                         dtype={"municipality_code": str})  # fmt: skip
    totals = totals.rename(columns={"municipality_code": "area"})[["area", "year", "population"]]
    bands = pd.read_csv(data / "finland_municipal_age_bands_2018.csv",
                        dtype={"municipality_code": str})  # fmt: skip
    bands["area"] = bands["municipality_code"].replace(MERGED)
    bands = bands.groupby(["area", "age_from", "age_to"], dropna=False, as_index=False)[
        "population"
    ].sum()
    return regions, totals, bands


def jump_off(kind: str, launch: int, regions: dict, region_history, totals, bands):
    """The municipalities' estimated (area, sex, age) on 31.12 of ``launch``."""
    at = totals[totals["year"] == launch].set_index("area")["population"].astype(float)
    parts = []
    for region in sorted(set(regions.values())):
        members = at[[a for a in at.index if regions[a] == region]]
        shape = region_history.sel(area=region, year=launch)
        if kind == "bands":
            parts.append(band_jump_off(shape, bands[bands["area"].isin(members.index)], members))
        else:
            parts.append(scaled_jump_off(shape, members))
    return xr.concat(parts, dim="area")


def main() -> None:
    """Print the MAPE (%) of every run by size class and horizon, and the cells scored."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    args = parser.parse_args()
    regions, totals, bands = read_inputs(args.data)
    region_history = read_population(args.data / "finland_regional_population_age_sex.csv",
                                     drop_areas=("246",))  # fmt: skip
    tables = read_rate_tables(RATES)
    rows = []
    for kind, launches, horizons in RUNS:
        parts = []
        for launch in launches:
            start = jump_off(kind, launch, regions, region_history, totals, bands)
            parts.append(backtest_launch(tables, regions, region_history, totals, start, launch,
                                         horizons))  # fmt: skip
        ds = xr.concat(parts, dim="launch_year", data_vars="all")
        label = f"{launches[0]}" if len(launches) == 1 else f"{launches[0]}-{launches[-1]}"
        rows.append(score(ds).assign(jump_off=kind, launches=label))
    result = pd.concat(rows, ignore_index=True)
    cohort = result["method"].isin(["controlled", "uncontrolled"])
    result["method"] = result["method"].where(
        ~cohort, result["method"] + " (" + result["jump_off"] + ")"
    )
    result = result.drop_duplicates(["launches", "method", "horizon", "size_class"])
    wide = result.pivot_table(index=["launches", "size_class", "method"], columns="horizon",
                              values="mape", sort=False)  # fmt: skip
    counts = result.pivot_table(index=["launches", "size_class"], columns="horizon", values="n",
                                aggfunc="max", sort=False)  # fmt: skip
    print(_markdown(wide.reset_index()))
    print(_markdown(counts.astype("Int64").reset_index()))


def _markdown(frame: pd.DataFrame) -> str:
    """A markdown table of ``frame`` (without the optional ``tabulate``)."""
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |", "|---" * frame.shape[1] + "|"]
    lines += ["| " + " | ".join(f"{v:.2f}" if isinstance(v, float) else str(v) for v in row) + " |"
              for row in frame.itertuples(index=False)]  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    main()
