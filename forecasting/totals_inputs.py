"""Read and validate a tidy table of total population by area and year.

:func:`read_totals` reads the CSV; :func:`as_history` turns the table (or an
array) into the (area, year) array the totals forecasters fit on.

The table has one row per area and year, with the columns ``<area_column>``
(an area code, read as a string so that leading zeros survive), ``year``
(31.12. of that year) and ``population`` (persons). The shared Finnish file
``finland_municipal_population_totals.csv`` has this layout with
``area_column="municipality_code"``; extra columns are ignored.

Validation collects every problem (missing file or column, empty area code,
year or population that is empty, not a number, not whole or out of range,
duplicated area-year) and raises one :class:`~forecasting.errors.InputError`
listing them all. Rows are numbered from 1 for the first data row.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.errors import InputError, ProjectionError
from forecasting.inputs import Column, _parse, read_csv_text
from forecasting.types import AREA, YEAR

__all__ = ["as_history", "read_counts", "read_totals"]

_YEAR = Column("year", "int", 1800, 2200)
_POPULATION = Column("population", "int", 0, 1e10)


def read_totals(path: str | Path, area_column: str = "municipality_code") -> pd.DataFrame:
    r"""Read a tidy CSV of total population by area and year.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file (UTF-8, one header row).
    area_column : str, default "municipality_code"
        Name of the column holding the area code; it is returned as ``area``.

    Returns
    -------
    pandas.DataFrame
        Columns ``area`` (str), ``year`` (int64) and ``population`` (int64,
        persons on 31.12.), sorted by area and year.

    Raises
    ------
    InputError
        Listing every problem found, each naming the file, row and column.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> good = folder / "totals.csv"
    >>> _ = good.write_text("municipality_code,year,population\n005,2022,9\n005,2023,8\n")
    >>> read_totals(good)
      area  year  population
    0  005  2022           9
    1  005  2023           8
    >>> _ = good.write_text("municipality_code,year,population\n005,2023,-1\n005,2023,x\n")
    >>> try:
    ...     read_totals(good)
    ... except InputError as err:
    ...     print(*err.problems, sep="\n")
    totals.csv row 2 column 'population': not a number ('x')
    totals.csv row 1 column 'population': -1 outside [0, 1e+10]
    totals.csv row 2 column 'year': duplicate area-year (area=005, year=2023)
    """
    return read_counts(path, area_column, _POPULATION)


def read_counts(path: str | Path, area_column: str, value: Column) -> pd.DataFrame:
    """Read a tidy CSV of counts by area and year, validated as :func:`read_totals`.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file (UTF-8, one header row).
    area_column : str
        Name of the column holding the area code; it is returned as ``area``.
    value : forecasting.inputs.Column
        The count column: its name, type and allowed range.

    Returns
    -------
    pandas.DataFrame
        Columns ``area`` (str), ``year`` (int64) and ``value.name`` (int64),
        sorted by area and year.

    Raises
    ------
    InputError
        Listing every problem found, each naming the file, row and column.
    """
    name, raw = read_csv_text(path, (area_column, _YEAR.name, value.name))
    problems: list[str] = []
    area = raw[area_column].str.strip()
    for row in np.flatnonzero((area == "").to_numpy()):
        problems.append(f"{name} row {row + 1} column '{area_column}': empty area code")
    out = pd.DataFrame({"area": area.astype(object)})
    out["year"] = _parse(name, raw[_YEAR.name], _YEAR, problems)
    out[value.name] = _parse(name, raw[value.name], value, problems)
    duplicated = out.duplicated(subset=["area", "year"], keep="first").to_numpy()
    for row in np.flatnonzero(duplicated):
        problems.append(
            f"{name} row {row + 1} column 'year': duplicate area-year "
            f"(area={area.iloc[row]}, year={raw[_YEAR.name].iloc[row].strip()})"
        )
    if problems:
        raise InputError(problems)
    out = out.astype({"year": "int64", value.name: "int64"})
    return out.sort_values(["area", "year"], ignore_index=True)


def as_history(history: pd.DataFrame | xr.DataArray) -> xr.DataArray:
    """Turn a history of totals into a float array (area, year).

    Parameters
    ----------
    history : pandas.DataFrame or xarray.DataArray
        Columns ``area, year, population`` (as from
        :func:`~forecasting.totals_inputs.read_totals`), or an array with dims
        (area, year). Persons on 31.12.

    Returns
    -------
    xarray.DataArray
        Dims (area, year), float64, years consecutive and increasing.

    Raises
    ------
    ProjectionError
        If a value is missing, negative or not finite, or years are not consecutive.
    """
    if isinstance(history, pd.DataFrame):
        wide = history.pivot(index="area", columns="year", values="population")
        history = xr.DataArray(
            wide.to_numpy(dtype=float),
            dims=(AREA, YEAR),
            coords={AREA: wide.index.astype(str), YEAR: wide.columns.astype(np.int64)},
        )
    array = history.transpose(AREA, YEAR).sortby(YEAR).astype(float)
    years = array[YEAR].to_numpy()
    if years.size < 2 or np.any(np.diff(years) != 1):
        raise ProjectionError(f"history needs >= 2 consecutive years, got {years.tolist()}")
    bad = ~np.isfinite(array.to_numpy()) | (array.to_numpy() < 0)
    if bad.any():
        areas = array[AREA].to_numpy()[bad.any(axis=1)]
        raise ProjectionError(f"history has missing or negative totals in areas {areas.tolist()}")
    return array
