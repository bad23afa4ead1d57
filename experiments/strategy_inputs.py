"""Inputs a strategy plans on besides its parameters: moved to :mod:`scenarios.compose`."""

from scenarios.compose import with_seasonal_forecast

__all__ = ["with_seasonal_forecast"]
