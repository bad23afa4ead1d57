"""The forecasting methods by name, as the backtest and its command line select them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from forecasting.combination import TrendAverage
from forecasting.empirical import EmpiricalIntervals
from forecasting.options import OptionError
from forecasting.totals import (
    ConstantPopulation,
    DampedETS,
    Exponential,
    Linear,
    LinearExponentialAverage,
    ShareOfRegion,
)
from forecasting.trend_share import TrendShare

__all__ = ["AGE_METHODS", "EMPIRICAL", "METHODS", "default_launch_years", "method_specs"]

METHODS = {
    "trend_average": TrendAverage,
    "trend_share": TrendShare,
    "linear_exponential_average": LinearExponentialAverage,
    "linear": Linear,
    "exponential": Exponential,
    "constant": ConstantPopulation,
    "share_of_region": ShareOfRegion,
    "damped_ets": DampedETS,
}
"""Totals methods by name."""

EMPIRICAL = (
    "trend_average",
    "trend_share",
    "linear_exponential_average",
    "linear",
    "exponential",
    "constant",
)
"""Methods whose intervals come from their own past errors (fast enough to refit inside)."""

ALWAYS_EMPIRICAL = ("trend_average", "trend_share")
"""Methods that get empirical intervals even with ``empirical_intervals=False``."""

AGE_METHODS = ("cohort_component", "cohort_component_paths", "hamilton_perry", "naive")
"""Age-structured methods by name."""


def method_specs(
    names: Sequence[str],
    base_period: int,
    empirical_intervals: bool = True,
    recent_launches: int | None = None,
) -> dict[str, object]:
    """Build the totals method specifications by name.

    ``trend_average`` (the default) and ``trend_share`` always get empirical
    intervals; with ``empirical_intervals``
    the naive trend methods get them the same way, so coverages compare.
    ``recent_launches`` (``None``: all) is the window of latest inner launches whose
    errors give the empirical intervals, see
    :class:`~forecasting.empirical.EmpiricalIntervals`.

    Raises
    ------
    OptionError
        Naming an unknown method and the allowed ones, or a bad ``recent_launches``.
    """
    names = list(names)
    unknown = [n for n in names if n not in METHODS]
    if unknown or not names:
        raise OptionError(f"methods={names}: allowed values are {sorted(METHODS)}")
    if recent_launches is not None and (
        not isinstance(recent_launches, int)
        or isinstance(recent_launches, bool)
        or recent_launches < 1
    ):
        raise OptionError(
            f"recent_launches={recent_launches}: allowed values are null (every inner launch) "
            "or an integer >= 1"
        )
    specs = {
        n: METHODS[n]() if n == "damped_ets" else METHODS[n](base_period=base_period) for n in names
    }
    wrapped = EMPIRICAL if empirical_intervals else ALWAYS_EMPIRICAL
    for name in wrapped:  # intervals from the method's own past errors
        if name in specs:
            specs[name] = EmpiricalIntervals(
                specs[name], min_history=base_period, recent_launches=recent_launches
            )
    return specs


def default_launch_years(years: np.ndarray, horizons: Sequence[int], base_period: int) -> list[int]:
    """Every launch year with a base period behind it and the longest horizon observed.

    Examples
    --------
    >>> default_launch_years(np.arange(1972, 2024), [5, 10, 20], 10)[:2]
    [1982, 1983]
    >>> default_launch_years(np.arange(1972, 2024), [5, 10, 20], 10)[-1]
    2003
    """
    return list(range(int(years.min()) + base_period, int(years.max()) - max(horizons) + 1))
