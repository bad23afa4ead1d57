"""Read and validate the rate tables a forecast is built from.

This is the only module of :mod:`forecasting` that reads files, and it never
hard-codes a path: the folder is always passed in. The product ships the Finnish
tables in ``forecasting/data/finland/`` (see the README there); any folder with the
same five files can be used instead.

=============================  ===================================================
file                           columns (units)
=============================  ===================================================
``death_probabilities.csv``    ``year, sex, age, death_probability`` (per person;
                               age -1 = dying in the year of birth, 0..98 = age on
                               31.12 of the previous year, 99 = 99 and over)
``e0.csv``                     ``region_code, year, sex, e0`` (years)
``tfr.csv``                    ``region_code, year, tfr`` (children per woman)
``pasfr.csv``                  ``region_code, year, age, pasfr_percent`` (% of TFR)
``net_migration_rates.csv``    ``region_code, year, sex, age_from, age_to, rate``
                               (net migrants per person per year; ``age_to``
                               empty for the open group)
=============================  ===================================================

Validation collects every problem in every file (missing file, missing column,
unparsable or out-of-range cell, duplicated key) and raises one
:class:`~forecasting.errors.InputError` listing them all. Rows are numbered from
1 for the first data row (row n is line n + 1 of the file).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.errors import InputError
from forecasting.types import SEXES

__all__ = ["RATE_FILES", "RateTables", "read_rate_tables"]


@dataclass(frozen=True)
class Column:
    """How one column is parsed and which values it allows."""

    name: str
    kind: str  # "int", "float", "sex" or "code"
    low: float = -np.inf
    high: float = np.inf
    optional: bool = False  # an empty cell is allowed (open age group)


YEAR = Column("year", "int", 1800, 2200)
SEX = Column("sex", "sex")
REGION = Column("region_code", "code")

RATE_FILES: dict[str, tuple[Column, ...]] = {
    "death_probabilities.csv": (
        YEAR,
        SEX,
        Column("age", "int", -1, 99),
        Column("death_probability", "float", 0.0, 1.0),
    ),
    "e0.csv": (REGION, YEAR, SEX, Column("e0", "float", 1.0, 120.0)),
    "tfr.csv": (REGION, YEAR, Column("tfr", "float", 0.0, 10.0)),
    "pasfr.csv": (
        REGION,
        YEAR,
        Column("age", "int", 0, 100),
        Column("pasfr_percent", "float", 0.0, 100.0),
    ),
    "net_migration_rates.csv": (
        REGION,
        YEAR,
        SEX,
        Column("age_from", "int", 0, 100),
        Column("age_to", "int", 0, 100, optional=True),
        Column("rate", "float", -1.0, 1.0),
    ),
}
"""The five rate files and their column specifications."""

KEYS: dict[str, list[str]] = {
    "death_probabilities.csv": ["year", "sex", "age"],
    "e0.csv": ["region_code", "year", "sex"],
    "tfr.csv": ["region_code", "year"],
    "pasfr.csv": ["region_code", "year", "age"],
    "net_migration_rates.csv": ["region_code", "year", "sex", "age_from"],
}


@dataclass(frozen=True)
class RateTables:
    """The validated rate tables, one tidy :class:`pandas.DataFrame` per file.

    Attributes
    ----------
    death_probabilities : pandas.DataFrame
        ``year, sex, age, death_probability`` (per person per year).
    e0 : pandas.DataFrame
        ``region_code, year, sex, e0``: life expectancy at birth (years).
    tfr : pandas.DataFrame
        ``region_code, year, tfr``: total fertility rate (children per woman).
    pasfr : pandas.DataFrame
        ``region_code, year, age, pasfr_percent``: percent of the TFR by age.
    net_migration_rates : pandas.DataFrame
        ``region_code, year, sex, age_from, age_to, rate`` (per person per year;
        ``age_to`` is ``<NA>`` for the open group).
    source : str
        The folder the tables were read from (provenance only).

    Notes
    -----
    ``region_code`` is a string (``"7"`` = Päijät-Häme); every other key column
    is an integer or a sex in ``("female", "male")``.
    """

    death_probabilities: pd.DataFrame
    e0: pd.DataFrame
    tfr: pd.DataFrame
    pasfr: pd.DataFrame
    net_migration_rates: pd.DataFrame
    source: str = ""


def read_rate_tables(directory: str | Path) -> RateTables:
    r"""Read and validate the five rate tables in a folder.

    Parameters
    ----------
    directory : str or pathlib.Path
        Folder holding the files listed in :data:`RATE_FILES`.

    Returns
    -------
    RateTables
        The parsed tables.

    Raises
    ------
    InputError
        Listing every problem found, each naming the file, row and column.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "tfr.csv").write_text("region_code,year,tfr\n7,2023,x\n")
    >>> try:
    ...     read_rate_tables(folder)
    ... except InputError as err:
    ...     print(*err.problems, sep="\n")
    death_probabilities.csv: file not found in the folder
    e0.csv: file not found in the folder
    tfr.csv row 1 column 'tfr': not a number ('x')
    pasfr.csv: file not found in the folder
    net_migration_rates.csv: file not found in the folder
    """
    folder = Path(directory)
    problems: list[str] = []
    frames: dict[str, pd.DataFrame] = {}
    for name, columns in RATE_FILES.items():
        frames[name] = _read_one(folder / name, columns, KEYS[name], problems)
    problems.extend(_check_open_groups(frames["net_migration_rates.csv"]))
    if problems:
        raise InputError(problems)
    return RateTables(
        death_probabilities=frames["death_probabilities.csv"],
        e0=frames["e0.csv"],
        tfr=frames["tfr.csv"],
        pasfr=frames["pasfr.csv"],
        net_migration_rates=frames["net_migration_rates.csv"],
        source=str(folder),
    )


def read_csv_text(
    path: str | Path | pd.DataFrame, columns: Sequence[str], label: str = "table"
) -> tuple[str, pd.DataFrame]:
    """Read a CSV file (or take a table) as text cells, checking it has ``columns``.

    Parameters
    ----------
    path : str, pathlib.Path or pandas.DataFrame
        The CSV file, or an in-memory table with the same columns (its cells are
        turned into text and then checked exactly like a file's).
    columns : sequence of str
        Columns that must be present.
    label : str, default "table"
        Name used in messages for an in-memory table (a file is named by its name).

    Returns
    -------
    name : str
        The file's name (or ``label``), for messages.
    raw : pandas.DataFrame
        Every cell as text (``dtype=str``, no NA conversion; missing cells of a
        table are empty).

    Raises
    ------
    InputError
        If the file is missing or unreadable, lacks a column (each one named) or
        has no data rows.
    """
    if isinstance(path, pd.DataFrame):
        name = label
        raw = path.reset_index(drop=True)
        raw = raw.astype(object).where(raw.notna(), "").astype(str)
        raw.columns = [str(c) for c in raw.columns]
    else:
        path = Path(path)
        name = path.name
        if path.is_dir():
            raise InputError([f"{name}: is a folder, not a CSV file ({path})"])
        if not path.is_file():
            raise InputError([f"{name}: file not found ({path})"])
        try:
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise InputError([f"{name}: cannot be read as CSV ({exc})"]) from exc
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise InputError([f"{name} header row column '{c}': missing column" for c in missing])
    if raw.empty:
        raise InputError([f"{name}: no data rows"])
    return name, raw


def _read_one(
    path: Path, columns: tuple[Column, ...], keys: list[str], problems: list[str]
) -> pd.DataFrame:
    """Parse one file, appending its problems; returns the typed frame."""
    name = path.name
    if not path.is_file():
        problems.append(f"{name}: file not found in the folder")
        return pd.DataFrame()
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        problems.append(f"{name}: cannot be read as CSV ({exc})")
        return pd.DataFrame()
    missing = [c.name for c in columns if c.name not in raw.columns]
    for col in missing:
        problems.append(f"{name} header row column '{col}': missing column")
    if missing:
        return pd.DataFrame()
    if raw.empty:
        problems.append(f"{name}: no data rows")
    out = pd.DataFrame(index=raw.index)
    for column in columns:
        out[column.name] = _parse(name, raw[column.name], column, problems)
    duplicated = out.duplicated(subset=keys, keep="first")
    for row in np.flatnonzero(duplicated.to_numpy()):
        key = ", ".join(f"{k}={raw[k].iloc[row]}" for k in keys)
        problems.append(f"{name} row {row + 1} column '{keys[-1]}': duplicate key ({key})")
    return out


def _parse(name: str, cells: pd.Series, column: Column, problems: list[str]) -> pd.Series:
    """Convert one column, appending a message for each bad cell."""
    text = cells.str.strip()
    empty = text == ""

    def report(mask: np.ndarray, why: Callable[[str], str]) -> None:
        for row in np.flatnonzero(mask):
            problems.append(f"{name} row {row + 1} column '{column.name}': {why(text.iloc[row])}")

    if column.kind == "code":
        report(empty.to_numpy(), lambda _: "empty region code")
        return text.astype(object)
    if column.kind == "sex":
        report((~text.isin(SEXES)).to_numpy(), lambda v: f"sex must be one of {SEXES} ({v!r})")
        return text.astype(object)
    values = pd.to_numeric(text.where(~empty), errors="coerce").astype(float)
    missing = empty.to_numpy() & (not column.optional)
    report(missing, lambda _: "empty cell")
    report((~empty & values.isna()).to_numpy(), lambda v: f"not a number ({v!r})")
    finite = values.notna().to_numpy()
    numbers = values.to_numpy()
    if column.kind == "int":
        fractional = finite & (np.round(np.where(finite, numbers, 0.0)) != numbers)
        report(fractional, lambda v: f"not a whole number ({v!r})")
    outside = finite & ((numbers < column.low) | (numbers > column.high))
    report(outside, lambda v: f"{v} outside [{column.low:g}, {column.high:g}]")
    if column.kind == "int":
        return values.round().astype("Int64")
    return values


def _check_open_groups(frame: pd.DataFrame) -> list[str]:
    """Age groups must have age_to >= age_from; only the last group is open."""
    if frame.empty:
        return []
    name = "net_migration_rates.csv"
    problems = []
    bad = (frame["age_to"] < frame["age_from"]).fillna(False).to_numpy()
    for row in np.flatnonzero(bad):
        problems.append(f"{name} row {row + 1} column 'age_to': smaller than age_from")
    open_from = frame.loc[frame["age_to"].isna(), "age_from"].dropna().unique()
    if len(open_from) > 1:
        problems.append(
            f"{name} column 'age_to': open groups start at several ages {sorted(open_from)}"
        )
    return problems
