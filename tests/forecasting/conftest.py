"""Fixtures of the forecasting tests: the shipped rate tables and the shared data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from forecasting import AGES, SEXES, read_rate_tables

REPO = Path(__file__).parents[2]
SHIPPED = REPO / "forecasting" / "data" / "finland"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def tables():
    """The shipped Finnish rate tables."""
    return read_rate_tables(SHIPPED)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared Statistics Finland extracts (skip when absent)."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"shared data not found at {data}")
    return data


@pytest.fixture(scope="session")
def sysma(shared_data):
    """Sysmä (781, region 7): base population 2023 and history of totals.

    The base population is Päijät-Häme's 2023 age-sex structure scaled to
    Sysmä's 2023 total of 3,496 (no municipal age-sex series is available).
    """
    pop = pd.read_csv(shared_data / "finland_regional_population_age_sex.csv")
    region = pop[(pop["region_code"] == 7) & (pop["year"] == 2023)]
    grid = region.pivot(index="sex", columns="age", values="population")
    values = grid.loc[list(SEXES), list(AGES)].to_numpy(dtype=float, copy=True)
    values *= 3496 / values.sum()
    base = xr.DataArray(
        values[None],
        dims=("area", "sex", "age"),
        coords={"area": ["781"], "sex": list(SEXES), "age": list(AGES), "year": 2023},
    )
    totals = pd.read_csv(
        shared_data / "finland_municipal_population_totals.csv", dtype={"municipality_code": str}
    )
    history = totals[totals["municipality_code"] == "781"].rename(
        columns={"municipality_code": "area"}
    )[["area", "year", "population"]]
    return base, history.reset_index(drop=True), np.arange(2024, 2044)
