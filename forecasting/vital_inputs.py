r"""Read and validate optional births and deaths files of the age-structured backtest.

=========  ================================================================
file       columns (units)
=========  ================================================================
births     ``<area_column>, year, mother_age, births`` (live births during the
           year by the mother's age in completed years at the birth, 10..55);
           optional ``sex`` (``female``/``male``, the child's sex; summed)
deaths     ``<area_column>, year, sex, age, deaths`` (deaths during the year by
           sex and age in completed years at death, 0..100, 100 = 100 and over)
=========  ================================================================

Every problem (missing file or column, bad cell, duplicate row) is collected and
raised in one :class:`~forecasting.errors.InputError` naming file, row and column
(rows numbered from 1 for the first data row). Missing cells of a read grid
(an age or year with no row) count as zero births or deaths.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.errors import InputError
from forecasting.inputs import SEX, YEAR, Column, _parse, read_csv_text
from forecasting.population_inputs import tidy_table
from forecasting.types import AGE, AGES, AREA, OPEN_AGE, SEXES

__all__ = [
    "MOTHER_AGES",
    "births_array",
    "births_table",
    "deaths_array",
    "deaths_table",
    "read_births",
    "read_deaths",
]

MOTHER_AGES: tuple[int, ...] = tuple(range(10, 56))
"""Mothers' ages (completed years) a births file may hold."""

_MOTHER_AGE = Column("mother_age", "int", MOTHER_AGES[0], MOTHER_AGES[-1])
_BIRTHS = Column("births", "int", 0, 1e9)
_AGE = Column("age", "int", 0, OPEN_AGE)
_DEATHS = Column("deaths", "int", 0, 1e9)


def _frame(
    name: str, raw: pd.DataFrame, area_column: str, columns: tuple[Column, ...], keys: list[str]
) -> pd.DataFrame:
    problems: list[str] = []
    area = raw[area_column].str.strip()
    for row in np.flatnonzero((area == "").to_numpy()):
        problems.append(f"{name} row {row + 1} column '{area_column}': empty area code")
    frame = pd.DataFrame({AREA: area})
    for column in columns:
        frame[column.name] = _parse(name, raw[column.name], column, problems)
    if problems:
        raise InputError(problems)
    for row in np.flatnonzero(frame.duplicated(subset=keys).to_numpy()):
        problems.append(f"{name} row {row + 1} column '{keys[-1]}': duplicate {'-'.join(keys)}")
    if problems:
        raise InputError(problems)
    return frame


def births_table(
    source: str | Path | pd.DataFrame | xr.DataArray, area_column: str = "region_code"
) -> tuple[str, pd.DataFrame]:
    """Read and check a births file or table; rows keep their position (row n = index n-1).

    Returns
    -------
    name : str
        The file's name (``births`` for a table in memory), for messages.
    frame : pandas.DataFrame
        Columns ``area, year, [sex,] mother_age, births``, typed.

    Raises
    ------
    InputError
        Listing every problem, each naming file, row and column.
    """
    table = tidy_table(source, "births", area_column)
    name, raw = read_csv_text(table, (area_column, "year", "mother_age", "births"), "births")
    columns = [YEAR, _MOTHER_AGE, _BIRTHS]
    keys = [AREA, "year", "mother_age"]
    if "sex" in raw.columns:
        columns.insert(1, SEX)
        keys.insert(2, "sex")
    frame = _frame(name, raw, area_column, tuple(columns), keys)
    return name, frame.astype({"year": "int64", "mother_age": "int64", "births": "float64"})


def births_array(frame: pd.DataFrame, by_sex: bool = False) -> xr.DataArray:
    """Births (area, year, mother_age), or (area, year, sex, mother_age) by the child's sex.

    ``by_sex`` needs a ``sex`` column; without it the births are summed over sex.
    """
    keys = [AREA, "year", "sex", "mother_age"] if by_sex else [AREA, "year", "mother_age"]
    summed = frame.groupby(keys)["births"].sum()
    array = summed.to_xarray().reindex(mother_age=list(MOTHER_AGES)).fillna(0.0)
    if by_sex:
        array = array.reindex(sex=list(SEXES)).fillna(0.0)
    return array.transpose(*keys).rename("births")


def read_births(
    path: str | Path | pd.DataFrame | xr.DataArray, area_column: str = "region_code"
) -> xr.DataArray:
    r"""Read births by area, year and mother's age (summed over the child's sex).

    Parameters
    ----------
    path : str, pathlib.Path, pandas.DataFrame or xarray.DataArray
        The CSV file, or the same table (or array) in memory.
    area_column : str, default "region_code"
        Name of the area column.

    Returns
    -------
    xarray.DataArray
        Dims (area, year, mother_age), live births per year; mother_age 10..55,
        zero where the file has no row.

    Raises
    ------
    InputError
        Listing every problem, each naming file, row and column.

    Examples
    --------
    >>> import tempfile
    >>> bad = Path(tempfile.mkdtemp()) / "births.csv"
    >>> _ = bad.write_text("region_code,year,mother_age,births\n7,2020,62,5\n")
    >>> try:
    ...     read_births(bad)
    ... except InputError as err:
    ...     print(*err.problems, sep="\n")
    births.csv row 1 column 'mother_age': 62 outside [10, 55]
    """
    return births_array(births_table(path, area_column)[1])


def deaths_table(
    source: str | Path | pd.DataFrame | xr.DataArray, area_column: str = "region_code"
) -> tuple[str, pd.DataFrame]:
    """Read and check a deaths file or table; rows keep their position (row n = index n-1).

    Returns
    -------
    name : str
        The file's name (``deaths`` for a table in memory), for messages.
    frame : pandas.DataFrame
        Columns ``area, year, sex, age, deaths``, typed.

    Raises
    ------
    InputError
        Listing every problem, each naming file, row and column.
    """
    table = tidy_table(source, "deaths", area_column)
    name, raw = read_csv_text(table, (area_column, "year", "sex", "age", "deaths"), "deaths")
    keys = [AREA, "year", "sex", "age"]
    frame = _frame(name, raw, area_column, (YEAR, SEX, _AGE, _DEATHS), keys)
    return name, frame.astype({"year": "int64", "age": "int64", "deaths": "float64"})


def deaths_array(frame: pd.DataFrame) -> xr.DataArray:
    """Deaths (area, year, sex, age) from :func:`deaths_table`'s frame (missing cells 0)."""
    array = frame.set_index([AREA, "year", "sex", "age"])["deaths"].to_xarray()
    array = array.reindex({"sex": list(SEXES), AGE: list(AGES)}).fillna(0.0)
    return array.transpose(AREA, "year", "sex", AGE).rename("deaths")


def read_deaths(
    path: str | Path | pd.DataFrame | xr.DataArray, area_column: str = "region_code"
) -> xr.DataArray:
    r"""Read deaths by area, year, sex and age.

    Parameters
    ----------
    path : str, pathlib.Path, pandas.DataFrame or xarray.DataArray
        The CSV file, or the same table (or array) in memory.
    area_column : str, default "region_code"
        Name of the area column.

    Returns
    -------
    xarray.DataArray
        Dims (area, year, sex, age), deaths per year; zero where the file has no
        row.

    Raises
    ------
    InputError
        Listing every problem, each naming file, row and column.

    Examples
    --------
    >>> import tempfile
    >>> bad = Path(tempfile.mkdtemp()) / "deaths.csv"
    >>> _ = bad.write_text("region_code,year,sex,age,deaths\n7,2020,men,3,x\n")
    >>> try:
    ...     read_deaths(bad)
    ... except InputError as err:
    ...     print(*err.problems, sep="\n")
    deaths.csv row 1 column 'sex': sex must be one of ('female', 'male') ('men')
    deaths.csv row 1 column 'deaths': not a number ('x')
    """
    return deaths_array(deaths_table(path, area_column)[1])
