"""Summary metrics of the seeded Sysmä baseline run, shared by the test and its updater."""

from __future__ import annotations

import xarray as xr
from hydra import compose, initialize_config_module

from experiments.compose import run_one
from experiments.settings import settings_from_config

BASELINE_OVERRIDES = ["world=sysma", "horizon_years=5", "seed=42", "simulation.progress=false"]


def baseline_run() -> xr.Dataset:
    with initialize_config_module(version_base="1.3", config_module="experiments.conf"):
        cfg = compose("config", overrides=BASELINE_OVERRIDES)
    return run_one(settings_from_config(cfg))


def summary_metrics(ds: xr.Dataset) -> dict:
    """Integers per service and year (exact) and mean utilisation (float)."""
    out: dict = {"residents_end": [int(v) for v in ds["residents_end"].sum("zone").values]}
    for name in ("births", "deaths"):
        out[name] = [int(v) for v in ds[name].sum("zone").values]
    by_year = ds[["demand_zone", "unmet_zone"]].sum("zone").groupby("time.year").sum()
    for service in ds["service"].values:
        s = str(service)
        out[f"demand.{s}"] = [int(v) for v in by_year["demand_zone"].sel(service=s).values]
        out[f"unmet.{s}"] = [int(v) for v in by_year["unmet_zone"].sel(service=s).values]
        util = ds["utilisation"].sel(service=s).mean().item()
        out[f"utilisation_mean.{s}"] = None if util != util else round(float(util), 6)
    return out
