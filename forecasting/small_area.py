"""Hamilton-Perry projection of small areas, controlled to independent totals.

Hamilton & Perry (1962) need only age-sex distributions: with ages in bands of
``w`` years (``w = 1``: single ages) and steps of ``w`` years,

- **cohort-change ratios** ``CCR[b] = P(b + 1, t) / P(b, t - w)`` carry each
  band forward; the last, open band takes ``P(B, t) / (P(B - 1, t - w) + P(B, t - w))``;
- **child-woman ratios** ``CWR = P(0, t) / W(t)`` by sex give the first band
  from the women ``W`` in the bands within ages 15-49.

The ratios are measured over the ``base_period`` years up to the launch year
``T`` as ratios of sums over the period (robust to empty cells), **smoothed**
over ``smooth`` neighbouring bands (a centred moving average; Wilson &
Grossman 2022 found smoothing and control among the most useful adjustments),
and the projection is optionally **controlled to independent totals** (area,
year): every age-sex cell of an area and year is scaled so that the area adds
up to the given total (Tayman, Swanson & Baker 2021), e.g. a totals forecast
or the areas' share of a regional cohort-component projection.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from forecasting.errors import ProjectionError
from forecasting.types import AGE, AREA, YEAR, FloatArray

__all__ = ["control_to_totals", "hamilton_perry"]

_FERTILE = (15, 49)


def _smooth(ratios: FloatArray, window: int) -> FloatArray:
    """Centred moving average over the last axis; the ends use what is available."""
    if window <= 1:
        return ratios
    kernel = np.ones(window)
    pad = window // 2
    ones = np.ones(ratios.shape[-1])
    weight = np.convolve(ones, kernel, mode="full")[pad : pad + ones.size]
    smoothed = np.apply_along_axis(
        lambda r: np.convolve(r, kernel, mode="full")[pad : pad + r.size], -1, ratios
    )
    return smoothed / weight


def _ratios(values: FloatArray, starts: FloatArray, width: int, base_period: int, smooth: int):
    """CCR (area, sex, band-1) and CWR (area, sex) from (area, year, sex, band) values."""
    n_years = values.shape[1]
    pairs = [t for t in range(n_years - base_period, n_years) if t - width >= 0]
    if not pairs:
        raise ProjectionError(f"history needs more than {width} years for Hamilton-Perry")
    now = values[:, pairs]
    before = values[:, [t - width for t in pairs]]
    inflow = before[..., :-1].copy()
    inflow[..., -1] += before[..., -1]  # the open band gathers the last two
    entering = inflow.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ccr = np.where(entering > 0, now[..., 1:].sum(axis=1) / entering, 0.0)
    ccr[..., :-1] = _smooth(ccr[..., :-1], smooth)
    fertile = (starts >= _FERTILE[0]) & (starts + width - 1 <= _FERTILE[1])
    women = now[:, :, 0][..., fertile].sum(axis=(1, 2))  # female is sex 0
    with np.errstate(divide="ignore", invalid="ignore"):
        cwr = np.where(women[:, None] > 0, now[..., 0].sum(axis=1) / women[:, None], 0.0)
    return ccr, cwr, fertile


def hamilton_perry(
    history: xr.DataArray,
    steps: int,
    base_period: int = 5,
    smooth: int = 3,
    totals: xr.DataArray | None = None,
) -> xr.DataArray:
    """Project population by area, sex and age band with Hamilton-Perry ratios.

    Parameters
    ----------
    history : xarray.DataArray
        Dims (area, year, sex, age): persons on 31.12.; sex ``female`` first;
        ``age`` holds the band starts, equally spaced by the width ``w`` (1 for
        single ages), the last band open. Years consecutive; the launch year is
        the last.
    steps : int
        Projection steps of ``w`` years each.
    base_period : int, default 5
        Years up to the launch year whose ratios are pooled (>= ``w`` + 1 years).
    smooth : int, default 3
        Bands in the moving average over the cohort-change ratios (1: none).
    totals : xarray.DataArray, optional
        Independent totals (area, year) to control to; must cover the projected years.

    Returns
    -------
    xarray.DataArray
        Dims (area, year, sex, age) for the years ``T + w, ..., T + steps w``.

    Raises
    ------
    ProjectionError
        If the bands are uneven, the history too short or totals missing.

    Examples
    --------
    One area, single ages 0-3 (3 open), the same structure every year: the
    ratios carry it forward, and as no one is of fertile age (15-49) nobody is born:

    >>> pop = xr.DataArray(np.array([[[[4.0, 3, 2, 1]] * 2] * 3]),
    ...     dims=("area", "year", "sex", "age"),
    ...     coords={"area": ["a"], "year": [2000, 2001, 2002], "sex": ["female", "male"],
    ...             "age": [0, 1, 2, 3]})
    >>> hamilton_perry(pop, 1, base_period=2, smooth=1).sel(sex="female").values.tolist()
    [[[0.0, 3.0, 2.0, 1.0]]]
    """
    ages = history[AGE].to_numpy()
    widths = np.diff(ages)
    if widths.size == 0 or np.any(widths != widths[0]):
        raise ProjectionError(f"age bands must be equally wide, got starts {ages.tolist()}")
    width = int(widths[0])
    hist = history.transpose(AREA, YEAR, "sex", AGE)
    values = hist.to_numpy().astype(float)
    ccr, cwr, fertile = _ratios(values, ages, width, base_period, smooth)
    last = int(hist[YEAR][-1])
    years = last + width * np.arange(1, steps + 1)
    current = values[:, -1]
    out = np.empty((values.shape[0], steps, *current.shape[1:]))
    for k in range(steps):
        nxt = np.empty_like(current)
        nxt[..., 1:] = current[..., :-1] * ccr
        nxt[..., -1] = (current[..., -2] + current[..., -1]) * ccr[..., -1]
        nxt[..., 0] = cwr * nxt[:, 0][..., fertile].sum(axis=-1)[:, None]
        out[:, k] = current = nxt
    result = xr.DataArray(
        out,
        dims=(AREA, YEAR, "sex", AGE),
        coords={AREA: hist[AREA].values, YEAR: years, "sex": hist["sex"].values, AGE: ages},
        attrs={"units": "persons", "long_name": "population on 31.12 (Hamilton-Perry)"},
    )
    return result if totals is None else control_to_totals(result, totals)


def control_to_totals(population: xr.DataArray, totals: xr.DataArray) -> xr.DataArray:
    """Scale every area-year so that it adds up to an independent total.

    Parameters
    ----------
    population : xarray.DataArray
        Dims (area, year, ...), persons.
    totals : xarray.DataArray
        Dims (area, year), persons, covering every area and year of ``population``.

    Returns
    -------
    xarray.DataArray
        ``population`` with the same structure within each area-year and the
        given totals (an area-year of zero persons stays zero).

    Examples
    --------
    >>> pop = xr.DataArray([[[1.0, 3.0]]], dims=("area", "year", "age"),
    ...                    coords={"area": ["a"], "year": [2030], "age": [0, 1]})
    >>> tot = xr.DataArray([[8.0]], dims=("area", "year"),
    ...                    coords={"area": ["a"], "year": [2030]})
    >>> control_to_totals(pop, tot).values.tolist()
    [[[2.0, 6.0]]]
    """
    try:
        wanted = totals.sel({AREA: population[AREA], YEAR: population[YEAR]})
    except KeyError as exc:
        raise ProjectionError(f"totals lack areas or years of the population: {exc}") from exc
    sums = population.sum([d for d in population.dims if d not in (AREA, YEAR)])
    factor = xr.where(sums > 0, wanted / sums.where(sums > 0), 0.0)
    return (population * factor).assign_attrs(population.attrs)
