"""Exceptions raised by the forecasting package.

Examples
--------
>>> err = InputError(["tfr.csv row 3 column 'tfr': not a number ('x')"])
>>> err.problems
("tfr.csv row 3 column 'tfr': not a number ('x')",)
>>> isinstance(err, ForecastingError) and isinstance(err, ValueError)
True
"""

from __future__ import annotations

from collections.abc import Iterable


class ForecastingError(Exception):
    """Base class of every error raised by :mod:`forecasting`."""


class InputError(ForecastingError, ValueError):
    """Input files (rate tables, population, births, deaths) missing, malformed or out of range.

    Parameters
    ----------
    problems : iterable of str
        One message per problem, each naming the file, the row and the column.
    """

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the input files:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))


class ProjectionError(ForecastingError, ValueError):
    """Arrays whose dimensions, coordinates or years do not fit together."""


class CalibrationError(ForecastingError, ValueError):
    """A rate assumption that cannot reach its calibration target."""
