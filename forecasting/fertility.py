"""Pooled models of the log total fertility rate (TFR) for the sample paths.

**Random walk** (:func:`walk_paths`, ``forecast.tfr_model=random_walk``): the log
TFR moves on from the launch year's by yearly steps whose standard deviation is
pooled over every region of the table (:func:`pooled_step_sd`).

**Local level** (:func:`level_paths`, compared in ``docs/research/fertility_models.py``,
not an option): the log TFR is a level plus yearly noise::

    x[t] = level[t] + noise[t],       noise ~ N(0, noise_var)
    level[t] = level[t-1] + step[t],  step ~ N(0, level_var)

Both variances are estimated once, pooled over every region of the table, by the
method of moments on the yearly changes ``d[t] = x[t] - x[t-1]``:
``E[d^2] = level_var + 2 noise_var`` and ``E[d[t] d[t-1]] = -noise_var``. A single
region's 20-30 years cannot tell a persistent shift from yearly noise; 19 regions
together can. The level at launch is the Kalman-filtered one
(statsmodels ``UnobservedComponents``), with its uncertainty.

Unlike yearly noise, a step (of the walk or of the level) persists: the mean TFR over
the several birth years that make up the 0-6 age group varies nearly as much as one
year's, which is what the group's interval needs.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.tsa.statespace.structural import UnobservedComponents

from forecasting.errors import CalibrationError
from forecasting.types import FloatArray

__all__ = ["LevelVariances", "level_paths", "pooled_step_sd", "pooled_variances", "walk_paths"]

#: Smallest level variance used (log TFR per year squared), so paths always spread.
MIN_LEVEL_VAR = 1e-6


@dataclass(frozen=True)
class LevelVariances:
    """Pooled variances of the local-level model of log TFR (per year).

    Attributes
    ----------
    level : float
        Variance of the yearly step of the level.
    noise : float
        Variance of the yearly noise around the level.
    n_changes : int
        Number of yearly changes pooled.
    """

    level: float
    noise: float
    n_changes: int


def pooled_variances(log_tfr: pd.DataFrame) -> LevelVariances:
    """Method-of-moments variances from yearly changes pooled over the columns (regions).

    Parameters
    ----------
    log_tfr : pandas.DataFrame
        Log TFR, index consecutive years, one column per region (NaN = no data).

    Returns
    -------
    LevelVariances
        ``noise = max(-cov(d[t], d[t-1]), 0)`` and
        ``level = max(E[d^2] - 2 noise, MIN_LEVEL_VAR)``.

    Raises
    ------
    CalibrationError
        With fewer than 10 pairs of successive yearly changes.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> level = np.cumsum(rng.normal(0, 0.03, (400, 20)), axis=0)
    >>> v = pooled_variances(pd.DataFrame(level + rng.normal(0, 0.02, (400, 20))))
    >>> round(v.level ** 0.5, 2), round(v.noise ** 0.5, 2)
    (0.03, 0.02)
    """
    d = log_tfr.sort_index().diff()
    pairs = (d * d.shift(1)).stack()
    if len(pairs) < 10:
        raise CalibrationError(f"TFR: needs 10 pairs of yearly changes to pool, has {len(pairs)}")
    square = float((d**2).stack().mean())
    noise = max(-float(pairs.mean()), 0.0)
    return LevelVariances(max(square - 2 * noise, MIN_LEVEL_VAR), noise, int(d.count().sum()))


def _filtered_level(log_tfr: FloatArray, v: LevelVariances) -> tuple[float, float]:
    """Mean and variance of the level in the last year, given the pooled variances."""
    model = UnobservedComponents(np.asarray(log_tfr, dtype=float), level="llevel")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = model.smooth([v.noise, v.level])
    return float(result.filtered_state[0, -1]), float(result.filtered_state_cov[0, 0, -1])


def level_paths(
    log_tfr: FloatArray,
    variances: LevelVariances,
    horizon: int,
    n: int,
    rng: np.random.Generator,
    scale: float = 1.0,
) -> FloatArray:
    """Paths of the log TFR, shape (n, horizon), from the pooled local-level model.

    Parameters
    ----------
    log_tfr : numpy.ndarray
        The region's observed log TFR up to the launch year.
    variances : LevelVariances
        Pooled variances (:func:`pooled_variances`).
    horizon, n : int
        Years ahead and number of paths.
    rng : numpy.random.Generator
        Source of every draw.
    scale : float, default 1.0
        Factor on the standard deviation of the level's steps (and of the launch
        level's uncertainty); the yearly noise is kept.

    Returns
    -------
    numpy.ndarray
        Each path's median is the filtered launch level at every horizon.
    """
    mean, var = _filtered_level(log_tfr, variances)
    start = rng.normal(0.0, scale * np.sqrt(var), (n, 1))
    steps = rng.normal(0.0, scale * np.sqrt(variances.level), (n, horizon))
    noise = rng.normal(0.0, np.sqrt(variances.noise), (n, horizon))
    return mean + start + np.cumsum(steps, axis=1) + noise


def pooled_step_sd(log_tfr: pd.DataFrame) -> float:
    """Root mean square of the yearly changes of log TFR, pooled over the columns (regions).

    The standard deviation of the random walk's yearly step (no drift: the
    changes are not demeaned).

    Raises
    ------
    CalibrationError
        With fewer than 10 yearly changes.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> walk = np.cumsum(rng.normal(0, 0.04, (500, 19)), axis=0)
    >>> round(pooled_step_sd(pd.DataFrame(walk)), 3)
    0.04
    """
    changes = log_tfr.sort_index().diff().stack()
    if len(changes) < 10:
        raise CalibrationError(f"TFR: needs 10 yearly changes to pool, has {len(changes)}")
    return float(np.sqrt((changes**2).mean()))


def walk_paths(
    last: float, step_sd: float, horizon: int, n: int, rng: np.random.Generator
) -> FloatArray:
    """Random-walk paths of the log TFR, shape (n, horizon), from the launch year's ``last``.

    Every path's median is ``last`` at every horizon; a step persists, so the mean
    over several years varies about as much as one year.
    """
    return last + np.cumsum(rng.normal(0.0, step_sd, (n, horizon)), axis=1)
