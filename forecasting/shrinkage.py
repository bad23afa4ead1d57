"""Empirical-Bayes shrinkage of area migration levels toward the region.

An area's net migration level (its rate minus the region's, per person per
year) is estimated from a few noisy years; in a small area one family moving
is a large rate. With the area means ``m_a`` of ``k`` yearly levels and their
sampling variances ``v_a = s_a^2 / k`` (``s_a^2`` the variance of the yearly
levels, larger in small areas), the between-area variance is estimated by the
method of moments, ``tau^2 = max(var(m) - mean(v), 0)``, and each mean is
shrunk toward the region (level 0) with the weight ``w_a = tau^2 / (tau^2 +
v_a)``: a large, steady area keeps its own level, a small, erratic one moves
towards the regional rate (James-Stein / Morris 1983 style; statsmodels has no
hierarchical pooling). Fewer than 3 areas give no estimate of ``tau^2``: the
levels are then kept (weights 1).
"""

from __future__ import annotations

import numpy as np

from forecasting.errors import ProjectionError
from forecasting.types import FloatArray

__all__ = ["shrink_toward_region", "shrinkage_weights"]


def shrinkage_weights(means: FloatArray, variances: FloatArray) -> FloatArray:
    """Weight of each area's own mean, ``tau^2 / (tau^2 + v_a)``.

    Parameters
    ----------
    means : numpy.ndarray, shape (area,)
        Area means (per person per year).
    variances : numpy.ndarray, shape (area,)
        Sampling variances of the means (same units squared), >= 0.

    Returns
    -------
    numpy.ndarray, shape (area,)
        Weights in [0, 1]; all 1 with fewer than 3 areas.

    Examples
    --------
    >>> shrinkage_weights(np.array([0.01, -0.01, 0.0]), np.array([0.0, 0.0001, 0.0]))
    array([1. , 0.4, 1. ])
    """
    means = np.asarray(means, dtype=float)
    variances = np.asarray(variances, dtype=float)
    if means.shape != variances.shape or np.any(variances < 0):
        raise ProjectionError("means and variances must match in shape, variances >= 0")
    if means.size < 3:
        return np.ones_like(means)
    tau2 = max(float(np.var(means, ddof=1) - variances.mean()), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        weights = np.where(tau2 + variances > 0, tau2 / (tau2 + variances), 1.0)
    return weights


def shrink_toward_region(yearly_levels: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Shrink each area's mean yearly level toward the regional level 0.

    Parameters
    ----------
    yearly_levels : numpy.ndarray, shape (area, year)
        Yearly migration levels relative to the region, per person per year;
        at least 2 years.

    Returns
    -------
    shrunk : numpy.ndarray, shape (area,)
        ``w_a * mean_a``.
    weights : numpy.ndarray, shape (area,)
        The weights ``w_a``.

    Examples
    --------
    Three steady areas and an erratic one (mean level 0.01):

    >>> levels = np.array([[0.021, 0.020, 0.019], [-0.021, -0.020, -0.019],
    ...                    [0.001, 0.0, -0.001], [0.03, -0.01, 0.01]])
    >>> shrunk, w = shrink_toward_region(levels)
    >>> w.round(2).tolist(), shrunk.round(4).tolist()
    ([1.0, 1.0, 1.0, 0.66], [0.02, -0.02, 0.0, 0.0066])
    """
    levels = np.asarray(yearly_levels, dtype=float)
    if levels.ndim != 2 or levels.shape[1] < 2:
        raise ProjectionError(f"yearly_levels must be (area, year >= 2), got {levels.shape}")
    means = levels.mean(axis=1)
    variances = levels.var(axis=1, ddof=1) / levels.shape[1]
    weights = shrinkage_weights(means, variances)
    return weights * means, weights
