"""Monthly records by home zone and population group: access, waiting, standards.

Facilities' queues (:mod:`simulation.queues`) give a waiting-time distribution and a
share within the standard per facility; the facility choice
(:class:`~simulation.choice.Allocation`) says which origin rows (zone x car) sent how
much demand to which facility. This module carries the facilities' figures back to
the rows, then to zones and groups, without a dense (row x facility) array:

- a row's **arrivals** at a facility are the demand it served there directly (its
  ``flows`` by preference rank) plus its demand no facility could serve at once, which
  queues at its first-choice facility;
- **waiting days** of a zone: the arrivals-weighted mean of ``waiting_time_mean`` over
  the facilities its arrivals went to;
- **within standard** of a zone: each facility's weight in the service-level figure
  (``queue_served + backlog``, :func:`simulation.standards.standards_dataset`) is split
  over the rows in proportion to their arrivals there, so the zones' weights add up to
  the facilities' weights and the zone figures, weighted by
  ``within_standard_weight_zone``, give back ``service_within_standard`` exactly. A
  facility with weight but no arrivals in the month (a backlog left at a closed unit)
  has its weight attributed to its own zone (the zone's car row);
- **groups**: a row's figures are shared among the population groups of
  :data:`simulation.access.GROUPS` by the group's share of the row's in-person and van
  demand (all members of a row use the same facilities); access-target services use
  the eligible persons present by group.
"""

from __future__ import annotations

import numpy as np

from simulation.access import GROUPS, WITHIN_MINUTES, group_masks
from simulation.cellplan import by_75
from simulation.cells import CellTable
from simulation.choice import Allocation
from simulation.queues import QueueMonth
from simulation.types import FloatArray, IntArray

#: Raw sums recorded by (time, zone, service): the dataset divides them.
ZONE_SUMS = ("eligible", "eligible_within", "arrivals", "wait_sum", "std_weight", "std_sum")
#: Raw sums recorded by (time, group, service).
GROUP_SUMS = ("std_weight", "std_sum", "eligible", "eligible_within")

_MASKS = group_masks().astype(float)  # group, kind, 75+, car, digital
_MASKS_T = np.ascontiguousarray(_MASKS.reshape(len(GROUPS), 16).T)


def row_arrivals(alloc: Allocation, row_demand: IntArray) -> tuple[IntArray, IntArray, FloatArray]:
    """Each row's demand at each facility it reached, as sparse (row, facility, amount).

    Parameters
    ----------
    alloc : Allocation
        The month's facility choice of one service (``flows`` and ``order`` set).
    row_demand : ndarray of int, shape (row,)
        In-person demand of each origin row (zone x car).

    Returns
    -------
    rows, facilities : ndarray of int
    amounts : ndarray of float
        Positive amounts only: served there directly, plus the unserved demand of the
        row queued at its first choice.

    Examples
    --------
    >>> a = Allocation(np.array([3, 0]), np.array([1, 2]), np.zeros(2), np.array([1, 0]),
    ...                np.array([[2, 1], [0, 0]]), np.array([[1, 0], [0, 1]]))
    >>> r, f, x = row_arrivals(a, np.array([5, 4]))
    >>> list(zip(r.tolist(), f.tolist(), x.tolist()))
    [(0, 1, 2.0), (0, 0, 1.0), (0, 1, 2.0), (1, 0, 4.0)]
    """
    flows = np.asarray(alloc.flows if alloc.flows is not None else np.zeros((row_demand.size, 0)))
    order = np.asarray(alloc.order if alloc.order is not None else np.zeros(flows.shape, int))
    rows = np.repeat(np.arange(flows.shape[0]), flows.shape[1])
    unserved = row_demand - alloc.served_zone
    queued = np.flatnonzero((alloc.first_choice >= 0) & (unserved > 0))
    r = np.concatenate([rows, queued])
    f = np.concatenate([order[:, : flows.shape[1]].ravel(), alloc.first_choice[queued]])
    x = np.concatenate([flows.ravel(), unserved[queued]]).astype(float)
    keep = x > 0
    return r[keep], f[keep].astype(np.int64), x[keep]


def split_weights(
    rows: IntArray,
    facilities: IntArray,
    amounts: FloatArray,
    weight: FloatArray,
    facility_row: IntArray,
    n_rows: int,
) -> tuple[FloatArray, IntArray, FloatArray]:
    """Split each facility's ``weight`` over rows in proportion to their arrivals there.

    Facilities with weight but no arrivals give it to the row ``facility_row[f]``.
    The rows' weights add up to the facilities' weights exactly (in floating point).

    Returns
    -------
    rows, facilities : ndarray of int
    weights : ndarray of float
        Sparse (row, facility, weight) entries.

    Examples
    --------
    >>> r, f, w = split_weights(np.array([0, 1]), np.array([0, 0]), np.array([1.0, 3.0]),
    ...                         np.array([8.0, 5.0]), np.array([0, 1]), 2)
    >>> list(zip(r.tolist(), f.tolist(), w.tolist()))
    [(0, 0, 2.0), (1, 0, 6.0), (1, 1, 5.0)]
    """
    n_fac = weight.size
    total = np.bincount(facilities, weights=amounts, minlength=n_fac)
    ratio = np.divide(weight, total, out=np.zeros(n_fac), where=total > 0)
    orphan = np.flatnonzero((total <= 0) & (weight > 0))
    return (
        np.concatenate([rows, facility_row[orphan]]),
        np.concatenate([facilities, orphan]),
        np.concatenate([amounts * ratio[facilities], weight[orphan]]),
    )


def group_sums(cells: FloatArray, row_values: FloatArray) -> FloatArray:
    """Share ``row_values`` among groups by each row's cells, shape (..., group, value).

    Each row's value goes to the groups in proportion to the row's ``cells`` (persons
    or demand by (zone, kind, 75+, car, digital)); every member of a row shares its
    value. Rows without cells count in ``all`` only, which is always the plain total.
    Leading dimensions (e.g. services) are a batch.

    Parameters
    ----------
    cells : ndarray, shape (..., zone, kind, 75+, car, digital)
    row_values : ndarray, shape (..., value, zone * 2)
        Values of each row (zone x car, car fastest).

    Examples
    --------
    >>> c = np.zeros((1, 2, 2, 2, 2)); c[0, 1, 0, 1, 0] = 3; c[0, 0, 0, 1, 0] = 1
    >>> out = group_sums(c, np.array([[5.0, 8.0]]))
    >>> [float(out[GROUPS.index(g), 0]) for g in ("all", "seasonal", "car", "no_car")]
    [13.0, 6.0, 8.0, 0.0]
    """
    batch, n_z = cells.shape[:-5], cells.shape[-5]
    n_v = row_values.shape[-2]
    by_row = cells.reshape(-1, n_z, 2, 2, 2, 2).transpose(0, 4, 1, 2, 3, 5)
    by_row = by_row.reshape(-1, 2, n_z, 8)  # batch, car, zone, (kind, 75+, digital)
    total = by_row.sum(axis=3)[:, :, None, :]  # batch, car, 1, zone
    values = row_values.reshape(-1, n_v, n_z, 2).transpose(0, 3, 1, 2)  # batch, car, v, zone
    factor = np.divide(values, total, out=np.zeros(values.shape), where=total > 0)
    per_cell = (factor @ by_row).reshape(-1, 2, n_v, 2, 2, 2)  # batch, car, v, kind, 75+, dig
    per_cell = per_cell.transpose(0, 2, 3, 4, 1, 5).reshape(-1, n_v, 16)  # kind, 75+, car, dig
    out = (per_cell @ _MASKS_T).transpose(0, 2, 1)  # batch, group, v
    out[:, GROUPS.index("all")] = values.sum(axis=(1, 3))
    return out.reshape(*batch, len(GROUPS), n_v)


def eligible_cells(
    table: CellTable, s: int, share: FloatArray, cache: dict | None = None
) -> FloatArray:
    """Eligible persons present (expected) by (zone, kind, 75+, car, digital).

    Summed over kind, 75+ and digital skill it equals
    :func:`simulation.cellplan.eligible_by_row`. ``cache`` (a dict kept by the caller)
    holds the table's eligible persons summed to under 75 / 75+, rebuilt when the
    table changes (at year ends).
    """
    cache = {} if cache is None else cache
    if cache.get("table") is not table:
        cache.clear()
        cache["table"] = table
    if s not in cache:  # zone, 75+, car, digital, group
        by_age = by_75(table.eligible_any[s], axis=2).transpose(0, 2, 3, 4, 1)
        cache[s] = np.ascontiguousarray(by_age, dtype=float)
    weights = np.zeros((share.size, 2))
    weights[np.arange(share.size), table.group_kind] = share
    return (cache[s] @ weights).transpose(0, 4, 1, 2, 3)


class ZoneRecords:
    """Preallocated sums by zone and by group, per month and service.

    The monthly step hands each service's queue month and access to
    :meth:`record_queue` and :meth:`record_access`; :meth:`flush` then records the
    month for all services at once (one vectorised pass, not one per service).

    Parameters
    ----------
    n_months, n_zones, n_services : int

    Attributes
    ----------
    zone : dict of str to ndarray, shape (time, zone, service)
        :data:`ZONE_SUMS`.
    group : dict of str to ndarray, shape (time, group, service)
        :data:`GROUP_SUMS` (the access sums only in months with an access standard).
    cell_cache : dict
        The cell table's eligible persons by 75+ (:func:`eligible_cells`).
    """

    def __init__(self, n_months: int, n_zones: int, n_services: int) -> None:
        self.zone = {k: np.zeros((n_months, n_zones, n_services)) for k in ZONE_SUMS}
        self.group = {k: np.zeros((n_months, len(GROUPS), n_services)) for k in GROUP_SUMS}
        self._queue_parts: list[tuple] = []
        self._access_parts: list[tuple] = []
        self.cell_cache: dict = {}

    def record_queue(
        self,
        s: int,
        alloc: Allocation,
        row_demand: IntArray,
        q: QueueMonth,
        within: FloatArray,
        facility_zone: IntArray,
        cells: FloatArray,
    ) -> None:
        """Keep service ``s``'s queue month for :meth:`flush`.

        Parameters
        ----------
        s : int
            Service index.
        alloc, row_demand
            The facility choice and in-person demand by row (:func:`row_arrivals`).
        q : QueueMonth
            The facilities' queue month (waits, served, backlog).
        within : ndarray of float, shape (facility,)
            Share of each facility's arrivals within the standard (NaN: not assessed).
        facility_zone : ndarray of int, shape (facility,)
            Zone of each facility (for weight without arrivals).
        cells : ndarray, shape (zone, kind, 75+, car, digital)
            In-person and van demand by cell (its group shares).
        """
        weight = np.where(np.isfinite(within), q.served + q.backlog, 0).astype(float)
        part = (s, *row_arrivals(alloc, row_demand), q.wait_mean, weight, within)
        self._queue_parts.append((*part, 2 * facility_zone + 1, cells))

    def record_access(
        self,
        s: int,
        eligible: FloatArray,
        nearest: FloatArray,
        cells: FloatArray | None = None,
    ) -> None:
        """Keep eligible persons present and those within 20 minutes for :meth:`flush`.

        Parameters
        ----------
        s : int
            Service index.
        eligible, nearest : ndarray, shape (zone, car)
            Eligible persons present, and minutes to the nearest open facility offering
            the service (inf: none).
        cells : ndarray, shape (zone, kind, 75+, car, digital), optional
            Eligible persons present by cell (:func:`eligible_cells`); the groups are
            recorded only with it (months with an access standard in force).
        """
        within = np.where(nearest <= WITHIN_MINUTES, eligible, 0.0)
        self._access_parts.append((s, eligible, within, cells))

    def flush(self, t: int) -> None:
        """Record month ``t`` from the parts kept for its services, all services at once."""
        if self._queue_parts:
            self._flush_queues(t, self._queue_parts)
        if self._access_parts:
            self._flush_access(t, self._access_parts)
        self._queue_parts, self._access_parts = [], []

    def _flush_queues(self, t: int, parts: list[tuple]) -> None:
        n_rows, n_fac = parts[0][-1].shape[0] * 2, parts[0][4].size
        svc = np.array([p[0] for p in parts])
        r = np.concatenate([p[1] + k * n_rows for k, p in enumerate(parts)])
        f = np.concatenate([p[2] + k * n_fac for k, p in enumerate(parts)])
        x = np.concatenate([p[3] for p in parts])
        wait, weight, within = (np.concatenate([p[i] for p in parts]) for i in (4, 5, 6))
        home = np.concatenate([p[7] + k * n_rows for k, p in enumerate(parts)])
        size = len(parts) * n_rows
        z = self.zone
        z["arrivals"][t][:, svc] = _by_zone(np.bincount(r, weights=x, minlength=size), n_rows)
        waits = np.bincount(r, weights=x * wait[f], minlength=size)
        z["wait_sum"][t][:, svc] = _by_zone(waits, n_rows)
        r, f, w = split_weights(r, f, x, weight, home, size)
        row_w = np.bincount(r, weights=w, minlength=size)
        row_sum = np.bincount(r, weights=w * np.nan_to_num(within)[f], minlength=size)
        z["std_weight"][t][:, svc] = _by_zone(row_w, n_rows)
        z["std_sum"][t][:, svc] = _by_zone(row_sum, n_rows)
        cells = np.stack([p[8] for p in parts])
        values = np.stack([row_w, row_sum]).reshape(2, len(parts), n_rows).transpose(1, 0, 2)
        by_group = group_sums(cells, values)  # service, group, value
        self.group["std_weight"][t][:, svc] = by_group[:, :, 0].T
        self.group["std_sum"][t][:, svc] = by_group[:, :, 1].T

    def _flush_access(self, t: int, parts: list[tuple]) -> None:
        svc = np.array([p[0] for p in parts])
        eligible, within = np.stack([p[1] for p in parts]), np.stack([p[2] for p in parts])
        self.zone["eligible"][t][:, svc] = eligible.sum(axis=2).T
        self.zone["eligible_within"][t][:, svc] = within.sum(axis=2).T
        grouped = [k for k, p in enumerate(parts) if p[3] is not None]
        if grouped:
            cells = np.stack([parts[k][3] for k in grouped])
            rows = np.stack([eligible[grouped], within[grouped]], axis=1)
            by_group = group_sums(cells, rows.reshape(len(grouped), 2, -1))
            self.group["eligible"][t][:, svc[grouped]] = by_group[:, :, 0].T
            self.group["eligible_within"][t][:, svc[grouped]] = by_group[:, :, 1].T


def _by_zone(rows: FloatArray, n_rows: int) -> FloatArray:
    """Sum stacked (service, zone x car) rows to (zone, service)."""
    return rows.reshape(-1, n_rows // 2, 2).sum(axis=2).T
