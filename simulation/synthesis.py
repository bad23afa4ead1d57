"""Build the initial micro population of a world: residents, seasonal residents, households.

Counts come from the world exactly; only who lives with whom (households), the ages
of seasonal residents and their profiles are drawn, from the run's ``synthesis`` stream.
"""

from __future__ import annotations

import numpy as np

from simulation.attributes import assign_in_blocks, zone_types
from simulation.params import SimulationParams
from simulation.population import Population
from simulation.types import AGES, SEXES, IntArray
from simulation.world import World


def largest_remainder(weights: np.ndarray, total: int) -> IntArray:
    """Split an integer ``total`` in proportion to ``weights``, exactly.

    Examples
    --------
    >>> largest_remainder(np.array([1.0, 1.0, 1.0]), 10).tolist()
    [4, 3, 3]
    """
    w = np.asarray(weights, dtype=float)
    if total == 0 or w.sum() <= 0:
        return np.zeros(w.shape, dtype=np.int64)
    exact = w / w.sum() * total
    base = np.floor(exact).astype(np.int64)
    short = int(total - base.sum())
    order = np.argsort(-(exact - base), kind="stable")
    base[order[:short]] += 1
    return base


def populate(
    world: World,
    rng: np.random.Generator,
    capacity_factor: float = 1.3,
    params: SimulationParams | None = None,
    attributes_rng: np.random.Generator | None = None,
) -> Population:
    """Create the residents and seasonal residents of ``world``.

    Parameters
    ----------
    world : World
        Source of resident counts and seasonal residences.
    rng : numpy.random.Generator
        The run's ``synthesis`` stream.
    capacity_factor : float, default 1.3
        Spare rows allocated for births and in-migration.
    params : SimulationParams, optional
        Segments, car access and digital skill; attributes are drawn only when given.
    attributes_rng : numpy.random.Generator, optional
        The run's ``attributes`` stream (required with ``params``).

    Returns
    -------
    Population
        Permanent residents (kind 0) exactly as ``world.residents``, then seasonal
        residents (kind 1): ``round(residences x users_per_residence)`` per zone.
    """
    n_perm = int(world.residents.sum())
    seasonal_n = largest_remainder(
        world.seasonal.residences * world.seasonal.users_per_residence,
        int(round(world.seasonal.residences.sum() * world.seasonal.users_per_residence)),
    )
    pop = Population(capacity=int((n_perm + seasonal_n.sum()) * capacity_factor) + 16)
    _add_residents(pop, world, rng)
    _add_seasonal(pop, world, seasonal_n, rng)
    if params is not None and attributes_rng is not None:
        zone_type = zone_types(
            world.residents.sum(axis=(1, 2)), params.car_access.urban_min_residents
        )
        assign_in_blocks(pop, pop.ids(), params, zone_type, world.seasonal.profiles, attributes_rng)
    return pop


def _add_residents(pop: Population, world: World, rng: np.random.Generator) -> None:
    counts = world.residents.ravel()
    cells = np.repeat(np.arange(counts.size), counts)
    zone, sex, age = np.unravel_index(cells, world.residents.shape)
    household = assign_households(zone, age, world.household_size, pop, rng)
    pop.add(cells.size, zone=zone, sex=sex, age=age, kind=0, profile=0, household=household)


def assign_households(
    zone: IntArray,
    age: IntArray,
    mean_size: float,
    pop: Population,
    rng: np.random.Generator,
) -> IntArray:
    """Group persons of each zone into households of about ``mean_size`` persons.

    Every household has at least one adult (18+) where the zone has adults; other
    adults and all children join a random household of their zone. An approximation
    until household formation is modelled from household statistics.
    """
    household = np.empty(zone.size, dtype=np.int32)
    for z in np.unique(zone):
        members = np.flatnonzero(zone == z)
        adults = members[age[members] >= 18]
        heads = adults if adults.size else members
        n_households = max(1, min(heads.size, int(round(members.size / mean_size))))
        ids = pop.new_households(n_households)
        shuffled = rng.permutation(heads)
        household[shuffled[:n_households]] = ids
        rest = np.setdiff1d(members, shuffled[:n_households], assume_unique=True)
        household[rest] = ids[rng.integers(0, n_households, rest.size)]
    return household


def _add_seasonal(
    pop: Population, world: World, per_zone: IntArray, rng: np.random.Generator
) -> None:
    seasonal = world.seasonal
    n = int(per_zone.sum())
    if n == 0:
        return
    zone = np.repeat(np.arange(per_zone.size), per_zone)
    cell = rng.choice(seasonal.age_share.size, size=n, p=seasonal.age_share.ravel())
    sex, age = np.unravel_index(cell, (len(SEXES), len(AGES)))
    # One household per residence: members of a zone are dealt round-robin to its cottages.
    household = np.empty(n, dtype=np.int32)
    profile = np.empty(n, dtype=np.int8)
    start = 0
    for z, k in enumerate(per_zone):
        if k == 0:
            continue
        residences = max(1, int(seasonal.residences[z]))
        ids = pop.new_households(residences)
        slot = rng.permutation(k) % residences
        household[start : start + k] = ids[slot]
        hh_profile = rng.choice(len(seasonal.profiles), size=residences, p=seasonal.profile_shares)
        profile[start : start + k] = hh_profile[slot]
        start += k
    pop.add(n, zone=zone, sex=sex, age=age, kind=1, profile=profile, household=household)
