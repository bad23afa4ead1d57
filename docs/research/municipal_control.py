"""Backtest of the municipal forecasts controlled to the region, on the municipal totals.

Every one of the 309 municipalities (1.1.2024 boundaries) is projected from a launch
year with its region's rates (:func:`forecasting.regional_control.municipal_forecast`,
the default deterministic options), controlled to the region's own cohort-component
forecast and uncontrolled, beside the totals methods ``trend_average`` (the default)
and ``linear_exponential_average`` (the naive average); the MAPE is scored over all
municipalities and by size class (:mod:`forecasting.municipal_backtest`).

The jump-off structure by single age and sex is an estimate (no municipal age-sex
series is in ../shared):

- ``bands``: the municipality's 20 age bands of the launch year (both sexes), each
  band split over single ages and sexes like the region's population in that band,
  scaled to the official total. 2018: ``finland_municipal_age_bands_2018.csv`` (2020
  division; Honkajoki 099 added to Kankaanpää 214, which it joined in 2021); 2013-2017:
  ``finland_postal_code_population_age_bands.csv`` summed over the municipality's
  postal-code areas (suppressed cells left out);
- ``crude``: the region's age-sex structure scaled to the municipal total;
- ``raked``: ``bands`` raked (iterative proportional fitting) so that the
  municipalities also add up to the region's single-age x sex cells;
- ``mixed``: ``bands`` for the scored municipalities (see below), ``crude`` for the
  others: a jump-off that does not add up to the region's cells.

Tables printed: (1) launch 2018, totals, h = 1-5, all 309; (2) launches 2005-2018
pooled, crude jump-off, totals, h = 1, 2, 5, 10; (3) launches 2013-2017 pooled,
h = 1-5 up to 2018, the service age groups, on the municipalities whose postal-code
areas add up to within :data:`MATCH` of the official total in every year 2013-2017
(observed groups: the bands' shares times the official total; every municipality is
projected, the others are not scored).

Municipality -> region key: ``scenarios/worlds/data/municipalities.csv``. Run from the
repository root:

    PYTHONPATH=. python docs/research/municipal_control.py --data ../shared/data
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.age_backtest import SERVICE_GROUPS
from forecasting.inputs import read_rate_tables
from forecasting.municipal_backtest import backtest_launch, score
from forecasting.municipal_bands import band_groups, band_jump_off, rake_to_region, scaled_jump_off
from forecasting.population_inputs import read_population

KEY = Path("scenarios/worlds/data/municipalities.csv")
RATES = Path("forecasting/data/finland")
MERGED = {"099": "214"}
"""Municipalities of the 2020 division merged since (Honkajoki into Kankaanpää, 2021)."""
MATCH = 0.02
"""Largest relative gap between a municipality's postal-code sum and its official total."""
POSTAL_YEARS = range(2013, 2018)
OPTIONS = {"base_period": 15, "e0_trend": True, "tfr_period": 1, "recent_period": 5,
           "recent_damping": 0.5, "recent_decay": 0.5}  # fmt: skip
"""Rate options (forecasting.rates.assume_rates) the figures were measured with: the
default forecast options of 2026-11-30 (main 4346095), pinned so that the figures
can be re-measured after the defaults move."""


def read_inputs(data: Path) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """Key (municipality -> region), totals and age bands (area, year, age_from, age_to)."""
    key = pd.read_csv(KEY, dtype={"municipality_code": str, "region_code": str})
    regions = dict(zip(key["municipality_code"], key["region_code"], strict=True))
    totals = pd.read_csv(data / "finland_municipal_population_totals.csv",
                         dtype={"municipality_code": str})  # fmt: skip
    totals = totals.rename(columns={"municipality_code": "area"})[["area", "year", "population"]]
    frames = [pd.read_csv(data / name, dtype={"municipality_code": str})
              for name in ("finland_municipal_age_bands_2018.csv",
                           "finland_postal_code_population_age_bands.csv")]  # fmt: skip
    bands = pd.concat(frames, ignore_index=True)
    bands["area"] = bands["municipality_code"].replace(MERGED)
    keys = ["area", "year", "age_from", "age_to"]
    bands = bands.groupby(keys, dropna=False, as_index=False)["population"].sum(min_count=1)
    return regions, totals, bands


def matched(totals: pd.DataFrame, bands: pd.DataFrame) -> list[str]:
    """Municipalities whose postal-code sums are within MATCH of the official totals."""
    summed = bands[bands["year"].isin(POSTAL_YEARS)].groupby(["area", "year"])["population"].sum()
    official = totals.set_index(["area", "year"])["population"].reindex(summed.index)
    gap = (summed / official - 1).abs().groupby("area").max()
    return sorted(gap[gap <= MATCH].index)


def jump_off(kind: str, launch: int, regions: dict, region_history, totals, bands, use=()):
    """The municipalities' estimated (area, sex, age) on 31.12 of ``launch``.

    ``crude``: the region's shape; ``bands``: every municipality from its bands;
    ``raked``: ``bands`` raked to the region's cells; ``mixed``: the municipalities in
    ``use`` from their bands, the others crude.
    """
    at = totals[totals["year"] == launch].set_index("area")["population"].astype(float)
    year_bands = bands[bands["year"] == launch]
    parts = []
    for region in sorted(set(regions.values())):
        members = at[[a for a in at.index if regions[a] == region]]
        shape = region_history.sel(area=region, year=launch)
        banded = members[members.index.isin(use)] if kind == "mixed" else members
        banded = banded.iloc[:0] if kind == "crude" else banded
        if len(banded):
            start = band_jump_off(shape, year_bands[year_bands["area"].isin(banded.index)],
                                  banded)  # fmt: skip
            parts.append(rake_to_region(start, shape) if kind == "raked" else start)
        if len(banded) < len(members):
            parts.append(scaled_jump_off(shape, members.drop(banded.index)))
    return xr.concat(parts, dim="area")


def run(kind, launches, horizons, inputs, observed_groups=None, use=()) -> xr.Dataset:
    """Backtest pooled over ``launches``."""
    regions, totals, bands, region_history, tables = inputs
    parts = []
    for launch in launches:
        start = jump_off(kind, launch, regions, region_history, totals, bands, use)
        parts.append(backtest_launch(tables, regions, region_history, totals, start, launch,
                                     horizons, OPTIONS, observed_groups))  # fmt: skip
    return xr.concat(parts, dim="launch_year", data_vars="all")


def table(frames: list[pd.DataFrame], index: list[str], columns: str, values: str) -> str:
    """A markdown table of the pooled scores."""
    result = pd.concat(frames, ignore_index=True)
    wide = result.pivot_table(index=index, columns=columns, values=values, sort=False)
    return _markdown(wide.reset_index())


def main() -> None:
    """Print the MAPE (%) tables and the cells scored."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    args = parser.parse_args()
    regions, totals, bands = read_inputs(args.data)
    region_history = read_population(args.data / "finland_regional_population_age_sex.csv",
                                     drop_areas=("246",))  # fmt: skip
    inputs = (regions, totals, bands, region_history, read_rate_tables(RATES))
    totals_runs = []
    for kind, launches, horizons in (("bands", [2018], [1, 2, 3, 4, 5]),
                                     ("crude", [2018], [1, 2, 3, 4, 5]),
                                     ("crude", list(range(2005, 2019)), [1, 2, 5, 10])):  # fmt: skip
        scores = score(run(kind, launches, horizons, inputs))
        label = f"{launches[0]}-{launches[-1]}" if len(launches) > 1 else str(launches[0])
        cohort = scores["method"].isin(["controlled", "uncontrolled"])
        scores["method"] = scores["method"].where(~cohort, scores["method"] + f" ({kind})")
        totals_runs.append(scores.assign(launches=label))
    frame = pd.concat(totals_runs).drop_duplicates(["launches", "method", "horizon", "size_class"])
    print("## Totals: MAPE (%)\n")
    print(table([frame], ["launches", "size_class", "method"], "horizon", "mape"))
    print("\n## Totals: cells scored\n")
    print(table([frame], ["launches", "size_class"], "horizon", "n"))

    use = matched(totals, bands)
    groups = band_groups(bands, totals)
    upto = totals[totals["year"] <= 2018]  # the groups are observed up to 2018
    inputs = (regions, upto, bands, region_history, inputs[-1])
    print(f"\n## Service age groups, launches 2013-2017, {len(use)} municipalities\n")
    frames = []
    for kind in ("bands", "raked", "mixed", "crude"):
        ds = run(kind, list(POSTAL_YEARS), [1, 2, 3, 4, 5], inputs, groups, use)
        ds = ds.sel(area=use)
        for group in SERVICE_GROUPS:
            scores = score(ds, size_bins=(0, np.inf), group=group)
            scores = scores[scores["size_class"] == "all"]
            cohort = scores["method"].isin(["controlled", "uncontrolled"])
            scores["method"] = scores["method"].where(~cohort, scores["method"] + f" ({kind})")
            frames.append(scores.assign(age_group=group))
    frame = pd.concat(frames).drop_duplicates(["age_group", "method", "horizon"])
    print(table([frame], ["age_group", "method"], "horizon", "mape"))
    print(table([frame], ["age_group", "method"], "horizon", "malpe"))
    print(table([frame[frame["method"] == "trend_average"]], ["age_group"], "horizon", "n"))


def _markdown(frame: pd.DataFrame) -> str:
    """A markdown table of ``frame`` (without the optional ``tabulate``)."""
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |", "|---" * frame.shape[1] + "|"]
    lines += ["| " + " | ".join(f"{v:.2f}" if isinstance(v, float) else str(v) for v in row) + " |"
              for row in frame.itertuples(index=False)]  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    main()
