"""Sensitivity of a run to the seasonal residents' use rates (an unmeasured estimate).

``python -m experiments.seasonal_sensitivity [--multipliers 0,0.5,1,1.5,2] [OVERRIDES]``

Composes the ``servicesim`` config (Hydra overrides such as ``horizon_years=10`` or
``world.name=paijat_hame`` are passed through), then runs the same scenario, strategy
and seed once per multiplier of every service's seasonal rates (1 = the world's
rates, 0 = seasonal residents use no service locally) and prints, per multiplier and
service: demand lost (% of demand, worst year), the largest P90 wait (days), the
share of months the standard is met and its status, plus the NPV of cost and whether
the plan is feasible. With ``--csv FILE`` the totals are also written to FILE (atomically),
with the run's scenario, strategy and seed; saved as ``seasonal_sensitivity.csv`` in a
sweep folder, the sweep's report shows them under "what would change the answer".
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import pandas as pd
import xarray as xr
from hydra import compose, initialize_config_module

from experiments.compose import prepare_run, simulate
from experiments.output import write_bytes_atomic
from experiments.settings import ConfigError, settings_from_config
from simulation import World


def scaled_world(world: World, multiplier: float) -> World:
    """Return ``world`` with every service's seasonal rates times ``multiplier``."""
    services = []
    for s in world.services:
        rate = s.rate.copy()
        rate[1] *= multiplier
        if s.demand_type == "enrolment":
            rate[1] = rate[1].clip(0.0, 1.0)
        services.append(dataclasses.replace(s, rate=rate))
    return dataclasses.replace(world, services=tuple(services))


def service_rows(ds: xr.Dataset, multiplier: float) -> list[dict]:
    """One row per service of a run's sensitivity figures."""
    yearly = ds[["unmet_zone", "demand_zone"]].sum("zone").groupby("time.year").sum()
    lost = 100 * yearly["unmet_zone"] / yearly["demand_zone"].where(yearly["demand_zone"] > 0)
    rows = []
    for s in ds["service"].values:
        met = float(ds["standard_months_met"].sel(service=s))
        rows.append(
            {
                "seasonal x": multiplier,
                "service": str(s),
                "lost % (worst year)": round(float(lost.sel(service=s).max()), 2),
                "max P90 wait d": round(float(ds["waiting_time_p90"].sel(service=s).max()), 1),
                "months met %": round(100 * met, 1) if met == met else float("nan"),
                "standard": str(ds["standard_status"].sel(service=s).item()),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the sweep of multipliers and print the table; 2 on a bad option."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--multipliers", default="0,0.5,1,1.5,2")
    parser.add_argument("--csv", type=Path, default=None, help="also write the totals here")
    args, overrides = parser.parse_known_args(argv)
    try:
        multipliers = [float(m) for m in args.multipliers.split(",")]
        if any(m < 0 for m in multipliers):
            raise ValueError
    except ValueError:
        print(f"error: --multipliers={args.multipliers!r}: numbers >= 0", file=sys.stderr)
        return 2
    with initialize_config_module("experiments.conf", version_base="1.3"):
        cfg = compose("config", overrides=[*overrides, "simulation.progress=false"])
    try:
        run = prepare_run(settings_from_config(cfg))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rows, totals = [], []
    for m in multipliers:
        ds = simulate(dataclasses.replace(run, world=scaled_world(run.world, m)))
        rows += service_rows(ds, m)
        totals.append(
            {
                "scenario": run.settings.scenario.name,
                "strategy": run.settings.strategy.name,
                "seed": run.settings.seed,
                "npv_cost_eur": float(ds["npv_cost"]),
                "seasonal x": m,
                "NPV of cost M EUR": round(float(ds["npv_cost"]) / 1e6, 2),
                "feasible": int(ds["feasible"]),
                "standards shortfall": round(float(ds["standards_shortfall"]), 3),
            }
        )
    table = pd.DataFrame(totals)
    if args.csv is not None:
        write_bytes_atomic(table.to_csv(index=False), args.csv)
    shown = table.drop(columns=["scenario", "strategy", "seed", "npv_cost_eur"])
    with pd.option_context("display.width", 160, "display.max_rows", 500):
        print(pd.DataFrame(rows).set_index(["seasonal x", "service"]).to_string())
        print()
        print(shown.set_index("seasonal x").to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
