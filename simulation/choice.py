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
    """

    served_zone: IntArray
    load: IntArray
    travel_minutes: FloatArray
    first_choice: IntArray


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
    travel = np.zeros(n_zones)
    first = order[:, 0] if order.shape[1] else np.full(n_zones, -1)
    zones = np.arange(n_zones)
    for r in range(order.shape[1]):
        active = remaining > 0
        if not active.any() or not left.any():
            break
        target = order[:, r]
        requests = np.bincount(target[active], weights=remaining[active], minlength=n_fac)
        requests = requests.astype(np.int64)
        take = np.zeros(n_zones, dtype=np.int64)
        fits = requests <= left
        ok = active & fits[target]
        take[ok] = remaining[ok]
        for f in np.flatnonzero(~fits & (requests > 0)):
            competing = zones[active & (target == f)]
            take[competing] = rng.multivariate_hypergeometric(remaining[competing], left[f])
        served_here = np.bincount(target, weights=take, minlength=n_fac).astype(np.int64)
        load += served_here
        left -= served_here
        travel += take * minutes[zones, target]
        remaining -= take
    return Allocation(
        served_zone=demand - remaining,
        load=load,
        travel_minutes=travel,
        first_choice=np.asarray(first, dtype=np.int64),
    )
