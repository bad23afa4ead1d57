"""Read and validate a tidy table of population by area, year, sex and single age.

The table has one row per area, year, sex and age: ``<area_column>`` (area
code, read as a string), ``year`` (31.12. of that year), ``sex`` (``female`` or
``male``), ``age`` (completed years 0..100, 100 = 100 and over) and
``population`` (persons). The shared Finnish file
``finland_regional_population_age_sex.csv`` has this layout with
``area_column="region_code"``; extra columns are ignored.

Every problem (missing file or column, bad cell, duplicate row, an area-year
without all 2 x 101 sex-age cells) is collected and raised in one
:class:`~forecasting.errors.InputError`, naming file, row and column.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.errors import InputError
from forecasting.inputs import SEX, YEAR, Column, _parse, read_csv_text
from forecasting.types import AGE, AGES, AREA, OPEN_AGE, SEXES

__all__ = ["read_population"]

_AGE = Column("age", "int", 0, OPEN_AGE)
_POPULATION = Column("population", "int", 0, 1e10)


def tidy_table(source: object, value: str, area_column: str) -> object:
    """Turn an array (area, year, ...) into a tidy table; files and tables pass through.

    Examples
    --------
    >>> da = xr.DataArray([[1.0, 2.0]], dims=("area", "year"),
    ...     coords={"area": ["North"], "year": [2000, 2001]})
    >>> tidy_table(da, "population", "name").columns.tolist()
    ['name', 'year', 'population']
    """
    if isinstance(source, xr.DataArray):
        frame = source.rename(value).to_dataframe().reset_index()
        return frame.rename(columns={AREA: area_column})
    return source


def read_population(
    path: str | Path | pd.DataFrame | xr.DataArray,
    area_column: str = "region_code",
    drop_areas: tuple[str, ...] = (),
) -> xr.DataArray:
    r"""Read population by area, year, sex and age into an array.

    Parameters
    ----------
    path : str, pathlib.Path, pandas.DataFrame or xarray.DataArray
        The CSV file (UTF-8, one header row), or the same table in memory, or an
        array with dims (area, year, sex, age) (checked like a file, named
        ``population`` in messages).
    area_column : str, default "region_code"
        Name of the area column.
    drop_areas : tuple of str, default ()
        Area codes to leave out (e.g. ``("246",)``, the whole-country rows of the
        shared regional file, which would double count).

    Returns
    -------
    xarray.DataArray
        Dims (area, year, sex, age), float64 persons on 31.12.

    Raises
    ------
    InputError
        Listing every problem found, each naming the file, row and column.

    Examples
    --------
    >>> import tempfile
    >>> bad = Path(tempfile.mkdtemp()) / "pop.csv"
    >>> _ = bad.write_text("region_code,year,sex,age,population\n7,2020,woman,3,5\n")
    >>> try:
    ...     read_population(bad)
    ... except InputError as err:
    ...     print(*err.problems, sep="\n")
    pop.csv row 1 column 'sex': sex must be one of ('female', 'male') ('woman')
    """
    columns = (area_column, YEAR.name, SEX.name, _AGE.name, _POPULATION.name)
    name, raw = read_csv_text(tidy_table(path, "population", area_column), columns, "population")
    raw = raw[~raw[area_column].str.strip().isin(drop_areas)].reset_index(drop=True)
    if raw.empty:
        raise InputError([f"{name}: no data rows"])
    problems: list[str] = []
    area = raw[area_column].str.strip()
    for row in np.flatnonzero((area == "").to_numpy()):
        problems.append(f"{name} row {row + 1} column '{area_column}': empty area code")
    frame = pd.DataFrame({AREA: area})
    for column in (YEAR, SEX, _AGE, _POPULATION):
        frame[column.name] = _parse(name, raw[column.name], column, problems)
    if problems:
        raise InputError(problems)
    keys = [AREA, "year", "sex", "age"]
    for row in np.flatnonzero(frame.duplicated(subset=keys).to_numpy()):
        problems.append(f"{name} row {row + 1} column 'age': duplicate area-year-sex-age")
    counts = frame.groupby([AREA, "year"]).size()
    for (a, y), n in counts[counts != len(SEXES) * len(AGES)].items():
        problems.append(
            f"{name} rows of area {a}, year {y} column 'age': {n} sex-age rows, "
            f"expected {len(SEXES) * len(AGES)} (female/male x ages 0-{OPEN_AGE})"
        )
    if problems:
        raise InputError(problems)
    frame = frame.astype({"year": "int64", "age": "int64", "population": "float64"})
    array = frame.set_index(keys)["population"].to_xarray()
    array = array.reindex({"sex": list(SEXES), AGE: list(AGES)})
    if array.isnull().any():
        raise InputError([f"{name}: some areas lack years that others have"])
    years = array[YEAR.name].values
    gaps = sorted(set(range(int(years.min()), int(years.max()) + 1)) - set(years.tolist()))
    if gaps:
        raise InputError(
            [f"{name} column 'year': missing years {gaps} (the file runs "
             f"{int(years.min())}-{int(years.max())}; years must be consecutive)"]
        )  # fmt: skip
    return array.transpose(AREA, "year", "sex", AGE).rename("population")
