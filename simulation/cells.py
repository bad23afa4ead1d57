"""Persons counted into cells once a year; seasonal presence drawn per cell each month.

A cell is (zone, group, age group, car, digital, preferred channel), where the group
is the permanent profile, or the seasonal presence profile x remote work. Monthly work
depends on the number of cells, not of persons: the store is read only when the
population changes (at year ends). Presence is drawn in :mod:`simulation.cellplan`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.population import Population
from simulation.types import (
    AGE_GROUPS,
    AGES,
    CHANNELS,
    FloatArray,
    IntArray,
)
from simulation.world import Service

#: Axes of a cell array after the zone axis.
CELL_AXES = ("zone", "group", "age_group", "car", "digital", "channel")
#: First age group counted as 75+ (groups 75-84 and 85+).
AGE_75_GROUP = next(i for i, g in enumerate(AGE_GROUPS) if g[1] == 75)
#: Largest m x n x k of a matrix product that OpenBLAS runs on one thread (65536 x 4).
_BLAS_SINGLE_THREAD_SIZE = 2**18


@dataclass(frozen=True)
class CellTable:
    """Residents by cell, with each service's summed rates, for one year.

    Attributes
    ----------
    counts : ndarray of int, shape (zone, group, age_group, car, digital, channel)
        Persons in each cell.
    rate_sum : ndarray of float, shape (service, zone, group, age_group, car, digital, channel)
        Sum over the cell's persons of the service's rate for their kind and age
        (visits per month, or enrolment probability), before month factors.
    eligible : ndarray of int, same shape as ``rate_sum``
        Persons in the cell with a positive rate.
    group_kind : ndarray of int, shape (group,)
        Kind (0 permanent, 1 seasonal) of each group.
    rate_any, eligible_any : ndarray, shape (service, zone, group, age_group, car, digital)
        ``rate_sum`` and ``eligible`` summed over the preferred channel.
    n_permanent_groups : int
        Groups ``0 .. n_permanent_groups - 1`` are permanent profiles; then, for each
        seasonal profile ``p``, groups ``P + 2p`` (not remote) and ``P + 2p + 1`` (remote).
    """

    counts: IntArray
    rate_sum: FloatArray
    eligible: IntArray
    group_kind: IntArray
    n_permanent_groups: int
    rate_any: FloatArray
    eligible_any: IntArray


def build_cells(
    pop: Population,
    services: tuple[Service, ...],
    n_zones: int,
    n_permanent: int,
    n_seasonal: int,
) -> CellTable:
    """Count active persons into cells and sum each service's rates over them.

    Parameters
    ----------
    pop : Population
        The store (read only).
    services : tuple of Service
        The world's services.
    n_zones, n_permanent, n_seasonal : int
        Number of zones, permanent profiles and seasonal presence profiles.

    Examples
    --------
    >>> from simulation.world import Service
    >>> rate = np.zeros((2, 101)); rate[:, 70:] = 0.5
    >>> svc = Service("h", "Health", "visits", "visits", rate, np.ones(12))
    >>> pop = Population()
    >>> _ = pop.add(3, age=[30, 80, 80], zone=[0, 0, 1], car=[1, 0, 0])
    >>> t = build_cells(pop, (svc,), n_zones=2, n_permanent=1, n_seasonal=1)
    >>> int(t.counts.sum()), float(t.rate_sum.sum()), int(t.eligible.sum())
    (3, 1.0, 2)
    """
    n_groups = n_permanent + 2 * n_seasonal
    n_ch, n_ag, n_s, n_age = len(CHANNELS), len(AGE_GROUPS), len(services), len(AGES)
    # Single age last and group first: each group's block is (rows, age) with rows in
    # (zone, car, digital, channel) order, and an age group's columns are a slice of it.
    shape = (n_groups, n_zones, 2, 2, n_ch, n_age)
    # Counted straight into float64 (whole numbers, exact): no int64 array to convert.
    fine = np.zeros(int(np.prod(shape)))
    np.add.at(fine, _cell_keys(pop, shape, n_permanent), 1.0)
    fine = fine.reshape(n_groups, -1, n_age)
    group_kind = np.array([0] * n_permanent + [1] * (2 * n_seasonal), dtype=np.int64)
    out_shape = (n_zones, n_groups, n_ag, 2, 2, n_ch)
    rate_sum = np.empty((n_s, *out_shape))
    eligible = np.empty((n_s, *out_shape), dtype=np.int64)
    counts = np.empty(out_shape, dtype=np.int64)
    cell = (n_zones, 2, 2, n_ch)
    for g in range(n_groups):
        rate = np.array([svc.rate[group_kind[g]] for svc in services]).reshape(n_s, -1)
        # Eligible persons, then all persons: whole numbers, exact in float64 in any order.
        whole = np.concatenate([(rate > 0).astype(float), np.ones((1, n_age))])
        for a, (_, lo, hi) in enumerate(AGE_GROUPS):
            # Products over the age group's ages only (not over all ages with zero
            # weights outside the group): the same nonzero terms in the same order, a
            # tenth of the work; the reference runs are bit-identical either way.
            rates = _products(fine[g, :, lo : hi + 1], rate[:, lo : hi + 1])
            rate_sum[:, :, g, a] = rates.reshape(n_s, *cell)
            people = _products(fine[g, :, lo : hi + 1], whole[:, lo : hi + 1])
            people = people.reshape(n_s + 1, *cell)
            eligible[:, :, g, a] = people[:n_s]
            counts[:, g, a] = people[n_s]
    return CellTable(
        counts,
        rate_sum,
        eligible,
        group_kind,
        n_permanent,
        _sum_channels(rate_sum),
        _sum_channels(eligible),
    )


def _products(cells: FloatArray, weights: FloatArray) -> FloatArray:
    """``weights @ cells.T``, shape (quantity, row), in blocks of rows on one BLAS thread.

    ``cells`` is (row, age), ``weights`` (quantity, age). One large product would start
    BLAS threads that, on a shared machine, cost CPU time without saving wall time. Sums
    of whole numbers are exact in any block; sums of rates can differ in the last bit
    with the block's shape (the BLAS kernel chosen), so the blocks are fixed by the sizes.
    """
    weights = np.ascontiguousarray(weights)
    rows = cells.shape[0]
    out = np.empty((weights.shape[0], rows))
    step = max(1, _BLAS_SINGLE_THREAD_SIZE // weights.size)
    for start in range(0, rows, step):
        np.matmul(weights, cells[start : start + step].T, out=out[:, start : start + step])
    return out


def _sum_channels(arr: np.ndarray) -> np.ndarray:
    """Sum over the last (channel) axis in index order: as ``arr.sum(axis=-1)``, faster."""
    out = arr[..., 0] + arr[..., 1]
    for c in range(2, arr.shape[-1]):
        out += arr[..., c]
    return out


def _cell_keys(pop: Population, shape: tuple[int, ...], n_permanent: int) -> IntArray:
    """Fine cell key (group, zone, car, digital, channel, age) of each active person.

    Built in place in int32 when it fits (fewer temporaries than ``ravel_multi_index``),
    from views of the columns when the store is compact.
    """
    value = pop.active_values
    dtype = np.int32 if np.prod(shape) < 2**31 else np.int64
    # Group: the permanent profile, or n_permanent + 2 x seasonal profile + remote.
    key = value("profile").astype(dtype)
    seasonal_part = key + (n_permanent + value("remote"))
    seasonal_part *= value("kind")
    key += seasonal_part
    for size, name in zip(shape[1:], ("zone", "car", "digital", "channel", "age"), strict=True):
        key *= size
        key += value(name)
    return key


def presence_shares(
    table: CellTable, presence: FloatArray, month: int, remote_factor: float
) -> FloatArray:
    """Share of each group present in calendar ``month`` (1-12), shape (group,).

    Permanent groups are always present; a seasonal profile's share comes from the
    world's presence profile, multiplied by ``remote_factor`` (capped at 1) for remote
    workers.
    """
    share = np.ones(table.group_kind.size)
    if presence.size:
        base = presence[:, month - 1]
        p = table.n_permanent_groups
        share[p::2] = base
        share[p + 1 :: 2] = np.minimum(base * remote_factor, 1.0)
    return share
