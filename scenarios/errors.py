"""Exceptions of the scenarios package."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where it is and what is wrong."""

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", line {self.row}"
        if self.field is not None:
            where += f", field {self.field!r}"
        return f"{where}: {self.message}"


class WorldFileError(ValueError):
    """A world folder has problems; all of them are listed, one per line."""

    def __init__(self, folder: str, problems: list[Problem]) -> None:
        self.folder = folder
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"world folder {folder} has {len(problems)} problem(s):\n{lines}")


class ScenarioError(ValueError):
    """A scenario or strategy refers to something the world does not have."""
