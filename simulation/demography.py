"""Yearly demography of permanent residents, aligned to a population forecast.

At each year end: deaths (individual risk by area, sex and age), births (by the
mother's age), ageing, moves between zones, then migration in and out of each area
chosen so that the count in every area x sex x single age equals the forecast sample
path exactly (LIAM2-style alignment: who leaves is drawn at random within the cell).
Deaths and births therefore vary between seeds while the totals follow the forecast.
The path itself (:class:`DemographicPath`) is in :mod:`simulation.demographic_path`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simulation.demographic_path import DemographicPath
from simulation.population import Population, count_by
from simulation.types import AGES, OPEN_AGE, SEXES, BoolArray, FloatArray, IntArray


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
    start = _zone_counts(pop, n_zones)
    deaths = _deaths(pop, path, t, zone_area, streams["deaths"], n_zones)
    rows_before_births = pop.rows
    _, births, infant_deaths = _births(pop, path, t, zone_area, streams["births"])
    deaths += infant_deaths
    _age(pop, rows_before_births)
    # Residents by zone after births; the steps below keep it up to date, so that no
    # step counts the store again (the end count below does, as a check on them).
    residents = start - deaths + births
    moved_out, moved_in = _internal_moves(
        pop, zone_area, internal_move_rate, streams["moves"], residents
    )
    residents += moved_in - moved_out
    mig_in, mig_out = _align(pop, path, t, zone_area, streams["migration"], residents, newcomers)
    end = _zone_counts(pop, n_zones)
    return YearComponents(
        start=start,
        births=births,
        deaths=deaths,
        in_migration=moved_in + mig_in,
        out_migration=moved_out + mig_out,
        end=end,
    )


def _permanent(pop: Population) -> BoolArray:
    """Mask over rows of active permanent residents."""
    return pop.active & (pop["kind"] == 0)


def _zone_counts(pop: Population, n_zones: int) -> IntArray:
    """Active permanent residents by zone."""
    return count_by(pop["zone"][_permanent(pop)], n_zones)


def _flat_cells(table: np.ndarray, t: int) -> FloatArray:
    """Year ``t`` of an (area, year, ...) table, flattened over (area, ...) in C order."""
    return np.ascontiguousarray(table[:, t]).ravel()


def _cell_index(area: IntArray, *rest: tuple[IntArray, int]) -> IntArray:
    """Flat C-order index of (area, *rest) given (values, size) of each further axis."""
    key = area.astype(np.int64)
    for values, size in rest:
        key *= size
        key += values
    return key


def _deaths(
    pop: Population,
    path: DemographicPath,
    t: int,
    zone_area: IntArray,
    rng: np.random.Generator,
    n_zones: int,
) -> IntArray:
    perm = _permanent(pop)
    ids = np.flatnonzero(perm)
    area = zone_area[pop["zone"][perm]]
    cell = _cell_index(area, (pop["sex"][perm], len(SEXES)), (pop["age"][perm], len(AGES)))
    risk = _flat_cells(path.death_probability, t)[cell]
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
    is_woman = _permanent(pop) & (pop["sex"] == 0)
    women = np.flatnonzero(is_woman)
    w_area = zone_area[pop["zone"][is_woman]]
    fertility = _flat_cells(path.fertility_rate, t)
    rate = np.minimum(fertility[_cell_index(w_area, (pop["age"][is_woman], len(AGES)))], 1.0)
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


def _age(pop: Population, rows: int) -> None:
    """Add a year to active permanent residents in rows ``0 .. rows - 1`` (not newborns)."""
    age = pop["age"][:rows]
    age += _permanent(pop)[:rows] & (age < OPEN_AGE)


def _internal_moves(
    pop: Population,
    zone_area: IntArray,
    rate: float,
    rng: np.random.Generator,
    residents: IntArray,
) -> tuple[IntArray, IntArray]:
    """Whole households move to another zone of their area, chosen by zone size."""
    n_zones = zone_area.size
    none = np.zeros(n_zones, dtype=np.int64)
    perm = _permanent(pop)
    ids = np.flatnonzero(perm)
    if rate <= 0 or ids.size == 0:
        return none, none.copy()
    hh = pop["household"][perm]
    seen = np.bincount(hh, minlength=int(hh.max()) + 1) > 0
    households = np.flatnonzero(seen)  # sorted, as np.unique but O(n)
    movers_hh = households[rng.random(households.size) < rate]
    is_mover = np.zeros(seen.size, dtype=bool)
    is_mover[movers_hh] = True
    movers = ids[is_mover[hh]]
    if movers.size == 0:
        return none, none.copy()
    weight = residents.astype(float)
    hh_of = pop["household"][movers]
    uniq, first = np.unique(hh_of, return_index=True)
    origin = pop["zone"][movers[first]]
    dest = origin.copy()
    # Households of zones with another populated zone in their area move.
    others = count_by(zone_area, int(zone_area.max()) + 1, weights=weight)[zone_area] - weight
    can = others[origin] > 0
    zones = np.arange(n_zones)

    def destinations(z: int) -> FloatArray:
        return np.where((zone_area == zone_area[z]) & (zones != z), weight, 0.0)

    dest[can] = choose_by_group(origin[can], destinations, rng)
    new_zone = dest[np.searchsorted(uniq, hh_of)]
    moved = new_zone != pop["zone"][movers]
    out = count_by(pop["zone"][movers[moved]], n_zones)
    inn = count_by(new_zone[moved], n_zones)
    pop["zone"][movers] = new_zone
    return out, inn


def choose_by_group(
    group: IntArray, weights: Callable[[int], FloatArray], rng: np.random.Generator
) -> IntArray:
    """Draw one category per item, with probabilities by the item's group.

    The same draws as ``for g in np.unique(group): out[group == g] = rng.choice(n,
    size=(group == g).sum(), p=weights(g) / weights(g).sum())``, with one random draw for
    all items and one sort instead of a scan of all items per group.

    Parameters
    ----------
    group : ndarray of int, shape (item,)
        Group of each item.
    weights : callable
        Unnormalised probabilities of the ``n`` categories for a group (float, shape (n,)).
    rng : numpy.random.Generator
        The process's stream.

    Returns
    -------
    ndarray of int, shape (item,)
        Category index of each item.

    Examples
    --------
    >>> w = {0: np.array([1.0, 0.0, 3.0]), 1: np.array([0.0, 2.0, 2.0])}
    >>> group = np.array([1, 0, 1, 0, 0])
    >>> a = choose_by_group(group, w.get, np.random.default_rng(3))
    >>> rng, b = np.random.default_rng(3), np.empty(5, dtype=np.int64)
    >>> for g in (0, 1):
    ...     b[group == g] = rng.choice(3, size=int((group == g).sum()), p=w[g] / w[g].sum())
    >>> a.tolist() == b.tolist()
    True
    """
    order = np.argsort(group, kind="stable")
    keys, starts, sizes = np.unique(group[order], return_index=True, return_counts=True)
    # Generator.choice draws ``size`` uniforms and searches the normalised cumulative
    # probabilities; consecutive calls draw consecutive uniforms, so one call does.
    u = rng.random(group.size)
    out = np.empty(group.size, dtype=np.int64)
    for g, lo, n in zip(keys.tolist(), starts.tolist(), sizes.tolist(), strict=True):
        p = weights(g)
        cdf = (p / p.sum()).cumsum()
        cdf /= cdf[-1]
        out[order[lo : lo + n]] = cdf.searchsorted(u[lo : lo + n], side="right")
    return out


def _align(
    pop: Population,
    path: DemographicPath,
    t: int,
    zone_area: IntArray,
    rng: np.random.Generator,
    residents: IntArray,
    newcomers: Callable[[IntArray], None] | None = None,
) -> tuple[IntArray, IntArray]:
    """Migrate in or out so every area x sex x age count equals the forecast target.

    ``residents`` are the permanent residents by zone before migration.
    """
    n_zones = zone_area.size
    n_areas = path.population.shape[0]
    shape = (n_areas, len(SEXES), len(AGES))
    perm = _permanent(pop)
    ids = np.flatnonzero(perm)
    zone = pop["zone"][perm]
    key = _cell_index(
        zone_area[zone], (pop["sex"][perm], len(SEXES)), (pop["age"][perm], len(AGES))
    )
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
    leaving = order[rank < excess[sorted_key]]
    leave = cand[leaving]
    out = count_by(zone[over][leaving], n_zones)
    pop.remove(leave)
    # Zone sizes after out-migration weight where in-migrants settle.
    weight = (residents - out).astype(float) + 1.0
    inn = _immigrate(pop, np.maximum(diff, 0), shape, zone_area, weight, rng, newcomers)
    return inn, out


def _immigrate(
    pop: Population,
    arrivals: IntArray,
    shape: tuple[int, int, int],
    zone_area: IntArray,
    weight: FloatArray,
    rng: np.random.Generator,
    newcomers: Callable[[IntArray], None] | None = None,
) -> IntArray:
    """Add in-migrants; each settles in a zone of its area in proportion to ``weight``."""
    n_zones = zone_area.size
    cells = np.repeat(np.arange(arrivals.size), arrivals)
    area, sex, age = np.unravel_index(cells, shape)
    zone = choose_by_group(area, lambda a: np.where(zone_area == a, weight, 0.0), rng)
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
