"""Cohort-component projection of many sample paths in chunks, reduced as it goes.

:func:`forecasting.cohort.project` keeps every sample path, component and rate
in memory: 1,000 paths of 309 areas x 2 sexes x 101 ages x 31 years are 15 GB
per float64 array. :func:`project_chunked` runs the same one-year step
(:func:`forecasting.cohort.advance`, so the same accounting) over chunks of
samples, in ``float32`` by default, with rates that only need to *broadcast* to
their full shape (a sample path of TFR can be a (sample, 1, year, 1) factor
times a fixed age schedule), and hands each chunk's population to a
``reduce`` function (e.g. service age-group totals), so the peak memory is one
chunk's.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from forecasting.cohort import advance
from forecasting.errors import ProjectionError
from forecasting.types import AGES, DEFAULT_SEX_RATIO_AT_BIRTH, SEXES

__all__ = ["project_chunked"]

_NDIM = {
    "death_probability": 5,
    "infant_death_probability": 4,
    "fertility_rate": 4,
    "net_migration_rate": 5,
}
"""Dims of each rate: (sample, area, year, sex, age) less sex or age where absent."""


def _slice(rate: np.ndarray, samples: slice, t: int) -> np.ndarray:
    """Slice the chunk's samples and year ``t``, keeping size-1 broadcast dims."""
    chunk = rate[samples] if rate.shape[0] > 1 else rate
    return chunk[:, :, t] if rate.shape[2] > 1 else chunk[:, :, 0]


def project_chunked(
    base_population: np.ndarray,
    rates: dict[str, np.ndarray],
    n_years: int,
    reduce: Callable[[np.ndarray], np.ndarray],
    n_samples: int,
    chunk_size: int = 10,
    dtype: type = np.float32,
    sex_ratio_at_birth: float = DEFAULT_SEX_RATIO_AT_BIRTH,
) -> np.ndarray:
    """Project ``n_samples`` paths chunk by chunk and stack the reduced chunks.

    Parameters
    ----------
    base_population : numpy.ndarray, shape (area, sex, age)
        Persons on 31.12 of the base year; sex in ``SEXES`` order, ages 0..100.
    rates : dict of str to numpy.ndarray
        ``death_probability`` and ``net_migration_rate`` (sample, area, year,
        sex, age), ``infant_death_probability`` (sample, area, year, sex),
        ``fertility_rate`` (sample, area, year, age); every dim may have size
        1 (broadcast). Units as in :func:`forecasting.cohort.advance`.
    n_years : int
        Projected years.
    reduce : callable
        Maps a chunk's population (chunk, area, year, sex, age), persons on
        31.12 of each projected year, to an array with the chunk's samples first.
    n_samples : int
        Sample paths in total.
    chunk_size : int, default 10
        Samples projected at once (small chunks stay in the CPU cache).
    dtype : numpy dtype, default numpy.float32
        Floating type of the projection.
    sex_ratio_at_birth : float, default 1.05
        Males born per female.

    Returns
    -------
    numpy.ndarray
        The reduced chunks concatenated along the first (sample) axis.

    Raises
    ------
    ProjectionError
        If a rate has the wrong number of dims or a size that does not broadcast.

    Examples
    --------
    Two samples whose mortality differs, reduced to total population by year:

    >>> base = np.zeros((1, 2, 101)); base[0, :, 50] = 100
    >>> rates = {"death_probability": np.array([0.0, 0.1]).reshape(2, 1, 1, 1, 1),
    ...          "infant_death_probability": np.zeros((1, 1, 1, 1)),
    ...          "fertility_rate": np.zeros((1, 1, 1, 1)),
    ...          "net_migration_rate": np.zeros((1, 1, 1, 1, 1))}
    >>> out = project_chunked(base, rates, 2, lambda p: p.sum(axis=(1, 3, 4)), 2, chunk_size=1)
    >>> out.round(1).tolist()
    [[200.0, 200.0], [180.0, 162.0]]
    >>> project_chunked(base, {**rates, "fertility_rate": np.zeros(3)}, 2, np.sum, 2)
    Traceback (most recent call last):
    ...
    forecasting.errors.ProjectionError: fertility_rate must have 4 dims, got shape (3,)
    """
    n_areas = base_population.shape[0]
    full = {"sample": n_samples, "area": n_areas, "year": n_years}
    for name, ndim in _NDIM.items():
        rate = np.asarray(rates[name])
        if rate.ndim != ndim:
            raise ProjectionError(f"{name} must have {ndim} dims, got shape {rate.shape}")
        for size, (dim, want) in zip(rate.shape[:3], full.items(), strict=True):
            if size not in (1, want):
                raise ProjectionError(f"{name}: {dim} has size {size}, expected 1 or {want}")
    if base_population.shape != (n_areas, len(SEXES), len(AGES)):
        shape = base_population.shape
        raise ProjectionError(f"base_population must be (area, 2, 101), got {shape}")
    typed = {name: np.asarray(rates[name], dtype=dtype) for name in _NDIM}
    parts = []
    for start in range(0, n_samples, chunk_size):
        samples = slice(start, min(start + chunk_size, n_samples))
        size = samples.stop - samples.start
        current = np.broadcast_to(base_population.astype(dtype), (size, *base_population.shape))
        population = np.empty((size, n_areas, n_years, len(SEXES), len(AGES)), dtype=dtype)
        for t in range(n_years):
            step = advance(
                current,
                *(_slice(typed[name], samples, t) for name in _NDIM),
                sex_ratio_at_birth,
            )
            current = population[:, :, t] = step.population
        parts.append(reduce(population))
    return np.concatenate(parts, axis=0)
