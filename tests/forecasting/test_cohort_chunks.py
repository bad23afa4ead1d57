"""The chunked projection gives the same population as the full projection."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from forecasting.cohort import project
from forecasting.cohort_chunks import project_chunked
from forecasting.errors import ProjectionError
from forecasting.rates import rates_dataset
from forecasting.types import AGES, SEXES


def inputs(n_samples=5, n_areas=3, n_years=4, seed=0):
    rng = np.random.default_rng(seed)
    base = rng.uniform(0, 100, (n_areas, 2, 101))
    ages = np.arange(101)
    fert = np.where((ages >= 15) & (ages < 50), 0.05, 0.0)
    rates = {
        "death_probability": rng.uniform(0, 0.1, (n_samples, n_areas, n_years, 2, 101)),
        "infant_death_probability": rng.uniform(0, 0.01, (n_samples, n_areas, n_years, 2)),
        "fertility_rate": fert * rng.uniform(0.5, 1.5, (n_samples, n_areas, n_years, 1)),
        "net_migration_rate": rng.normal(0, 0.05, (n_samples, n_areas, n_years, 2, 101)),
    }
    return base, rates


def test_chunks_equal_the_full_projection_in_float64():
    base, rates = inputs()
    areas = ["a", "b", "c"]
    ds = rates_dataset(areas, [2001, 2002, 2003, 2004], n_samples=5, **{k: 0.0 for k in rates})
    for name, values in rates.items():
        ds[name] = (ds[name].dims, values)
    base_da = xr.DataArray(
        base,
        dims=("area", "sex", "age"),
        coords={"area": areas, "sex": list(SEXES), "age": list(AGES)},
    )
    full = project(base_da, ds, [2001, 2002, 2003, 2004])["population"].values[:, :, 1:]
    chunked = project_chunked(base, rates, 4, lambda p: p, 5, chunk_size=2, dtype=np.float64)
    np.testing.assert_array_equal(chunked, full)


def test_float32_and_broadcast_rates_stay_close():
    base, rates = inputs(n_samples=3)
    shared = {k: v[:1, :1] for k, v in rates.items()}  # one sample, one area, broadcast
    expanded = {k: np.broadcast_to(v, (3, 3, *v.shape[2:])) for k, v in shared.items()}
    wide = project_chunked(base, expanded, 4, lambda p: p, 3, dtype=np.float64)
    narrow = project_chunked(base, shared, 4, lambda p: p, 3, chunk_size=2)
    assert narrow.dtype == np.float32
    np.testing.assert_allclose(narrow, wide, rtol=1e-4, atol=1e-3)


def test_rates_of_the_wrong_size_are_rejected():
    base, rates = inputs()
    with pytest.raises(ProjectionError, match="area has size 3, expected 1 or 2"):
        project_chunked(base[:2], rates, 4, lambda p: p, 5)
