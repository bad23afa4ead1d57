"""Queues at facilities: backlog, balking and waiting time per facility x service.

Each month a facility serves its backlog first (first come, first served), then new
arrivals with the capacity left; arrivals it cannot serve join the backlog. What a
waiting customer does is the service's :class:`WaitingRule`:

- ``waitlist`` (enrolment services): nobody leaves; the list is kept until a place frees;
- ``lost``: a customer whose predicted wait exceeds the patience leaves (is lost);
- ``switch``: as ``lost``, but the customer is served through another channel (phone
  or digital) instead of being lost.

A fluid queue gives the counts and the waits (Liu & Whitt 2012; see
``docs/explanation/service-model.md``). Within a month, arrivals and service are spread
evenly over the month's days: with backlog ``B0`` at the start, ``lambda`` arrivals and
``mu`` services per day, a customer arriving on day ``tau`` waits
``w(tau) = B0 / mu + (lambda / mu - 1) * tau`` days (at least 0; at most the patience
for the ``lost`` and ``switch`` rules, who leave when it runs out). The queue keeps at
most ``patience x mu`` customers; the excess balks. The identity
``arrivals = served + balked + (backlog - previous backlog)`` holds exactly in every
cell.

Enrolment services count a stock (persons needing a place each month), so a person
on the waiting list is in next month's demand again; their queue keeps the list
(``backlog = persons without a place``) and its arrivals are the net new need
``demand - previous list`` (negative when the list shrinks because needs end).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.errors import WorldError
from simulation.types import FloatArray, IntArray

#: What a waiting customer does (see the module docstring).
WAITING_RULES: tuple[str, ...] = ("switch", "waitlist", "lost")

#: Mean days per month (365.25 / 12), the unit that turns monthly capacity into a rate.
DAYS_PER_MONTH = 365.25 / 12

#: Points per month of the within-month wait distribution (one per day).
GRID = 30


@dataclass(frozen=True)
class WaitingRule:
    """What a customer waiting for one service does.

    Parameters
    ----------
    rule : {'switch', 'waitlist', 'lost'}
        See the module docstring.
    patience_days : float
        Longest wait a customer accepts, days (>= 0; ignored by ``waitlist``). 0 gives
        the hard monthly cap: everything above capacity balks at once.
    place_turnover_per_year : float
        Share of an enrolment service's places that free each year (>= 0), which sets
        the speed of its waiting list (only ``waitlist`` services with a stock of
        places use it).

    Examples
    --------
    >>> WaitingRule("switch", 14.0).keeps_everyone
    False
    >>> WaitingRule("queue")
    Traceback (most recent call last):
    ...
    simulation.errors.WorldError: waiting rule 'queue' not one of switch, waitlist, lost
    """

    rule: str = "lost"
    patience_days: float = 0.0
    place_turnover_per_year: float = 1.0

    def __post_init__(self) -> None:
        if self.rule not in WAITING_RULES:
            raise WorldError(f"waiting rule {self.rule!r} not one of {', '.join(WAITING_RULES)}")
        for name in ("patience_days", "place_turnover_per_year"):
            value = getattr(self, name)
            if not np.isfinite(value) or value < 0:
                raise WorldError(f"waiting {name}={value!r}: must be a number >= 0")

    @property
    def keeps_everyone(self) -> bool:
        """True when nobody leaves the queue (``waitlist``)."""
        return self.rule == "waitlist"


@dataclass(frozen=True)
class QueueMonth:
    """One service's queue outcome in one month, arrays over facilities.

    Attributes
    ----------
    arrivals, served, balked, backlog : ndarray of int, shape (facility,)
        New demand joining the facility, demand served there this month (backlog
        first), demand that left the queue, and the backlog at the month's end.
    switched : ndarray of int, shape (facility,)
        Balked demand served through another channel (``switch`` rule).
    wait_mean, wait_p90 : ndarray of float, shape (facility,)
        Mean and 90th percentile waiting time of the month's arrivals, days (NaN where
        the facility has neither capacity, arrivals nor backlog; inf when a waiting
        list has no capacity at all).
    waits : ndarray of float, shape (facility, GRID)
        The within-month wait distribution (see :func:`flow_waits`, :func:`list_waits`).
    """

    arrivals: IntArray
    served: IntArray
    balked: IntArray
    backlog: IntArray
    switched: IntArray
    wait_mean: FloatArray
    wait_p90: FloatArray
    waits: FloatArray


def served_first(backlog: IntArray, capacity: IntArray) -> IntArray:
    """Backlog served at the start of the month (first come, first served).

    Examples
    --------
    >>> served_first(np.array([5, 0, 9]), np.array([3, 4, 20])).tolist()
    [3, 0, 9]
    """
    return np.minimum(backlog, capacity)


def advance(
    backlog: IntArray,
    capacity: IntArray,
    new_served: IntArray,
    queued: IntArray,
    rule: WaitingRule,
    stock: bool = False,
) -> QueueMonth:
    """One month of the queues of one service.

    Parameters
    ----------
    backlog : ndarray of int, shape (facility,)
        Backlog at the start of the month.
    capacity : ndarray of int, shape (facility,)
        Capacity this month (service units).
    new_served : ndarray of int, shape (facility,)
        New arrivals served at each facility with the capacity the backlog left (for
        ``stock``: persons holding a place).
    queued : ndarray of int, shape (facility,)
        New arrivals no facility could serve, attributed to their first-choice facility
        (for ``stock``: persons without a place).
    rule : WaitingRule
    stock : bool
        True for enrolment services (a stock of places, see the module docstring).

    Returns
    -------
    QueueMonth

    Examples
    --------
    >>> q = advance(np.array([10]), np.array([40]), np.array([30]), np.array([25]),
    ...             WaitingRule("lost", 7.0))
    >>> q.served.tolist(), q.balked.tolist(), q.backlog.tolist()
    ([40], [16], [9])
    >>> int(q.arrivals[0]) == int(q.served[0] + q.balked[0] + q.backlog[0] - 10)
    True
    """
    backlog = np.asarray(backlog, dtype=np.int64)
    capacity = np.asarray(capacity, dtype=np.int64)
    if stock:
        balked = np.zeros_like(backlog)
        end = np.asarray(queued, dtype=np.int64)
        served = np.asarray(new_served, dtype=np.int64)
        arrivals = served + end - backlog
        mean, p90, waits = list_waits(end, served + end, capacity, rule.place_turnover_per_year)
    else:
        first = served_first(backlog, capacity)
        waiting = backlog - first + queued
        if rule.keeps_everyone:
            balked = np.zeros_like(waiting)
        else:
            room = np.floor(rule.patience_days * capacity / DAYS_PER_MONTH).astype(np.int64)
            balked = np.maximum(waiting - room, 0)
        end = waiting - balked
        served = first + new_served
        arrivals = new_served + queued
        patience = np.inf if rule.keeps_everyone else rule.patience_days
        waits = flow_waits(backlog, arrivals, capacity, patience)
        mean, p90 = waits.mean(axis=1), np.quantile(waits, 0.9, axis=1, method="lower")
    idle = (capacity == 0) & (arrivals == 0) & (backlog == 0) & (end == 0)
    mean, p90 = np.where(idle, np.nan, mean), np.where(idle, np.nan, p90)
    switched = balked if rule.rule == "switch" else np.zeros_like(balked)
    return QueueMonth(arrivals, served, balked, end, switched, mean, p90, waits)


def flow_waits(
    backlog: IntArray, arrivals: IntArray, capacity: IntArray, patience: float
) -> FloatArray:
    """Compute the waits of a month's arrivals on each day of the month, days (fluid FIFO queue).

    Returns
    -------
    ndarray of float, shape (facility, GRID)
        ``w(tau)`` at the midpoint of each day, clipped to ``[0, patience]``.

    Examples
    --------
    >>> w = flow_waits(np.array([0, 30]), np.array([15, 0]), np.array([30, 30]), np.inf)
    >>> float(w[0].max()), round(float(w[1, 0]), 2)
    (0.0, 29.93)
    """
    rate = capacity / DAYS_PER_MONTH
    tau = (np.arange(GRID) + 0.5) * DAYS_PER_MONTH / GRID
    with np.errstate(divide="ignore", invalid="ignore"):
        start = np.where(backlog > 0, backlog / rate, 0.0)
        slope = arrivals / (rate * DAYS_PER_MONTH) - 1.0
        w = start[:, None] + slope[:, None] * tau[None, :]
    w = np.where((rate == 0)[:, None] & ((backlog + arrivals) > 0)[:, None], np.inf, w)
    w = np.where(np.isnan(w), 0.0, w)  # 0/0: no capacity, backlog or arrivals
    return np.clip(w, 0.0, patience)


def list_waits(
    listed: IntArray, need: IntArray, capacity: IntArray, turnover_per_year: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Compute the waits on an enrolment waiting list (fluid FIFO list), days.

    Persons with a place wait 0; the ``listed`` persons spread evenly between 0 and the
    wait of the last on the list, ``listed / (capacity x turnover / 365.25)`` days.

    Returns
    -------
    mean, p90 : ndarray of float, shape (facility,)
    waits : ndarray of float, shape (facility, GRID)
        Waits at GRID evenly spaced quantiles of the persons in need.

    Examples
    --------
    >>> m, p, _ = list_waits(np.array([0, 10]), np.array([50, 50]), np.array([40, 40]), 0.5)
    >>> float(m[0]), round(float(m[1]), 1), round(float(p[1]), 1)
    (0.0, 18.3, 91.3)
    """
    rate = capacity * turnover_per_year / 365.25
    with np.errstate(divide="ignore", invalid="ignore"):
        longest = np.where(listed > 0, listed / rate, 0.0)
        share = np.where(need > 0, listed / np.maximum(need, 1), 0.0)
    q = (np.arange(GRID) + 0.5) / GRID
    on_list = q[None, :] > (1 - share)[:, None]
    safe = np.where(share > 0, share, 1.0)
    frac = (q[None, :] - (1 - share)[:, None]) / safe[:, None]
    waits = np.where(on_list, frac * longest[:, None], 0.0)
    mean = share * longest / 2
    p90 = np.where(share > 0.1, longest * (0.9 - (1 - share)) / safe, 0.0)
    return mean, np.maximum(p90, 0.0), waits


def share_within(waits: FloatArray, limit_days: float) -> FloatArray:
    """Share of a month's arrivals whose wait is at most ``limit_days``, by facility.

    Examples
    --------
    >>> share_within(np.array([[0.0, 5.0, 20.0, 40.0]]), 14).tolist()
    [0.5]
    """
    return (waits <= limit_days).mean(axis=1)


class QueueState:
    """Backlog per facility x service carried between months.

    Parameters
    ----------
    n_facilities, n_services : int

    Examples
    --------
    >>> q = QueueState(2, 1)
    >>> q.free_capacity(0, np.array([5, 5])).tolist()
    [5, 5]
    """

    def __init__(self, n_facilities: int, n_services: int) -> None:
        self.backlog = np.zeros((n_facilities, n_services), dtype=np.int64)

    def free_capacity(self, s: int, capacity: IntArray, stock: bool = False) -> IntArray:
        """Capacity of service ``s`` left for new arrivals once the backlog is served."""
        if stock:
            return capacity
        return capacity - served_first(self.backlog[:, s], capacity)

    def step(
        self,
        s: int,
        capacity: IntArray,
        new_served: IntArray,
        queued: IntArray,
        rule: WaitingRule,
        stock: bool = False,
    ) -> QueueMonth:
        """Advance service ``s`` by one month and keep its new backlog."""
        out = advance(self.backlog[:, s], capacity, new_served, queued, rule, stock)
        self.backlog[:, s] = out.backlog
        return out


def spread(total: int, weights: IntArray) -> IntArray:
    """Split a whole ``total`` over ``weights`` in proportion, exactly (largest remainder).

    Ties go to the earlier position; all to the first when the weights are all 0.

    Examples
    --------
    >>> spread(5, np.array([1, 1, 2])).tolist()
    [1, 1, 3]
    >>> spread(7, np.array([3, 4])).tolist()
    [3, 4]
    """
    weights = np.asarray(weights, dtype=np.int64)
    out = np.zeros(weights.size, dtype=np.int64)
    if total <= 0 or not weights.size:
        return out
    w_sum = int(weights.sum())
    if w_sum == 0:
        out[0] = total
        return out
    exact = weights * (total / w_sum)
    out = np.floor(exact).astype(np.int64)
    rest = total - int(out.sum())
    if rest:
        order = np.argsort(-(exact - out), kind="stable")
        out[order[:rest]] += 1
    return out
