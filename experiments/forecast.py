"""The population forecast a run follows: moved to :mod:`scenarios.run_forecast`."""

from scenarios.run_forecast import (
    build_forecast,
    build_seasonal_path,
    build_seasonal_stock,
    follows_seasonal_forecast,
    region_age_history,
    seasonal_path_of,
)

__all__ = [
    "build_forecast",
    "build_seasonal_path",
    "build_seasonal_stock",
    "follows_seasonal_forecast",
    "region_age_history",
    "seasonal_path_of",
]
