"""Collecting the problems of a world folder: checked values, root causes and follow-ons.

A :class:`Checker` gathers every problem while the files are parsed. A reference to a
file that could not be read at all (``zones.csv`` with semicolons, say) is not a
problem of its own: it is counted as a *follow-on* of that file and summarised in one
line after the root causes, instead of one line per row.
"""

from __future__ import annotations

import math
from collections import Counter
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
        self.follow_ons: Counter[tuple[str, str | None, str]] = Counter()

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
        try:
            ok = value in allowed
        except TypeError:  # an unhashable value (a YAML list or mapping)
            ok = False
        if not ok:
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

        A reference into a file that could not be read is counted as a follow-on of
        it (summarised once) rather than reported row by row.
        """
        if allowed is None:
            self.follow_ons[(file, field, source)] += 1
            return None
        return self.choice(file, row, field, value, allowed)

    def error(self, folder: str) -> WorldFileError:
        """Return the error: root causes first, then one line per kind of follow-on."""
        summary = [
            Problem(
                file,
                None,
                field,
                f"{n:,} row(s) not checked: they refer to {source}, "
                "which has problems (listed above)",
            )
            for (file, field, source), n in self.follow_ons.items()
        ]
        return WorldFileError(folder, [*self.problems, *summary])

    @property
    def failed(self) -> bool:
        """Whether any problem (or follow-on) was recorded."""
        return bool(self.problems or self.follow_ons)


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
