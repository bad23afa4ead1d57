"""Sample paths of a world's own schedules: the synthetic "Lake Side" world, 10 years.

Builds the three-zone world of ``tests/test_world_own_data.py`` (the synthetic area
"Lake Side" of ``forecasting/synthetic.py``, base year 2020, with its own
``population_age_sex.csv``, ``births.csv`` and ``deaths.csv``) in FOLDER, forecasts it
with the default options (stochastic, 100 samples, seed 0) and deterministically, and
prints the 10/50/90 % quantiles of the total, of ages 0-6 and of the TFR beside the
deterministic path. Run from the repository root:

    PYTHONPATH=. python docs/research/own_paths.py /tmp/own-paths-world
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import servicesim
from tests.test_world_own_data import AREA, own_world


def main() -> None:
    """Print the quantiles of the stochastic forecast and the deterministic path."""
    folder, _ = own_world(Path(sys.argv[1]))
    start = time.perf_counter()
    ds = servicesim.forecast(str(folder), horizon_years=10)
    elapsed = time.perf_counter() - start
    det = servicesim.forecast(str(folder), horizon_years=10,
                              options={"method": "deterministic", "n_samples": 1})  # fmt: skip
    for label, ages in (("total", slice(0, 100)), ("0-6", slice(0, 6))):
        paths = ds["population"].sel(age=ages).sum(("sex", "age")).sel(area=AREA)
        path = det["population"].isel(sample=0).sel(age=ages).sum(("sex", "age")).sel(area=AREA)
        for year in (2021, 2025, 2030):
            q = paths.sel(year=year).quantile([0.1, 0.5, 0.9], "sample").values.round()
            print(f"{label} {year}: deterministic {float(path.sel(year=year)):.0f}, "
                  f"p10/p50/p90 {q.tolist()}")  # fmt: skip
    tfr = ds["tfr"].sel(area=AREA, year=2030).quantile([0.1, 0.5, 0.9], "sample").values
    print(f"TFR 2030 p10/p50/p90 {tfr.round(3).tolist()}; stochastic forecast {elapsed:.1f} s")


if __name__ == "__main__":
    main()
