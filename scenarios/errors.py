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


#: Problems listed per file and field in a message; the rest are counted.
LISTED_PER_FIELD = 10


class WorldFileError(ValueError):
    """A world folder has problems; they are listed one per line, in file order.

    At most :data:`LISTED_PER_FIELD` problems of one file and field are listed; the
    others are counted in one line (all of them stay in :attr:`problems`).

    Examples
    --------
    >>> err = WorldFileError("w", [Problem("zones.csv", k, "x_m", "bad") for k in range(2, 14)])
    >>> print(str(err).splitlines()[-1])
      - zones.csv, field 'x_m': 2 more like these
    """

    def __init__(self, folder: str, problems: list[Problem]) -> None:
        self.folder = folder
        self.problems = problems
        super().__init__(
            f"world folder {folder} has {len(problems)} problem(s):\n" + _listing(problems)
        )


def _listing(problems: list[Problem]) -> str:
    shown: dict[tuple[str, str | None], int] = {}
    lines: list[str] = []
    for p in problems:
        key = (p.file, p.field)
        shown[key] = shown.get(key, 0) + 1
        if shown[key] <= LISTED_PER_FIELD:
            lines.append(f"  - {p}")
    for (file, field), n in shown.items():
        if n > LISTED_PER_FIELD:
            where = file if field is None else f"{file}, field {field!r}"
            lines.append(f"  - {where}: {n - LISTED_PER_FIELD} more like these")
    return "\n".join(lines)


class ScenarioError(ValueError):
    """A scenario or strategy refers to something the world does not have."""
