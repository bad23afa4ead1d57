"""Build the Finnish rate tables shipped in ``forecasting/data/finland/``.

Run from the repository root::

    python tools/build_finland_rates.py --shared ../shared

Reads the shared Statistics Finland extracts (CC BY 4.0, "Source: Statistics
Finland") under ``<shared>/data`` and writes seven tidy CSV files:

- ``death_probabilities.csv``: the Statistics Finland 2019-projection death
  probabilities of the KUUMA aggregate (area 5), 2020-2040, converted from per
  mille to per person;
- ``e0.csv``, ``tfr.csv``, ``pasfr.csv``: the regional vital rates, copied
  (``region_name`` dropped);
- ``net_migration_rates.csv``: net migrants per person per year by region, sex
  and 5-year age group = net migration of the group in year y divided by the
  population of the same region, sex and group on 31.12 of year y-1;
- ``free_time_residences.csv``: free-time residences by municipality and year
  (StatFin 116j), copied (``municipality_name`` dropped);
- ``region_population_age_sex.csv``: population by single age and sex on 31.12
  (StatFin 11re) of every region (:data:`AGE_HISTORY_REGIONS`)
  for :data:`AGE_HISTORY_YEARS`, copied (``region_name`` dropped); the forecast
  fits old-age mortality to its cohort attrition.

The output is deterministic: running the script twice gives identical files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

KUUMA_AREA_CODE = 5
FLOAT_FORMAT = "%.10g"
#: Regions shipped: all of the source's (the 19 regions and 246 = Finland), like the
#: other rate tables, so a world of any region (``rates_region``) has its history.
AGE_HISTORY_REGIONS = None
#: First and last year of the shipped regional age-sex history (10 years up to the
#: embedded worlds' base year 2023; the old-age fit uses the last 6).
AGE_HISTORY_YEARS = (2014, 2023)


def death_probabilities(data: Path) -> pd.DataFrame:
    """KUUMA 2019-projection death probabilities, per person."""
    raw = pd.read_csv(data / "helsinki_region_statfin2019_death_probabilities.csv")
    kuuma = raw[raw["area_code"] == KUUMA_AREA_CODE].copy()
    kuuma["death_probability"] = kuuma["death_probability_per_mille"] / 1000.0
    out = kuuma[["year", "sex", "age", "death_probability"]]
    return out.sort_values(["year", "sex", "age"]).reset_index(drop=True)


def vital_rate(data: Path, name: str, keys: list[str]) -> pd.DataFrame:
    """One regional vital-rate file without the region name."""
    raw = pd.read_csv(data / "finland_regional_vital_rates" / f"{name}.csv")
    out = raw.drop(columns=["region_name"])
    return out.sort_values(["region_code", "year", *keys]).reset_index(drop=True)


def net_migration_rates(data: Path) -> pd.DataFrame:
    """Net migration per person by region, year, sex and 5-year group."""
    mig = pd.read_csv(data / "finland_regional_vital_rates" / "net_migration_by_age_sex.csv")
    pop = pd.read_csv(data / "finland_regional_population_age_sex.csv")
    groups = mig[["age_start", "age_end"]].drop_duplicates()
    frames = []
    for start, end in groups.itertuples(index=False):
        upper = 100 if pd.isna(end) else int(end)
        band = pop[(pop["age"] >= start) & (pop["age"] <= upper)]
        summed = band.groupby(["region_code", "year", "sex"], as_index=False)["population"].sum()
        summed["age_start"] = start
        frames.append(summed)
    denom = pd.concat(frames, ignore_index=True)
    denom["year"] = denom["year"] + 1  # population on 31.12 of the previous year
    merged = mig.merge(denom, on=["region_code", "year", "sex", "age_start"], how="left")
    if merged["population"].isna().any() or (merged["population"] <= 0).any():
        raise SystemExit("net migration rows without a previous-year population")
    merged["rate"] = merged["net_migration"] / merged["population"]
    out = merged.rename(columns={"age_start": "age_from", "age_end": "age_to"})
    out["age_to"] = out["age_to"].astype("Int64")
    out = out[["region_code", "year", "sex", "age_from", "age_to", "rate"]]
    return out.sort_values(["region_code", "year", "sex", "age_from"]).reset_index(drop=True)


def free_time_residences(data: Path) -> pd.DataFrame:
    """Free-time residences by municipality and year (StatFin 116j), names dropped."""
    frame = pd.read_csv(
        data / "finland_free_time_residences_by_municipality.csv",
        dtype={"municipality_code": str},
    )
    return frame[["municipality_code", "year", "free_time_residences"]]


def region_population_age_sex(data: Path) -> pd.DataFrame:
    """Population by region, year, sex and single age (StatFin 11re), 10 years."""
    frame = pd.read_csv(data / "finland_regional_population_age_sex.csv")
    keep = frame["year"].between(*AGE_HISTORY_YEARS)
    if AGE_HISTORY_REGIONS is not None:
        keep &= frame["region_code"].isin(AGE_HISTORY_REGIONS)
    frame = frame[keep].sort_values(["region_code", "year", "sex", "age"])
    return frame[["region_code", "year", "sex", "age", "population"]]


def main(argv: list[str] | None = None) -> None:
    """Write the shipped Finnish rate tables."""
    root = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared folder")
    parser.add_argument(
        "--out", type=Path, default=root / "forecasting" / "data" / "finland", help="output folder"
    )
    args = parser.parse_args(argv)
    data = args.shared / "data"
    args.out.mkdir(parents=True, exist_ok=True)
    tables = {
        "death_probabilities.csv": death_probabilities(data),
        "e0.csv": vital_rate(data, "e0", ["sex"]),
        "tfr.csv": vital_rate(data, "tfr", []),
        "pasfr.csv": vital_rate(data, "pasfr", ["age"]),
        "net_migration_rates.csv": net_migration_rates(data),
        "free_time_residences.csv": free_time_residences(data),
        "region_population_age_sex.csv": region_population_age_sex(data),
    }
    for name, frame in tables.items():
        frame.to_csv(args.out / name, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
        print(f"{name}: {len(frame)} rows")


if __name__ == "__main__":
    main()
