"""The oracle's search: the strategies' parameters tried with perfect foresight.

Regret is measured against the best plan found for the same run. The oracle knows
the run's future: the planning strategies are given the run's own population path
(the forecast sample path the run follows, as a one-sample forecast, and the same
path of the seasonal-stock forecast) instead of the forecast's spread, and their
parameters are searched over a small grid (:class:`OracleSearch`): the lead time,
the demand noise planned for and the cut-back threshold. The best plan found is the
lowest objective among those runs, ``perfect_foresight`` (the realised demand, default
parameters), doing nothing, and the run itself; so regret is never negative by
construction. The grid is deterministic and every run uses the run's seed: the same
spec gives the same oracle.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import xarray as xr

from scenarios.errors import ScenarioError
from scenarios.strategies.registry import STRATEGIES, build_strategy, with_inputs

#: Parameters every searched strategy takes (the grid's, plus what ``foreseeing`` sets).
SEARCHED_PARAMS = ("lead_time_months", "noise_z", "slack", "quantile", "lookahead_years")


def searchable_strategies() -> list[str]:
    """Strategies the oracle can search: those taking every parameter of the grid.

    Examples
    --------
    >>> searchable_strategies()
    ['optimised', 'proactive', 'season_aware']
    """
    return sorted(
        name
        for name, cls in STRATEGIES.items()
        if set(SEARCHED_PARAMS) <= {f.name for f in dataclasses.fields(cls)}
    )


@dataclass(frozen=True)
class OracleSearch:
    """Parameter grid the oracle tries with perfect foresight (the ``oracle.*`` options).

    Parameters
    ----------
    strategies : tuple of str
        Strategies whose parameters are searched, among :func:`searchable_strategies`
        (they plan with expected demand); empty: no search.
    lead_time_months : tuple of int
        Lead times tried, months (integers >= 0).
    noise_z : tuple of float
        Month-to-month demand noise planned for, Poisson standard deviations (>= 0).
    slack : tuple of float
        Shares above the requirement at which capacity is cut back (>= 0).

    Raises
    ------
    ScenarioError
        Naming the option as the command line spells it (``oracle.noise_z``) and the
        allowed values.

    Examples
    --------
    >>> len(OracleSearch().candidates())
    8
    >>> OracleSearch(lead_time_months=(-1,))
    Traceback (most recent call last):
    ...
    scenarios.errors.ScenarioError: oracle.lead_time_months=[-1]: allowed values are a \
non-empty list of integers >= 0
    """

    strategies: tuple[str, ...] = ("proactive", "season_aware")
    lead_time_months: tuple[int, ...] = (6, 12)
    noise_z: tuple[float, ...] = (1.0, 1.645)
    slack: tuple[float, ...] = (0.25,)

    def __post_init__(self) -> None:
        allowed = searchable_strategies()
        names = _values(self.strategies)
        if names is None or any(not isinstance(n, str) or n not in allowed for n in names):
            raise ScenarioError(
                f"oracle.strategies={_shown(self.strategies)}: allowed values are a list "
                f"of {allowed} (empty: no search)"
            )
        object.__setattr__(self, "strategies", tuple(names))
        leads = _values(self.lead_time_months)
        if not leads or any(not _is_int(v) or v < 0 for v in leads):
            raise ScenarioError(
                f"oracle.lead_time_months={_shown(self.lead_time_months)}: allowed values "
                "are a non-empty list of integers >= 0"
            )
        object.__setattr__(self, "lead_time_months", tuple(int(v) for v in leads))
        for name in ("noise_z", "slack"):
            given = getattr(self, name)
            values = _values(given)
            if not values or any(not _is_number(v) or not 0 <= v < math.inf for v in values):
                raise ScenarioError(
                    f"oracle.{name}={_shown(given)}: allowed values are a non-empty list "
                    "of finite numbers >= 0"
                )
            object.__setattr__(self, name, tuple(float(v) for v in values))

    def candidates(self) -> list[tuple[str, dict[str, Any]]]:
        """Every (strategy, parameters) pair of the grid, in a fixed order."""
        grid = itertools.product(self.strategies, self.lead_time_months, self.noise_z, self.slack)
        return [
            (name, {"lead_time_months": lead, "noise_z": z, "slack": slack, "quantile": 0.5})
            for name, lead, z, slack in grid
        ]


def foreseeing(
    name: str,
    params: dict[str, Any],
    forecast: xr.Dataset,
    sample: int,
    seasonal_stock: xr.Dataset | None = None,
):
    """Build strategy ``name`` that plans on the run's own population path.

    Parameters
    ----------
    name, params
        The strategy and its parameters.
    forecast : xarray.Dataset
        The population forecast (sample, area, year, sex, age).
    sample : int
        The sample path the run follows.
    seasonal_stock : xarray.Dataset, optional
        The seasonal-stock forecast (``free_time_residences`` by sample and year).
    """
    lookahead = max(2, -(-int(params.get("lead_time_months", 0)) // 12))
    strategy = build_strategy(name, lookahead_years=lookahead, **params)
    inputs: dict[str, Any] = {"forecast": forecast.isel(sample=[sample])}
    if seasonal_stock is not None:
        stock = seasonal_stock["free_time_residences"]
        inputs["seasonal_forecast"] = stock.isel(sample=[sample])
    return with_inputs(strategy, **inputs)


def _values(given: Any) -> list[Any] | None:
    """Return the items of a list or tuple option, or None if it is not one (nor text)."""
    if isinstance(given, str | bytes) or not isinstance(given, Sequence):
        return None
    return list(given)


def _shown(given: Any) -> str:
    """Return an option's value as the command line writes it (a tuple as a list)."""
    values = _values(given)
    return repr(given) if values is None else repr(values)


def _is_int(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def _is_number(value: Any) -> bool:
    return _is_int(value) or isinstance(value, float | np.floating)
