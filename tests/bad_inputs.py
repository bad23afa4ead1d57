"""Helpers for the bad-input tests: copy an embedded world and spoil one file."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from scenarios.worlds.loader import embedded_world_path


def copy_world(tmp_path: Path, name: str = "sysma") -> Path:
    """Copy the embedded world ``name`` to ``tmp_path / name`` and return the copy."""
    return Path(shutil.copytree(embedded_world_path(name), tmp_path / name))


def read_table(folder: Path, name: str) -> pd.DataFrame:
    """Read a CSV file of a world folder as text."""
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False)


def write_table(folder: Path, name: str, df: pd.DataFrame) -> None:
    """Write a CSV file of a world folder."""
    df.to_csv(folder / name, index=False)


def set_cell(folder: Path, name: str, row: int, field: str, value: Any) -> None:
    """Set one cell (0-based data row) of a CSV file."""
    df = read_table(folder, name)
    df.loc[row, field] = str(value)
    write_table(folder, name, df)


def duplicate_row(folder: Path, name: str, row: int = 0) -> None:
    """Append a copy of one data row (0-based) at the end of a CSV file."""
    df = read_table(folder, name)
    write_table(folder, name, pd.concat([df, df.iloc[[row]]], ignore_index=True))


def header_only(folder: Path, name: str) -> None:
    """Keep only the header line of a CSV file."""
    write_table(folder, name, read_table(folder, name).iloc[:0])


def read_yaml(folder: Path, name: str) -> Any:
    """Parse a YAML file of a world folder."""
    return yaml.safe_load((folder / name).read_text(encoding="utf-8"))


def write_yaml(folder: Path, name: str, doc: Any) -> None:
    """Write a YAML file of a world folder."""
    (folder / name).write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
