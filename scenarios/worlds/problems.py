"""Collecting the problems of a world folder: checked values, root causes and follow-ons.

A :class:`Checker` gathers every problem while the files are parsed. A reference into a
file that could not be read at all (``zones.csv`` with semicolons, say), or to an id
missing from a file that has problems of its own (a zone id mistyped as a duplicate),
is not a problem of its own: it is counted as a *follow-on* of that file and
summarised in one line after the root causes, instead of one line per row.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator
from typing import Any

import pandas as pd

from scenarios.errors import Problem, WorldFileError

__all__ = ["Checker", "complete", "rows"]


class Checker:
    """Collects problems while parsing; the helpers return None for bad values.

    Examples
    --------
    >>> chk = Checker()
    >>> chk.number("zones.csv", 2, "x_m", "abc") is None
    True
    >>> chk.reference("residents.csv", 2, "zone_id", "Z1", None, source="zones.csv") is None
    True
    >>> print(chk.error("w").problems[-1])  # doctest: +NORMALIZE_WHITESPACE
    residents.csv, field 'zone_id': 1 row(s) not checked: they refer to zones.csv,
    which has problems (listed above)
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        #: (file, field, source file, source was read) -> [rows, example values]
        self.follow_ons: dict[tuple[str, str, str, bool], list] = {}

    def add(self, file: str, row: int | None, field: str | None, message: str) -> None:
        """Record one problem."""
        self.problems.append(Problem(file, row, field, message))

    def number(
        self,
        file: str,
        row: int | None,
        field: str,
        value: Any,
        lo: float | None = None,
        hi: float | None = None,
        integer: bool = False,
    ) -> float | None:
        """Return ``value`` as a finite float in ``[lo, hi]``, or record why it is not."""
        if isinstance(value, bool):
            self.add(file, row, field, f"{value!r} is not a number")
            return None
        try:
            x = float(value)
        except (TypeError, ValueError, OverflowError):
            self.add(file, row, field, f"{value!r} is not a number")
            return None
        if math.isnan(x) or math.isinf(x):
            self.add(file, row, field, f"{value!r} is not a finite number")
            return None
        if lo is not None and x < lo or hi is not None and x > hi:
            self.add(file, row, field, f"{value!r} is outside {range_text(lo, hi)}")
            return None
        if integer and x != int(x):
            self.add(file, row, field, f"{value!r} is not a whole number")
            return None
        return x

    def choice(
        self, file: str, row: int | None, field: str, value: Any, allowed: Collection
    ) -> Any | None:
        """Return ``value`` if it is in ``allowed``, else record a problem naming them."""
        if not _member(value, allowed):
            self.add(file, row, field, f"{value!r} is not one of {sorted(map(str, allowed))}")
            return None
        return value

    def reference(
        self,
        file: str,
        row: int | None,
        field: str,
        value: Any,
        allowed: Collection | None,
        source: str,
    ) -> Any | None:
        """Like :meth:`choice` for ids defined in ``source``; None = that file failed.

        A reference into a file that could not be read, or to an id missing from a
        file with problems, is counted as a follow-on of that file (summarised once)
        rather than reported row by row.
        """
        if allowed is not None and _member(value, allowed):
            return value
        if allowed is not None and not self.has_problems(source):
            return self.choice(file, row, field, value, allowed)
        entry = self.follow_ons.setdefault((file, field, source, allowed is not None), [0, []])
        entry[0] += 1
        if len(entry[1]) < 3 and value not in entry[1]:
            entry[1].append(value)
        return None

    def has_problems(self, file: str) -> bool:
        """Whether a problem of ``file`` (or of an item in it) has been recorded."""
        return any(p.file == file or p.file.startswith(f"{file} (") for p in self.problems)

    def error(self, folder: str) -> WorldFileError:
        """Return the error: root causes first, then one line per kind of follow-on."""
        summary = [
            Problem(file, None, field, _follow_on(n, source, read, examples))
            for (file, field, source, read), (n, examples) in self.follow_ons.items()
        ]
        return WorldFileError(folder, [*self.problems, *summary])

    @property
    def failed(self) -> bool:
        """Whether any problem (or follow-on) was recorded."""
        return bool(self.problems or self.follow_ons)


def _member(value: Any, allowed: Collection) -> bool:
    try:
        return value in allowed
    except TypeError:  # an unhashable value (a YAML list or mapping)
        return False


_LISTED = "which has problems (listed above)"


def _follow_on(n: int, source: str, read: bool, examples: list) -> str:
    if not read:
        return (
            f"{n:,} row(s) not checked: they refer to {source}, which has problems (listed above)"
        )
    shown = ", ".join(repr(v) for v in examples)
    return f"{n:,} row(s) refer to ids missing from {source} (e.g. {shown}), " + _LISTED


def complete(*values: Any) -> bool:
    """Tell whether no value is None (None marks a value that failed its check)."""
    return all(v is not None for v in values)


def range_text(lo: float | None, hi: float | None) -> str:
    """Format an interval, e.g. ``[0, inf]``.

    Examples
    --------
    >>> range_text(0, None)
    '[0, inf]'
    """
    low = "-inf" if lo is None else f"{lo:g}"
    high = "inf" if hi is None else f"{hi:g}"
    return f"[{low}, {high}]"


def rows(df: pd.DataFrame | None) -> Iterator[tuple[int, dict]]:
    """Yield (line number in the file, row as dict); the header is line 1; none if no table."""
    if df is None:
        return
    for i, rec in enumerate(df.to_dict("records")):
        yield i + 2, rec


def duplicates(
    chk: Checker, file: str, row: int, key: tuple, seen: dict[tuple, int], what: str
) -> bool:
    """Record a duplicate ``key`` (first seen on another line); True if it is one."""
    if key in seen:
        chk.add(file, row, what, f"duplicate {key!r}: already on line {seen[key]}")
        return True
    seen[key] = row
    return False
