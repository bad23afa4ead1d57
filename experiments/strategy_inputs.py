"""Inputs a strategy plans on besides its parameters, made by the experiments layer.

The population forecast and the realised demand are passed in :mod:`experiments.run`;
this module adds the seasonal-resident stock forecast for the strategies that take it
(``season_aware``).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from experiments.forecast import build_seasonal_stock
from experiments.settings import RunSettings
from scenarios.strategies import with_inputs
from simulation.world import World


def with_seasonal_forecast(
    strategy: Any, world: World, data_dir: Path, settings: RunSettings
) -> Any:
    """Return the strategy with every sample path of the seasonal-stock forecast.

    Only strategies with a ``seasonal_forecast`` field get it (the forecast is made
    only for them): ``free_time_residences`` (sample, year) of
    :func:`experiments.forecast.build_seasonal_stock`, years from the base year.
    Nothing changes when ``forecast.seasonal`` is ``constant`` or the world has no
    free-time residences.

    Raises
    ------
    InputError
        If the free-time residence file is invalid (see ``build_seasonal_stock``).
    """
    if "seasonal_forecast" not in {f.name for f in dataclasses.fields(strategy)}:
        return strategy
    stock = build_seasonal_stock(world, data_dir, settings)
    if stock is None:
        return strategy
    return with_inputs(strategy, seasonal_forecast=stock["free_time_residences"])
