"""Helpers for the sweep tests: start the ``servicesim`` command."""

import subprocess
import sys
from pathlib import Path

import xarray as xr

SHORT = ("horizon_years=2", "simulation.progress=false", "forecast.n_samples=20")


def command(name: str = "servicesim") -> list[str]:
    script = Path(sys.executable).parent / name
    module = {
        "servicesim": "experiments.run",
        "servicesim-report": "experiments.report_cli",
        "servicesim-world": "experiments.world_cli",
        "servicesim-backtest": "experiments.backtest_cli",
        "servicesim-dashboard": "experiments.dashboard",
    }
    return [str(script)] if script.exists() else [sys.executable, "-m", module[name]]


def servicesim(*args: str, cwd: Path, name: str = "servicesim") -> subprocess.CompletedProcess:
    return subprocess.run(
        [*command(name), *args], cwd=cwd, capture_output=True, text=True, timeout=900, check=False
    )


def load(path: Path) -> xr.Dataset:
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds.load()
