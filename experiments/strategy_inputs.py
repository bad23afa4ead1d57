"""Inputs a strategy plans on besides its parameters, made by the experiments layer.

The population forecast and the realised demand are passed in :mod:`experiments.run`;
this module adds the seasonal-resident stock forecast (made once per run, or once per
sweep through the forecast cache) for the strategies that take it (``season_aware``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import xarray as xr

from scenarios.strategies import with_inputs


def with_seasonal_forecast(strategy: Any, stock: xr.Dataset | None) -> Any:
    """Return the strategy with every sample path of the seasonal-stock forecast.

    Only strategies with a ``seasonal_forecast`` field get it: ``free_time_residences``
    (sample, year) of :func:`experiments.forecast.build_seasonal_stock`, years from the
    base year. Nothing changes when ``stock`` is ``None`` (``forecast.seasonal`` is
    ``constant`` or the world has no free-time residences).
    """
    if stock is None or "seasonal_forecast" not in {f.name for f in dataclasses.fields(strategy)}:
        return strategy
    return with_inputs(strategy, seasonal_forecast=stock["free_time_residences"])
