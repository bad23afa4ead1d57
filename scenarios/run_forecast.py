"""The population forecast a run follows, made from its world, rate tables and options.

Pure functions of a :class:`scenarios.spec.RunSpec` (its ``forecast`` options and
``horizon_years``): no file is written here; a sweep shares the results through the
cache the ``experiments`` layer passes to :func:`scenarios.compose.prepare_run`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.cohort import project
from forecasting.errors import InputError, ProjectionError
from forecasting.inputs import read_rate_tables
from forecasting.population_inputs import read_population
from forecasting.rate_paths import simulate_rates
from forecasting.rates import assume_rates
from forecasting.seasonal import read_free_time_residences, stock_paths
from forecasting.types import AREA, SAMPLE, YEAR
from scenarios.own_forecast import has_own_data, own_forecast
from simulation.types import AGES, SEXES
from simulation.world import World

if TYPE_CHECKING:
    from scenarios.spec import RunSpec


def build_forecast(
    world: World, rates_dir: Path, settings: RunSpec, folder: Path | None = None
) -> xr.Dataset:
    """Project the world's areas from its base year over the run's horizon.

    With the rates of the world's region (``rates_region``) in ``rates_dir``, or,
    when the world ``folder`` carries its own population, births and deaths
    (:mod:`scenarios.own_forecast`), with schedules built from those.

    Returns
    -------
    xarray.Dataset
        Dims (sample, area, year, sex, age); see :func:`forecasting.cohort.project`.
    """
    if has_own_data(folder):
        return own_forecast(world, folder, settings)
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
        migration_shrinkage=settings.forecast.migration_shrinkage,
        e0_trend=settings.forecast.e0_trend,
        age_history=region_age_history(world, rates_dir, settings),
        tfr_period=settings.forecast.tfr_period,
        recent_period=settings.forecast.recent_migration_years,
        recent_damping=settings.forecast.recent_migration_damping,
        recent_decay=settings.forecast.recent_migration_decay,
        recent_target=settings.forecast.recent_migration_target,
        recent_age_years=settings.forecast.recent_migration_age_years,
        reference=national_history(world, rates_dir, settings),
    )
    if settings.forecast.method == "stochastic":
        rng = np.random.default_rng(np.random.SeedSequence(settings.forecast.seed))
        rates = simulate_rates(
            rates,
            tables,
            settings.forecast.n_samples,
            rng,
            settings.forecast.fit_start,
            settings.forecast.tfr_spread,
            settings.forecast.tfr_model,
        )
    return project(base, rates, years)


AGE_HISTORY_FILE = "region_population_age_sex.csv"
#: Years of regional age-sex history the old-age mortality fit reads (5 transitions).
AGE_HISTORY_YEARS = 6


def region_age_history(world: World, rates_dir: Path, settings: RunSpec) -> xr.DataArray | None:
    """Read the world's region by year, sex and age for the old-age mortality fit.

    Reads ``forecast.age_history`` (default: ``region_population_age_sex.csv`` in
    ``rates_dir``) when ``forecast.old_age_mortality`` is on and keeps the region
    ``world.rates_region`` for the :data:`AGE_HISTORY_YEARS` years up to the world's
    base year.

    Returns
    -------
    xarray.DataArray or None
        Dims (area, year, sex, age), persons on 31.12, one area (the region);
        ``None`` when the option is off.

    Raises
    ------
    InputError
        If the file is invalid or lacks the region or one of the years.
    """
    if not settings.forecast.old_age_mortality:
        return None
    path = settings.forecast.age_history or rates_dir / AGE_HISTORY_FILE
    region = str(world.rates_region)
    wanted = list(range(world.base_year - AGE_HISTORY_YEARS + 1, world.base_year + 1))
    hint = "set forecast.age_history=FILE or forecast.old_age_mortality=false"
    population = read_population(path, area_column="region_code")
    if region not in set(population[AREA].values.tolist()):
        raise InputError(
            [f"{Path(path).name} column 'region_code': no rows for region {region} ({hint})"]
        )
    missing = sorted(set(wanted) - set(population[YEAR].values.tolist()))
    if missing:
        raise InputError(
            [f"{Path(path).name} column 'year': region {region} lacks the years {missing} ({hint})"]
        )
    return population.sel({AREA: [region], YEAR: wanted})


#: Code of the whole country in the regional population file (the sum of the regions).
COUNTRY_CODE = "246"


def national_history(world: World, rates_dir: Path, settings: RunSpec) -> pd.Series | None:
    """Read the country's population by year for the jump-off's national shift.

    The ``246`` (whole of Finland) rows of ``forecast.age_history`` (default:
    ``region_population_age_sex.csv`` in ``rates_dir``), or the sum of its regions
    if it has none, for the years ``base_year - recent_migration_years .. base_year``.

    Returns
    -------
    pandas.Series or None
        Persons on 31.12 by year; ``None`` when ``forecast.recent_migration_national``
        or ``forecast.recent_migration_years`` is off.

    Raises
    ------
    InputError
        If the file lacks one of the years.
    """
    recent = settings.forecast.recent_migration_years
    if not settings.forecast.recent_migration_national or recent is None:
        return None
    path = settings.forecast.age_history or rates_dir / AGE_HISTORY_FILE
    population = read_population(path, area_column="region_code")
    codes = set(map(str, population[AREA].values.tolist()))
    areas = [COUNTRY_CODE] if COUNTRY_CODE in codes else sorted(codes)
    totals = population.sel({AREA: areas}).sum((AREA, "sex", "age")).to_series()
    wanted = range(world.base_year - recent, world.base_year + 1)
    missing = [year for year in wanted if year not in totals.index]
    if missing:
        raise InputError(
            [f"{Path(path).name} column 'year': the country lacks the years {missing} (set "
             "forecast.recent_migration_national=false or forecast.age_history=FILE)"]
        )  # fmt: skip
    return totals.loc[list(wanted)].astype(float)


def follows_seasonal_forecast(world: World, settings: RunSpec) -> bool:
    """Whether the run scales its seasonal residents by a stock forecast."""
    return settings.forecast.seasonal != "constant" and world.seasonal.residences.sum() > 0


def build_seasonal_stock(world: World, data_dir: Path, settings: RunSpec) -> xr.Dataset | None:
    """Sample paths of the free-time residence stock of the world's areas (summed).

    The stock of every area of the world is forecast from the data up to the world's
    base year (:func:`forecasting.seasonal.stock_paths`, ``settings.forecast.n_samples``
    paths from the forecast seed's own child stream) and summed over the areas. It
    does not depend on the run's seed or sample, so a sweep can share it
    (the forecast cache of :mod:`experiments.forecast_cache`).

    Returns
    -------
    xarray.Dataset or None
        ``free_time_residences`` (sample, year), residences on 31.12, years from the
        base year; ``None`` when ``forecast.seasonal`` is ``constant`` or the world
        has no free-time residences.

    Raises
    ------
    InputError
        If the file is invalid or lacks enough observations for an area of the world.
    """
    if not follows_seasonal_forecast(world, settings):
        return None
    path = settings.forecast.free_time_residences or data_dir / "free_time_residences.csv"
    history = read_free_time_residences(path)
    years = np.arange(world.base_year, world.base_year + settings.horizon_years + 1)
    seed = np.random.SeedSequence(settings.forecast.seed).spawn(2)[1]
    try:
        stock = stock_paths(
            history,
            list(world.zones.areas),
            world.base_year,
            years,
            settings.forecast.n_samples,
            np.random.default_rng(seed),
            settings.forecast.fit_start,
        ).sum(AREA)
    except ProjectionError as exc:
        raise InputError([f"{Path(path).name}: {exc} (or set forecast.seasonal=constant)"]) from exc
    attrs = {"units": "residences", "long_name": "free-time residences of the world's areas"}
    return xr.Dataset({"free_time_residences": stock.transpose(SAMPLE, YEAR).assign_attrs(attrs)})


def seasonal_path_of(stock: xr.Dataset | None, sample: int) -> dict[int, float] | None:
    """Year -> stock / base-year stock along one sample path (``None`` stays ``None``)."""
    if stock is None:
        return None
    path = stock["free_time_residences"].isel({SAMPLE: sample})
    ratio = path / path.isel({YEAR: 0})
    years = path[YEAR].values
    return {int(y): float(r) for y, r in zip(years[1:], ratio.values[1:], strict=True)}


def build_seasonal_path(
    world: World, data_dir: Path, settings: RunSpec, sample: int
) -> dict[int, float] | None:
    """Seasonal residents of each simulated year relative to the base year, one sample path.

    :func:`build_seasonal_stock` followed by :func:`seasonal_path_of`.

    Returns
    -------
    dict of int to float or None
        Year -> stock in that year / stock in the base year; ``None`` when
        ``forecast.seasonal`` is ``constant`` or the world has no free-time residences.

    Raises
    ------
    InputError
        If the file is invalid or lacks enough observations for an area of the world.
    """
    return seasonal_path_of(build_seasonal_stock(world, data_dir, settings), sample)
