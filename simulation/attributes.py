"""Who residents are: profile, car access, digital skill, preferred channel, remote work.

Attributes are drawn once, when persons enter the model (synthesis, immigration), for
whole households at a time, from the run's ``attributes`` stream. They are kept for
life: digital skill is a cohort trait, so the share of digitally able 75+ year-olds
rises as younger cohorts age. Newborns inherit their mother's household attributes.
"""

from __future__ import annotations

import numpy as np

from simulation.params import (
    CAR_AGE_BANDS,
    DIGITAL_AGE_BANDS,
    HOUSEHOLD_TYPES,
    Segment,
    SimulationParams,
)
from simulation.population import Population, count_by
from simulation.types import CHANNELS, FloatArray, IntArray

DIGITAL = CHANNELS.index("digital")


def zone_types(residents_by_zone: IntArray, urban_min_residents: int) -> IntArray:
    """Zone type index (0 rural, 1 urban) from permanent residents per zone.

    Examples
    --------
    >>> zone_types(np.array([500, 20000]), 10000).tolist()
    [0, 1]
    """
    return (np.asarray(residents_by_zone) >= urban_min_residents).astype(np.int8)


def _band(age: IntArray, bands: tuple[tuple[int, int], ...]) -> IntArray:
    """Index of the band holding each age (ages below the first band go to band 0)."""
    uppers = np.array([hi for _, hi in bands])
    return np.minimum(np.searchsorted(uppers, age, side="left"), len(bands) - 1)


def household_types(age: IntArray, household: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Classify households by their members' ages.

    Parameters
    ----------
    age, household : ndarray of int, shape (person,)
        Ages and household ids of all members of the households concerned.

    Returns
    -------
    local : ndarray of int, shape (person,)
        Index of each person's household in the returned arrays.
    kind : ndarray of int, shape (household,)
        Index into :data:`~simulation.params.HOUSEHOLD_TYPES`: with children (a member
        under 18), else by the oldest member: under 65, 65-74, 75+.
    oldest : ndarray of int, shape (household,)
        Age of the oldest member.

    Examples
    --------
    >>> local, kind, oldest = household_types(np.array([40, 8, 70, 80]), np.array([5, 5, 7, 9]))
    >>> local.tolist(), kind.tolist(), oldest.tolist()
    ([0, 0, 1, 2], [0, 2, 3], [40, 70, 80])
    """
    _, local = np.unique(household, return_inverse=True)
    n = int(local.max(initial=-1)) + 1
    oldest = np.zeros(n, dtype=np.int64)
    np.maximum.at(oldest, local, age.astype(np.int64))
    children = count_by(local, n, weights=(age < 18).astype(float)) > 0
    kind = np.where(children, 0, np.where(oldest < 65, 1, np.where(oldest < 75, 2, 3)))
    return local, kind.astype(np.int8), oldest


def _draw_index(prob: FloatArray, rng: np.random.Generator) -> IntArray:
    """Draw one category per column of ``prob`` (category x item, columns sum to 1)."""
    cdf = np.cumsum(prob, axis=0)
    u = rng.random(prob.shape[1]) * cdf[-1]
    return np.minimum((u[None, :] >= cdf).sum(axis=0), prob.shape[0] - 1)


def assign(
    pop: Population,
    ids: IntArray,
    params: SimulationParams,
    zone_type: IntArray,
    seasonal_profiles: tuple[str, ...],
    rng: np.random.Generator,
) -> None:
    """Draw the attributes of persons ``ids`` (whole households) in place.

    Permanent households get a profile (segment) drawn by household type; seasonal
    persons keep the presence profile they have and take its segment. Then car access
    by household (oldest member's age band and zone type, x the segment's multiplier),
    digital skill by person (age band x multiplier; under 16 take the household's
    best), remote work (seasonal, ages 25-64) and a preferred channel drawn from the
    segment's channel weights (digital only for the digitally able).

    Parameters
    ----------
    pop : Population
        The store; columns ``profile`` (permanent), ``car``, ``digital``, ``channel``
        and ``remote`` of ``ids`` are written.
    ids : ndarray of int
        Row ids of the persons, complete households.
    params : SimulationParams
        Segments, car access and digital-skill parameters.
    zone_type : ndarray of int, shape (zone,)
        0 rural, 1 urban (see :func:`zone_types`).
    seasonal_profiles : tuple of str
        The world's seasonal presence profiles (profile index -> name).
    rng : numpy.random.Generator
        The run's ``attributes`` stream.

    Examples
    --------
    >>> pop = Population()
    >>> ids = pop.add(4, age=[40, 8, 80, 30], kind=[0, 0, 0, 1], household=[0, 0, 1, 2])
    >>> assign(pop, ids, SimulationParams(), np.zeros(1, np.int8), ("leisure",),
    ...        np.random.default_rng(0))
    >>> int(pop["car"][0]) == int(pop["car"][1]), int(pop["profile"][0]) < 4
    (True, True)
    """
    if ids.size == 0:
        return
    age = pop["age"][ids]
    kind = pop["kind"][ids]
    local, hh_type, oldest = household_types(age, pop["household"][ids])
    n_hh = hh_type.size
    # A household's kind and zone are those of its first listed member.
    first = np.full(n_hh, ids.size, dtype=np.int64)
    np.minimum.at(first, local, np.arange(ids.size))
    hh_kind = kind[first]
    hh_zone = pop["zone"][ids][first]
    perm_segments = params.permanent_segments()
    seas_segments = [params.seasonal_segment(p) for p in seasonal_profiles]
    weights = np.array([s.household_weights for s in perm_segments], dtype=float)
    weights = weights / np.maximum(weights.sum(axis=0, keepdims=True), 1e-300)
    weights[:, weights.sum(axis=0) == 0] = 1.0 / len(perm_segments)
    hh_profile = _draw_index(weights[:, hh_type], rng).astype(np.int8)
    is_perm = hh_kind == 0
    profile = np.where(is_perm[local], hh_profile[local], pop["profile"][ids]).astype(np.int8)
    pop["profile"][ids] = profile
    seg_by_person = _segment_table(perm_segments, seas_segments)
    seg_row = np.where(kind == 0, profile, len(perm_segments) + profile).astype(np.int64)
    seg_hh = np.where(is_perm, hh_profile, len(perm_segments) + pop["profile"][ids][first])
    # Car access by household.
    ca = params.car_access
    table = np.array([ca.rural, ca.urban])
    p_car = (
        np.where(
            is_perm,
            table[zone_type[hh_zone], _band(np.maximum(oldest, 18), CAR_AGE_BANDS)],
            ca.seasonal,
        )
        * seg_by_person["car"][seg_hh]
    )
    hh_car = rng.random(n_hh) < np.clip(p_car, 0, 1)
    pop["car"][ids] = hh_car[local]
    # Digital skill by person; children take the household's best.
    p_dig = np.array(params.digital_skill.by_age)[_band(np.maximum(age, 16), DIGITAL_AGE_BANDS)]
    able = rng.random(ids.size) < np.clip(p_dig * seg_by_person["digital"][seg_row], 0, 1)
    adult = age >= 16
    best = np.zeros(n_hh, dtype=bool)
    np.logical_or.at(best, local[adult], able[adult])
    able = np.where(adult, able, best[local])
    pop["digital"][ids] = able
    # Remote work (seasonal working-age).
    working = (kind == 1) & (age >= 25) & (age <= 64)
    remote = working & (rng.random(ids.size) < seg_by_person["remote"][seg_row])
    pop["remote"][ids] = remote
    # Preferred channel.
    w = seg_by_person["channels"][seg_row].copy()
    w[~able, DIGITAL] = 0.0
    pop["channel"][ids] = _draw_index((w / w.sum(axis=1, keepdims=True)).T, rng)


def assign_in_blocks(
    pop: Population,
    ids: IntArray,
    params: SimulationParams,
    zone_type: IntArray,
    seasonal_profiles: tuple[str, ...],
    rng: np.random.Generator,
    block: int = 250_000,
) -> None:
    """Call :func:`assign` on groups of whole zones of about ``block`` persons.

    Households never span zones, so the result is the same kind of draw as one call,
    while temporary arrays stay small (a whole country at once needs gigabytes).
    """
    zone = pop["zone"][ids]
    per_zone = np.bincount(zone, minlength=int(zone_type.size))
    edges = [0]
    acc = 0
    for z, n in enumerate(per_zone):
        acc += int(n)
        if acc >= block:
            edges.append(z + 1)
            acc = 0
    if edges[-1] != per_zone.size:
        edges.append(per_zone.size)
    for z0, z1 in zip(edges[:-1], edges[1:], strict=True):
        part = ids[(zone >= z0) & (zone < z1)]
        assign(pop, part, params, zone_type, seasonal_profiles, rng)


def _segment_table(perm: tuple[Segment, ...], seas: list[Segment]) -> dict[str, np.ndarray]:
    """Segment parameters as arrays: permanent segments first, then seasonal profiles."""
    segs = [*perm, *seas]
    return {
        "car": np.array([s.car_multiplier for s in segs]),
        "digital": np.array([s.digital_multiplier for s in segs]),
        "remote": np.array([s.remote_work_share for s in segs]),
        "channels": np.array([s.channel_weights for s in segs], dtype=float),
        "demand": np.array([s.demand_multiplier for s in segs]),
        "weekday": np.array([s.weekday_factors() for s in segs]),
    }


def segment_arrays(
    params: SimulationParams, seasonal_profiles: tuple[str, ...]
) -> dict[str, np.ndarray]:
    """Parameters by profile group: permanent segments, then seasonal presence profiles.

    Examples
    --------
    >>> segment_arrays(SimulationParams(), ("leisure",))["channels"].shape
    (5, 4)
    """
    seas = [params.seasonal_segment(p) for p in seasonal_profiles]
    return _segment_table(params.permanent_segments(), seas)


__all__ = [
    "HOUSEHOLD_TYPES",
    "assign",
    "assign_in_blocks",
    "household_types",
    "segment_arrays",
    "zone_types",
]
