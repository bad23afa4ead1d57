"""What the monthly step needs from a year's cells, computed once per cell table.

The cells (:class:`~simulation.cells.CellTable`) change only at year ends. Everything
of the monthly step that depends on them alone is derived here once: permanent visit
rates summed over age groups (with the segment multipliers), the seasonal cells that
hold persons (presence is drawn for them only) with their rate per person, enrolment
pools and eligible persons by (zone, car). Monthly work then grows with the number of
non-empty seasonal cells and of (zone, channel) outcomes, not of all cells.

The draws themselves are in :mod:`simulation.demand`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.cells import AGE_75_GROUP, CellTable
from simulation.types import CHANNELS, KINDS, FloatArray, IntArray
from simulation.world import Service


@dataclass(frozen=True)
class Enrolment:
    """Enrolment pool of one service: permanent profiles pooled, seasonal groups apart.

    Attributes
    ----------
    pooled : ndarray of int, shape (zone, 1 + seasonal groups, age group, car, digital)
        Eligible persons.
    mean_p : ndarray of float, same shape
        Mean enrolment probability of the pool's persons (before the month factor).
    """

    pooled: IntArray
    mean_p: FloatArray


@dataclass(frozen=True)
class CellPlan:
    """Per-year arrays of the monthly step, derived from one :class:`CellTable`.

    Attributes
    ----------
    table : CellTable
        The cells this plan was built from (the plan is stale once the model's differ).
    perm_rates : ndarray of float, shape (service, zone, car, digital, 75+, group x preferred)
        Permanent residents' summed visit rates x their segment's demand multiplier
        (laid out for one matrix product per zone, car and digital skill).
    perm_population : ndarray of int, shape (zone, age group)
        Permanent residents.
    s_count, s_group, s_bin, s_pop_bin : ndarray of int, shape (cell,)
        Non-empty seasonal cells (C order of ``counts[:, P:]``): persons, group, index
        into (zone, seasonal group, 75+, car, digital, preferred), index into (zone,
        age group).
    s_rate : ndarray of float, shape (service, cell)
        Visit rate per person of each non-empty seasonal cell x its demand multiplier.
    eligible : ndarray of float, shape (service, zone, car, group)
        Persons with a positive rate (all of them; presence applied monthly).
    enrolment : dict of int to Enrolment
        By service index, for services of demand type ``places``.
    """

    table: CellTable
    perm_rates: FloatArray
    perm_population: IntArray
    s_count: IntArray
    s_group: IntArray
    s_bin: IntArray
    s_pop_bin: IntArray
    s_rate: FloatArray
    eligible: FloatArray
    enrolment: dict


def by_75(arr: np.ndarray, axis: int) -> np.ndarray:
    """Sum age groups (``axis``) into under 75 and 75+ (new axis of length 2 there)."""
    lead = (slice(None),) * axis
    young = arr[(*lead, slice(0, AGE_75_GROUP))].sum(axis=axis)
    old = arr[(*lead, slice(AGE_75_GROUP, None))].sum(axis=axis)
    return np.stack([young, old], axis=axis)


def build_plan(table: CellTable, services: tuple[Service, ...], multiplier: FloatArray) -> CellPlan:
    """Derive the per-year arrays of the monthly step from ``table``.

    Parameters
    ----------
    table : CellTable
    services : tuple of Service
    multiplier : ndarray of float, shape (group,)
        Segment demand multipliers of the cell groups.

    Examples
    --------
    >>> from simulation.cells import build_cells
    >>> from simulation.population import Population
    >>> rate = np.zeros((2, 101)); rate[:, 70:] = 0.5
    >>> svc = Service("h", "Health", "visits", "visits", rate, np.ones(12))
    >>> pop = Population()
    >>> _ = pop.add(3, age=[30, 80, 80], zone=[0, 0, 1], kind=[0, 0, 1])
    >>> plan = build_plan(build_cells(pop, (svc,), 2, 1, 1), (svc,), np.ones(3))
    >>> float(plan.perm_rates.sum()), plan.s_count.tolist(), plan.s_rate.tolist()
    (0.5, [1], [[0.5]])
    """
    p = table.n_permanent_groups
    counts = table.counts
    n_z, _, n_a = counts.shape[:3]
    perm = table.rate_sum[:, :, :p] * multiplier[:p][None, None, :, None, None, None, None]
    # service, zone, group, 75+, car, digital, preferred -> service, zone, car, digital, 75+,
    # group, preferred
    perm_rates = by_75(perm, axis=3).transpose(0, 1, 4, 5, 3, 2, 6)
    perm_rates = np.ascontiguousarray(perm_rates).reshape(len(services), n_z, 2, 2, 2, -1)
    seasonal = np.ascontiguousarray(counts[:, p:])
    nz = np.flatnonzero(seasonal)
    z, g, a, c, d, pref = np.unravel_index(nz, seasonal.shape)
    n_gs = seasonal.shape[1]
    s_bin = np.ravel_multi_index(
        (z, g, (a >= AGE_75_GROUP).astype(np.int64), c, d, pref),
        (n_z, n_gs, 2, 2, 2, len(CHANNELS)),
    )
    s_count = seasonal.ravel()[nz]
    s_group = p + g
    rates = np.ascontiguousarray(table.rate_sum[:, :, p:]).reshape(len(services), -1)[:, nz]
    s_rate = rates / s_count * multiplier[s_group]
    enrolment = {}
    for s, svc in enumerate(services):
        if svc.demand_type == "visits":
            continue
        elig, rate = table.eligible_any[s], table.rate_any[s]
        pooled = np.concatenate([elig[:, :p].sum(axis=1, keepdims=True), elig[:, p:]], axis=1)
        r = np.concatenate([rate[:, :p].sum(axis=1, keepdims=True), rate[:, p:]], axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            enrolment[s] = Enrolment(pooled, np.nan_to_num(r / pooled))
    return CellPlan(
        table=table,
        perm_rates=perm_rates,
        perm_population=counts[:, :p].sum(axis=(1, 3, 4, 5)),
        s_count=s_count,
        s_group=s_group,
        s_bin=s_bin,
        s_pop_bin=z * n_a + a,
        s_rate=s_rate,
        eligible=np.ascontiguousarray(table.eligible_any.sum(axis=(3, 5)).transpose(0, 1, 3, 2)),
        enrolment=enrolment,
    )


def draw_presence(plan: CellPlan, share: FloatArray, rng: np.random.Generator) -> IntArray:
    """Seasonal persons present in each non-empty seasonal cell (binomial by group share).

    Drawing only non-empty cells uses the same random numbers as a binomial over the
    whole seasonal cell array would (``n = 0`` draws none).
    """
    return rng.binomial(plan.s_count, share[plan.s_group])


def population(plan: CellPlan, present: IntArray) -> IntArray:
    """Persons present by (zone, age group, kind), for the ``population`` record."""
    n_z, n_a = plan.perm_population.shape
    out = np.empty((n_z, n_a, len(KINDS)), dtype=np.int64)
    out[:, :, 0] = plan.perm_population
    out[:, :, 1] = np.bincount(plan.s_pop_bin, weights=present, minlength=n_z * n_a).reshape(
        n_z, n_a
    )
    return out


def eligible_by_row(plan: CellPlan, s: int, share: FloatArray) -> FloatArray:
    """Eligible persons present (expected) by (zone, car) for service ``s``."""
    return plan.eligible[s] @ share
