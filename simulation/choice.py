"""Facility choice: serve each zone's demand at the nearest open facility with capacity.

Demand of a zone goes to its nearest facility offering the service; what that facility
cannot take spills to the next nearest, and so on; what no facility can take is unmet.
When several zones compete for the last capacity of a facility, the places are drawn
at random among the competing visits (multivariate hypergeometric), so no zone is
favoured by its position in a list.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.types import BoolArray, FloatArray, IntArray


@dataclass(frozen=True)
class Allocation:
    """Outcome of one service in one month.

    Attributes
    ----------
    served_zone : ndarray of int, shape (zone,)
        Demand of each zone that was served somewhere.
    load : ndarray of int, shape (facility,)
        Demand served at each facility (its use of capacity).
    travel_minutes : ndarray of float, shape (zone,)
        Sum over served demand of the travel minutes from the zone to where it was served.
    first_choice : ndarray of int, shape (zone,)
        Facility each zone's demand is attributed to (nearest in the network offering
        the service), -1 where none offers it.
    flows : ndarray of int, shape (zone, rank), optional
        Demand of each zone (row) served at the facility ``order[zone, rank]``: flows
        are kept by preference rank, not over all facilities (see :meth:`dense_flows`).
    order : ndarray of int, shape (zone, rank), optional
        Facility of each (zone, rank) of ``flows``.
    """

    served_zone: IntArray
    load: IntArray
    travel_minutes: FloatArray
    first_choice: IntArray
    flows: IntArray | None = None
    order: IntArray | None = None

    def dense_flows(self, n_facilities: int) -> IntArray:
        """Demand of each zone served at each facility, shape (zone, facility).

        Examples
        --------
        >>> a = Allocation(np.array([3]), np.array([1, 2]), np.zeros(1), np.array([1]),
        ...                np.array([[2, 1]]), np.array([[1, 0]]))
        >>> a.dense_flows(2).tolist()
        [[1, 2]]
        """
        out = np.zeros((self.served_zone.size, n_facilities), dtype=np.int64)
        if self.flows is not None and self.order is not None:
            rows = np.repeat(np.arange(out.shape[0]), self.order.shape[1])
            np.add.at(out, (rows, self.order.ravel()), self.flows.ravel())
        return out


def preference_order(minutes: FloatArray, offers: BoolArray) -> IntArray:
    """Facilities offering the service, nearest first, for each zone.

    Parameters
    ----------
    minutes : ndarray of float, shape (zone, facility)
        Travel minutes from each zone to each facility's zone.
    offers : ndarray of bool, shape (facility,)
        Facilities in the network that offer the service.

    Returns
    -------
    ndarray of int, shape (zone, n_offering)
        Facility indices ordered by travel time (ties broken by facility order).

    Examples
    --------
    >>> preference_order(np.array([[5.0, 1.0, 3.0]]), np.array([True, False, True])).tolist()
    [[2, 0]]
    """
    idx = np.flatnonzero(offers)
    order = np.argsort(minutes[:, idx], axis=1, kind="stable")
    return idx[order]


def allocate(
    demand: IntArray,
    capacity: IntArray,
    order: IntArray,
    minutes: FloatArray,
    rng: np.random.Generator,
) -> Allocation:
    """Serve demand by zone at facilities in preference order, within capacity.

    Parameters
    ----------
    demand : ndarray of int, shape (zone,)
        Demand in the service's unit.
    capacity : ndarray of int, shape (facility,)
        Capacity available this month (0 where closed or not offering).
    order : ndarray of int, shape (zone, n_offering)
        Preference order from :func:`preference_order`.
    minutes : ndarray of float, shape (zone, facility)
        Travel minutes.
    rng : numpy.random.Generator
        The run's ``choice`` stream (used only where zones compete for capacity).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a = allocate(np.array([5, 3]), np.array([4, 10]), np.array([[0, 1], [0, 1]]),
    ...              np.array([[1.0, 9.0], [2.0, 9.0]]), rng)
    >>> int(a.served_zone.sum()), a.load.tolist()
    (8, [4, 4])
    """
    n_zones, n_fac = minutes.shape
    remaining = demand.astype(np.int64).copy()
    left = capacity.astype(np.int64).copy()
    load = np.zeros(n_fac, dtype=np.int64)
    takes: dict[int, np.ndarray] = {}  # served at each preference rank
    travel = np.zeros(n_zones)
    first = order[:, 0] if order.shape[1] else np.full(n_zones, -1)
    rows = np.flatnonzero(remaining > 0)  # zones with demand left, ascending
    r = 0
    while r < order.shape[1]:
        rows = rows[remaining[rows] > 0]
        if not rows.size or not left.any():
            break
        if not (left[order[rows, r]] > 0).any():
            # Nobody's rank-r facility has capacity: such rounds change nothing and draw
            # nothing, so go straight to the next rank where some facility has.
            useful = (left[order[rows, r:]] > 0).any(axis=0)
            if not useful.any():
                break
            r += int(np.argmax(useful))
        target = order[rows, r]
        want = remaining[rows]
        requests = np.bincount(target, weights=want, minlength=n_fac).astype(np.int64)
        fits = requests <= left
        take = np.where(fits[target], want, 0)
        for f in np.flatnonzero(~fits & (requests > 0)):
            competing = target == f
            take[competing] = rng.multivariate_hypergeometric(want[competing], left[f])
        served_here = np.bincount(target, weights=take, minlength=n_fac).astype(np.int64)
        load += served_here
        takes[r] = np.zeros(n_zones, dtype=np.int64)
        takes[r][rows] = take
        left -= served_here
        travel[rows] += take * minutes[rows, target]
        remaining[rows] -= take
        r += 1
    flows = np.zeros((n_zones, max(takes, default=-1) + 1), dtype=np.int64)
    for rank, take in takes.items():
        flows[:, rank] = take
    return Allocation(
        served_zone=demand - remaining,
        load=load,
        travel_minutes=travel,
        first_choice=np.asarray(first, dtype=np.int64),
        flows=flows,
        order=order[:, : flows.shape[1]],
    )


def logit_allocate(
    demand: IntArray,
    capacity: IntArray,
    cost: FloatArray,
    offers: BoolArray,
    beta: float,
    choice_set: int,
    rng: np.random.Generator,
    order: IntArray | None = None,
) -> Allocation:
    """Serve demand by distance-decay logit choice among facilities, within capacity.

    Each row's demand picks facilities among its ``choice_set`` nearest offering ones
    with probability proportional to ``exp(-beta * minutes)`` (a multinomial draw).
    Where a facility gets more requests than it has capacity, the places go to a random
    subset of the requests (multivariate hypergeometric); the rest choose again among
    the facilities that still have capacity (their next choice, by the same logit),
    until all is served or no facility in the choice set has capacity: that remainder
    is unmet. Demand is attributed to the row's nearest offering facility.

    Parameters
    ----------
    demand : ndarray of int, shape (row,)
        Demand of each origin row (e.g. zone x travel mode), in service units.
    capacity : ndarray of int, shape (facility,)
        Capacity available this month (0 where closed).
    cost : ndarray of float, shape (row, facility)
        Travel minutes from each row to each facility by the row's mode.
    offers : ndarray of bool, shape (facility,)
        Facilities open this month that offer the service.
    beta : float
        Utility lost per minute (>= 0).
    choice_set : int
        Number of nearest offering facilities each row considers.
    rng : numpy.random.Generator
        The run's ``choice`` stream.
    order : ndarray of int, shape (row, n_offering), optional
        The offering facilities of each row nearest first (see :func:`restrict_order`);
        computed from ``cost`` when not given.

    Examples
    --------
    >>> a = logit_allocate(np.array([50, 0]), np.array([30, 100]),
    ...                    np.array([[1.0, 5.0], [5.0, 1.0]]), np.array([True, True]),
    ...                    0.1, 2, np.random.default_rng(0))
    >>> int(a.served_zone[0]), int(a.load.sum()), int(a.load[0]) <= 30
    (50, 50, True)
    """
    n_rows, n_fac = cost.shape
    remaining = demand.astype(np.int64).copy()
    left = np.where(offers, capacity, 0).astype(np.int64)
    if order is None:
        order = preference_order(cost, offers)
    order = order[:, :choice_set]
    flows = np.zeros(order.shape, dtype=np.int64)  # by preference rank
    first = order[:, 0] if order.shape[1] else np.full(n_rows, -1, dtype=np.int64)
    c = np.take_along_axis(cost, order, axis=1)
    if order.shape[1]:
        util = np.exp(-beta * (c - c[:, :1]))
        rows = np.arange(n_rows)
        for _ in range(n_fac + 1):
            w = util * (left[order] > 0)
            active = (remaining > 0) & (w.sum(axis=1) > 0)
            if not active.any():
                break
            ra = rows[active]
            p = w[active] / w[active].sum(axis=1, keepdims=True)
            req = rng.multinomial(remaining[active], p)
            tgt = order[active]
            total = np.bincount(tgt.ravel(), weights=req.ravel(), minlength=n_fac).astype(np.int64)
            take = req.copy()
            over = (total > left)[tgt] & (req > 0)
            if over.any():
                take[over] = ration(req[over], tgt[over], left, rng)
            flows[ra] += take
            left -= np.bincount(tgt.ravel(), weights=take.ravel(), minlength=n_fac).astype(np.int64)
            remaining[ra] -= take.sum(axis=1)
    load = np.bincount(order.ravel(), weights=flows.ravel(), minlength=n_fac)
    return Allocation(
        served_zone=flows.sum(axis=1),
        load=load.astype(np.int64),
        travel_minutes=(flows * c).sum(axis=1),
        first_choice=np.asarray(first, dtype=np.int64),
        flows=flows,
        order=order,
    )


def restrict_order(full_order: IntArray, offers: BoolArray) -> IntArray:
    """Keep, in each row of a full sort order, only the facilities that offer.

    Examples
    --------
    >>> restrict_order(np.array([[2, 0, 1], [1, 2, 0]]), np.array([True, False, True])).tolist()
    [[2, 0], [2, 0]]
    """
    keep = offers[full_order]
    return full_order[keep].reshape(full_order.shape[0], int(offers.sum()))


def ration(requests: IntArray, facility: IntArray, capacity: IntArray, rng) -> IntArray:
    """Share each facility's capacity among its requests at random, exactly.

    For each facility, ``capacity[f]`` places go to a uniformly random subset of the
    requests naming it: a multivariate hypergeometric draw, done by recursive halving
    (the places of a group of requests are split between its two halves by one
    hypergeometric draw), level by level for all facilities at once.

    Parameters
    ----------
    requests : ndarray of int, shape (n,)
        Requests of each (origin, facility) pair; every named facility is over capacity.
    facility : ndarray of int, shape (n,)
        Facility of each pair.
    capacity : ndarray of int, shape (facility,)
        Places left at each facility.
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of int, shape (n,)
        Places given to each pair; they sum to ``capacity[f]`` for each facility ``f``.

    Examples
    --------
    >>> got = ration(np.array([5, 5, 3]), np.array([0, 0, 1]), np.array([4, 1]),
    ...              np.random.default_rng(0))
    >>> int(got[:2].sum()), int(got[2])
    (4, 1)
    """
    order = np.argsort(facility, kind="stable")
    fac, req = facility[order], requests[order].astype(np.int64)
    cum = np.concatenate([[0], np.cumsum(req)])
    per_fac = np.bincount(fac, minlength=capacity.size)
    named = np.flatnonzero(per_fac)
    end = np.cumsum(per_fac)[named]
    start = end - per_fac[named]
    cap = np.minimum(capacity[named].astype(np.int64), cum[end] - cum[start])
    take = np.zeros(fac.size, dtype=np.int64)
    while start.size:
        keep = cap > 0
        start, end, cap = start[keep], end[keep], cap[keep]
        leaf = end - start == 1
        take[start[leaf]] = cap[leaf]
        start, end, cap = start[~leaf], end[~leaf], cap[~leaf]
        if not start.size:
            break
        mid = (start + end) // 2
        first = rng.hypergeometric(cum[mid] - cum[start], cum[end] - cum[mid], cap)
        start, end = np.concatenate([start, mid]), np.concatenate([mid, end])
        cap = np.concatenate([first, cap - first])
    out = np.empty_like(take)
    out[order] = take
    return out
