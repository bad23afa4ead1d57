"""Migration level of the projected years after the jump-off year.

The first projected year's migration level ``L_1`` follows the latest years'
population change (:func:`forecasting.rates.assume_rates`, ``recent_period``).
With ``recent_age_years`` its age-sex pattern is the region's net migration
schedule of the latest years rather than the base period's, moving back at the
same rate (:func:`damped_schedules`): the young adults and children who move in a
given year are then where they were lately, not where they were 15 years back.
With a reference population (the country the areas belong to) the weighted mean
of the recent growth rates is shifted by :func:`national_shift`, the country's
latest growth rate minus its own weighted mean over the same years: the areas'
migration moves together, the whole country's series is smooth enough for its
latest year to tell, while an area's own latest year is noisy (it keeps its
weighted mean deviation from the country).

Each later year moves back toward a long-run level. Two ways are offered:

- ``base``: toward the base period's level ``L`` at a fixed rate,
  ``L_t = L + (L_1 - L) * damping ** (t - 1)``.
- ``ar1``: a mean-reverting AR(1) (ARIMA(1,0,0)) fitted to the area's yearly
  levels over the base period (:class:`statsmodels.tsa.ar_model.AutoReg`,
  conditional least squares): the fitted mean ``mu`` is the target and the fitted
  coefficient ``phi`` (clipped to 0..1) the rate,
  ``L_t = mu + (L_1 - mu) * phi ** (t - 1)``. A region whose migration swings
  for several years then keeps more of its jump-off level than one whose years
  alternate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.cohort import Step
from forecasting.errors import CalibrationError, ProjectionError
from forecasting.types import FloatArray

__all__ = [
    "ar1_parameters",
    "damped_levels",
    "damped_schedules",
    "jump_off_change",
    "national_shift",
    "recent_change",
    "recent_weights",
    "yearly_changes",
    "yearly_levels",
]


def damped_levels(
    target: FloatArray, first_level: FloatArray, horizon: int, damping: FloatArray | float
) -> FloatArray:
    """Level (area, year): ``first_level`` in year 1, then back toward ``target``.

    ``L_t = target + (L_1 - target) * damping ** (t - 1)``, per area.

    Parameters
    ----------
    target : numpy.ndarray, shape (area,)
        Long-run level, per person per year.
    first_level : numpy.ndarray, shape (area,)
        First projected year's level.
    horizon : int
        Number of projected years.
    damping : float or numpy.ndarray, shape (area,)
        Share of the deviation kept each further year, 0..1.

    Returns
    -------
    numpy.ndarray, shape (area, horizon)

    Examples
    --------
    >>> damped_levels(np.array([0.0]), np.array([0.04]), 3, np.array([0.5])).tolist()
    [[0.04, 0.02, 0.01]]
    """
    rate = np.broadcast_to(np.asarray(damping, dtype=float), np.shape(target))
    if np.any(~((rate >= 0.0) & (rate <= 1.0))):
        raise ProjectionError(f"damping must lie in [0, 1], got {rate.tolist()}")
    weight = rate[:, None] ** np.arange(horizon)[None, :]
    return target[:, None] + (first_level - target)[:, None] * weight


def ar1_parameters(yearly_levels: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Mean and clipped AR(1) coefficient of each area's yearly levels.

    Parameters
    ----------
    yearly_levels : numpy.ndarray, shape (area, year)
        Yearly migration levels over the base period (at least 4 years).

    Returns
    -------
    mu, phi : numpy.ndarray, shape (area,)
        ``mu = c / (1 - phi)`` from the fitted constant ``c`` (the series' mean
        where ``phi`` is clipped or the series is constant); ``phi`` in [0, 1].

    Raises
    ------
    ProjectionError
        If fewer than 4 years are given.

    Examples
    --------
    >>> mu, phi = ar1_parameters(np.array([[1.0, 1.0, 1.0, 1.0, 1.0]]))
    >>> mu.tolist(), phi.tolist()
    ([1.0], [0.0])
    """
    from statsmodels.tsa.ar_model import AutoReg  # only here: keeps rates.py's import light

    levels = np.atleast_2d(np.asarray(yearly_levels, dtype=float))
    if levels.shape[1] < 4:
        raise ProjectionError(f"the AR(1) jump-off needs >= 4 yearly levels, got {levels.shape[1]}")
    mu = levels.mean(axis=1)
    phi = np.zeros(len(levels))
    for i, series in enumerate(levels):
        if np.ptp(series) <= 1e-12 * max(1.0, float(np.abs(series).max())):
            continue  # constant: nothing to revert
        fitted = AutoReg(series, lags=1, trend="c").fit()
        const, coef = (float(v) for v in fitted.params)
        if 0.0 <= coef < 1.0:
            phi[i], mu[i] = coef, const / (1.0 - coef)
        elif coef >= 1.0:
            phi[i] = 1.0
    return mu, phi


def recent_weights(n_years: int, decay: float | None) -> FloatArray:
    """Weights of the last ``n_years`` yearly changes, oldest first, summing to 1.

    The latest year weighs 1 and each earlier one ``decay`` times the next;
    ``None`` gives equal weights.

    Examples
    --------
    >>> recent_weights(3, 0.5).round(3).tolist()
    [0.143, 0.286, 0.571]
    """
    raw = np.ones(n_years) if decay is None else float(decay) ** np.arange(n_years)[::-1]
    return raw / raw.sum()


def national_shift(
    reference: pd.Series, base_year: int, n_years: int, decay: float | None
) -> float:
    """Latest growth rate of the reference population minus its recent weighted mean.

    Parameters
    ----------
    reference : pandas.Series
        Population on 31.12 by year (index) of the whole the areas belong to.
    base_year : int
        The launch year ``T``.
    n_years : int
        Years of change weighed (``T - n_years + 1 .. T``), as the areas' own.
    decay : float or None
        As in :func:`recent_weights`.

    Returns
    -------
    float
        ``g_T - sum_k w_k g_k`` per person per year (0 for ``n_years = 1``), where
        ``g_t`` is the reference's change in year ``t`` over its population at ``t-1``.

    Raises
    ------
    ProjectionError
        If the reference lacks a year ``T - n_years .. T``.

    Examples
    --------
    >>> ref = pd.Series([100.0, 101.0, 103.0], index=[2000, 2001, 2002])
    >>> round(national_shift(ref, 2002, 2, None), 6)  # 0.0198 - (0.01 + 0.0198) / 2
    0.004901
    """
    wanted = np.arange(base_year - n_years, base_year + 1)
    series = reference.reindex(wanted).to_numpy(dtype=float)
    if np.isnan(series).any():
        missing = wanted[np.isnan(series)].tolist()
        raise ProjectionError(f"the reference (national) population lacks the years {missing}")
    growth = np.diff(series) / series[:-1]
    return float(growth[-1] - growth @ recent_weights(n_years, decay))


def recent_change(
    history: pd.DataFrame,
    areas: list[str],
    window: tuple[int, int],
    decay: float | None,
    mean: FloatArray,
) -> FloatArray:
    """Weighted mean yearly change over ``window``: the latest year 1, earlier ``decay**k``.

    Years missing from an area's history leave their change out (weights
    renormalised); an area without two consecutive years in the window, or
    ``decay=None``, gets its plain ``mean`` change.

    Parameters
    ----------
    history : pandas.DataFrame
        Columns ``area, year, population`` (persons on 31.12).
    areas : list of str
        Areas, in the order of the result.
    window : tuple of int
        First and last year of the changes.
    decay : float or None
        As in :func:`recent_weights`.
    mean : numpy.ndarray, shape (area,)
        The plain mean change over the window (persons/year).

    Returns
    -------
    numpy.ndarray, shape (area,)
        Persons per year.
    """
    if decay is None:
        return mean
    hist = history.assign(area=history["area"].astype(str), year=history["year"].astype(int))
    wanted = np.arange(window[0] - 1, window[1] + 1)
    weights = float(decay) ** np.arange(len(wanted) - 1)[::-1]
    out = np.array(mean, dtype=float, copy=True)
    for i, area in enumerate(areas):
        rows = hist[(hist["area"] == area) & hist["year"].isin(wanted)]
        change = np.diff(rows.set_index("year")["population"].reindex(wanted).to_numpy(float))
        known = ~np.isnan(change)
        if known.any():
            out[i] = change[known] @ (weights[known] / weights[known].sum())
    return out


def damped_schedules(
    base: FloatArray, latest: FloatArray, horizon: int, damping: float
) -> FloatArray:
    """Net migration schedule (year, sex, age): ``latest`` in year 1, back toward ``base``.

    Examples
    --------
    >>> damped_schedules(np.zeros((1, 1)), np.ones((1, 1)), 3, 0.5).ravel().tolist()
    [1.0, 0.5, 0.25]
    """
    weight = float(damping) ** np.arange(horizon)
    return base[None] + (latest - base)[None] * weight[:, None, None]


def jump_off_change(first: Step, migration: FloatArray) -> FloatArray:
    """Change of each area in the first year without the level: births - deaths + migration.

    Parameters
    ----------
    first : forecasting.cohort.Step
        :func:`forecasting.cohort.advance` of the base population with ``migration``.
    migration : numpy.ndarray, shape (sex, age)
        The schedule ``first`` was advanced with.

    Returns
    -------
    numpy.ndarray, shape (area,)
        Persons.
    """
    natural = first.births.sum(axis=-1) - first.deaths.sum(axis=(-2, -1))
    return natural + (migration * first.aged).sum(axis=(-2, -1))


def yearly_changes(history: pd.DataFrame, areas: list[str], window: tuple[int, int]) -> FloatArray:
    """Yearly changes (area, year of the base period), persons/year; every year needed."""
    hist = history.assign(area=history["area"].astype(str), year=history["year"].astype(int))
    wanted = np.arange(window[0] - 1, window[1] + 1)
    out = []
    for area in areas:
        rows = hist[(hist["area"] == area) & hist["year"].isin(wanted)]
        series = rows.set_index("year")["population"].reindex(wanted)
        if series.isna().any():
            raise CalibrationError(
                f"migration shrinkage: history of area {area!r} needs every year "
                f"{wanted[0]}-{wanted[-1]}"
            )
        out.append(np.diff(series.to_numpy(dtype=float)))
    return np.array(out)


def yearly_levels(
    history: pd.DataFrame,
    areas: list[str],
    window: tuple[int, int],
    expected: FloatArray,
    exposed: FloatArray,
) -> FloatArray:
    """Migration level of each year of ``window`` (area, year), per person exposed.

    The yearly change (:func:`yearly_changes`) less the ``expected`` change without
    the area's own level (natural change and regional migration), over ``exposed``.
    """
    changes = yearly_changes(history, areas, window)
    return (changes - np.asarray(expected)[:, None]) / np.asarray(exposed)[:, None]
