"""One run with an optional forecast cache folder: the ``experiments`` side of a run.

The composition itself (world + forecast + scenario + strategy -> model -> Dataset)
is :mod:`scenarios.compose`; this module only turns a cache folder into the forecast
source a sweep shares (:class:`experiments.forecast_cache.FileForecasts`).
"""

from __future__ import annotations

from pathlib import Path

import xarray as xr

from experiments.forecast_cache import FileForecasts
from scenarios.compose import (
    PreparedRun,
    package_version,
    rates_dir,
    simulate,
)
from scenarios.compose import prepare_run as _prepare_run
from scenarios.compose import run as _run
from scenarios.spec import RunSpec

__all__ = [
    "PreparedRun",
    "package_version",
    "prepare_run",
    "rates_dir",
    "run_one",
    "simulate",
]


def _source(forecast_cache: Path | None) -> FileForecasts | None:
    return None if forecast_cache is None else FileForecasts(forecast_cache)


def prepare_run(spec: RunSpec, forecast_cache: Path | None = None) -> PreparedRun:
    """:func:`scenarios.compose.prepare_run`, sharing forecasts through a cache folder."""
    return _prepare_run(spec, _source(forecast_cache))


def run_one(spec: RunSpec, forecast_cache: Path | None = None) -> xr.Dataset:
    """:func:`scenarios.compose.run`, sharing forecasts through a cache folder.

    ``forecast_cache`` is an optional folder shared by the runs of a sweep.
    """
    return _run(spec, _source(forecast_cache))
