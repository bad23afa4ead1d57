"""Horizon-dependent width factors: chosen on selection launches, applied to later ones."""

from __future__ import annotations

import numpy as np
import xarray as xr

from forecasting.calibration import coverage, scale_intervals, width_scales


def backtest(seed: int = 0) -> tuple[xr.Dataset, xr.DataArray, xr.DataArray]:
    """Log errors N(0, 0.01 h), intervals half the true 80 % width; h=3 not seen in selection."""
    rng = np.random.default_rng(seed)
    launches, horizons = np.arange(2000, 2020), np.array([1, 2, 3])
    f = xr.DataArray(np.full((20, 3, 200), 1000.0), dims=("launch_year", "horizon", "area"),
                     coords={"launch_year": launches, "horizon": horizons})  # fmt: skip
    sd = 0.01 * xr.DataArray(horizons, dims="horizon", coords={"horizon": horizons})
    observed = f * np.exp(sd * f.copy(data=rng.standard_normal(f.shape)))
    observed = observed.where((observed["launch_year"] >= 2010) | (observed["horizon"] < 3))
    half = 0.5 * 1.2816 * sd  # half the width of the true 80 % interval
    return xr.Dataset({"forecast": f, "observed": observed}), f * np.exp(-half), f * np.exp(half)


def test_factors_widen_too_narrow_intervals_to_the_target_out_of_sample():
    ds, lower, upper = backtest()
    scale = width_scales(ds, lower, upper, slice(2000, 2009))
    assert np.allclose(scale.sel(horizon=[1, 2]), 2.0, atol=0.15)
    assert float(scale.sel(horizon=3)) == float(scale.sel(horizon=2))  # carried on
    lo, hi = scale_intervals(ds["forecast"], lower, upper, scale)
    later = {"launch_year": slice(2010, 2019), "horizon": [1, 2]}
    before = coverage(ds["observed"].sel(later), lower.sel(later), upper.sel(later),
                      ("launch_year", "area"))  # fmt: skip
    after = coverage(ds["observed"].sel(later), lo.sel(later), hi.sel(later),
                     ("launch_year", "area"))  # fmt: skip
    assert (before < 50).all() and (abs(after - 80) < 3).all(), (before.values, after.values)
