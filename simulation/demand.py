"""Monthly presence of seasonal residents and demand for services.

Persons are first counted into cells (zone x kind x age); presence and demand are
drawn per cell, so the monthly work does not grow with the number of persons.
"""

from __future__ import annotations

import numpy as np

from simulation.population import Population, count_by
from simulation.types import AGES, KINDS, IntArray
from simulation.world import SeasonalResidents, Service


def resident_cells(pop: Population, n_zones: int, n_profiles: int) -> IntArray:
    """Count active persons by (zone, kind, profile, age).

    Examples
    --------
    >>> pop = Population()
    >>> _ = pop.add(3, age=[30, 30, 80], zone=[0, 0, 1], kind=[0, 0, 1])
    >>> resident_cells(pop, n_zones=2, n_profiles=1)[:, :, 0, 30].tolist()
    [[2, 0], [0, 0]]
    """
    ids = pop.ids()
    shape = (n_zones, len(KINDS), n_profiles, len(AGES))
    key = np.ravel_multi_index(
        (pop["zone"][ids], pop["kind"][ids], pop["profile"][ids], pop["age"][ids]), shape
    )
    return count_by(key, int(np.prod(shape))).reshape(shape)


def present(
    cells: IntArray, seasonal: SeasonalResidents, month: int, rng: np.random.Generator
) -> IntArray:
    """Persons present by (zone, kind, age) in calendar ``month`` (1-12).

    Permanent residents are all present; each seasonal resident is present with the
    presence share of their profile for that month (a binomial draw per cell).
    """
    out = np.zeros((cells.shape[0], len(KINDS), cells.shape[3]), dtype=np.int64)
    out[:, 0] = cells[:, 0].sum(axis=1)
    n_prof = len(seasonal.profiles)
    share = seasonal.presence[:, month - 1][None, :, None]
    out[:, 1] = rng.binomial(
        cells[:, 1, :n_prof], np.broadcast_to(share, cells[:, 1, :n_prof].shape)
    ).sum(axis=1)
    return out


def draw_demand(
    present_cells: IntArray,
    services: tuple[Service, ...],
    month: int,
    rng: np.random.Generator,
) -> IntArray:
    """Demand by (zone, kind, service) for one month, in each service's unit.

    ``visits`` services draw a Poisson count with mean persons x rate; ``enrolment``
    services draw each eligible person's place with a binomial per (zone, kind, age).
    """
    n_zones = present_cells.shape[0]
    out = np.zeros((n_zones, len(KINDS), len(services)), dtype=np.int64)
    for s, service in enumerate(services):
        rate = service.rate * service.month_factors[month - 1]
        if service.demand_type == "visits":
            mean = (present_cells * rate[None, :, :]).sum(axis=2)
            out[:, :, s] = rng.poisson(mean)
        else:
            p = np.broadcast_to(np.clip(rate, 0.0, 1.0)[None], present_cells.shape)
            out[:, :, s] = rng.binomial(present_cells, p).sum(axis=2)
    return out
