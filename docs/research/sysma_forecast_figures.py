"""Print the total-population figures of the README's "The forecast" section.

Run from the repository root (overrides are Hydra ``forecast.*`` options)::

    python docs/research/sysma_forecast_figures.py
    python docs/research/sysma_forecast_figures.py forecast.base_period=10 forecast.e0_trend=false \\
        forecast.old_age_mortality=false forecast.tfr_period=null

Builds the Sysmä forecast (``experiments.forecast.build_forecast``) with 200 sample
paths and ``forecast.seed=1``, stochastic and deterministic, and prints the total
population P10 / median / P90 (stochastic) and the deterministic value for 2024,
2033 and 2043, plus the assumptions' attributes.
"""

from __future__ import annotations

import sys

import numpy as np
from hydra import compose, initialize_config_module

from experiments.compose import rates_dir
from experiments.forecast import build_forecast
from experiments.settings import settings_from_config
from scenarios.worlds.loader import embedded_world_path, load_world

YEARS = (2024, 2033, 2043)


def main(overrides: list[str]) -> None:
    """Print the figures for the given extra overrides."""
    base = ["world=sysma", "horizon_years=20", "forecast.n_samples=200", "forecast.seed=1"]
    for method in ("stochastic", "deterministic"):
        with initialize_config_module(version_base="1.3", config_module="experiments.conf"):
            cfg = compose("config", overrides=[*base, f"forecast.method={method}", *overrides])
        settings = settings_from_config(cfg)
        world = load_world(embedded_world_path("sysma"))
        total = build_forecast(world, rates_dir(settings), settings)["population"].sum(
            ("area", "sex", "age")
        )
        cells = []
        for year in YEARS:
            values = total.sel(year=year).values
            if method == "stochastic":
                p10, p50, p90 = np.percentile(values, [10, 50, 90])
                cells.append(f"{year} {p10:,.0f} / {p50:,.0f} / {p90:,.0f}")
            else:
                cells.append(f"{year} {values[0]:,.0f}")
        print(f"{method}: " + "; ".join(cells))


if __name__ == "__main__":
    main(sys.argv[1:])
