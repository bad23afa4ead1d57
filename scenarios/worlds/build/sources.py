"""Read the data shipped for the world builder (``scenarios/worlds/data``).

Every file there has its source, licence and date in the README beside it.
"""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.vocabulary import AGES, SEXES

CODES = {"municipality_code": str, "postal_code": str, "area_postal_code": str}
#: Lower age limits of the 20 Paavo bands (the last, 85, is open).
BAND_STARTS: tuple[int, ...] = (
    0,
    3,
    7,
    13,
    16,
    18,
    20,
    25,
    30,
    35,
    40,
    45,
    50,
    55,
    60,
    65,
    70,
    75,
    80,
    85,
)
BAND_COLUMNS: tuple[str, ...] = tuple(f"age_{a}" for a in BAND_STARTS)


@dataclass(frozen=True)
class Sources:
    """The shipped tables (read-only by convention).

    Attributes
    ----------
    municipalities : DataFrame
        municipality_code, name_fi, name_sv, region_code, free_time_residences (2022).
    regions : DataFrame
        region_code, name_en, name_fi, name_sv.
    municipal_population : DataFrame
        municipality_code, year, population (31.12., 1972-2023).
    region_age_sex : dict of (int, int) to ndarray
        (region, year) -> persons by sex and age, shape (2, 101).
    postal_areas : DataFrame
        One row per postal-code area (see the data README).
    health_facilities : DataFrame
        The public health facility list with the postal area of each point.
    folder : Path
        Where the files are (for the polygons, read on demand).
    """

    municipalities: pd.DataFrame
    regions: pd.DataFrame
    municipal_population: pd.DataFrame
    region_age_sex: dict[tuple[int, int], np.ndarray]
    postal_areas: pd.DataFrame
    health_facilities: pd.DataFrame
    folder: Path

    @property
    def base_year(self) -> int:
        """Latest year of the municipal totals (residents are counted on its 31.12.)."""
        return int(self.municipal_population.year.max())

    def polygons(self, codes: list[str]) -> dict[str, dict]:
        """GeoJSON geometries (EPSG:3067) of the given postal codes."""
        every = _polygons(self.folder)
        return {c: every[c] for c in codes if c in every}


@lru_cache(maxsize=2)
def _polygons(folder: Path) -> dict[str, dict]:
    """Every postal-code polygon of the shipped GeoJSON (read once per folder)."""
    with gzip.open(folder / "postal_areas.geojson.gz", "rt", encoding="utf-8") as f:
        doc = json.load(f)
    return {ft["properties"]["postal_code"]: ft["geometry"] for ft in doc["features"]}


def data_folder() -> Path:
    """Folder of the shipped builder data inside the package."""
    return Path(str(resources.files("scenarios") / "worlds" / "data"))


def _csv(path: Path) -> pd.DataFrame:
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return pd.read_csv(io.StringIO(f.read()), dtype=CODES)
    return pd.read_csv(path, dtype=CODES, keep_default_na=True)


def _age_sex(df: pd.DataFrame) -> dict[tuple[int, int], np.ndarray]:
    out = {}
    for (region, year), g in df.groupby(["region_code", "year"]):
        table = g.pivot(index="sex", columns="age", values="population")
        out[int(region), int(year)] = table.loc[list(SEXES), list(AGES)].to_numpy(float)
    return out


@lru_cache(maxsize=2)
def load_sources(folder: Path | None = None) -> Sources:
    """Read the shipped builder data (cached per folder).

    Parameters
    ----------
    folder : Path, optional
        Defaults to :func:`data_folder`.

    Returns
    -------
    Sources
    """
    folder = Path(folder) if folder is not None else data_folder()
    munis = _csv(folder / "municipalities.csv")
    munis["name_sv"] = munis["name_sv"].fillna("")
    return Sources(
        municipalities=munis,
        regions=_csv(folder / "regions.csv"),
        municipal_population=_csv(folder / "municipal_population.csv.gz"),
        region_age_sex=_age_sex(_csv(folder / "region_age_sex.csv.gz")),
        postal_areas=_csv(folder / "postal_areas.csv.gz"),
        health_facilities=_csv(folder / "health_facilities.csv"),
        folder=folder,
    )
