"""Constructed demographic paths and forecasts with a known trend (tests only)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from simulation import DemographicPath, World
from simulation.types import AGES, SEXES


def trend_path(world: World, years: int, growth: float) -> DemographicPath:
    """Every area x sex x age cell grows by ``growth`` per year (0 = flat); no births."""
    base = world.area_residents.astype(float)
    factor = (1 + growth) ** np.arange(1, years + 1)
    pop = np.rint(base[:, None] * factor[None, :, None, None]).astype(np.int64)
    n_areas = base.shape[0]
    return DemographicPath(
        years=tuple(range(world.base_year + 1, world.base_year + 1 + years)),
        population=pop,
        death_probability=np.zeros((n_areas, years, len(SEXES), len(AGES))),
        infant_death_probability=np.zeros((n_areas, years, len(SEXES))),
        fertility_rate=np.zeros((n_areas, years, len(AGES))),
        sex_ratio_at_birth=1.05,
    )


def forecast_of(world: World, path: DemographicPath) -> xr.Dataset:
    """The path as a one-sample forecast Dataset (sample, area, year, sex, age)."""
    base = world.area_residents[:, None].astype(float)
    pop = np.concatenate([base, path.population.astype(float)], axis=1)[None]
    return xr.Dataset(
        {"population": (("sample", "area", "year", "sex", "age"), pop)},
        coords={
            "sample": [0],
            "area": list(world.zones.areas),
            "year": [world.base_year, *path.years],
            "sex": list(SEXES),
            "age": list(AGES),
        },
    )
