"""Municipal age structures estimated from age bands (no municipal age-sex series needed).

Finnish municipalities have public age bands (Paavo: 20 bands, both sexes) but no
public population by single age and sex. These estimates fill the gap:

- :func:`band_jump_off`: each band spread over its single ages and the two sexes
  like the region's population in that band, scaled to the official total;
- :func:`scaled_jump_off`: the region's age-sex structure scaled to the total (no
  municipal age information);
- :func:`rake_to_region`: iterative proportional fitting, so that a region's
  estimated municipalities also add up to the region's single-age x sex cells;
- :func:`band_groups`: the service age groups of
  :data:`forecasting.age_backtest.SERVICE_GROUPS` from bands (from single ages:
  :func:`forecasting.age_backtest.age_groups`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.age_backtest import SERVICE_GROUPS
from forecasting.errors import ProjectionError
from forecasting.types import AGE, AGES, AREA, SEX, SEXES

__all__ = [
    "GROUP",
    "band_groups",
    "band_jump_off",
    "rake_to_region",
    "scaled_jump_off",
]

GROUP = "age_group"
"""Name of the dimension of the service age groups."""


def _region_shape(region: xr.DataArray) -> xr.DataArray:
    """Return the region's (sex, age) population as a float array in canonical order."""
    return region.sel({SEX: list(SEXES), AGE: list(AGES)}).transpose(SEX, AGE).astype(float)


def scaled_jump_off(region: xr.DataArray, totals: pd.Series) -> xr.DataArray:
    """Crude jump-off: the region's age-sex structure scaled to each municipality's total.

    Parameters
    ----------
    region : xarray.DataArray
        Dims (sex, age): the region on 31.12 of the launch year.
    totals : pandas.Series
        Municipality code -> total population on 31.12 of the launch year.

    Returns
    -------
    xarray.DataArray
        Dims (area, sex, age), persons; each area sums to its total.

    Examples
    --------
    >>> r = xr.DataArray(np.ones((2, 101)), dims=("sex", "age"),
    ...                  coords={"sex": ["female", "male"], "age": np.arange(101)})
    >>> j = scaled_jump_off(r, pd.Series({"a": 404.0}))
    >>> float(j.sum()), float(j.sel(area="a", sex="male", age=3))
    (404.0, 2.0)
    """
    shape = _region_shape(region)
    shape = shape / shape.sum()
    weights = xr.DataArray(
        totals.to_numpy(dtype=float), dims=AREA, coords={AREA: totals.index.astype(str)}
    )
    return (weights * shape).transpose(AREA, SEX, AGE)


def band_jump_off(region: xr.DataArray, bands: pd.DataFrame, totals: pd.Series) -> xr.DataArray:
    """Jump-off from municipal age bands split by the region's single-age x sex shape.

    Each band ``[age_from, age_to]`` (``age_to`` empty = open band up to 100) of
    a municipality is spread over its single ages and the two sexes in the
    proportions of the region's population in that band; the municipality is
    then scaled to its official total (the band counts may come from another
    source, e.g. summed postal-code areas).

    Parameters
    ----------
    region : xarray.DataArray
        Dims (sex, age): the region on 31.12 of the launch year.
    bands : pandas.DataFrame
        ``area, age_from, age_to, population``: the municipalities' age bands,
        both sexes together; together the bands of an area cover ages 0-100 once.
    totals : pandas.Series
        Municipality code -> official total of the launch year.

    Returns
    -------
    xarray.DataArray
        Dims (area, sex, age), persons; each area sums to its total.

    Raises
    ------
    ProjectionError
        If an area's bands miss or repeat an age, or an area lacks a total or bands.

    Examples
    --------
    >>> r = xr.DataArray(np.ones((2, 101)), dims=("sex", "age"),
    ...                  coords={"sex": ["female", "male"], "age": np.arange(101)})
    >>> b = pd.DataFrame({"area": ["a", "a"], "age_from": [0, 50], "age_to": [49, None],
    ...                   "population": [100.0, 51.0]})
    >>> j = band_jump_off(r, b, pd.Series({"a": 151.0}))
    >>> float(j.sel(area="a", sex="female", age=10)), float(j.sel(area="a", sex="male", age=60))
    (1.0, 0.5)
    """
    shape = _region_shape(region).to_numpy()
    areas = [str(a) for a in totals.index]
    frame = bands.assign(area=bands["area"].astype(str))
    if set(frame["area"]) != set(areas):
        raise ProjectionError(
            f"bands and totals cover different areas: {sorted(set(frame['area']) ^ set(areas))}"
        )
    out = np.zeros((len(areas), *shape.shape))
    for i, (area, rows) in enumerate(frame.groupby("area", sort=False)):
        i = areas.index(area)
        covered = np.zeros(len(AGES), dtype=int)
        for lo, hi, n in rows[["age_from", "age_to", "population"]].itertuples(index=False):
            ages = slice(int(lo), AGES[-1] + 1 if pd.isna(hi) else int(hi) + 1)
            covered[ages] += 1
            part = shape[:, ages]
            out[i][:, ages] = float(n) * part / part.sum()
        if np.any(covered != 1):
            raise ProjectionError(f"age bands of area {area!r} must cover every age 0-100 once")
        out[i] *= float(totals[area]) / out[i].sum()
    coords = {AREA: areas, SEX: list(SEXES), AGE: list(AGES)}
    return xr.DataArray(out, dims=(AREA, SEX, AGE), coords=coords, name="population")


def rake_to_region(
    jump_off: xr.DataArray, region: xr.DataArray, iterations: int = 100
) -> xr.DataArray:
    """Rake estimated municipalities so that they also add up to the region's cells.

    Iterative proportional fitting (two margins): each municipality is scaled to its
    own total, then each (sex, age) cell of all municipalities to the region's cell,
    ``iterations`` times, ending on the region's cells. The margins must agree (the
    municipalities' totals add up to the region's total).

    Parameters
    ----------
    jump_off : xarray.DataArray
        Dims (area, sex, age): the estimated municipalities of one region.
    region : xarray.DataArray
        Dims (sex, age): the region in the same year.

    Returns
    -------
    xarray.DataArray
        Like ``jump_off``; its cells add up to the region's, its areas to their
        totals (to within the fit's convergence).

    Examples
    --------
    >>> j = xr.DataArray([[[3.0, 1.0]], [[1.0, 3.0]]], dims=("area", "sex", "age"))
    >>> r = xr.DataArray([[2.0, 6.0]], dims=("sex", "age"))
    >>> rake_to_region(j, r).sum("area").values.tolist()
    [[2.0, 6.0]]
    """
    totals = jump_off.sum((SEX, AGE))
    out = jump_off
    for _ in range(iterations):
        out = out * (totals / out.sum((SEX, AGE)))
        cells = out.sum(AREA)
        out = (out * (region / cells)).where(cells > 0, out)
    return out.transpose(*jump_off.dims)


def band_groups(bands: pd.DataFrame, totals: pd.DataFrame) -> xr.DataArray:
    """Service age groups (area, year, age_group) from age bands, scaled to the official totals.

    Each group is the share of the bands lying in it times the area's official
    total of the year; ``total`` is the official total. A band that crosses a
    group's limits is refused. Years or areas without bands are left out.

    Parameters
    ----------
    bands : pandas.DataFrame
        ``area, year, age_from, age_to, population`` (``age_to`` empty = open band).
    totals : pandas.DataFrame
        ``area, year, population``.

    Examples
    --------
    >>> b = pd.DataFrame({"area": ["a"] * 5, "year": [2000] * 5, "age_from": [0, 7, 16, 75, 85],
    ...                   "age_to": [6, 15, 74, 84, None], "population": [10.0, 10, 60, 10, 10]})
    >>> t = pd.DataFrame({"area": ["a"], "year": [2000], "population": [200.0]})
    >>> band_groups(b, t).sel(area="a", year=2000, age_group=["total", "0_6", "85plus"]).values
    array([200.,  20.,  20.])
    """
    frame = bands.assign(area=bands["area"].astype(str), year=bands["year"].astype(int))
    upper = frame["age_to"].fillna(AGES[-1]).astype(int)
    columns = {}
    for group, (lo, hi) in SERVICE_GROUPS.items():
        inside = (frame["age_from"] >= lo) & (upper <= hi)
        crossing = (frame["age_from"] <= hi) & (upper >= lo) & ~inside
        if crossing.any():
            raise ProjectionError(f"age bands cross the limits of the group {group} ({lo}-{hi})")
        columns[group] = frame["population"].where(inside, 0.0)
    sums = pd.DataFrame(columns).groupby([frame["area"], frame["year"]]).sum()
    official = totals.assign(area=totals["area"].astype(str)).set_index(["area", "year"])
    scale = official["population"].reindex(sums.index) / sums["total"]
    groups = sums.mul(scale, axis=0)
    groups.columns.name = GROUP
    return groups.stack().to_xarray().rename({"area": AREA})
