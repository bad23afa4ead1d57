"""Compose the population forecast a run follows from a world and rate tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from experiments.settings import RunSettings
from forecasting.cohort import project
from forecasting.inputs import read_rate_tables
from forecasting.rate_paths import simulate_rates
from forecasting.rates import assume_rates
from simulation.types import AGES, SEXES
from simulation.world import World


def build_forecast(world: World, rates_dir: Path, settings: RunSettings) -> xr.Dataset:
    """Project the world's areas from its base year over the run's horizon.

    Returns
    -------
    xarray.Dataset
        Dims (sample, area, year, sex, age); see :func:`forecasting.cohort.project`.
    """
    base = xr.DataArray(
        world.area_residents.astype(float),
        dims=("area", "sex", "age"),
        coords={"area": list(world.zones.areas), "sex": list(SEXES), "age": list(AGES)},
        name="population",
    )
    history = pd.DataFrame(
        [
            {"area": area, "year": year, "population": n}
            for area, series in world.population_history.items()
            for year, n in series.items()
        ],
        columns=["area", "year", "population"],
    )
    years = np.arange(world.base_year + 1, world.base_year + 1 + settings.horizon_years)
    tables = read_rate_tables(rates_dir)
    rates = assume_rates(
        tables,
        region_code=world.rates_region,
        areas=list(world.zones.areas),
        history=history,
        base_population=base,
        years=years,
        n_samples=settings.forecast.n_samples,
        base_period=settings.forecast.base_period,
    )
    if settings.forecast.method == "stochastic":
        rng = np.random.default_rng(np.random.SeedSequence(settings.forecast.seed))
        rates = simulate_rates(
            rates, tables, settings.forecast.n_samples, rng, settings.forecast.fit_start
        )
    return project(base, rates, years)
