"""The daily school trip: its estimate from the travel matrix, and the zones within a limit.

A :class:`TripRule` estimates the daily trip there and back (with waiting) from each
zone to the nearest school with capacity. :func:`trip_verdicts` tells, per month,
zone and service, whether that trip is within the limit in force, and
:func:`trip_share` weights the verdicts by the zones' pupils. Both the service's
compliance (:func:`simulation.standards.standards_dataset`) and the figures by zone
and group (:mod:`simulation.trip_zones`) come from the same verdicts
(:func:`simulation.standards.assess`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.types import BoolArray, FloatArray


@dataclass(frozen=True)
class TripRule:
    """How the daily school trip is estimated from the travel matrix.

    Parameters
    ----------
    minutes : ndarray of float, shape (zone, facility)
        Car minutes from each zone to each facility.
    detour : float
        One-way trip time of school transport / direct car time (>= 1).
    wait_minutes : float
        Waiting for the transport per school day, minutes.
    """

    minutes: np.ndarray
    detour: float
    wait_minutes: float

    def daily_minutes(self, open_: np.ndarray) -> np.ndarray:
        """Daily trip there and back to the nearest of the ``open_`` facilities, by zone.

        Examples
        --------
        >>> rule = TripRule(np.array([[10.0, 50.0], [60.0, 20.0]]), 1.5, 30.0)
        >>> rule.daily_minutes(np.array([True, False])).tolist()
        [60.0, 210.0]
        """
        if not open_.any():
            return np.full(self.minutes.shape[0], np.inf)
        nearest = self.minutes[:, open_].min(axis=1)
        return 2 * self.detour * nearest + self.wait_minutes


def trip_verdicts(rule: TripRule, open_: BoolArray, limit: FloatArray, use: BoolArray) -> BoolArray:
    """Whether each zone's daily trip is within the limit, shape (time, zone, service).

    Pupils go to the nearest facility with capacity for the service that month (as the
    school-transport rule assumes). The trip is computed once per distinct set of open
    facilities.

    Parameters
    ----------
    rule : TripRule
    open_ : ndarray of bool, shape (time, facility, service)
        Facilities with capacity for the service that month.
    limit : ndarray of float, shape (time, service)
        Daily trip limit in force, minutes.
    use : ndarray of bool, shape (time, service)
        Months and services assessed by the trip; False everywhere else in the result.

    Examples
    --------
    >>> rule = TripRule(np.array([[10.0], [100.0]]), 1.0, 0.0)
    >>> open_ = np.ones((1, 1, 1), dtype=bool)
    >>> trip_verdicts(rule, open_, np.array([[150.0]]), np.array([[True]]))[0, :, 0].tolist()
    [True, False]
    """
    out = np.zeros((use.shape[0], rule.minutes.shape[0], use.shape[1]), dtype=bool)
    seen: dict[bytes, np.ndarray] = {}
    for t, s in zip(*np.nonzero(use), strict=True):
        key = open_[t, :, s].tobytes()
        if key not in seen:
            seen[key] = rule.daily_minutes(open_[t, :, s])
        out[t, :, s] = seen[key] <= limit[t, s]
    return out


def trip_share(pupils: FloatArray, within: BoolArray, use: BoolArray) -> FloatArray:
    """Share of pupils whose daily trip is within the limit, by (time, service).

    Parameters
    ----------
    pupils : ndarray of float, shape (time, zone, service)
        Pupils by home zone (``served_zone``).
    within : ndarray of bool, shape (time, zone, service)
        From :func:`trip_verdicts`.
    use : ndarray of bool, shape (time, service)
        Months and services assessed by the trip.

    Returns
    -------
    ndarray of float, shape (time, service); NaN where not assessed or no pupils.

    Examples
    --------
    >>> pupils = np.array([[[1.0], [3.0]]])
    >>> within = np.array([[[True], [False]]])
    >>> trip_share(pupils, within, np.array([[True]])).tolist()
    [[0.25]]
    """
    out = np.full(use.shape, np.nan)
    for t, s in zip(*np.nonzero(use), strict=True):
        zone_pupils = pupils[t, :, s]
        if zone_pupils.sum() > 0:
            out[t, s] = zone_pupils[within[t, :, s]].sum() / zone_pupils.sum()
    return out
