"""Cohort-component projection of population by area, sex and single age.

Conventions
-----------
- **Age** is in completed years on 31.12; age 100 is open (100 and over). The
  population of year ``y`` is the stock on 31.12 of ``y``; the base year is the
  year before the first projected year.
- **Deaths.** The cohort aged ``a`` on 31.12 of ``y-1`` dies during ``y`` with
  ``death_probability[a]`` (indexed by age at the *start* of the year); its
  survivors are aged ``a+1`` on 31.12 of ``y``. Ages 99 and 100 both end in the
  open age 100, each with its own probability. Deaths are *recorded* by the
  cohort's age at the *end* of the year (age 0 = newborns dying in their year
  of birth).
- **Births.** ``births[y] = sum_a fertility_rate[a] * W[a]``, where ``W[a]``,
  the number of women aged ``a`` on average over the year, is approximated by
  the mean of the women aged ``a`` and ``a-1`` at the *start* of the year
  (the women aged ``a-1`` at the start are aged ``a`` at the end, ignoring their
  deaths and moves). Births only depend on the start-of-year population.
  Births split into sexes by ``sex_ratio_at_birth`` (males per female, an
  attribute of the rates, default 1.05); newborns survive to age 0 on 31.12 with
  ``1 - infant_death_probability``.
- **Net migration** during ``y`` of the cohort aged ``a`` on 31.12 of ``y`` is
  ``net_migration_rate[a]`` times that cohort at the start of the year (for
  age 0: the newborns; for 100: the ages 99 and 100 together).
- **Clipping.** The population is clipped at 0, and the recorded
  ``net_migration`` is the migration that was actually possible, so that per
  area, sex and age, exactly (same float operations)::

      population[y, a] = (aged[a] - deaths[y, a]) + net_migration[y, a]

  where ``aged[a]`` is ``population[y-1, a-1]`` (``births`` for ``a = 0``,
  ``population[y-1, 99] + population[y-1, 100]`` for ``a = 100``). Summed over
  ages: ``change = births - deaths + net_migration``.
- **Samples.** Every array has a leading ``sample`` dim; the projection is
  vectorised over sample, area, sex and age (Python loops only over years).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import xarray as xr

from forecasting.errors import ProjectionError
from forecasting.types import (
    AGE,
    AGES,
    AREA,
    DEFAULT_SEX_RATIO_AT_BIRTH,
    SAMPLE,
    SEX,
    SEXES,
    YEAR,
    FloatArray,
)

__all__ = ["Step", "advance", "project"]

RATE_VARIABLES = (
    "death_probability",
    "infant_death_probability",
    "fertility_rate",
    "net_migration_rate",
)
_ATTRS = {
    "population": {
        "units": "persons",
        "long_name": "population on 31.12 by age in completed years",
    },
    "births": {"units": "persons/year", "long_name": "live births during the year"},
    "deaths": {
        "units": "persons/year",
        "long_name": "deaths during the year by age of the cohort at the end of the year",
    },
    "net_migration": {
        "units": "persons/year",
        "long_name": "net migration during the year by age at the end of the year",
    },
}


@dataclass(frozen=True)
class Step:
    """The components of one projected year, arrays of shape (..., sex, age).

    Attributes
    ----------
    aged : numpy.ndarray
        Start-of-year cohorts by their age at the end of the year (age 0 = births).
    births : numpy.ndarray
        Births by sex, shape (..., sex), persons.
    deaths, net_migration, population : numpy.ndarray
        Deaths, recorded net migration and end-of-year population, persons.
    """

    aged: FloatArray
    births: FloatArray
    deaths: FloatArray
    net_migration: FloatArray
    population: FloatArray


def advance(
    population: FloatArray,
    death_probability: FloatArray,
    infant_death_probability: FloatArray,
    fertility_rate: FloatArray,
    net_migration_rate: FloatArray,
    sex_ratio_at_birth: float = DEFAULT_SEX_RATIO_AT_BIRTH,
) -> Step:
    """Project one year ahead (see the module conventions).

    Parameters
    ----------
    population : numpy.ndarray, shape (..., sex, age)
        Population on 31.12 of the previous year, persons; sex in ``SEXES``
        order, ages 0..100.
    death_probability : numpy.ndarray, shape (..., sex, age)
        By age at the start of the year, per person.
    infant_death_probability : numpy.ndarray, shape (..., sex)
        Probability of dying in the year of birth.
    fertility_rate : numpy.ndarray, shape (..., age)
        Births per woman per year.
    net_migration_rate : numpy.ndarray, shape (..., sex, age)
        By age at the end of the year, per person per year.
    sex_ratio_at_birth : float, default 1.05
        Males born per female.

    Returns
    -------
    Step
        The year's components; the input arrays are not modified.

    Examples
    --------
    Four women aged 30 and one man aged 100; 10 % die, fertility 0.5 at 30-31:

    >>> pop = np.zeros((2, 101)); pop[0, 30] = 4; pop[1, 100] = 1
    >>> fert = np.zeros(101); fert[30:32] = 0.5
    >>> step = advance(pop, np.full((2, 101), 0.1), np.zeros(2), fert, np.zeros((2, 101)), 1.0)
    >>> step.births.tolist(), float(step.deaths.sum()), step.population[0, 31]
    ([1.0, 1.0], 0.5, np.float64(3.6))
    """
    female = population[..., 0, :]
    exposure = 0.5 * female
    exposure[..., 1:] += 0.5 * female[..., :-1]
    total = (fertility_rate * exposure).sum(axis=-1)
    male_share = sex_ratio_at_birth / (1.0 + sex_ratio_at_birth)
    births = np.stack([total * (1.0 - male_share), total * male_share], axis=-1)

    aged = np.empty_like(population)
    aged[..., 0] = births
    aged[..., 1:-1] = population[..., :-2]
    aged[..., -1] = population[..., -2] + population[..., -1]

    deaths = np.multiply(population, death_probability, dtype=population.dtype)
    deaths[..., -1] += deaths[..., -2]
    deaths[..., 1:-1] = deaths[..., :-2].copy()
    deaths[..., 0] = births * infant_death_probability

    survivors = aged - deaths
    net = np.multiply(net_migration_rate, aged, dtype=population.dtype)
    net += survivors
    np.maximum(net, 0.0, out=net)
    net -= survivors
    return Step(aged, births, deaths, net, survivors + net)


def project(
    base_population: xr.DataArray, rates: xr.Dataset, years: Sequence[int] | np.ndarray
) -> xr.Dataset:
    """Cohort-component projection of a base population with given rates.

    Parameters
    ----------
    base_population : xarray.DataArray
        Dims (area, sex, age): persons on 31.12 of the base year, which is the
        year before ``years[0]``; sex in ``SEXES``, age 0..100.
    rates : xarray.Dataset
        ``death_probability`` (sample, area, year, sex, age),
        ``infant_death_probability`` (sample, area, year, sex), ``fertility_rate``
        (sample, area, year, age) and ``net_migration_rate`` (sample, area, year,
        sex, age) covering every area of ``base_population`` and every year;
        ``attrs["sex_ratio_at_birth"]`` (default 1.05). ``sample`` may have any
        size (absent = one sample), e.g. from :func:`forecasting.rates.assume_rates`.
    years : sequence of int
        Consecutive projected years.

    Returns
    -------
    xarray.Dataset
        Coordinates sample, area, year (base year + ``years``), sex, age.
        ``population`` (sample, area, year, sex, age, persons), ``births``
        (sample, area, year, sex), ``deaths`` and ``net_migration`` (sample,
        area, year, sex, age; by age at the end of the year) and the rates
        passed through. Components and rates are NaN in the base year.

    Raises
    ------
    ProjectionError
        If dimensions, coordinates or years do not fit.

    Examples
    --------
    >>> from forecasting.rates import rates_dataset
    >>> base = xr.DataArray(np.zeros((1, 2, 101)), dims=("area", "sex", "age"),
    ...     coords={"area": ["781"], "sex": ["female", "male"], "age": np.arange(101)})
    >>> base[0, 0, 29] = 3; base[0, 1, 70] = 2
    >>> fert = np.where((np.arange(101) >= 15) & (np.arange(101) < 50), 0.1, 0.0)
    >>> rates = rates_dataset(["781"], [2024, 2025], death_probability=0.01,
    ...     infant_death_probability=0.0, fertility_rate=fert, net_migration_rate=0.0,
    ...     n_samples=2)
    >>> out = project(base, rates, [2024, 2025])
    >>> dict(out["population"].sizes)
    {'sample': 2, 'area': 1, 'year': 3, 'sex': 2, 'age': 101}
    >>> out["population"].sum(("sex", "age")).isel(sample=0).round(4).values.tolist()
    [[5.0, 5.25, 5.4945]]
    >>> project(base, rates, [2024, 2026])
    Traceback (most recent call last):
    ...
    forecasting.errors.ProjectionError: years must be consecutive integers, got [2024, 2026]
    """
    years = _check_years(years)
    base, rates = _align(base_population, rates, years)
    srb = float(rates.attrs.get("sex_ratio_at_birth", DEFAULT_SEX_RATIO_AT_BIRTH))
    arrays = {name: _values(rates[name]) for name in RATE_VARIABLES}
    n_samples, n_areas = rates.sizes[SAMPLE], rates.sizes[AREA]
    shape = (n_samples, n_areas, len(years) + 1, len(SEXES), len(AGES))
    out = {
        "population": np.full(shape, np.nan),
        "deaths": np.full(shape, np.nan),
        "net_migration": np.full(shape, np.nan),
        "births": np.full(shape[:-1], np.nan),
    }
    current = np.broadcast_to(base, shape[:2] + shape[3:]).copy()
    out["population"][:, :, 0] = current
    for t in range(len(years)):
        step = advance(current, *(arrays[name][:, :, t] for name in RATE_VARIABLES), srb)
        for name in out:
            out[name][:, :, t + 1] = getattr(step, name)
        current = step.population
    return _assemble(out, rates, years)


def _check_years(years: Sequence[int] | np.ndarray) -> np.ndarray:
    """Projected years as an int array; consecutive and non-empty."""
    arr = np.asarray(years)
    if arr.ndim != 1 or arr.size == 0 or not np.issubdtype(arr.dtype, np.integer):
        raise ProjectionError(f"years must be a non-empty 1-d sequence of int, got {years!r}")
    if np.any(np.diff(arr) != 1):
        raise ProjectionError(f"years must be consecutive integers, got {arr.tolist()}")
    return arr.astype(np.int64)


def _align(
    base_population: xr.DataArray, rates: xr.Dataset, years: np.ndarray
) -> tuple[np.ndarray, xr.Dataset]:
    """Check coordinates; return the base array (area, sex, age) and aligned rates."""
    if set(base_population.dims) != {AREA, SEX, AGE}:
        raise ProjectionError(
            f"base_population must have dims (area, sex, age), got {base_population.dims}"
        )
    base = base_population.transpose(AREA, SEX, AGE)
    _check_coord(base, SEX, list(SEXES), "base_population")
    _check_coord(base, AGE, list(AGES), "base_population")
    missing_vars = [v for v in RATE_VARIABLES if v not in rates]
    if missing_vars:
        raise ProjectionError(f"rates lack the variables {missing_vars}")
    if SAMPLE not in rates.dims:
        rates = rates.expand_dims({SAMPLE: [0]})
    areas = [str(a) for a in base[AREA].values]
    have_areas = {str(a) for a in rates[AREA].values}
    have_years = {int(y) for y in rates[YEAR].values}
    lost_areas = [a for a in areas if a not in have_areas]
    lost_years = [int(y) for y in years if int(y) not in have_years]
    if lost_areas or lost_years:
        raise ProjectionError(f"rates lack the areas {lost_areas} or the years {lost_years}")
    rates = rates.assign_coords({AREA: [str(a) for a in rates[AREA].values]})
    rates = rates.sel({AREA: areas, YEAR: years})
    for name in ("death_probability", "net_migration_rate"):
        _check_coord(rates[name], SEX, list(SEXES), name)
    for name in RATE_VARIABLES:
        if AGE in rates[name].dims:
            _check_coord(rates[name], AGE, list(AGES), name)
    values = base.values.astype(float)
    if np.any(~np.isfinite(values)) or np.any(values < 0):
        raise ProjectionError("base_population must be finite and >= 0")
    return values, rates.assign_coords({AREA: areas})


def _check_coord(array: xr.DataArray, dim: str, expected: list, what: str) -> None:
    """Raise unless ``array[dim]`` equals ``expected`` in order."""
    got = array[dim].values.tolist() if dim in array.coords else None
    if got != expected:
        shown = got if got is None or len(got) < 6 else f"{got[:3]}...{got[-1:]}"
        raise ProjectionError(f"{what}: coordinate {dim!r} must be {expected[:3]}..., got {shown}")


def _values(rate: xr.DataArray) -> np.ndarray:
    """Rate array in (sample, area, year, [sex], [age]) order."""
    order = [d for d in (SAMPLE, AREA, YEAR, SEX, AGE) if d in rate.dims]
    if set(rate.dims) != set(order):
        raise ProjectionError(f"{rate.name} has unexpected dims {rate.dims}")
    return rate.transpose(*order).values.astype(float)


def _assemble(out: dict[str, np.ndarray], rates: xr.Dataset, years: np.ndarray) -> xr.Dataset:
    """Wrap the arrays into a Dataset with coordinates, rates and attributes."""
    all_years = np.concatenate([[years[0] - 1], years])
    coords = {
        SAMPLE: rates[SAMPLE].values,
        AREA: rates[AREA].values,
        YEAR: all_years,
        SEX: list(SEXES),
        AGE: list(AGES),
    }
    dims = (SAMPLE, AREA, YEAR, SEX, AGE)
    data = {
        name: xr.Variable(dims if name != "births" else dims[:-1], values, _ATTRS[name])
        for name, values in out.items()
    }
    ds = xr.Dataset(data, coords=coords)
    passed = rates.reindex({YEAR: all_years})
    for name, var in passed.data_vars.items():
        ds[name] = var
    ds.attrs = {
        **rates.attrs,
        "base_year": int(all_years[0]),
        "sex_ratio_at_birth": float(rates.attrs.get("sex_ratio_at_birth", 1.05)),
        "conventions": "see forecasting.cohort: age on 31.12, deaths and net migration "
        "by age at the end of the year; base-year components and rates are NaN",
    }
    return ds
