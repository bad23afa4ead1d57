"""Yearly demography of permanent residents, aligned to a population forecast.

At each year end: deaths (individual risk by area, sex and age), births (by the
mother's age), ageing, moves between zones, then migration in and out of each area
chosen so that the count in every area x sex x single age equals the forecast sample
path exactly (LIAM2-style alignment: who leaves is drawn at random within the cell).
Deaths and births therefore vary between seeds while the totals follow the forecast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import xarray as xr

from simulation.errors import AlignmentError
from simulation.population import Population, count_by
from simulation.types import AGES, MAX_AGE, SEXES, FloatArray, IntArray


@dataclass(frozen=True)
class DemographicPath:
    """One forecast sample path as arrays: targets and rates by area, year, sex, age.

    Parameters
    ----------
    years : tuple of int
        Projected years (population on 31.12 of each).
    population : ndarray of int, shape (area, year, sex, age)
        Target population on 31.12, rounded to whole persons.
    death_probability : ndarray of float, shape (area, year, sex, age)
        Probability of dying during the year, by age at its start.
    infant_death_probability : ndarray of float, shape (area, year, sex)
        Probability of dying in the year of birth.
    fertility_rate : ndarray of float, shape (area, year, age)
        Births per woman per year by the mother's age at the start of the year.
    sex_ratio_at_birth : float
        Male births per female birth.
    """

    years: tuple[int, ...]
    population: IntArray
    death_probability: FloatArray
    infant_death_probability: FloatArray
    fertility_rate: FloatArray
    sex_ratio_at_birth: float

    def year_index(self, year: int) -> int:
        """Position of ``year`` in :attr:`years`."""
        try:
            return self.years.index(year)
        except ValueError:
            raise AlignmentError(
                f"forecast has no year {year}; it covers {self.years[0]}-{self.years[-1]}"
            ) from None


def path_from_forecast(
    forecast: xr.Dataset, sample: int, areas: tuple[str, ...], years: tuple[int, ...]
) -> DemographicPath:
    """Take one sample path of a forecast for the given areas and years.

    Raises
    ------
    AlignmentError
        If the forecast lacks an area, a year or a variable the model needs.
    """
    missing_areas = set(areas) - {str(a) for a in forecast["area"].values}
    missing_years = set(years) - {int(y) for y in forecast["year"].values}
    if missing_areas or missing_years:
        raise AlignmentError(
            f"forecast lacks areas {sorted(missing_areas)} or years {sorted(missing_years)}"
        )
    ds = forecast.isel(sample=sample).sel(area=list(areas), year=list(years))
    ds = ds.transpose("area", "year", ...)
    return DemographicPath(
        years=tuple(years),
        population=np.rint(ds["population"].transpose("area", "year", "sex", "age").values)
        .clip(0)
        .astype(np.int64),
        death_probability=ds["death_probability"].transpose("area", "year", "sex", "age").values,
        infant_death_probability=ds["infant_death_probability"]
        .transpose("area", "year", "sex")
        .values,
        fertility_rate=ds["fertility_rate"].transpose("area", "year", "age").values,
        sex_ratio_at_birth=float(forecast.attrs.get("sex_ratio_at_birth", 1.05)),
    )


@dataclass
class YearComponents:
    """Population accounting of one year by zone (permanent residents), persons."""

    start: IntArray
    births: IntArray
    deaths: IntArray
    in_migration: IntArray
    out_migration: IntArray
    end: IntArray


def year_end(
    pop: Population,
    path: DemographicPath,
    year: int,
    zone_area: IntArray,
    internal_move_rate: float,
    streams: dict[str, np.random.Generator],
    newcomers: Callable[[IntArray], None] | None = None,
) -> YearComponents:
    """Advance permanent residents by one year; return the accounting by zone.

    Parameters
    ----------
    pop : Population
        The store, changed in place (it is the model's state).
    path : DemographicPath
        Forecast sample path supplying risks and target counts for ``year``.
    year : int
        The year that ends; targets are the forecast population on 31.12 of it.
    zone_area : ndarray of int, shape (zone,)
        Forecast area index of each zone.
    internal_move_rate : float
        Share of households moving to another zone of the same area in a year.
    streams : dict of str to Generator
        Named streams ``deaths``, ``births``, ``moves`` and ``migration``.
    newcomers : callable, optional
        Called with the row ids of in-migrants (whole households) to draw their
        attributes; newborns inherit their mother's.
    """
    n_zones = zone_area.size
    t = path.year_index(year)
    perm = pop["kind"] == 0
    start = count_by(pop["zone"][pop.ids(perm)], n_zones)
    deaths = _deaths(pop, path, t, zone_area, streams["deaths"], n_zones)
    newborn_ids, births, infant_deaths = _births(pop, path, t, zone_area, streams["births"])
    deaths += infant_deaths
    _age(pop, exclude=newborn_ids)
    moved_out, moved_in = _internal_moves(pop, zone_area, internal_move_rate, streams["moves"])
    mig_in, mig_out = _align(pop, path, t, zone_area, streams["migration"], newcomers)
    end = count_by(pop["zone"][pop.ids(pop["kind"] == 0)], n_zones)
    return YearComponents(
        start=start,
        births=births,
        deaths=deaths,
        in_migration=moved_in + mig_in,
        out_migration=moved_out + mig_out,
        end=end,
    )


def _permanent_cells(pop: Population, zone_area: IntArray) -> tuple[IntArray, IntArray]:
    ids = pop.ids(pop["kind"] == 0)
    area = zone_area[pop["zone"][ids]]
    return ids, area


def _deaths(
    pop: Population,
    path: DemographicPath,
    t: int,
    zone_area: IntArray,
    rng: np.random.Generator,
    n_zones: int,
) -> IntArray:
    ids, area = _permanent_cells(pop, zone_area)
    risk = path.death_probability[area, t, pop["sex"][ids], pop["age"][ids]]
    dead = ids[rng.random(ids.size) < risk]
    pop.remove(dead)
    return count_by(pop["zone"][dead], n_zones)


def _births(
    pop: Population,
    path: DemographicPath,
    t: int,
    zone_area: IntArray,
    rng: np.random.Generator,
) -> tuple[IntArray, IntArray, IntArray]:
    n_zones = zone_area.size
    ids, area = _permanent_cells(pop, zone_area)
    women = ids[pop["sex"][ids] == 0]
    w_area = zone_area[pop["zone"][women]]
    rate = np.minimum(path.fertility_rate[w_area, t, pop["age"][women]], 1.0)
    mothers = women[rng.random(women.size) < rate]
    p_male = path.sex_ratio_at_birth / (1.0 + path.sex_ratio_at_birth)
    sex = (rng.random(mothers.size) < p_male).astype(np.int8)
    zone = pop["zone"][mothers]
    infant_risk = path.infant_death_probability[zone_area[zone], t, sex]
    survives = rng.random(mothers.size) >= infant_risk
    births = count_by(zone, n_zones)
    infant_deaths = count_by(zone[~survives], n_zones)
    new = pop.add(
        int(survives.sum()),
        age=0,
        sex=sex[survives],
        zone=zone[survives],
        kind=0,
        profile=pop["profile"][mothers[survives]],
        household=pop["household"][mothers[survives]],
        car=pop["car"][mothers[survives]],
        digital=pop["digital"][mothers[survives]],
        channel=pop["channel"][mothers[survives]],
    )
    return new, births, infant_deaths


def _age(pop: Population, exclude: IntArray) -> None:
    ids = np.setdiff1d(pop.ids(pop["kind"] == 0), exclude, assume_unique=True)
    age = pop["age"]
    age[ids] = np.minimum(age[ids] + 1, MAX_AGE).astype(age.dtype)


def _internal_moves(
    pop: Population, zone_area: IntArray, rate: float, rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    """Whole households move to another zone of their area, chosen by zone size."""
    n_zones = zone_area.size
    none = np.zeros(n_zones, dtype=np.int64)
    ids = pop.ids(pop["kind"] == 0)
    if rate <= 0 or ids.size == 0:
        return none, none.copy()
    hh = pop["household"][ids]
    seen = np.bincount(hh, minlength=int(hh.max()) + 1) > 0
    households = np.flatnonzero(seen)  # sorted, as np.unique but O(n)
    movers_hh = households[rng.random(households.size) < rate]
    is_mover = np.zeros(seen.size, dtype=bool)
    is_mover[movers_hh] = True
    movers = ids[is_mover[hh]]
    if movers.size == 0:
        return none, none.copy()
    weight = count_by(pop["zone"][ids], n_zones).astype(float)
    hh_of = pop["household"][movers]
    uniq, first = np.unique(hh_of, return_index=True)
    origin = pop["zone"][movers[first]]
    dest = origin.copy()
    for z in np.unique(origin):
        same_area = (zone_area == zone_area[z]) & (np.arange(n_zones) != z)
        if not same_area.any() or weight[same_area].sum() == 0:
            continue
        p = np.where(same_area, weight, 0.0)
        sel = origin == z
        dest[sel] = rng.choice(n_zones, size=int(sel.sum()), p=p / p.sum())
    new_zone = dest[np.searchsorted(uniq, hh_of)]
    moved = new_zone != pop["zone"][movers]
    out = count_by(pop["zone"][movers[moved]], n_zones)
    inn = count_by(new_zone[moved], n_zones)
    pop["zone"][movers] = new_zone
    return out, inn


def _align(
    pop: Population,
    path: DemographicPath,
    t: int,
    zone_area: IntArray,
    rng: np.random.Generator,
    newcomers: Callable[[IntArray], None] | None = None,
) -> tuple[IntArray, IntArray]:
    """Migrate in or out so every area x sex x age count equals the forecast target."""
    n_zones = zone_area.size
    n_areas = path.population.shape[0]
    shape = (n_areas, len(SEXES), len(AGES))
    ids, area = _permanent_cells(pop, zone_area)
    key = np.ravel_multi_index((area, pop["sex"][ids], pop["age"][ids]), shape)
    current = count_by(key, int(np.prod(shape)))
    diff = path.population[:, t].ravel() - current
    # Out-migration: a random |diff| persons within each cell that is above target
    # (only persons of such cells are ranked, in random order within their cell).
    excess = np.maximum(-diff, 0)
    over = excess[key] > 0
    cand, cand_key = ids[over], key[over]
    order = np.argsort(cand_key + rng.random(cand.size), kind="stable")
    sorted_key = cand_key[order]
    in_cell = np.bincount(sorted_key, minlength=excess.size)
    cell_start = (np.cumsum(in_cell) - in_cell)[sorted_key]
    rank = np.arange(cand.size) - cell_start
    leave = cand[order[rank < excess[sorted_key]]]
    out = count_by(pop["zone"][leave], n_zones)
    pop.remove(leave)
    inn = _immigrate(pop, np.maximum(diff, 0), shape, zone_area, rng, newcomers)
    return inn, out


def _immigrate(
    pop: Population,
    arrivals: IntArray,
    shape: tuple[int, int, int],
    zone_area: IntArray,
    rng: np.random.Generator,
    newcomers: Callable[[IntArray], None] | None = None,
) -> IntArray:
    """Add in-migrants; each settles in a zone of its area in proportion to zone size."""
    n_zones = zone_area.size
    cells = np.repeat(np.arange(arrivals.size), arrivals)
    area, sex, age = np.unravel_index(cells, shape)
    weight = count_by(pop["zone"][pop.ids(pop["kind"] == 0)], n_zones).astype(float) + 1.0
    zone = np.empty(cells.size, dtype=np.int64)
    for a in np.unique(area):
        in_area = zone_area == a
        p = np.where(in_area, weight, 0.0)
        sel = area == a
        zone[sel] = rng.choice(n_zones, size=int(sel.sum()), p=p / p.sum())
    new = pop.add(
        cells.size,
        age=age,
        sex=sex,
        zone=zone,
        kind=0,
        profile=0,
        household=pop.new_households(cells.size),
    )
    if newcomers is not None:
        newcomers(new)
    return count_by(zone, n_zones)
