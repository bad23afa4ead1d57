"""Monthly demand for services by channel, drawn per cell.

Visits: the mean of a cell is its persons' summed rates x the share present x the
month factor x the segment's demand multiplier; it is split over channels by the
channel probabilities, summed over cells that share (zone, kind, 75+, car, digital),
and drawn as one Poisson count per channel (a sum of independent Poisson counts is
Poisson, so this is exact). Enrolment: each eligible present person holds a place with
the cell's mean probability (a binomial per cell), in person only.
"""

from __future__ import annotations

import numpy as np

from simulation.cells import AGE_75_GROUP, CellTable
from simulation.channels import IN_PERSON
from simulation.types import CHANNELS, KINDS, FloatArray, IntArray
from simulation.world import Service

#: Axes of a demand array: zone, kind, 75+ (0/1), car, digital, channel.
DEMAND_AXES = ("zone", "kind", "age_75", "car", "digital", "channel")


def _collapse(arr: np.ndarray, table: CellTable) -> np.ndarray:
    """Sum cell axes (zone, group, age group, car, digital, ...) to (zone, kind, 75+, ...)."""
    out = np.zeros((arr.shape[0], len(KINDS), 2, *arr.shape[3:]), dtype=arr.dtype)
    old = np.arange(arr.shape[2]) >= AGE_75_GROUP
    for k in range(len(KINDS)):
        by_kind = arr[:, table.group_kind == k].sum(axis=1)
        out[:, k, 0] = by_kind[:, ~old].sum(axis=1)
        out[:, k, 1] = by_kind[:, old].sum(axis=1)
    return out


def present_fraction(table: CellTable, present_cells: IntArray) -> FloatArray:
    """Share of each cell's persons present (0 for empty cells)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = present_cells / table.counts
    return np.nan_to_num(frac, nan=0.0)


def draw_visits(
    table: CellTable,
    s: int,
    service: Service,
    month: int,
    frac: FloatArray,
    multiplier: FloatArray,
    probs: FloatArray,
    rng: np.random.Generator,
) -> IntArray:
    """Visits of service ``s`` by (zone, kind, 75+, car, digital, channel).

    Parameters
    ----------
    table : CellTable
    s : int
        Service index.
    service : Service
        The service (month factors).
    month : int
        Calendar month 1-12.
    frac : ndarray of float
        Present share per cell, from :func:`present_fraction`.
    multiplier : ndarray of float, shape (group,)
        Segment demand multipliers.
    probs : ndarray of float, shape (zone, group, digital, preferred, channel)
        From :func:`simulation.channels.channel_probabilities`.
    rng : numpy.random.Generator
        The run's ``demand`` stream.
    """
    mean = (
        table.rate_sum[s]
        * frac
        * (service.month_factors[month - 1] * multiplier)[None, :, None, None, None, None]
    )
    # zone, group, age group, car, digital, preferred x channel -> sum over preferred
    per_channel = np.einsum("zgacdp,zgdpk->zgacdk", mean, probs, optimize=True)
    return rng.poisson(_collapse(per_channel, table))


def draw_enrolment(
    table: CellTable,
    s: int,
    service: Service,
    month: int,
    share: FloatArray,
    rng: np.random.Generator,
) -> IntArray:
    """Places of enrolment service ``s`` by (zone, kind, 75+, car, digital, channel).

    All places are in person. Eligible permanent residents are all present; eligible
    seasonal residents are present with their group's ``share``. Within a cell summed
    over profiles and preferred channels, each eligible present person holds a place
    with the cell's mean probability (a binomial: same mean as per-age draws).
    """
    elig = table.eligible_any[s]  # zone, group, age group, car, digital
    rate = table.rate_any[s]
    p = table.n_permanent_groups
    # Permanent profiles pooled into one group; seasonal groups kept (own presence).
    pooled = np.concatenate([elig[:, :p].sum(axis=1, keepdims=True), elig[:, p:]], axis=1)
    r = np.concatenate([rate[:, :p].sum(axis=1, keepdims=True), rate[:, p:]], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_p = np.nan_to_num(r / pooled)
    n = pooled.copy()
    if elig.shape[1] > p:
        probs = np.broadcast_to(share[p:][None, :, None, None, None], n[:, 1:].shape)
        n[:, 1:] = rng.binomial(n[:, 1:], probs)
    places = rng.binomial(n, np.clip(mean_p * service.month_factors[month - 1], 0.0, 1.0))
    out = np.zeros((*places.shape[:1], len(KINDS), 2, *places.shape[3:], len(CHANNELS)), np.int64)
    old = np.arange(places.shape[2]) >= AGE_75_GROUP
    for k, groups in ((0, slice(0, 1)), (1, slice(1, None))):
        by_kind = places[:, groups].sum(axis=1)
        out[:, k, 0, ..., IN_PERSON] = by_kind[:, ~old].sum(axis=1)
        out[:, k, 1, ..., IN_PERSON] = by_kind[:, old].sum(axis=1)
    return out


def eligible_present(table: CellTable, share: FloatArray) -> FloatArray:
    """Count eligible persons present (expected), by (service, zone, kind, 75+, car, digital)."""
    weighted = table.eligible_any * share[None, None, :, None, None, None]
    return np.stack([_collapse(w, table) for w in weighted])
