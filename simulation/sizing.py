"""The capacity at which a service meets its waiting-time standard (fluid queue).

Strategies plan for the standards, not for a utilisation target: given the demand a
facility expects month by month (from :mod:`simulation.expected`), the smallest
monthly capacity at which the fluid queue of :mod:`simulation.queues` serves at least
the standard's target share of each month's arrivals within its limit.

The queue is the one the model runs, without the integer rounding: the backlog ``B``
carries from month to month, ``B' = max(B + a - C, 0)``, kept to at most
``patience x C / 30.44`` for the ``lost`` and ``switch`` rules (the rest balks); the
waits of a month's arrivals are :func:`simulation.queues.flow_waits`, and for an
enrolment service (a stock of persons needing a place, no carry-over) the list waits
are :func:`simulation.queues.list_waits`. With a constant capacity the share within
the limit never falls when the capacity grows (the backlog in days of work,
``B / (C / 30.44)``, and the slope of the waits both fall; tested), so the smallest
capacity is found by bisection on whole units.
"""

from __future__ import annotations

import numpy as np

from simulation.queues import DAYS_PER_MONTH, WaitingRule, flow_waits, list_waits
from simulation.types import FloatArray

#: Doublings of the first guess before a limit is declared out of reach.
MAX_DOUBLINGS = 24


def _per_month(values, shape: tuple[int, ...]) -> FloatArray:
    return np.broadcast_to(np.asarray(values, dtype=float), shape)


def fluid_within(
    arrivals: FloatArray,
    capacity: FloatArray | float,
    limit_days: FloatArray | float,
    rule: WaitingRule,
    backlog: FloatArray | float = 0.0,
    stock: bool = False,
) -> FloatArray:
    """Share of each month's arrivals served within the limit, fluid queue.

    Parameters
    ----------
    arrivals : ndarray of float, shape (..., month)
        Arrivals per month (service units; for ``stock``, persons needing a place).
    capacity : float or ndarray of float, broadcast to ``arrivals``
        Capacity per month (service units).
    limit_days : float or ndarray of float, broadcast to ``arrivals``
        Waiting-time limit in force each month, days (NaN: no standard that month).
    rule : WaitingRule
        The service's waiting rule (patience, place turnover).
    backlog : float or ndarray of float, shape (...)
        Backlog at the start of the first month (ignored for ``stock``).
    stock : bool
        True for enrolment services.

    Returns
    -------
    ndarray of float, shape (..., month)
        Share in [0, 1]; NaN where no limit applies; 1 in a month without arrivals.

    Examples
    --------
    >>> r = WaitingRule("switch", 21.0)
    >>> fluid_within(np.array([100.0, 100.0]), 100.0, 14.0, r).tolist()
    [1.0, 1.0]
    >>> fluid_within(np.array([150.0, 150.0]), 100.0, 14.0, r).round(2).tolist()
    [0.93, 0.0]
    """
    arrivals = np.asarray(arrivals, dtype=float)
    cap = _per_month(capacity, arrivals.shape)
    limit = _per_month(limit_days, arrivals.shape)
    if stock:  # no carry-over: every month at once
        share = _list_within(arrivals.ravel(), cap.ravel(), limit.ravel(), rule)
        return share.reshape(arrivals.shape)
    lead, n_months = arrivals.shape[:-1], arrivals.shape[-1]
    a2, c2 = arrivals.reshape(-1, n_months), cap.reshape(-1, n_months)
    l2 = limit.reshape(-1, n_months)
    out = np.empty_like(a2)
    patience = np.inf if rule.keeps_everyone else rule.patience_days
    b = np.broadcast_to(np.asarray(backlog, dtype=float), lead).reshape(-1).copy()
    for t in range(n_months):
        a, c = a2[:, t], c2[:, t]
        waits = flow_waits(b, a, c, patience)
        b = np.maximum(b + a - c, 0.0)
        if not rule.keeps_everyone:
            b = np.minimum(b, rule.patience_days * c / DAYS_PER_MONTH)
        share = np.where(a > 0, (waits <= l2[:, t, None]).mean(axis=1), 1.0)
        out[:, t] = np.where(np.isnan(l2[:, t]), np.nan, share)
    return out.reshape(arrivals.shape)


def _list_within(need: FloatArray, capacity: FloatArray, limit: FloatArray, rule: WaitingRule):
    """Share of persons in need within the limit on an enrolment list, flat arrays."""
    listed = np.maximum(need - capacity, 0.0)
    with np.errstate(all="ignore"):  # extreme lists: waits inf, shares still exact
        waits = list_waits(listed, need, capacity, rule.place_turnover_per_year)[2]
    share = np.where(need > 0, (waits <= limit[:, None]).mean(axis=1), 1.0)
    return np.where(np.isnan(limit), np.nan, share)


def meets(
    arrivals: FloatArray,
    capacity: FloatArray,
    limit_days: FloatArray | float,
    target_share: FloatArray | float,
    rule: WaitingRule,
    backlog: FloatArray | float = 0.0,
    stock: bool = False,
) -> np.ndarray:
    """Tell whether every month with a limit meets its target share, shape (...).

    ``target_share`` is broadcast like ``limit_days``; NaN months are not assessed.
    """
    share = fluid_within(arrivals, capacity, limit_days, rule, backlog, stock)
    target = _per_month(target_share, share.shape)
    short = ~np.isnan(share) & (share < target - 1e-12)
    return ~short.any(axis=-1)


def capacity_for_standard(
    arrivals: FloatArray,
    limit_days: FloatArray | float,
    target_share: FloatArray | float,
    rule: WaitingRule,
    backlog: FloatArray | float = 0.0,
    stock: bool = False,
    base: FloatArray | float = 0.0,
    profile: FloatArray | float = 1.0,
) -> FloatArray:
    """Smallest whole extra capacity ``x`` that meets the standard in every month.

    The capacity of month ``t`` is ``base[t] + x * profile[t]`` (``base`` 0 and
    ``profile`` 1: a constant capacity ``x``; a profile of 0 before a change takes
    effect and the current capacity as ``base`` there: the capacity the change must
    bring; a profile of 1 in the season months only: the season's extra capacity).

    Parameters
    ----------
    arrivals, limit_days, target_share, rule, backlog, stock
        As :func:`meets`.
    base, profile : float or ndarray of float, broadcast to ``arrivals``
        Capacity without the extra, and where the extra applies (>= 0).

    Returns
    -------
    ndarray of float, shape (...)
        Whole service units per month; ``inf`` where no capacity meets the limit (e.g.
        a limit of 0 days with a backlog left before the change).

    Examples
    --------
    >>> r = WaitingRule("switch", 21.0)
    >>> float(capacity_for_standard(np.array([150.0, 150.0]), 14.0, 0.9, r))
    121.0
    >>> bool(meets(np.array([150.0, 150.0]), np.full(2, 120.0), 14.0, 0.9, r))
    False
    """
    arrivals = np.asarray(arrivals, dtype=float)
    base = _per_month(base, arrivals.shape)
    profile = _per_month(profile, arrivals.shape)
    lead = arrivals.shape[:-1]

    def ok(x: FloatArray) -> np.ndarray:
        cap = base + x[..., None] * profile
        return meets(arrivals, cap, limit_days, target_share, rule, backlog, stock)

    lo = np.full(lead, -1.0)  # -1: "no extra" may already meet it (checked below)
    hi = np.full(lead, max(1.0, float(np.ceil(arrivals.max(initial=0.0)))))
    hi = hi + np.ceil(np.asarray(backlog, dtype=float))
    good = ok(hi)
    for _ in range(MAX_DOUBLINGS):
        if good.all():
            break
        hi = np.where(good, hi, 2 * hi)
        good = ok(hi)
    hi = np.where(good, hi, np.inf)
    zero_ok = ok(np.zeros(lead))
    hi = np.where(zero_ok, 0.0, hi)
    lo = np.where(zero_ok, 0.0, np.maximum(lo, 0.0))
    while True:
        gap = np.isfinite(hi) & (hi - lo > 1)
        if not gap.any():
            return hi
        mid = np.where(gap, np.floor((lo + hi) / 2), hi)
        mid_ok = ok(np.where(np.isfinite(mid), mid, 0.0))
        hi = np.where(gap & mid_ok, mid, hi)
        lo = np.where(gap & ~mid_ok, mid, lo)
