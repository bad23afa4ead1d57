"""The trend-share totals forecaster and empirical prediction intervals."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from forecasting.backtest import interval
from forecasting.empirical import EmpiricalIntervals, error_quantiles, size_class
from forecasting.errors import ProjectionError
from forecasting.totals import Linear
from forecasting.trend_share import TrendShare

YEARS = np.arange(1990, 2021)


def history(values, areas=None) -> xr.DataArray:
    values = np.asarray(values, dtype=float)
    areas = areas or [f"{i:03d}" for i in range(values.shape[0])]
    return xr.DataArray(
        values, dims=("area", "year"), coords={"area": areas, "year": YEARS[: values.shape[1]]}
    )


def random_walks(n_areas=60, seed=0, sd=0.02) -> xr.DataArray:
    rng = np.random.default_rng(seed)
    start = np.exp(rng.uniform(np.log(800), np.log(300000), n_areas))[:, None]
    return history(start * np.exp(rng.normal(0.0, sd, (n_areas, len(YEARS))).cumsum(axis=1)))


# --- TrendShare ----------------------------------------------------------------


def test_trend_share_sums_to_the_linear_region_total():
    hist = random_walks(20)
    regions = {a: ("r1" if i % 2 else "r2") for i, a in enumerate(hist["area"].values)}
    forecast = TrendShare(regions=regions, base_period=8).fit(hist).forecast([5, 10, 20])
    for name in ("r1", "r2"):
        members = [a for a, r in regions.items() if r == name]
        total = hist.sel(area=members).sum("area")
        slope = float(total.isel(year=-1) - total.isel(year=-9)) / 8
        expected = float(total.isel(year=-1)) + slope * np.array([5, 10, 20])
        np.testing.assert_allclose(forecast.sel(area=members).sum("area"), expected, rtol=1e-12)


def test_growing_shares_are_linear_and_shrinking_shares_exponential():
    # region constant at 1000: area 0 gains 10 persons a year, area 1 loses them
    t = np.arange(11)
    hist = history(np.array([500.0 + 10 * t, 500.0 - 10 * t]))
    f = TrendShare(base_period=10).fit(hist).forecast([5]).values[:, 0]
    grow = 0.6 + 0.01 * 5  # linear share
    shrink = 0.4 * (0.4 / 0.5) ** (5 / 10)  # exponential share
    np.testing.assert_allclose(f, 1000 * np.array([grow, shrink]) / (grow + shrink))


def test_trend_share_fits_only_on_the_history_it_is_given():
    hist = random_walks(10)
    early = TrendShare().fit(hist.sel(year=slice(None, 2010))).forecast(5)
    changed = hist.copy()
    changed.loc[{"year": slice(2011, None)}] *= 3
    assert early.identical(TrendShare().fit(changed.sel(year=slice(None, 2010))).forecast(5))


# --- EmpiricalIntervals ----------------------------------------------------------


def test_size_class_uses_left_closed_bins():
    assert size_class(np.array([0.0, 1999.0, 2000.0, 99999.0, 1e6])).tolist() == [0, 0, 1, 3, 4]


def test_error_quantiles_use_only_outcomes_observed_by_the_launch():
    hist = random_walks(40)
    q = error_quantiles(hist, Linear(base_period=5), 30, 5, (0, np.inf), 1)
    # inner launches 1995..2019: horizon h has outcomes from 1995..(2020 - h)
    assert not np.isnan(q[0, :25]).any() and np.isnan(q[0, 25:]).all()
    # horizon 25: only the launch 1995 (fit on 1990-1995) against 2020
    fit = Linear(base_period=5).fit(hist.sel(year=slice(None, 1995))).forecast([25])
    errors = np.log(hist.sel(year=2020).values / fit.values[:, 0])
    np.testing.assert_allclose(q[0, 24, [0, -1]], [errors.min(), errors.max()])


def test_future_data_does_not_change_the_intervals():
    hist = random_walks(40)
    spec = EmpiricalIntervals(Linear(base_period=5), min_history=5)
    launch = hist.sel(year=slice(None, 2010))
    changed = hist.copy()
    changed.loc[{"year": slice(2011, None)}] *= 1.5
    a = spec.fit(launch).simulate([5, 10], 100, np.random.default_rng(3))
    refit = spec.fit(changed.sel(year=slice(None, 2010)))
    b = refit.simulate([5, 10], 100, np.random.default_rng(3))
    assert a.identical(b)


def test_intervals_are_symmetric_in_log_and_scaled_beyond_observed_horizons():
    hist = random_walks(80)
    spec = EmpiricalIntervals(Linear(base_period=5), min_history=5, max_horizon=10)
    res = spec.fit(hist)
    q = res.params["quantiles"]
    np.testing.assert_allclose(q, -q[:, :, ::-1], atol=1e-12)
    paths = res.simulate([5, 10, 20], 500, np.random.default_rng(0))
    log_error = np.log(paths / res.forecast([5, 10, 20]))
    # errors are known up to horizon 10 only: 20 years is twice the 10-year error
    np.testing.assert_allclose(log_error.sel(year=2040), 2 * log_error.sel(year=2030), atol=1e-9)
    lower, upper = interval(paths, 0.8)
    width = np.log(upper / lower)
    assert (width.sel(year=2030) > width.sel(year=2025)).all()


def test_empirical_intervals_cover_a_stationary_error_process():
    # random walks: errors of the past describe the future, so coverage is near nominal
    hist = random_walks(300, seed=1, sd=0.015)
    launch = 2010
    res = EmpiricalIntervals(Linear(base_period=5), min_history=5, min_errors=30).fit(
        hist.sel(year=slice(None, launch))
    )
    paths = res.simulate([5], 2000, np.random.default_rng(0))
    lower, upper = interval(paths, 0.8)
    observed = hist.sel(year=launch + 5)
    inside = ((observed >= lower.isel(year=0)) & (observed <= upper.isel(year=0))).mean()
    assert 0.7 <= float(inside) <= 0.9


def test_short_history_falls_back_to_the_model_paths():
    hist = random_walks(5).isel(year=slice(0, 8))
    res = EmpiricalIntervals(Linear(base_period=5), min_history=10).fit(hist)
    rng = np.random.default_rng(0)
    expected = Linear(base_period=5).fit(hist).simulate(5, 20, np.random.default_rng(0))
    np.testing.assert_array_equal(res.simulate(5, 20, rng).values, expected.values)


def test_bad_options_are_rejected():
    with pytest.raises(ProjectionError, match="min_errors"):
        EmpiricalIntervals(Linear(), min_errors=0).fit(random_walks(3))


def test_recent_launches_keeps_only_the_latest_observed_launches():
    hist = random_walks(40)
    spec = Linear(base_period=5)
    q = error_quantiles(hist, spec, 10, 5, (0, np.inf), 1, recent_launches=1)
    # horizon 5 at launch 2020: the latest inner launch with its outcome observed is 2015
    fit = spec.fit(hist.sel(year=slice(None, 2015))).forecast([5])
    errors = np.log(hist.sel(year=2020).values / fit.values[:, 0])
    np.testing.assert_allclose(q[0, 4, [0, -1]], [errors.min(), errors.max()])
    every = error_quantiles(hist, spec, 10, 5, (0, np.inf), 1)
    assert not np.allclose(q[0, 4], every[0, 4])


def test_recent_launches_changes_the_intervals_without_look_ahead():
    # volatile early years, calm later ones: the latest launches' errors are smaller
    rng = np.random.default_rng(4)
    sd = np.where(YEARS < 2005, 0.05, 0.005)
    start = np.exp(rng.uniform(np.log(800), np.log(300000), 80))[:, None]
    hist = history(start * np.exp((rng.normal(0.0, 1.0, (80, len(YEARS))) * sd).cumsum(axis=1)))
    launch = hist.sel(year=slice(None, 2014))
    every = EmpiricalIntervals(Linear(base_period=5), min_history=5)
    recent = EmpiricalIntervals(Linear(base_period=5), min_history=5, recent_launches=3)

    def width(spec, data):
        paths = spec.fit(data).simulate([5], 400, np.random.default_rng(0))
        lower, upper = interval(paths, 0.8)
        return float(np.log(upper / lower).mean())

    assert width(recent, launch) < 0.5 * width(every, launch)
    changed = hist.copy()
    changed.loc[{"year": slice(2015, None)}] *= 2.0  # outcomes after the launch
    a = recent.fit(launch).simulate([5, 10], 50, np.random.default_rng(1))
    refit = recent.fit(changed.sel(year=slice(None, 2014)))
    b = refit.simulate([5, 10], 50, np.random.default_rng(1))
    assert a.identical(b)


def test_bad_recent_launches_are_rejected():
    with pytest.raises(ProjectionError, match="recent_launches"):
        EmpiricalIntervals(Linear(), recent_launches=0).fit(random_walks(3))
