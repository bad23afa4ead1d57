"""Empirical-Bayes shrinkage of area migration levels toward the region."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from forecasting import CalibrationError, assume_rates
from forecasting.errors import ProjectionError
from forecasting.shrinkage import shrink_toward_region, shrinkage_weights


@given(
    means=st.lists(st.floats(-0.05, 0.05), min_size=3, max_size=12),
    seed=st.integers(0, 1000),
)
@settings(max_examples=50, deadline=None)
def test_weights_lie_in_unit_interval_and_fall_with_noise(means, seed):
    rng = np.random.default_rng(seed)
    variances = rng.uniform(0, 1e-3, len(means))
    w = shrinkage_weights(np.array(means), variances)
    assert ((w >= 0) & (w <= 1)).all()
    order = np.argsort(variances)
    assert np.all(np.diff(w[order]) <= 1e-12)  # noisier areas never weigh more


def test_no_shrinkage_with_fewer_than_three_areas_or_bad_input():
    assert shrinkage_weights(np.array([0.01, 0.02]), np.array([1.0, 1.0])).tolist() == [1, 1]
    with pytest.raises(ProjectionError):
        shrinkage_weights(np.array([0.0]), np.array([-1.0]))
    with pytest.raises(ProjectionError):
        shrink_toward_region(np.zeros((3, 1)))


def areas_of_region(sysma, n_areas=8, seed=0):
    """Areas with Sysmä's structure: steady ones of different sizes and one erratic one."""
    base, history, years = sysma
    rng = np.random.default_rng(seed)
    sizes = np.linspace(2000, 40000, n_areas)
    codes = [f"{i:03d}" for i in range(n_areas)]
    structure = base.isel(area=0, drop=True) / float(base.sum())
    base_n = xr.concat([structure * s for s in sizes], dim=pd.Index(codes, name="area"))
    rows = []
    for code, size, trend in zip(codes, sizes, rng.normal(0, 0.01, n_areas), strict=True):
        noise = 0.03 if code == codes[0] else 0.001  # the smallest area is erratic
        for year in range(2012, 2024):
            value = size * (1 + trend * (year - 2023)) * (1 + rng.normal(0, noise))
            rows.append({"area": code, "year": year, "population": value})
    frame = pd.DataFrame(rows)
    frame.loc[frame["year"] == 2023, "population"] = sizes  # base year = base population
    return base_n.assign_coords(year=2023), frame, years, codes


def test_shrunk_level_is_the_weight_times_the_own_level(tables, sysma):
    base, history, years, codes = areas_of_region(sysma)
    plain = assume_rates(tables, 7, codes, history, base, years)
    shrunk = assume_rates(tables, 7, codes, history, base, years, migration_shrinkage=True)
    w = shrunk["migration_shrinkage_weight"].values
    assert w[0] < 0.5 < w[1:].min()  # the erratic small area is pulled toward the region
    np.testing.assert_allclose(
        shrunk["net_migration_level"].isel(sample=0).values,
        w * plain["net_migration_level"].isel(sample=0).values,
        rtol=1e-10,
        atol=1e-14,
    )
    assert "migration_shrinkage_weight" not in plain


def test_shrinkage_needs_every_base_period_year(tables, sysma):
    base, history, years, codes = areas_of_region(sysma)
    gappy = history[history["year"] != 2018]
    with pytest.raises(CalibrationError, match="needs every year 2013-2023"):
        assume_rates(tables, 7, codes, gappy, base, years, migration_shrinkage=True)
