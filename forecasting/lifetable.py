"""Life expectancy from one-year death probabilities, and its calibration.

The death probabilities of a projection are *period-cohort* probabilities (see
:mod:`forecasting.cohort`): ``q[a]`` is the probability that a person aged ``a``
in completed years on 31.12 dies during the next calendar year, and the infant
probability ``q_birth`` is the probability of dying in the calendar year of
birth. :func:`life_expectancy` reads such a schedule as the life of a synthetic
cohort:

- with ``infant_q``: a newborn is born on average at mid-year, so it lives on
  average half a year in its year of birth, exposed to ``infant_q``; then one
  full year at each age ``0, 1, ...`` exposed to ``q[0], q[1], ...``;
- deaths fall on average in the middle of each interval, so a year (or half
  year) contributes ``length * (1 - q/2)`` person-years per person alive at its
  start;
- the last age is open: a constant ``q_open`` each year gives
  ``l_open * (1 - q_open/2) / q_open`` person-years (geometric series).

Without ``infant_q`` this is the ordinary single-year life table with
``a_x = 0.5`` and a geometric open interval.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from forecasting.errors import CalibrationError
from forecasting.types import FloatArray

__all__ = ["life_expectancy", "mortality_factor"]


def life_expectancy(q: FloatArray, infant_q: FloatArray | float | None = None) -> FloatArray:
    """Life expectancy at birth (years) of a schedule of death probabilities.

    Parameters
    ----------
    q : array_like of float, shape (..., n_ages)
        One-year death probabilities per person, ages ``0 .. n_ages - 1`` along the
        last axis; the last age is open and needs ``0 < q <= 1``.
    infant_q : float or array_like of shape (...), optional
        Probability of dying in the calendar year of birth. When given, the
        first half year of life is added as described in the module docstring.

    Returns
    -------
    numpy.ndarray or float
        Life expectancy at birth in years, shape (...).

    Raises
    ------
    ValueError
        If a probability lies outside [0, 1] or the open-age probability is 0.

    Examples
    --------
    A constant ``q`` gives ``(1 - q/2) / q`` whatever the number of ages:

    >>> round(float(life_expectancy(np.full(5, 0.2))), 12)
    4.5
    >>> float(life_expectancy([0.5, 1.0]))  # 0.75 + 0.5 * 0.5
    1.0
    >>> round(float(life_expectancy(np.full(5, 0.2), infant_q=0.2)), 12)  # 0.45 + 0.8 * 4.5
    4.05
    >>> life_expectancy([0.1, 0.0])
    Traceback (most recent call last):
    ...
    ValueError: the open age group needs a death probability > 0
    """
    q = np.asarray(q, dtype=float)
    if np.any((q < 0) | (q > 1)) or np.any(np.isnan(q)):
        raise ValueError("death probabilities must lie in [0, 1]")
    q_open = q[..., -1]
    if np.any(q_open <= 0):
        raise ValueError("the open age group needs a death probability > 0")
    alive = np.cumprod(1.0 - q[..., :-1], axis=-1)
    start = np.concatenate([np.ones_like(q[..., :1]), alive], axis=-1)  # l_x
    closed = (start[..., :-1] * (1.0 - q[..., :-1] / 2.0)).sum(axis=-1)
    opened = start[..., -1] * (1.0 - q_open / 2.0) / q_open
    e0 = closed + opened
    if infant_q is not None:
        q_b = np.asarray(infant_q, dtype=float)
        if np.any((q_b < 0) | (q_b > 1)):
            raise ValueError("the infant death probability must lie in [0, 1]")
        e0 = 0.5 * (1.0 - q_b / 2.0) + (1.0 - q_b) * e0
    return e0


def mortality_factor(
    q: FloatArray, infant_q: float, target_e0: float, bounds: tuple[float, float] = (1e-4, 1e3)
) -> float:
    """Constant factor k such that ``min(k q, 1)`` has life expectancy ``target_e0``.

    Solved with :func:`scipy.optimize.brentq`; life expectancy falls as k grows.

    Parameters
    ----------
    q : array_like of float, shape (n_ages,)
        Death probabilities by age, last age open (see :func:`life_expectancy`).
    infant_q : float
        Probability of dying in the calendar year of birth, scaled by the same k.
    target_e0 : float
        Life expectancy at birth to reach, years.
    bounds : tuple of float, default (1e-4, 1e3)
        Search interval for k.

    Returns
    -------
    float
        The factor k (dimensionless).

    Raises
    ------
    CalibrationError
        If ``target_e0`` cannot be reached within ``bounds``.

    Examples
    --------
    >>> q = np.full(101, 0.02)
    >>> k = mortality_factor(q, 0.002, target_e0=40.0)
    >>> round(float(life_expectancy(np.minimum(k * q, 1), infant_q=k * 0.002)), 6)
    40.0
    >>> mortality_factor(q, 0.002, target_e0=0.1)
    Traceback (most recent call last):
    ...
    forecasting.errors.CalibrationError: e0 0.1 years is outside the reachable range ...
    """
    q = np.asarray(q, dtype=float)

    def gap(k: float) -> float:
        scaled = np.minimum(k * q, 1.0)
        return float(life_expectancy(scaled, min(k * infant_q, 1.0))) - target_e0

    low, high = bounds
    if not gap(low) > 0 > gap(high):
        reach = (gap(high) + target_e0, gap(low) + target_e0)
        raise CalibrationError(
            f"e0 {target_e0:g} years is outside the reachable range "
            f"{reach[0]:.1f}-{reach[1]:.1f} years for factors {low:g}-{high:g}"
        )
    return float(brentq(gap, low, high, xtol=1e-12, rtol=1e-14))
