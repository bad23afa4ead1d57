"""A file cache of population forecasts, shared by the runs of one sweep.

Every run of a sweep with the same world, rate tables, forecast options and horizon
follows the same forecast (only the sample path differs), so the first run to need it
writes it to ``<sweep dir>/.forecast_cache/forecast-<key>.nc`` and the others read it;
the free-time residence stock forecast (seasonal residents) is shared the same way, as
``seasonal-<key>.nc``. The key
hashes everything the forecast depends on, so a cached forecast is never reused for a
different input. NetCDF stores the float64 values exactly, so a run gives bit-identical
results with or without the cache.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import xarray as xr

from experiments.output import write_atomic
from experiments.runfolder import load_or_move_aside, read_netcdf
from scenarios.compose import package_version
from scenarios.spec import RunSpec


def _hash_folder(digest: hashlib._Hash, folder: Path) -> None:
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())


def forecast_key(settings: RunSpec, world_dir: Path, rates_dir: Path, version: str) -> str:
    """Hash of every input the forecast depends on.

    Parameters
    ----------
    settings : RunSpec
        The run's settings: the forecast options and the horizon enter the key; the
        run seed, scenario and strategy do not.
    world_dir, rates_dir : Path
        Folders whose file names and contents enter the key.
    version : str
        Package version, so a new release never reads an old release's forecast.

    Returns
    -------
    str
        24 hexadecimal characters.
    """
    digest = hashlib.sha256()
    options = {k: str(v) for k, v in asdict(settings.forecast).items() if k != "sample"}
    options.update(horizon_years=settings.horizon_years, version=version)
    digest.update(json.dumps(options, sort_keys=True).encode())
    _hash_folder(digest, world_dir)
    _hash_folder(digest, rates_dir)
    age_history = settings.forecast.age_history
    if age_history is not None and Path(age_history).is_file():
        digest.update(Path(age_history).read_bytes())
    return digest.hexdigest()[:24]


def seasonal_key(settings: RunSpec, world_dir: Path, rates_dir: Path, version: str) -> str:
    """Key of the seasonal-stock forecast: :func:`forecast_key` plus the residence file.

    A ``forecast.free_time_residences`` file outside the rate tables enters with its
    contents (the default file is in ``rates_dir`` and already hashed).
    """
    digest = hashlib.sha256(forecast_key(settings, world_dir, rates_dir, version).encode())
    extra = settings.forecast.free_time_residences
    if extra is not None and Path(extra).is_file():
        digest.update(Path(extra).read_bytes())
    return digest.hexdigest()[:24]


def cached_forecast(
    cache_dir: Path, key: str, build: Callable[[], xr.Dataset], prefix: str = "forecast"
) -> xr.Dataset:
    """Return the forecast stored under ``key``, building and storing it if absent.

    Parameters
    ----------
    cache_dir : Path
        Folder of cached forecasts (created if needed).
    key : str
        From :func:`forecast_key`.
    build : callable
        Makes the forecast when it is not cached yet.
    prefix : str, default "forecast"
        File name prefix (``seasonal`` for the seasonal-stock forecast).

    Returns
    -------
    xarray.Dataset
        The forecast, loaded into memory.

    Notes
    -----
    Parallel workers may both build a missing forecast; each writes a temporary file
    and renames it into place, so readers only ever see a complete file. The builder
    too reads the stored file back, so every run of a sweep uses the same values. A
    stored file that cannot be read (truncated) is moved aside as
    ``<name>.corrupt-<time>`` with a warning, and the forecast is made again
    (:func:`experiments.runfolder.load_or_move_aside`).
    """
    target = Path(cache_dir) / f"{prefix}-{key}.nc"
    stored = load_or_move_aside(target)  # an unreadable file is moved aside, then rebuilt
    if stored is None:
        write_atomic(build(), target)
        stored = read_netcdf(target)
    return stored


KEYS: dict[str, Callable[[RunSpec, Path, Path, str], str]] = {
    "forecast": forecast_key,
    "seasonal": seasonal_key,
}


class FileForecasts:
    """A :class:`scenarios.compose.ForecastSource` backed by a cache folder, or memory.

    Parameters
    ----------
    cache_dir : Path or None
        Folder of cached forecasts, e.g. ``<sweep dir>/.forecast_cache``; None: no
        file (then ``memory`` is what shares the forecasts).
    memory : bool, default False
        Also keep each forecast in memory, so a worker process that runs many runs of
        a sweep reads each file once.
    """

    def __init__(self, cache_dir: Path | None, memory: bool = False) -> None:
        self.cache_dir = None if cache_dir is None else Path(cache_dir)
        self.memory: dict[str, xr.Dataset] | None = {} if memory else None

    def __call__(
        self,
        kind: str,
        spec: RunSpec,
        world_dir: Path,
        rates: Path,
        build: Callable[[], xr.Dataset],
    ) -> xr.Dataset:
        """Return the stored forecast of ``kind`` for these inputs, making it if absent."""
        key = KEYS[kind](spec, world_dir, rates, package_version())
        if self.memory is not None and key in self.memory:
            return self.memory[key]
        if self.cache_dir is None:
            ds = build()
        else:
            ds = cached_forecast(self.cache_dir, key, build, prefix=kind)
        if self.memory is not None:
            self.memory[key] = ds
        return ds
