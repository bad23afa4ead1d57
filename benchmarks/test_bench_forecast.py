"""Speed of the forecasting engine: the chunked projection and the totals backtest.

Run with ``pytest benchmarks/test_bench_forecast.py --benchmark-only -s``; one
round each (they take tens of seconds). Figures belong in the README, never in
assertions. Targets (issue 3): projection of 309 areas x 2 sexes x 101 ages x 30
years x 1,000 sample paths <= 30 s on one core; the full rolling-origin backtest
of the municipal totals <= 60 s.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from forecasting.api import default_launch_years, load_totals, method_specs
from forecasting.backtest import rolling_origin
from forecasting.cohort_chunks import project_chunked

SHARED = Path(__file__).parents[1].parent / "shared" / "data"
N_AREAS, N_YEARS, N_SAMPLES = 309, 30, 1000
SERVICE_AGES = [(0, 7), (7, 16), (75, 85), (85, 101)]


def synthetic_inputs(rng: np.random.Generator):
    """A Finnish-like base population and rates; mortality and fertility vary by path.

    Net migration varies by area and year (not by path), so that the rates stay
    small in memory; the projection's cost does not depend on which rates vary.
    """
    ages = np.arange(101)
    size = np.exp(rng.uniform(np.log(700), np.log(650000), N_AREAS))
    shape = np.exp(-(((ages - 45) / 30) ** 2))
    base = size[:, None, None] * np.stack([shape, shape])[None] / (2 * shape.sum())
    q = np.minimum(np.exp(-10.5 + 0.095 * ages), 0.6)  # Gompertz-like death probability
    fert = np.where((ages >= 15) & (ages <= 49), np.exp(-(((ages - 31) / 6) ** 2)), 0.0)
    fert *= 1.4 / fert.sum()  # TFR 1.4
    mig = np.where((ages >= 18) & (ages <= 30), 0.01, -0.002)
    year_factor = np.exp(rng.normal(0, 0.03, (N_SAMPLES, 1, N_YEARS)).cumsum(axis=2))
    rates = {
        "death_probability": np.clip(q / year_factor[..., None], 0, 1)[:, :, :, None, :],
        "infant_death_probability": np.full((1, 1, 1, 1), 0.002),
        "fertility_rate": fert * year_factor[..., None],
        "net_migration_rate": mig + rng.normal(0, 0.002, (1, N_AREAS, N_YEARS, 1, 1)),
    }
    return base, rates


def _group_matrix() -> np.ndarray:
    """(sex x age, group) indicator of the service age groups and the total."""
    weights = np.zeros((2, 101, len(SERVICE_AGES) + 1), dtype=np.float32)
    for g, (lo, hi) in enumerate(SERVICE_AGES):
        weights[:, lo:hi, g] = 1.0
    weights[:, :, -1] = 1.0
    return weights.reshape(202, -1)


GROUPS = _group_matrix()


def service_groups(population: np.ndarray) -> np.ndarray:
    """Persons by (sample, area, year, group): the service age groups and the total."""
    return population.reshape(*population.shape[:3], 202) @ GROUPS


def test_projection_1000_paths(benchmark):
    base, rates = synthetic_inputs(np.random.default_rng(0))

    cpu = []

    def run():
        start = time.process_time()
        out = project_chunked(base, rates, N_YEARS, service_groups, N_SAMPLES, chunk_size=10)
        cpu.append(time.process_time() - start)
        return out

    out = benchmark.pedantic(run, rounds=1, iterations=1)
    assert out.shape == (N_SAMPLES, N_AREAS, N_YEARS, 5)
    seconds = benchmark.stats.stats.min
    cells = N_SAMPLES * N_AREAS * N_YEARS * 2 * 101
    benchmark.extra_info["cpu_seconds"] = min(cpu)
    print(f"\nprojection: {cells / 1e9:.2f} G cell-years, {seconds:.1f} s wall", end=" ")
    print(f"{min(cpu):.1f} s CPU")


def test_rolling_origin_backtest_of_municipal_totals(benchmark):
    path = SHARED / "finland_municipal_population_totals.csv"
    if not path.exists():
        pytest.skip(f"shared data not found at {path}")
    totals = load_totals(path, "municipality_code")
    horizons = [5, 10, 20]
    launches = default_launch_years(totals["year"].unique(), horizons, 10)
    names = [
        "trend_average", "trend_share", "linear_exponential_average", "linear", "exponential",
        "constant",
    ]  # fmt: skip
    methods = method_specs(names, 10)

    cpu = []

    def run():
        start = time.process_time()
        rng = np.random.default_rng(np.random.SeedSequence(0))
        ds = rolling_origin(totals, methods, launches, horizons, 500, rng)
        cpu.append(time.process_time() - start)
        return ds

    ds = benchmark.pedantic(run, rounds=1, iterations=1)
    benchmark.extra_info["cpu_seconds"] = min(cpu)
    wall = benchmark.stats.stats.min
    print(f"\nbacktest: {dict(ds.sizes)}, {wall:.1f} s wall, {min(cpu):.1f} s CPU")
