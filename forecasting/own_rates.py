"""Rate schedules of an area built from its own population, births and deaths.

For areas that are not in any rate table (another country, a district, a set of
areas named by strings), :func:`own_rates` builds every schedule of the
cohort-component projection from the data it is given, using only years up to
the launch year ``T`` (base period ``T-k+1 .. T``):

- **fertility** by mother's age = births / women exposed
  (:func:`forecasting.vital_rates.observed_fertility`), births and exposures
  summed over the last ``tfr_period`` years;
- **mortality**: a Lee-Carter forecast from the deaths by sex and age
  (:func:`forecasting.vital_rates.lee_carter`); the probability of dying in the
  year of birth is ``1 - exp(-m0 / 2)`` (half a year's exposure at the age-0
  rate of the same year);
- **net migration** by sex and age = the residual of the population balance:
  each base-period year ``t`` is projected from ``P(t-1)`` with that year's
  observed death probabilities (``1 - exp(-deaths / mean population)``, the
  Lee-Carter convention) and fertility and no migration
  (:func:`forecasting.cohort.advance`); the rate is the sum over the years of
  ``P(t) - projected`` over the sum of the cohorts at risk (``Step.aged``) in
  5-year age groups (single ages are too noisy in small areas), so that the
  projection with these rates reproduces the base period's mean change;
- **sex ratio at birth** = male / female births over the base period where the
  births are given by the child's sex, else 1.05.

:func:`check_vital_data` checks births and deaths against the population before
anything is estimated.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.cohort import advance
from forecasting.errors import CalibrationError, InputError
from forecasting.rates import rates_dataset
from forecasting.types import AGE, AGES, AREA, DEFAULT_SEX_RATIO_AT_BIRTH, SEX, SEXES, YEAR
from forecasting.vital_rates import lee_carter, observed_fertility

__all__ = ["MIGRATION_GROUP", "check_vital_data", "own_rates", "usable_years", "yearly_residuals"]

MIGRATION_GROUP = 5
"""Width (years) of the age groups that share one net migration rate (100 in the last)."""


def check_vital_data(
    population_name: str,
    population: xr.DataArray,
    births: tuple[str, pd.DataFrame] | None = None,
    deaths: tuple[str, pd.DataFrame] | None = None,
) -> None:
    """Check births and deaths against the population they go with.

    Parameters
    ----------
    population_name : str
        File name of the population, for messages.
    population : xarray.DataArray
        Dims (area, year, sex, age), persons on 31.12.
    births, deaths : tuple of (str, pandas.DataFrame), optional
        File name and typed frame from :func:`forecasting.vital_inputs.births_table`
        and :func:`~forecasting.vital_inputs.deaths_table` (row n = index n - 1).

    Raises
    ------
    InputError
        Listing every problem, naming file, row and value: an area that is not in
        the population, a year missing between the file's first year and the
        population's last year, deaths at an age above the persons aged that
        age or one year younger at the start of the year (ages 1 and over).
    """
    problems: list[str] = []
    areas = set(map(str, population[AREA].values))
    last = int(population[YEAR].max())
    for given in (births, deaths):
        if given is None:
            continue
        name, frame = given
        unknown = frame[~frame[AREA].isin(areas)].drop_duplicates(AREA)
        for row, area in zip(unknown.index, unknown[AREA], strict=True):
            problems.append(
                f"{name} row {row + 1} column 'area': area {area!r} is not in {population_name}"
            )
        first = int(frame["year"].min())
        for area, years in frame.groupby(AREA)["year"]:
            missing = sorted(set(range(first, last + 1)) - set(years.tolist()))
            if missing and area in areas:
                problems.append(
                    f"{name} column 'year': area {area!r} has no rows for the years "
                    f"{_years(missing)} (needed from the file's first year {first} to "
                    f"{population_name}'s last year {last})"
                )
    if deaths is not None:
        problems += _deaths_above_population(deaths[0], deaths[1], population)
    if problems:
        raise InputError(problems)


def _years(years: list[int]) -> str:
    return ", ".join(map(str, years[:8])) + (f" ... ({len(years)} years)" if len(years) > 8 else "")


def _deaths_above_population(
    name: str, frame: pd.DataFrame, population: xr.DataArray, shown: int = 5
) -> list[str]:
    """Deaths of (year t, sex, age x >= 1) above the persons aged x-1 or x on 31.12 of t-1.

    Age 0 is not checked: most infants who die were born during the year.
    """
    pop = population.assign_coords({AREA: [str(a) for a in population[AREA].values]})
    start = pop.assign_coords({YEAR: pop[YEAR] + 1})  # population at the start of year t
    younger = start.shift({AGE: 1}, fill_value=0.0)
    bound = (start + younger).to_series().rename("bound")
    bound.index = bound.index.set_names([AREA, "year", "sex", "age"])
    rows = frame[frame["age"] > 0].join(bound, on=[AREA, "year", "sex", "age"], how="inner")
    bad = rows[rows["deaths"] > rows["bound"]].sort_index()
    problems = [
        f"{name} row {row + 1} column 'deaths': {d:g} deaths of {sex}s aged {age} in {year} "
        f"in area {area!r} exceed the {b:g} persons who could die at that age (aged "
        f"{max(age - 1, 0)}-{age} on 31.12.{year - 1})"
        for row, area, year, sex, age, d, b in zip(
            bad.index, bad[AREA], bad["year"], bad["sex"], bad["age"], bad["deaths"],
            bad["bound"], strict=True,
        )
    ][:shown]  # fmt: skip
    if len(bad) > shown:
        problems.append(
            f"{name} column 'deaths': {len(bad) - shown} more rows above the population"
        )
    return problems


def _observed_q(deaths: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Death probabilities ``1 - exp(-m)``, ``m`` = deaths / mean population (sex, age)."""
    return 1.0 - np.exp(-deaths / np.maximum(0.5 * (start + end), 1.0))


def _infant_q(q: np.ndarray) -> np.ndarray:
    """Dying in the year of birth: half a year at the age-0 rate, ``1 - exp(-m0 / 2)``."""
    m0 = -np.log(np.clip(1.0 - q[..., 0], 1e-12, 1.0))
    return 1.0 - np.exp(-0.5 * m0)


def own_rates(
    area: str,
    history: xr.DataArray,
    births: xr.DataArray,
    deaths: xr.DataArray,
    years: np.ndarray,
    base_period: int = 15,
    tfr_period: int | None = 1,
) -> xr.Dataset:
    """Rate assumptions of one area from its own population, births and deaths.

    See the module docstring for the method.

    Parameters
    ----------
    area : str
        The area's identifier (any string).
    history : xarray.DataArray
        Dims (year, sex, age), the area's persons on 31.12, up to the launch year
        ``T`` (the last year).
    births : xarray.DataArray
        Dims (year, mother_age) or (year, sex, mother_age) (sex of the child),
        live births of the area; years after ``T`` are ignored.
    deaths : xarray.DataArray
        Dims (year, sex, age), deaths of the area; years after ``T`` are ignored.
    years : numpy.ndarray
        Consecutive projected years from ``T + 1``.
    base_period : int, default 15
        Years up to ``T`` the migration residual and the sex ratio come from
        (fewer if the data are shorter, at least one).
    tfr_period : int or None, default 1
        Years of births averaged for fertility (``None``: ``base_period``).

    Returns
    -------
    xarray.Dataset
        The rates of :func:`forecasting.rates.rates_dataset` (one sample, one
        area) plus ``net_migration_level`` (sample, area) = 0; provenance in attrs.

    Raises
    ------
    CalibrationError
        If a base-period year lacks births, deaths or the population of ``t - 1``.
    """
    last = int(history[YEAR][-1])
    births = births.sel({YEAR: slice(None, last)})
    deaths = deaths.sel({YEAR: slice(None, last)})
    usable = usable_years(history, births, deaths, last - base_period + 1)
    if not usable:
        raise CalibrationError(
            f"area {area!r}: no year up to {last} has births, deaths and the previous "
            "year's population: its own schedules cannot be estimated"
        )
    both = births.sum(SEX) if SEX in births.dims else births
    fertility = observed_fertility(both, history, years=tfr_period or base_period)
    ratio = _sex_ratio(births, usable)
    q, _ = lee_carter(deaths, history, len(years))
    migration = _residual_migration(history, both, deaths, usable, ratio)
    attrs = {
        "region_code": "",
        "base_year": last,
        "base_period": int(base_period),
        "base_period_years": f"{usable[0]}-{usable[-1]}",
        "tfr_assumed": float(fertility.sum()),
        "method": "forecasting.own_rates.own_rates (the area's own births, deaths and "
        "population: observed fertility, Lee-Carter mortality, residual net migration)",
        "fertility_source": "births (observed_fertility)",
        "mortality_source": "deaths (Lee-Carter)",
        "migration_source": "residual of the population balance",
        "e0_trend": 0,
        "old_age_mortality": 0,
    }
    ds = rates_dataset(
        [area],
        years,
        death_probability=q,
        infant_death_probability=_infant_q(q),
        fertility_rate=fertility,
        net_migration_rate=migration,
        sex_ratio_at_birth=ratio,
        attrs=attrs,
    )
    ds["net_migration_level"] = xr.Variable(
        ("sample", AREA), np.zeros((1, 1)), {"units": "1/year", "long_name": "area level (none)"}
    )
    return ds


def usable_years(
    history: xr.DataArray, births: xr.DataArray, deaths: xr.DataArray, first: int
) -> list[int]:
    """Years from ``first`` to the last history year with births, deaths and ``P(t-1)``."""
    have = set(map(int, history[YEAR].values))
    born, died = set(map(int, births[YEAR].values)), set(map(int, deaths[YEAR].values))
    last = int(history[YEAR][-1])
    return [t for t in range(first, last + 1) if {t - 1, t} <= have and t in born and t in died]


def _sex_ratio(births: xr.DataArray, usable: list[int]) -> float:
    """Male per female births over the usable years, or 1.05 without the child's sex."""
    if SEX not in births.dims:
        return DEFAULT_SEX_RATIO_AT_BIRTH
    by_sex = births.sel({YEAR: usable}).sum((YEAR, "mother_age"))
    female, male = (float(by_sex.sel({SEX: s})) for s in SEXES)
    return male / female if female > 0 and male > 0 else DEFAULT_SEX_RATIO_AT_BIRTH


def yearly_residuals(
    history: xr.DataArray,
    births: xr.DataArray,
    deaths: xr.DataArray,
    usable: list[int],
    sex_ratio: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Net migration residual and cohorts at risk (year, sex, age) of each usable year.

    Each year ``t`` is projected from ``P(t-1)`` with that year's observed death
    probabilities and fertility and no migration; the residual is ``P(t)`` minus
    that projection, the cohorts at risk are ``Step.aged``.
    """
    pop = history.transpose(YEAR, SEX, AGE).sel({SEX: list(SEXES)}).reindex({AGE: list(AGES)})
    dead = deaths.transpose(YEAR, SEX, AGE).sel({SEX: list(SEXES)}).reindex({AGE: list(AGES)})
    residual = np.zeros((len(usable), len(SEXES), len(AGES)))
    at_risk = np.zeros_like(residual)
    for i, t in enumerate(usable):
        start = pop.sel({YEAR: t - 1}).to_numpy().astype(float)
        end = pop.sel({YEAR: t}).to_numpy().astype(float)
        q = _observed_q(dead.sel({YEAR: t}).fillna(0.0).to_numpy().astype(float), start, end)
        fertility = observed_fertility(births.sel({YEAR: [t]}), history, years=1)
        step = advance(start, q, _infant_q(q), fertility, np.zeros_like(q), sex_ratio)
        residual[i] = end - step.population
        at_risk[i] = step.aged
    return residual, at_risk


def _residual_migration(
    history: xr.DataArray,
    births: xr.DataArray,
    deaths: xr.DataArray,
    usable: list[int],
    sex_ratio: float,
) -> np.ndarray:
    """Net migration rate (sex, age): residual of the balance over the usable years."""
    residual, at_risk = (
        part.sum(axis=0) for part in yearly_residuals(history, births, deaths, usable, sex_ratio)
    )
    group = np.minimum(np.asarray(AGES) // MIGRATION_GROUP, (len(AGES) - 1) // MIGRATION_GROUP)
    sums = np.zeros((2, len(SEXES), group.max() + 1))
    np.add.at(sums[0], (slice(None), group), residual)
    np.add.at(sums[1], (slice(None), group), at_risk)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(sums[1] > 0, sums[0] / sums[1], 0.0)
    return np.maximum(rate[:, group], -1.0)
