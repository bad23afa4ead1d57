"""A synthetic country: population, births and deaths of areas named by strings.

For examples, tests and docs of forecasting any population (no real data needed).

Each area is projected with known rates by :func:`forecasting.cohort.advance` and the
results rounded to whole persons: population by sex and single age on 31.12, births
by mother's age and the child's sex, deaths by sex and age. Fertility falls and
mortality improves over the years; each area has its own migration profile. The
cohort aged ``x`` at the start of a year dies with ``1 - exp(-m(x))``; deaths are
recorded by age as ``m(x)`` times the mean of the population aged ``x`` on 31.12 of
the year before and of the year (the usual period exposure).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.cohort import advance

__all__ = ["AREAS", "country", "write_country"]

AREAS = {"Northvale": (12_000, 0.004), "Eastbrook": (4_000, -0.006), "Lake Side": (30_000, 0.0)}
"""Area name -> (starting population, net migration level per person and year)."""
YEARS = range(1975, 2025)
AGES = np.arange(101)


def _rates(year: int, level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Death rates m (sex, age), infant death probability, fertility and migration rates."""
    trend = year - YEARS[0]
    m = np.tile(0.000025 * np.exp(0.1 * AGES) * np.exp(-0.015 * trend), (2, 1))
    m[1] *= 1.3  # men die more
    fertility = np.exp(-0.5 * ((AGES - 30) / 5.5) ** 2)
    fertility *= (1.9 - 0.01 * trend) / fertility.sum()
    young = np.exp(-0.5 * ((AGES - 24) / 6.0) ** 2)
    migration = np.tile(level + 0.01 * young - 0.01 * young.mean(), (2, 1))
    return np.minimum(m, 3.0), np.full(2, 0.003), fertility, migration


def country() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Make the population, births and deaths tables (area column ``area``), 1975-2024.

    Examples
    --------
    >>> pop, births, deaths = country()
    >>> pop.columns.tolist(), births.columns.tolist()
    (['area', 'year', 'sex', 'age', 'population'], ['area', 'year', 'sex', 'mother_age', 'births'])
    >>> sorted(pop["area"].unique())
    ['Eastbrook', 'Lake Side', 'Northvale']
    """
    shape = np.exp(-AGES / 60.0)
    pops, births, deaths = [], [], []
    for area, (size, level) in AREAS.items():
        pop = np.tile(size / 2 * shape / shape.sum(), (2, 1))
        for year in YEARS:
            if year > YEARS[0]:
                m, q0, fertility, migration = _rates(year, level)
                step = advance(pop, 1.0 - np.exp(-m), q0, fertility, migration, 1.05)
                women = pop[0]
                exposure = 0.5 * women + 0.5 * np.concatenate([[0.0], women[:-1]])
                by_age = fertility * exposure
                for sex, share in (("female", 1 / 2.05), ("male", 1.05 / 2.05)):
                    births += [(area, year, sex, a, round(by_age[a] * share))
                               for a in range(15, 50)]  # fmt: skip
                dead = m * 0.5 * (pop + step.population)  # by age at death: rate x exposure
                for s, sex in enumerate(("female", "male")):
                    deaths += [(area, year, sex, a, round(dead[s, a])) for a in AGES]
                pop = step.population
            for s, sex in enumerate(("female", "male")):
                pops += [(area, year, sex, a, round(pop[s, a])) for a in AGES]
    return (
        pd.DataFrame(pops, columns=["area", "year", "sex", "age", "population"]),
        pd.DataFrame(births, columns=["area", "year", "sex", "mother_age", "births"]),
        pd.DataFrame(deaths, columns=["area", "year", "sex", "age", "deaths"]),
    )


def write_country(folder: Path) -> tuple[Path, Path, Path]:
    """Write ``population.csv``, ``births.csv`` and ``deaths.csv`` into ``folder``."""
    paths = tuple(folder / f"{n}.csv" for n in ("population", "births", "deaths"))
    for frame, path in zip(country(), paths, strict=True):
        frame.to_csv(path, index=False)
    return paths  # type: ignore[return-value]
