"""The forecast of a world that carries its own population history, births and deaths.

A world folder may hold three optional files (``docs/world-format.md``):
``population_age_sex.csv`` (``area_id, year, sex, age, population``),
``births.csv`` (``area_id, year, mother_age, births`` and optionally ``sex`` of the
child) and ``deaths.csv`` (``area_id, year, sex, age, deaths``). With all three,
the world's forecast no longer needs the Finnish rate tables: every area is
projected from the world's residents with schedules built from its own data
(:func:`forecasting.own_rates.own_rates`: fertility by age from births,
Lee-Carter mortality from deaths, net migration by age and sex as the residual
of the population balance). ``rates_region`` is then not used.

With ``forecast.method=stochastic`` (the default) each of the ``forecast.n_samples``
samples follows its own path of the area's TFR, Lee-Carter mortality index and
residual migration level (:func:`forecasting.own_paths.simulate_own_rates`, series
from ``forecast.fit_start``, TFR widened by ``forecast.tfr_spread``), drawn from
``forecast.seed`` (one child stream per area, in the order of the world's areas);
with ``deterministic`` every sample is the same path. ``attrs["schedules"]`` says which.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import xarray as xr

from forecasting.api import read_vital
from forecasting.area_rates import area_rates
from forecasting.cohort import project
from forecasting.errors import InputError
from forecasting.population_inputs import read_population
from forecasting.types import AREA, SAMPLE, YEAR
from simulation.types import AGES, SEXES
from simulation.world import World

if TYPE_CHECKING:
    from scenarios.spec import RunSpec

__all__ = ["OWN_DATA_FILES", "has_own_data", "own_forecast"]

OWN_DATA_FILES = ("population_age_sex.csv", "births.csv", "deaths.csv")
"""The world's own data files; all three, or none."""

AREA_COLUMN = "area_id"


def has_own_data(folder: Path | None) -> bool:
    """Whether the world folder carries its own population, births and deaths.

    Raises
    ------
    InputError
        If only some of :data:`OWN_DATA_FILES` are there (naming the missing ones).
    """
    if folder is None or not Path(folder).is_dir():
        return False
    present = [name for name in OWN_DATA_FILES if (Path(folder) / name).is_file()]
    if present and len(present) < len(OWN_DATA_FILES):
        missing = [name for name in OWN_DATA_FILES if name not in present]
        raise InputError(
            [f"{Path(folder).name}: has {', '.join(present)} but not {', '.join(missing)}; "
             "a forecast from the world's own data needs all of "
             f"{', '.join(OWN_DATA_FILES)} (or none, for the rate tables)"]
        )  # fmt: skip
    return bool(present)


def own_forecast(world: World, folder: Path, settings: RunSpec) -> xr.Dataset:
    """Project the world's areas with schedules built from the folder's own data.

    The projection starts from the world's residents (``residents.csv``) in its base
    year; the history files are read up to the base year.

    Returns
    -------
    xarray.Dataset
        As :func:`forecasting.cohort.project`, with ``forecast.n_samples`` samples
        (identical with ``forecast.method=deterministic``).

    Raises
    ------
    InputError
        Bad or inconsistent files, naming the file, row and value; an area of
        ``zones.csv`` missing from them; a base year outside the history.
    """
    folder = Path(folder)
    path = folder / OWN_DATA_FILES[0]
    population = read_population(path, area_column=AREA_COLUMN)
    vital = read_vital(population, path.name, folder / OWN_DATA_FILES[1],
                       folder / OWN_DATA_FILES[2], AREA_COLUMN)  # fmt: skip
    areas = [str(a) for a in world.zones.areas]
    _check_coverage(population, areas, world.base_year, path.name)
    history = population.sel({YEAR: slice(None, world.base_year)})
    years = np.arange(world.base_year + 1, world.base_year + 1 + settings.horizon_years)
    opts = settings.forecast
    n = opts.n_samples
    stochastic = opts.method == "stochastic"
    base = xr.DataArray(
        world.area_residents.astype(float),
        dims=(AREA, "sex", "age"),
        coords={AREA: areas, "sex": list(SEXES), "age": list(AGES)},
    )
    streams = np.random.default_rng(np.random.SeedSequence(opts.seed)).spawn(len(areas))
    parts = []
    for area, rng in zip(areas, streams, strict=True):
        rates = area_rates(area, history, years, None, base_period=opts.base_period,
                           tfr_period=opts.tfr_period, n_samples=n if stochastic else 0, rng=rng,
                           fit_start=opts.fit_start, tfr_spread=opts.tfr_spread,
                           tfr_model=opts.tfr_model,
                           **vital)  # fmt: skip
        if not stochastic:
            rates = rates.isel({SAMPLE: np.zeros(n, dtype=np.int64)})
            rates = rates.assign_coords({SAMPLE: np.arange(n)})
        parts.append(project(base.sel({AREA: [area]}), rates, years))
    out = xr.concat(parts, dim=AREA, data_vars="all", combine_attrs="drop_conflicts")
    paths = ("stochastic: own TFR, Lee-Carter and migration paths per sample" if stochastic
             else "deterministic; every sample is the same path")  # fmt: skip
    out.attrs["schedules"] = f"own: built from {', '.join(OWN_DATA_FILES)} of the world ({paths})"
    return out


def _check_coverage(population: xr.DataArray, areas: list[str], base_year: int, name: str) -> None:
    """Refuse a history that lacks an area of the world or its base year."""
    problems = []
    known = set(map(str, population[AREA].values))
    lacking = [a for a in areas if a not in known]
    if lacking:
        problems.append(f"{name} column '{AREA_COLUMN}': no rows for the world's areas {lacking}")
    if base_year not in set(population[YEAR].values.tolist()):
        years = population[YEAR].values
        problems.append(
            f"{name} column 'year': the world's base year {base_year} is not in the file "
            f"(years {int(years.min())}-{int(years.max())})"
        )
    if problems:
        raise InputError(problems)
