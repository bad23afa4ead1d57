"""Would a damped TFR trend have helped the youngest age group? (not adopted)

The regional cohort-component backtest (default options, deterministic) run twice:
with the launch year's TFR held (the default) and with the TFR moved on by its
mean yearly change over the last 5 years, damped by ``--damping`` per year ahead
(``assume_rates(tfr_trend_years=5, tfr_damping=...)``). MAPE (%) of the total and
of 0-6 at 5 and 10 years, selection launches 2000-2011 and out of sample 2012-2018.
Run from the repository root:

    PYTHONPATH=. python docs/research/tfr_trend.py --data ../shared/data --damping 0.8
"""

from __future__ import annotations

import argparse
import functools
from pathlib import Path

import forecasting.area_rates as area_rates
from forecasting.api import backtest
from forecasting.options import ForecastOptions
from forecasting.rates import assume_rates


def scores(path: Path) -> dict[str, float]:
    """MAPE by period, horizon and group of one backtest."""
    ds, _ = backtest(path, area_column="region_code", drop_areas=["246"], horizons=[5, 10],
                     launch_years=list(range(2000, 2019)), age_methods=["cohort_component"],
                     options=ForecastOptions(method="deterministic"))  # fmt: skip
    ape = (abs(ds["forecast"] / ds["observed"] - 1) * 100).isel(method=0).mean("area")
    out = {}
    for period, (lo, hi) in {"2000-2011": (2000, 2011), "2012-2018": (2012, 2018)}.items():
        part = ape.sel(launch_year=slice(lo, hi)).mean("launch_year")
        for h in (5, 10):
            for group in ("total", "0_6"):
                out[f"{period} h{h} {group}"] = float(part.sel(horizon=h, age_group=group))
    return out


def main() -> None:
    """Print both variants side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--damping", type=float, default=0.8)
    args = parser.parse_args()
    path = args.data / "finland_regional_population_age_sex.csv"
    held = scores(path)
    area_rates.assume_rates = functools.partial(
        assume_rates, tfr_trend_years=5, tfr_damping=args.damping
    )
    trend = scores(path)
    for key in held:
        print(f"{key:22s} held {held[key]:6.2f}   trend {trend[key]:6.2f}")


if __name__ == "__main__":
    main()
