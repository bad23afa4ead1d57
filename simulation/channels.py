"""Channel choice: in person, mobile van, digital or phone, and what vans can take.

For each cell the probability of each channel is: with probability ``loyalty`` the
person's preferred channel if it is available to them, otherwise a channel drawn from
their segment's channel weights among the channels available to them, each weight
scaled by a constant elasticity of the travel time the channel saves (the trip to the
nearest facility, by the person's mode). A mobile van is
available where a running route serves the zone and the service that month; a digital
channel where the model offers one for the service, to the digitally able only,
scaled by its adoption; phone where the service lists it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from simulation.types import CHANNELS, FloatArray, IntArray
from simulation.world import DigitalChannel, MobileRoute, Service

IN_PERSON, MOBILE, DIGITAL, PHONE = (CHANNELS.index(c) for c in CHANNELS)


def route_owner(
    routes: Sequence[MobileRoute],
    month: int,
    zone_ids: tuple[str, ...],
    service_ids: tuple[str, ...],
) -> IntArray:
    """Route serving each (zone, service) in calendar ``month``; -1 where none.

    A zone and service served by several running routes belong to the first.

    Examples
    --------
    >>> r = MobileRoute("van", ("lib",), ("B",), (False,) * 6 + (True,) * 6, 4, 10.0, 0.0)
    >>> route_owner([r], 7, ("A", "B"), ("lib", "health")).tolist()
    [[-1, -1], [0, -1]]
    >>> int(route_owner([r], 1, ("A", "B"), ("lib", "health")).max())
    -1
    """
    owner = np.full((len(zone_ids), len(service_ids)), -1, dtype=np.int64)
    z_ix = {z: i for i, z in enumerate(zone_ids)}
    s_ix = {s: i for i, s in enumerate(service_ids)}
    for r, route in enumerate(routes):
        if not route.runs_in(month):
            continue
        zs = [z_ix[z] for z in route.zones if z in z_ix]
        ss = [s_ix[s] for s in route.services if s in s_ix]
        block = owner[np.ix_(zs, ss)]
        owner[np.ix_(zs, ss)] = np.where(block < 0, r, block)
    return owner


def availability(
    service: Service,
    mobile_zone: np.ndarray,
    digital: DigitalChannel | None,
) -> FloatArray:
    """Availability weight of each channel by (zone, digital skill), shape (zone, 2, 4).

    In person is always available (unserved in-person demand is unmet); mobile where
    ``mobile_zone``; digital for the able (skill 1) at the channel's adoption; phone
    where the service lists the ``phone`` channel.
    """
    n_zones = mobile_zone.shape[0]
    out = np.zeros((n_zones, 2, len(CHANNELS)))
    out[:, :, IN_PERSON] = 1.0
    out[:, :, MOBILE] = np.asarray(mobile_zone, dtype=float)[:, None]
    if digital is not None:
        out[:, 1, DIGITAL] = digital.adoption
    if "phone" in service.channels:
        out[:, :, PHONE] = 1.0
    return out


def distance_factors(
    nearest: FloatArray, elasticity: tuple[float, ...], reference: float, cap: float
) -> FloatArray:
    """Multiplier of each channel's weight by the trip it saves, shape (zone, car, channel).

    A constant elasticity: the weight of channel ``k`` is multiplied by
    ``(t / reference) ** elasticity[k]``, where ``t`` is the travel time (minutes, own
    mode) to the nearest open facility offering the service, clipped to ``[1, cap]``
    (``cap`` also where no facility offers it). At ``t = reference`` the segment's
    weights apply unchanged; elasticity 0 leaves a channel's weight unchanged everywhere.

    Parameters
    ----------
    nearest : ndarray of float, shape (zone, car)
        Minutes to the nearest facility by the row's mode (inf: none).
    elasticity : tuple of float, length 4
        Per channel (in_person, mobile, digital, phone); in_person is 0.
    reference, cap : float
        Reference and maximum travel time, minutes.

    Examples
    --------
    >>> f = distance_factors(np.array([[5.0, 20.0]]), (0, 0, 1.0, 0.5), 10.0, 60.0)
    >>> f[0].round(3).tolist()
    [[1.0, 1.0, 0.5, 0.707], [1.0, 1.0, 2.0, 1.414]]
    """
    t = np.clip(np.nan_to_num(nearest, nan=cap, posinf=cap), 1.0, cap)
    return (t[:, :, None] / reference) ** np.asarray(elasticity, dtype=float)


def channel_probabilities(
    avail: FloatArray, weights: FloatArray, loyalty: float, factors: FloatArray | None = None
) -> FloatArray:
    """Probability of each channel by (zone, group, car, digital, preferred channel).

    Parameters
    ----------
    avail : ndarray of float, shape (zone, 2, channel)
        From :func:`availability`.
    weights : ndarray of float, shape (group, channel)
        Segment channel weights (in-person weight > 0).
    loyalty : float
        Probability of using the preferred channel when it is available.
    factors : ndarray of float, shape (zone, car, channel), optional
        Multipliers of the weights by travel time, from :func:`distance_factors`;
        none when not given.

    Returns
    -------
    ndarray of float, shape (zone, group, car, digital, channel, channel)
        Last axis: channel used; it sums to 1.

    Examples
    --------
    >>> avail = np.array([[[1.0, 0, 0, 0], [1.0, 0, 1.0, 0]]])
    >>> p = channel_probabilities(avail, np.array([[1.0, 0, 1.0, 0]]), 0.5)
    >>> p[0, 0, 0, 0, 2].tolist(), p[0, 0, 0, 1, 2].tolist()
    ([1.0, 0.0, 0.0, 0.0], [0.25, 0.0, 0.75, 0.0])
    """
    n_z, _, n_ch = avail.shape
    if factors is None:
        factors = np.ones((n_z, 2, n_ch))
    # zone, group, car, digital, channel
    w = weights[None, :, None, None, :] * factors[:, None, :, None, :] * avail[:, None, None]
    w = w / w.sum(axis=-1, keepdims=True)
    pref_ok = loyalty * avail[:, None, None, :, :]  # zone, 1, 1, digital, preferred
    eye = np.eye(n_ch)[None, None, None, None, :, :]
    return pref_ok[..., None] * eye + (1.0 - pref_ok)[..., None] * w[:, :, :, :, None, :]


def allocate_mobile(
    requests: IntArray,
    owner: IntArray,
    routes: Sequence[MobileRoute],
    rng: np.random.Generator,
) -> IntArray:
    """Visits each running route takes, within its monthly capacity.

    Parameters
    ----------
    requests : ndarray of int, shape (service, zone, car)
        Visits choosing the mobile channel.
    owner : ndarray of int, shape (zone, service)
        From :func:`route_owner`.
    routes : sequence of MobileRoute
    rng : numpy.random.Generator
        The run's ``channels`` stream; picks which visits a full van takes.

    Returns
    -------
    ndarray of int, shape (service, zone, car)
        Visits served by vans; the rest spill to in-person.

    Examples
    --------
    >>> r = MobileRoute("van", ("s",), ("A",), (True,) * 12, 4, 5.0, 0.0)
    >>> req = np.array([[[4, 6]]])
    >>> int(allocate_mobile(req, np.array([[0]]), [r], np.random.default_rng(0)).sum())
    5
    """
    served = np.zeros_like(requests)
    by_route = owner.T[:, :, None]  # service, zone, 1
    for r, route in enumerate(routes):
        mine = np.broadcast_to(by_route == r, requests.shape)
        if not mine.any():
            continue
        wanted = requests[mine]
        cap = int(np.floor(route.capacity_per_month))
        if wanted.sum() <= cap:
            served[mine] = wanted
        else:
            served[mine] = rng.multivariate_hypergeometric(wanted, cap)
    return served
