"""Backtest and forecast any population from Python: in-memory tables or file paths.

:func:`backtest` is what ``servicesim-backtest`` runs: a rolling-origin backtest
of the totals methods (a table of area, year, population) or of the age-structured
methods (a table of area, year, sex, age, population, optionally with births and
deaths). :func:`forecast` projects the areas of an age-structured population from
its last year with the cohort-component method. Areas may be named by any
strings; an area that is not a region of the rate tables gets schedules built
from its own births and deaths (:mod:`forecasting.own_rates`).

Inputs are paths of CSV files, :class:`pandas.DataFrame` tables with the same
columns, or :class:`xarray.DataArray` arrays (dims ``area, year[, sex, age]``);
all are checked the same way, and errors name the file (or ``population``,
``births``, ``deaths`` for tables in memory), the row and the value.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.age_backtest import (
    cohort_component_method,
    hamilton_perry_method,
    naive_method,
    rolling_origin_ages,
    summarise_ages,
)
from forecasting.area_rates import area_rates
from forecasting.backtest import rolling_origin, summarise
from forecasting.cohort import project
from forecasting.errors import InputError
from forecasting.inputs import RateTables, read_rate_tables
from forecasting.methods import AGE_METHODS, METHODS, default_launch_years, method_specs
from forecasting.options import ForecastOptions, OptionError
from forecasting.own_rates import check_vital_data
from forecasting.population_inputs import read_population, tidy_table
from forecasting.totals_inputs import read_totals
from forecasting.types import AREA, YEAR
from forecasting.vital_inputs import births_array, births_table, deaths_array, deaths_table

__all__ = [
    "AGE_METHODS",
    "METHODS",
    "backtest",
    "default_launch_years",
    "forecast",
    "method_specs",
    "read_vital",
]

SCHEDULES = ("auto", "tables", "own")
"""Where the cohort-component schedules come from (see :func:`backtest`)."""


def shipped_rates_dir() -> Path:
    """Folder of the Finnish rate tables shipped with the package."""
    return Path(str(resources.files("forecasting"))) / "data" / "finland"


def has_ages(data: object) -> bool:
    """Whether the data (path, table or array) hold population by sex and age."""
    if isinstance(data, xr.DataArray):
        return {"sex", "age"} <= set(data.dims)
    if not isinstance(data, pd.DataFrame) and not Path(data).is_file():
        return False  # the reader names the missing file (or the folder)
    columns = data.columns if isinstance(data, pd.DataFrame) else pd.read_csv(data, nrows=0).columns
    return {"sex", "age", "population"} <= set(columns)


def load_totals(data: object, area_column: str) -> pd.DataFrame:
    """Read totals by area and year (path, table or array); age-structured data are summed."""
    table = tidy_table(data, "population", area_column)
    if not isinstance(table, pd.DataFrame):
        if not has_ages(table):
            return read_totals(table, area_column=area_column)
        table = pd.read_csv(table, dtype={area_column: str})
    if "age" in table.columns:
        table = table.groupby([area_column, "year"], as_index=False)["population"].sum()
    return read_totals(table, area_column=area_column)  # type: ignore[arg-type]


def _check_years(totals: pd.DataFrame, name: str) -> None:
    """Refuse years missing from the run of years, for every area or for some.

    Raises
    ------
    InputError
        Naming the file, the missing years and the areas that lack them.
    """
    years = np.arange(totals["year"].min(), totals["year"].max() + 1)
    present = set(totals["year"])
    problems = []
    gone = [int(y) for y in years if y not in present]
    if gone:
        problems.append(
            f"{name} column 'year': the years {gone} are missing for every area; the years "
            f"must run without gaps from {years[0]} to {years[-1]}"
        )
    for area, rows in totals.groupby("area", sort=True):
        lack = sorted(int(y) for y in present - set(rows["year"]))
        if lack:
            problems.append(f"{name} column 'year': area {area!r} lacks the years {lack[:10]}")
    if problems:
        raise InputError(problems[:20])


def backtest(
    data: object,
    *,
    births: object = None,
    deaths: object = None,
    area_column: str = "area",
    horizons: Sequence[int] = (5, 10, 20),
    launch_years: Sequence[int] | None = None,
    methods: Sequence[str] = (
        "trend_average",
        "trend_share",
        "linear_exponential_average",
        "linear",
        "exponential",
        "constant",
    ),
    age_methods: Sequence[str] = ("cohort_component", "hamilton_perry", "naive"),
    options: ForecastOptions | None = None,
    schedules: str = "auto",
    drop_areas: Sequence[str] = (),
    base_period: int = 10,
    n_samples: int = 500,
    seed: int = 0,
    empirical_intervals: bool = True,
    recent_launches: int | None = None,
) -> tuple[xr.Dataset, pd.DataFrame]:
    """Rolling-origin backtest of population forecasts; nothing is written.

    Parameters
    ----------
    data : path, pandas.DataFrame or xarray.DataArray
        Totals (``<area_column>, year, population``) or population by sex and age
        (``<area_column>, year, sex, age, population``; dims area, year, sex, age).
    births, deaths : path, pandas.DataFrame or xarray.DataArray, optional
        Age-structured data only: births ``<area_column>, year, mother_age,
        births`` (optional ``sex`` of the child) and deaths ``<area_column>, year,
        sex, age, deaths``.
    area_column : str, default "area"
        Name of the area column of the tables.
    horizons : sequence of int, default (5, 10, 20)
        Years ahead to score.
    launch_years : sequence of int, optional
        Default: every year with a base period behind it (and, for totals, the
        longest horizon observed).
    methods, age_methods : sequence of str
        Totals methods (:data:`METHODS`) or age-structured ones (:data:`AGE_METHODS`).
    options : ForecastOptions, optional
        The cohort-component options (base_period, e0_trend, old_age_mortality,
        tfr_period, rates_dir; n_samples, seed and fit_start of the paths).
    schedules : {"auto", "tables", "own"}, default "auto"
        Cohort-component schedules: ``auto`` = the rate tables for areas that are
        regions of the tables, the area's own births and deaths for the others;
        ``tables`` = refuse areas outside the tables; ``own`` = the area's own data
        for every area (no rate tables read).
    drop_areas : sequence of str
        Areas to leave out of age-structured data.
    base_period : int, default 10
        Years of history the totals methods extrapolate.
    n_samples, seed : int
        Sample paths of the totals methods' intervals, and their seed.
    empirical_intervals, recent_launches
        See :func:`method_specs`.

    Returns
    -------
    (xarray.Dataset, pandas.DataFrame)
        The backtest (forecasts, intervals, observations) and its summary by
        method, horizon and size class.

    Raises
    ------
    OptionError
        A bad option, naming it.
    InputError
        Bad data, naming the file, row and value.
    ForecastingError
        A method that cannot run on the data (e.g. the cohort-component method on
        an area with population data only), saying what to use instead.
    """
    horizons = [int(h) for h in horizons]
    if not horizons or min(horizons) < 1:
        raise OptionError(f"horizons={horizons}: must be positive integers")
    _check_counts(base_period=base_period, n_samples=n_samples)
    if has_ages(data):
        return _age_backtest(
            data, births, deaths, area_column, horizons, launch_years, age_methods,
            options or ForecastOptions(), schedules, tuple(map(str, drop_areas)), base_period,
        )  # fmt: skip
    if births is not None or deaths is not None:
        raise OptionError(
            "births= and deaths= need age-structured data= (area, year, sex, age, population)"
        )
    specs = method_specs(methods, base_period, empirical_intervals, recent_launches)
    totals = load_totals(data, area_column)
    _check_years(totals, Path(data).name if isinstance(data, str | Path) else "population")
    years = totals["year"].unique()
    launches = (
        default_launch_years(years, horizons, base_period)
        if launch_years is None
        else [int(y) for y in launch_years]
    )
    if not launches:
        raise OptionError("launch_years: no launch year leaves the horizons observable")
    rng = np.random.default_rng(np.random.SeedSequence(int(seed)))
    ds = rolling_origin(totals, specs, launches, horizons, int(n_samples), rng)
    return ds, summarise(ds)


def _check_counts(base_period: object, n_samples: object) -> None:
    """Refuse a base period or a number of sample paths that is not a sensible integer."""
    limits = {"base_period": (2, 200, base_period), "n_samples": (1, 100_000, n_samples)}
    for option, (lo, hi, value) in limits.items():
        if not isinstance(value, int | np.integer) or isinstance(value, bool):
            raise OptionError(f"{option}={value!r}: must be an integer")
        if not lo <= value <= hi:
            raise OptionError(f"{option}={value!r}: must be between {lo} and {hi}")


def _age_backtest(
    data, births, deaths, area_column, horizons, launch_years, names, options, schedules,
    drop, base_period,
) -> tuple[xr.Dataset, pd.DataFrame]:  # fmt: skip
    """Backtest the age-structured methods (see :func:`backtest`)."""
    names = list(names)
    unknown = [n for n in names if n not in AGE_METHODS]
    if unknown or not names:
        raise OptionError(f"age_methods={names}: allowed values are {list(AGE_METHODS)}")
    if schedules not in SCHEDULES:
        raise OptionError(f"schedules={schedules!r}: must be one of {', '.join(SCHEDULES)}")
    population, name = _population(data, area_column, drop)
    vital = read_vital(population, name, births, deaths, area_column)
    tables = None if schedules == "own" else _tables(options)
    if schedules == "tables":
        outside = set(map(str, population[AREA].values)) - set(map(str, tables.e0["region_code"]))
        if outside:
            raise OptionError(
                f"schedules='tables': the areas {sorted(outside)[:5]} are not regions of the "
                f"rate tables ({tables.source}); use schedules=auto or own"
            )
    ccm = {**options.rate_keywords(), **vital}
    available = {
        "cohort_component": cohort_component_method(tables, options.base_period, **ccm),
        "cohort_component_paths": cohort_component_method(
            tables,
            options.base_period,
            n_samples=options.n_samples,
            rng=np.random.default_rng(np.random.SeedSequence(options.seed)),
            fit_start=options.fit_start,
            **ccm,
        ),
        "hamilton_perry": hamilton_perry_method,
        "naive": naive_method,
    }
    launches = (
        _age_launches(population, tables, vital, horizons, base_period)
        if launch_years is None
        else [int(y) for y in launch_years]
    )
    if not launches:
        raise OptionError("launch_years: no launch year leaves a horizon observable")
    ds = rolling_origin_ages(population, {n: available[n] for n in names}, launches, horizons)
    return ds, summarise_ages(ds)


def _population(data: object, area_column: str, drop: tuple[str, ...]) -> tuple[xr.DataArray, str]:
    name = Path(data).name if isinstance(data, str | Path) else "population"
    return read_population(data, area_column, drop_areas=drop), name


def read_vital(
    population: xr.DataArray, name: str, births: object, deaths: object, area_column: str
) -> dict[str, xr.DataArray]:
    """Read births and deaths (``None``: absent), check them against the population."""
    given = (("births", births, births_table), ("deaths", deaths, deaths_table))
    tables = {key: read(source, area_column) for key, source, read in given if source is not None}
    check_vital_data(name, population, tables.get("births"), tables.get("deaths"))
    out = {}
    if "births" in tables:
        frame = tables["births"][1]
        out["births"] = births_array(frame, by_sex="sex" in frame.columns)
    if "deaths" in tables:
        out["deaths"] = deaths_array(tables["deaths"][1])
    return out


def _tables(options: ForecastOptions) -> RateTables:
    return read_rate_tables(options.rates_dir or shipped_rates_dir())


def _age_launches(population, tables, vital, horizons, base_period) -> list[int]:
    """Default launches: a base period of rates behind them, a horizon observable after."""
    years = population[YEAR].values
    first = int(years.min()) + base_period
    regions = set() if tables is None else set(map(str, tables.tfr["region_code"]))
    if regions & set(map(str, population[AREA].values)):  # the tables' years + base period
        first = max(first, int(tables.tfr["year"].min()) + base_period)
    for data in vital.values():  # and from the first year of births or deaths + base period
        first = max(first, int(data[YEAR].min()) + base_period - 1)
    return list(range(first, int(years.max()) - min(horizons) + 1))


def forecast(
    data: object,
    *,
    births: object = None,
    deaths: object = None,
    area_column: str = "area",
    horizon: int = 20,
    launch_year: int | None = None,
    options: ForecastOptions | None = None,
    schedules: str = "auto",
    drop_areas: Sequence[str] = (),
) -> xr.Dataset:
    """Cohort-component forecast of every area of an age-structured population.

    Parameters
    ----------
    data, births, deaths, area_column, schedules, drop_areas
        As in :func:`backtest` (population by sex and age; optional births and
        deaths, needed for areas outside the rate tables).
    horizon : int, default 20
        Years projected after the launch year, 1..100.
    launch_year : int, optional
        The base year (data after it are ignored); default the last year.
    options : ForecastOptions, optional
        ``method`` (``stochastic``: ``n_samples`` statsmodels sample paths from
        ``seed``; ``deterministic``: one), ``base_period``, ``e0_trend``,
        ``old_age_mortality``, ``tfr_period``, ``fit_start``, ``rates_dir``.
        Areas outside the rate tables have deterministic schedules only.

    Returns
    -------
    xarray.Dataset
        :func:`forecasting.cohort.project` output: ``population`` (sample, area,
        year, sex, age) from the launch year, with births, deaths, net migration
        and the rates.

    Raises
    ------
    OptionError, InputError, ForecastingError
        As :func:`backtest`.

    Examples
    --------
    >>> from forecasting.synthetic import country
    >>> pop, births, deaths = country()
    >>> ds = forecast(pop, births=births, deaths=deaths, horizon=5,
    ...               options=ForecastOptions(method="deterministic"))
    >>> sorted(ds["area"].values.tolist()), ds["year"].values[[0, -1]].tolist()
    (['Eastbrook', 'Lake Side', 'Northvale'], [2024, 2029])
    """
    options = options or ForecastOptions()
    if isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= 100:
        raise OptionError(f"horizon={horizon!r}: must be an integer between 1 and 100")
    if schedules not in SCHEDULES:
        raise OptionError(f"schedules={schedules!r}: must be one of {', '.join(SCHEDULES)}")
    population, name = _population(data, area_column, tuple(map(str, drop_areas)))
    vital = read_vital(population, name, births, deaths, area_column)
    last = int(population[YEAR].max()) if launch_year is None else int(launch_year)
    if last not in set(population[YEAR].values.tolist()):
        raise OptionError(f"launch_year={last}: not a year of {name}")
    history = population.sel({YEAR: slice(None, last)})
    tables = None if schedules == "own" else _tables(options)
    stochastic = options.method == "stochastic"
    rng = np.random.default_rng(np.random.SeedSequence(options.seed))
    years = np.arange(last + 1, last + horizon + 1)
    kwargs = {
        "base_period": options.base_period, "n_samples": options.n_samples if stochastic else 0,
        "rng": rng, "fit_start": options.fit_start, **options.rate_keywords(), **vital,
    }  # fmt: skip
    parts = []
    for area in map(str, history[AREA].values):
        rates = area_rates(area, history, years, tables, **kwargs)
        base = history.sel({AREA: [area], YEAR: last}).drop_vars(YEAR)
        parts.append(project(base, rates, years))
    return xr.concat(parts, dim=AREA, data_vars="all", combine_attrs="drop_conflicts")
