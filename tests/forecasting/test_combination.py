"""Combinations of simple totals forecasts; the default totals method TrendAverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from forecasting.combination import DampedTrend, TrendAverage, TrendCombination
from forecasting.errors import ProjectionError
from forecasting.methods import METHODS, method_specs
from forecasting.totals import Exponential, Linear, LinearExponentialAverage, as_history
from forecasting.totals_inputs import read_totals
from forecasting.trend_share import TrendShare


@pytest.fixture
def history():
    years = np.arange(2000, 2012)
    grow = 1000 * 1.02 ** (years - 2000)
    shrink = 5000 - 60 * (years - 2000)
    return xr.DataArray([grow, shrink], dims=("area", "year"),
                        coords={"area": ["up", "down"], "year": years})  # fmt: skip


def test_the_average_is_the_mean_of_its_members(history):
    steps = [1, 5, 10]
    parts = [m(base_period=10).fit(history).forecast(steps) for m in (Linear, Exponential,
                                                                       TrendShare)]  # fmt: skip
    combined = TrendAverage().fit(history).forecast(steps)
    np.testing.assert_allclose(combined.values, sum(p.values for p in parts) / 3)
    naive = LinearExponentialAverage().fit(history).forecast(steps)
    share = TrendShare().fit(history).forecast(steps)
    np.testing.assert_allclose(combined.values, (2 * naive.values + share.values) / 3)


def test_median_drops_the_outlying_member(history):
    members = ("linear", "exponential", "constant")
    median = TrendCombination(members, average="median").fit(history).forecast([10])
    parts = np.stack([TrendCombination((m,)).fit(history).forecast([10]).values
                      for m in members])  # fmt: skip
    np.testing.assert_allclose(median.values, np.median(parts, axis=0))


def test_damped_trend_flattens_with_horizon(history):
    f = DampedTrend(phi=0.8).fit(history).forecast([1, 10, 40]).sel(area="down").values
    slope = -60.0
    assert f[0] == pytest.approx(history.sel(area="down")[-1] + 0.8 * slope)
    assert f[2] - f[1] > 30 * slope * 0.8**11  # later years move less than the trend
    with pytest.raises(ProjectionError, match="phi"):
        DampedTrend(phi=1.5).fit(history)


def test_bad_members_are_refused(history):
    with pytest.raises(ProjectionError, match="members"):
        TrendCombination(("linear", "oracle")).fit(history)
    with pytest.raises(ProjectionError, match="average"):
        TrendCombination(average="mode").fit(history)


def test_trend_average_is_the_default_and_has_empirical_intervals():
    assert next(iter(METHODS)) == "trend_average"
    spec = method_specs(["trend_average"], 10, empirical_intervals=False)["trend_average"]
    assert isinstance(spec.method, TrendAverage)


def test_trend_average_beats_the_naive_average_out_of_sample(shared_data):
    """Finnish municipal totals, launches after the selection launches (1982-1995)."""
    totals = as_history(read_totals(shared_data / "finland_municipal_population_totals.csv"))
    years = totals["year"].values
    rows = []
    for launch in range(1996, int(years[-1]) - 4):
        steps = [h for h in (5, 10, 20) if launch + h <= years[-1]]
        past = totals.sel(year=slice(None, launch))
        observed = totals.sel(year=[launch + h for h in steps]).values
        for name, spec in (("average", TrendAverage()), ("naive", LinearExponentialAverage())):
            ape = np.abs(spec.fit(past).forecast(steps).values / observed - 1)
            rows += [(name, h, ape[:, k].mean()) for k, h in enumerate(steps)]
    mape = pd.DataFrame(rows, columns=["method", "horizon", "ape"])
    mape = mape.groupby(["method", "horizon"])["ape"].mean().unstack()
    assert (mape.loc["average"] < mape.loc["naive"]).all(), mape
