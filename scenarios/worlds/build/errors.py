"""The builder's error: every problem of a request or input file, listed."""

from __future__ import annotations

from scenarios.errors import Problem


class BuildError(ValueError):
    """A world cannot be built; each problem names its file, row, field and value.

    Examples
    --------
    >>> err = BuildError([Problem("facilities.csv", 3, "zone_id", "'99999' is unknown")])
    >>> print(err)
    cannot build the world, 1 problem(s):
      - facilities.csv, line 3, field 'zone_id': '99999' is unknown
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"cannot build the world, {len(problems)} problem(s):\n{lines}")
