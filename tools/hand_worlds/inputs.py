"""Statistics Finland tables read from ``shared/data`` and the world being built."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.vocabulary import OPEN_AGE, SEXES

BASE_YEAR = 2023
RESIDENCES_YEAR = 2022
REGION = 7  # Päijät-Häme
POLYGONS_FILE = "finland_postal_code_areas_2019.geojson"
FINLAND = 246
AGES = np.arange(OPEN_AGE + 1)


@dataclass(frozen=True)
class Inputs:
    """Tables read from ``shared/data``."""

    totals: pd.DataFrame
    regional: pd.DataFrame
    bands: pd.DataFrame
    summary: pd.DataFrame
    residences: pd.DataFrame
    postal: pd.DataFrame
    polygons: dict[str, dict] = field(default_factory=dict)


@dataclass
class WorldData:
    """Everything needed to write one world folder."""

    name: str
    title: str
    zones: pd.DataFrame
    residents: np.ndarray  # (zone, sex, age) int
    residences: np.ndarray  # (zone,) int
    presence: np.ndarray  # (12,)
    seasonal_share: np.ndarray  # (sex, age)
    services: list[dict]
    travel: dict[str, np.ndarray]
    facilities: pd.DataFrame
    links: pd.DataFrame
    history: pd.DataFrame
    meta: dict
    notes: dict[str, str] = field(default_factory=dict)
    geometries: dict[str, dict] = field(default_factory=dict)  # zone id -> GeoJSON polygon


def read_inputs(shared: Path) -> Inputs:
    """Read the Statistics Finland tables.

    Parameters
    ----------
    shared : Path
        The ``shared`` folder (with ``data/``).

    Returns
    -------
    Inputs
    """
    d = shared / "data"
    codes = {"municipality_code": str, "postal_code": str}
    return Inputs(
        totals=pd.read_csv(d / "finland_municipal_population_totals.csv", dtype=codes),
        regional=pd.read_csv(d / "finland_regional_population_age_sex.csv"),
        bands=pd.read_csv(d / "finland_municipal_age_bands_2018.csv", dtype=codes),
        summary=pd.read_csv(d / "finland_municipal_summary_2018.csv", dtype=codes),
        residences=pd.read_csv(d / "finland_free_time_residences_by_municipality.csv", dtype=codes),
        postal=pd.read_csv(d / "finland_postal_code_areas.csv", dtype=codes),
        polygons=read_polygons(d / POLYGONS_FILE),
    )


def read_polygons(path: Path) -> dict[str, dict]:
    """Postal code -> GeoJSON geometry (EPSG:3067 integer metres) of the 2019 polygons."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {f["properties"]["postal_code"]: f["geometry"] for f in doc["features"]}


def regional_structure(inp: Inputs, region: int, year: int) -> np.ndarray:
    """Population by sex and single age of a region.

    Returns
    -------
    ndarray of int, shape (2, 101)
        Persons by sex (female, male) and age 0-100 (100 = 100+).
    """
    df = inp.regional[(inp.regional.region_code == region) & (inp.regional.year == year)]
    table = df.pivot(index="sex", columns="age", values="population")
    return table.loc[list(SEXES), list(AGES)].to_numpy(dtype=np.int64)


def municipal_total(inp: Inputs, code: str, year: int) -> int:
    """Registered population of a municipality on 31.12. of ``year`` (table 11re)."""
    t = inp.totals
    return int(t[(t.municipality_code == code) & (t.year == year)].population.iloc[0])


def municipal_residences(inp: Inputs, code: str) -> int:
    """Free-time residences of a municipality in 2022 (table 116j)."""
    r = inp.residences
    sel = (r.municipality_code == code) & (r.year == RESIDENCES_YEAR)
    return int(r[sel].free_time_residences.iloc[0])
