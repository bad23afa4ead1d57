"""Monthly demand for services by channel, drawn from a year's cell plan.

Visits: the mean of a cell is its persons' summed rates (seasonal cells: x the share
present) x the month factor x the segment's demand multiplier; it is split over
channels by the channel probabilities, summed over cells that share (zone, kind, 75+,
car, digital), and drawn as one Poisson count per channel (a sum of independent
Poisson counts is Poisson, so this is exact). Enrolment: each eligible present person
holds a place with the pool's mean probability (a binomial per pool), in person only.

Draws skip empty cells and zero means: numpy's binomial (``n = 0``) and Poisson
(``lam = 0``) draws use no random numbers, so drawing only the rest, in the same
order, gives the same numbers as drawing the full array.

One demand model: the draws of a month and their expectation (what strategies plan
with, :mod:`simulation.expected`) take the same :class:`MonthDemand` (presence shares,
weekday factors, month factors, channel probabilities, built once per month by
:func:`simulation.serve.month_demand`) and the same cell table; :func:`expected_visits`
and :func:`expected_places` are the means of :func:`draw_visits` and
:func:`draw_enrolment` (tested against the mean of many draws).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.cellplan import CellPlan, Enrolment, by_75
from simulation.cells import CellTable
from simulation.channels import IN_PERSON
from simulation.types import CHANNELS, KINDS, FloatArray, IntArray

#: Axes of a demand array: zone, kind, 75+ (0/1), car, digital, channel.
DEMAND_AXES = ("zone", "kind", "age_75", "car", "digital", "channel")


@dataclass(frozen=True)
class MonthDemand:
    """What a calendar month's demand depends on besides the cells.

    Attributes
    ----------
    month : int
        Calendar month, 1-12.
    share : ndarray of float, shape (group,)
        Share of each cell group present (:func:`simulation.cells.presence_shares`).
    weekday : ndarray of float, shape (group,)
        Multiplier of each group's visits this month (weekday factor; 1 for permanent
        groups and remote workers).
    month_factors : ndarray of float, shape (service,)
        Each service's factor for the month.
    owner : ndarray of int, shape (zone, service)
        Route serving each zone and service this month, -1 where none.
    probs : tuple of (ndarray or None)
        By service: channel probabilities (zone, group, car, digital, preferred,
        channel) for visit services, ``None`` for enrolment.
    """

    month: int
    share: FloatArray
    weekday: FloatArray
    month_factors: FloatArray
    owner: IntArray
    probs: tuple


def draw(
    plan: CellPlan,
    s: int,
    inputs: MonthDemand,
    present: IntArray,
    rng: np.random.Generator,
    split_rng: np.random.Generator,
) -> IntArray:
    """Demand of service ``s`` this month by (zone, kind, 75+, car, digital, channel).

    Visits (:func:`draw_visits`) or places (:func:`draw_enrolment`) by the service's
    demand type. ``rng`` is the run's ``demand`` stream, ``split_rng`` its
    ``channel_split`` stream.
    """
    factor = inputs.month_factors[s]
    if inputs.probs[s] is None:
        return draw_enrolment(plan, s, factor, inputs.share, rng)
    return draw_visits(
        plan, s, factor, present, inputs.probs[s], rng, inputs.weekday, split_rng=split_rng
    )


def expected_visits(
    table: CellTable, s: int, inputs: MonthDemand, multiplier: FloatArray
) -> FloatArray:
    """Mean of :func:`draw_visits` by (zone, group, age group, channel), no draws.

    A cell's mean is its summed rates x the group's presence share (the mean of the
    presence draw) x its weekday factor x its demand multiplier x the month factor,
    split over channels by the same probabilities as the draw.

    Parameters
    ----------
    table : CellTable
        The cells the month's plan was built from.
    s : int
        Index of a visit service.
    inputs : MonthDemand
    multiplier : ndarray of float, shape (group,)
        Segment demand multipliers (``segment_params["demand"]``).
    """
    weight = inputs.share * inputs.weekday * multiplier * inputs.month_factors[s]
    mean = table.rate_sum[s] * weight[None, :, None, None, None, None]
    # (zone, group, age group, car, digital, preferred) x (zone, group, car, digital,
    # preferred, channel) -> (zone, group, age group, channel)
    return np.einsum("zgacdp,zgcdpk->zgak", mean, inputs.probs[s], optimize=True)


def place_probability(pool: Enrolment, month_factor: float) -> FloatArray:
    """Probability that an eligible present person of each pool holds a place."""
    return np.clip(pool.mean_p * month_factor, 0.0, 1.0)


def expected_places(plan: CellPlan, s: int, inputs: MonthDemand) -> FloatArray:
    """Mean of :func:`draw_enrolment` by (zone, pool, age group), no draws.

    Pool 0 holds the permanent residents, pools ``1..`` the seasonal groups (present
    with their share).
    """
    pool = plan.enrolment[s]
    present = (
        pool.pooled
        * np.r_[1.0, inputs.share[plan.table.n_permanent_groups :]][None, :, None, None, None]
    )
    return (present * place_probability(pool, inputs.month_factors[s])).sum(axis=(3, 4))


def _poisson(mean: FloatArray, rng: np.random.Generator) -> IntArray:
    """Poisson draws of ``mean``, drawing only where it is positive (same numbers)."""
    out = np.zeros(mean.shape, dtype=np.int64)
    pos = mean > 0
    out[pos] = rng.poisson(mean[pos])
    return out


def draw_visits(
    plan: CellPlan,
    s: int,
    month_factor: float,
    present: IntArray,
    probs: FloatArray,
    rng: np.random.Generator,
    group_factor: FloatArray | None = None,
    split_rng: np.random.Generator | None = None,
) -> IntArray:
    """Visits of service ``s`` by (zone, kind, 75+, car, digital, channel).

    Common random numbers across networks: the visits of each (zone, kind, 75+, car,
    digital) cell are drawn as one Poisson count from ``rng`` and split over channels
    by a multinomial from ``split_rng``. The channel probabilities depend on the
    network (a digital channel, a van), the totals do not, so every scenario and
    strategy of one seed meets the same demand; the distribution is the same as
    independent Poisson counts per channel (Poisson splitting).

    Parameters
    ----------
    plan : CellPlan
    s : int
        Service index.
    month_factor : float
        The service's factor for the month.
    present : ndarray of int, shape (cell,)
        From :func:`draw_presence`.
    probs : ndarray of float, shape (zone, group, car, digital, preferred, channel)
        From :func:`simulation.channels.channel_probabilities`.
    rng : numpy.random.Generator
        The run's ``demand`` stream.
    group_factor : ndarray of float, shape (group,), optional
        Multiplier of the seasonal groups' visits this month (the weekday factor of
        :meth:`simulation.params.Segment.weekday_factors`); 1 when not given.
    split_rng : numpy.random.Generator, optional
        The run's ``channel_split`` stream; ``rng`` when not given.
    """
    p = plan.table.n_permanent_groups
    n_z, n_g, _, _, n_ch = probs.shape[:5]
    mean = np.empty((n_z, len(KINDS), 2, 2, 2, n_ch))
    mean[:, 0] = _contract(plan.perm_rates[s], probs[:, :p])
    n_gs = n_g - p
    if n_gs:
        size = n_z * n_gs * 8 * n_ch
        weights = present * plan.s_rate[s]
        if group_factor is not None:
            weights = weights * group_factor[plan.s_group]
        seasonal = np.bincount(plan.s_bin, weights=weights, minlength=size)
        # zone, group, 75+, car, digital, preferred -> zone, car, digital, 75+, group, preferred
        seasonal = seasonal.reshape(n_z, n_gs, 2, 2, 2, n_ch).transpose(0, 3, 4, 2, 1, 5)
        mean[:, 1] = _contract(seasonal.reshape(n_z, 2, 2, 2, -1), probs[:, p:])
    else:
        mean[:, 1] = 0.0
    mean *= month_factor
    return _split(mean, _poisson(mean.sum(axis=-1), rng), rng if split_rng is None else split_rng)


def _split(mean: FloatArray, total: IntArray, rng: np.random.Generator) -> IntArray:
    """Split ``total`` visits of each cell over channels in proportion to ``mean``."""
    out = np.zeros(mean.shape, dtype=np.int64)
    pos = total > 0
    if pos.any():
        m = mean[pos]
        out[pos] = rng.multinomial(total[pos], m / m.sum(axis=-1, keepdims=True))
    return out


def _contract(rates: FloatArray, probs: FloatArray) -> FloatArray:
    """Sum rates x channel probabilities over groups and preferred channels.

    ``rates`` (zone, car, digital, 75+, group x preferred), ``probs`` (zone, group, car,
    digital, preferred, channel); returns (zone, 75+, car, digital, channel).
    """
    n_z, n_g, _, _, n_p, n_ch = probs.shape
    pr = probs.transpose(0, 2, 3, 1, 4, 5).reshape(n_z, 2, 2, n_g * n_p, n_ch)
    out = rates @ pr  # zone, car, digital, 75+, channel
    return out.transpose(0, 3, 1, 2, 4)


def draw_enrolment(
    plan: CellPlan, s: int, month_factor: float, share: FloatArray, rng: np.random.Generator
) -> IntArray:
    """Places of enrolment service ``s`` by (zone, kind, 75+, car, digital, channel).

    All places are in person. Eligible seasonal residents are present with their
    group's ``share``; each eligible present person holds a place with the pool's mean
    probability (a binomial per pool, drawn where it holds persons).
    """
    pool = plan.enrolment[s]
    p = plan.table.n_permanent_groups
    n = pool.pooled.copy()
    if n.shape[1] > 1:
        seasonal = n[:, 1:]
        has = seasonal > 0
        probs = np.broadcast_to(share[p:][None, :, None, None, None], seasonal.shape)
        seasonal[has] = rng.binomial(seasonal[has], probs[has])
    prob = place_probability(pool, month_factor)
    places = np.zeros_like(n)
    has = n > 0
    places[has] = rng.binomial(n[has], prob[has])
    old = by_75(places, axis=2)  # zone, pool, 75+, car, digital
    out = np.zeros((n.shape[0], len(KINDS), 2, 2, 2, len(CHANNELS)), dtype=np.int64)
    out[:, 0, ..., IN_PERSON] = old[:, 0]
    out[:, 1, ..., IN_PERSON] = old[:, 1:].sum(axis=1)
    return out
