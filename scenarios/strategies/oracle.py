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

import itertools
from dataclasses import dataclass
from typing import Any

import xarray as xr

from scenarios.errors import ScenarioError
from scenarios.strategies.registry import build_strategy, with_inputs


@dataclass(frozen=True)
class OracleSearch:
    """Parameter grid the oracle tries with perfect foresight.

    Parameters
    ----------
    strategies : tuple of str
        Strategies whose parameters are searched (they plan with expected demand).
    lead_time_months : tuple of int
        Lead times tried, months (>= 0).
    noise_z : tuple of float
        Month-to-month demand noise planned for, Poisson standard deviations (>= 0).
    slack : tuple of float
        Shares above the requirement at which capacity is cut back (>= 0).

    Examples
    --------
    >>> len(OracleSearch().candidates())
    8
    >>> OracleSearch(lead_time_months=(-1,))
    Traceback (most recent call last):
    ...
    scenarios.errors.ScenarioError: oracle search: lead_time_months=(-1,): values must be >= 0
    """

    strategies: tuple[str, ...] = ("proactive", "season_aware")
    lead_time_months: tuple[int, ...] = (6, 12)
    noise_z: tuple[float, ...] = (1.0, 1.645)
    slack: tuple[float, ...] = (0.25,)

    def __post_init__(self) -> None:
        for name in ("lead_time_months", "noise_z", "slack"):
            values = getattr(self, name)
            if not values or min(values) < 0:
                raise ScenarioError(f"oracle search: {name}={values!r}: values must be >= 0")
        for name in self.strategies:
            build_strategy(name)  # unknown names are refused with the allowed ones

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
