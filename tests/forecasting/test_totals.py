"""Reading totals and the totals-only forecasters."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from forecasting.backtest import interval
from forecasting.errors import InputError, ProjectionError
from forecasting.totals import (
    ConstantPopulation,
    DampedETS,
    Exponential,
    Linear,
    LinearExponentialAverage,
    ShareOfRegion,
    as_history,
)
from forecasting.totals_inputs import read_totals

YEARS = np.arange(1990, 2011)
ALL_METHODS = [
    Linear(),
    Exponential(),
    LinearExponentialAverage(),
    ConstantPopulation(),
    DampedETS(),
    ShareOfRegion(),
]


def history(values: np.ndarray, areas=("001", "002")) -> xr.DataArray:
    return xr.DataArray(
        np.asarray(values, dtype=float),
        dims=("area", "year"),
        coords={"area": list(areas), "year": YEARS[: np.shape(values)[1]]},
    )


def noisy(seed: int = 0) -> xr.DataArray:
    rng = np.random.default_rng(seed)
    t = np.arange(len(YEARS))
    log = np.log([[5000.0], [120000.0]]) + [[-0.01], [0.008]] * t
    return history(np.exp(log + rng.normal(0, 0.005, log.shape).cumsum(axis=1)))


# --- read_totals -------------------------------------------------------------


def test_read_totals_keeps_codes_as_strings(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("municipality_code,municipality_name,year,population\n005,A,2023,10\n")
    frame = read_totals(path)
    assert frame["area"].tolist() == ["005"]
    assert frame["population"].dtype == np.int64


def test_read_totals_reports_every_problem(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "code,year,population\n"
        "005,2022,10\n"
        "005,2022,11\n"  # row 2: duplicate
        "005,2023,nan\n"  # row 3: NaN
        "009,2023,1.5\n"  # row 4: not whole
        ",2023,3\n"  # row 5: empty code
        "010,20x3,-4\n"  # row 6: year and population
        "011,2023,\n"  # row 7: empty population
    )
    with pytest.raises(InputError) as info:
        read_totals(path, area_column="code")
    problems = info.value.problems
    expected = [
        "t.csv row 2 column 'year': duplicate",
        "t.csv row 3 column 'population': not a number ('nan')",
        "t.csv row 4 column 'population': not a whole number ('1.5')",
        "t.csv row 5 column 'code': empty area code",
        "t.csv row 6 column 'year': not a number ('20x3')",
        "t.csv row 6 column 'population': -4 outside",
        "t.csv row 7 column 'population': empty cell",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)
    assert len(problems) == len(expected)


def test_read_totals_missing_columns(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("area,year\n1,2000\n")
    with pytest.raises(InputError) as info:
        read_totals(path)
    assert info.value.problems == (
        "t.csv header row column 'municipality_code': missing column",
        "t.csv header row column 'population': missing column",
    )


def test_history_from_frame_and_gaps():
    frame = pd.DataFrame({"area": ["a", "a", "b", "b"], "year": [1, 2, 1, 2], "population": 1})
    assert as_history(frame).dims == ("area", "year")
    with pytest.raises(ProjectionError):
        as_history(frame.iloc[:3])


# --- point forecasts ---------------------------------------------------------


def test_linear_reproduces_a_linear_series():
    values = np.array([[1000.0], [50000.0]]) + np.array([[-7.0], [120.0]]) * np.arange(21)
    result = Linear().fit(history(values)).forecast([1, 5, 20])
    expected = values[:, -1:] + np.array([[-7.0], [120.0]]) * [1, 5, 20]
    np.testing.assert_allclose(result.to_numpy(), expected)
    assert result["year"].values.tolist() == [2011, 2015, 2030]
    assert result.dims == ("area", "year")


def test_exponential_reproduces_an_exponential_series():
    values = np.array([[1000.0], [50000.0]]) * np.exp([[-0.02], [0.01]] * np.arange(21))
    result = Exponential().fit(history(values)).forecast(20)
    expected = values[:, -1:] * np.exp([[-0.02], [0.01]] * np.arange(1, 21))
    np.testing.assert_allclose(result.to_numpy(), expected, rtol=1e-12)


def test_average_and_constant():
    values = np.array([[100.0, 110, 120, 130]])
    data = history(values, areas=["a"])
    average = LinearExponentialAverage(base_period=3).fit(data).forecast(3).to_numpy()
    linear = 130 + 10 * np.arange(1, 4)
    exponential = 130 * (130 / 100) ** (np.arange(1, 4) / 3)
    np.testing.assert_allclose(average[0], (linear + exponential) / 2)
    constant = ConstantPopulation().fit(data).forecast([1, 7]).to_numpy()
    np.testing.assert_array_equal(constant, [[130.0, 130.0]])


def test_base_period_uses_only_its_years():
    values = np.array([[500.0] * 10 + list(100.0 + 10 * np.arange(11))])
    result = Linear(base_period=10).fit(history(values, areas=["a"])).forecast(1)
    assert float(result[0, 0]) == pytest.approx(210.0)


def test_damped_ets_matches_statsmodels():
    data = noisy()
    result = DampedETS().fit(data)
    y = np.log(data.to_numpy()[1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = ETSModel(y - y[-1], error="add", trend="add", damped_trend=True).fit(disp=False)
    expected = np.exp(fitted.forecast(10) + y[-1])
    np.testing.assert_allclose(result.forecast(10).to_numpy()[1], expected, rtol=1e-9)
    assert result.params["sigma"][1] == pytest.approx(np.sqrt(fitted.mse), rel=1e-9)


def test_damped_ets_follows_a_steady_exponential_trend():
    values = np.array([[2000.0], [30000.0]]) * np.exp([[-0.01], [0.015]] * np.arange(21))
    forecast = DampedETS().fit(history(values)).forecast(5).to_numpy()
    expected = values[:, -1:] * np.exp([[-0.01], [0.015]] * np.arange(1, 6))
    np.testing.assert_allclose(forecast, expected, rtol=0.02)


def test_share_of_region_sums_to_region_forecast():
    data = noisy()
    mapping = {"001": "r", "002": "r"}
    shares = ShareOfRegion(regions=mapping).fit(data)
    region = DampedETS().fit(data.sum("area").expand_dims(area=["r"]))
    total = shares.forecast([5, 10]).sum("area").to_numpy()
    np.testing.assert_allclose(total, region.forecast([5, 10]).to_numpy()[0], rtol=1e-10)
    paths = shares.simulate([5, 10], 20, np.random.default_rng(3))
    region_paths = region.simulate([5, 10], 20, np.random.default_rng(3))
    np.testing.assert_allclose(paths.sum("area"), region_paths.isel(area=0), rtol=1e-10)


def test_share_of_region_default_region_is_all_areas():
    data = noisy()
    a = ShareOfRegion().fit(data).forecast(5)
    b = ShareOfRegion(regions={"001": "x", "002": "x"}).fit(data).forecast(5)
    xr.testing.assert_allclose(a, b)


def test_share_of_region_separate_regions_are_independent():
    data = noisy()
    split = ShareOfRegion(regions={"001": "x", "002": "y"}).fit(data).forecast(5)
    alone = DampedETS().fit(data).forecast(5)
    xr.testing.assert_allclose(split, alone)


# --- simulation --------------------------------------------------------------


@pytest.mark.parametrize("method", ALL_METHODS, ids=lambda m: type(m).__name__)
def test_simulate_is_reproducible_and_shaped(method):
    fitted = method.fit(noisy())
    first = fitted.simulate([5, 10], 50, np.random.default_rng(11))
    again = fitted.simulate([5, 10], 50, np.random.default_rng(11))
    other = fitted.simulate([5, 10], 50, np.random.default_rng(12))
    assert first.dims == ("sample", "area", "year")
    assert first.shape == (50, 2, 2)
    xr.testing.assert_equal(first, again)
    assert not np.allclose(first, other)
    assert (first > 0).all()
    assert first.attrs["units"] == "persons"


@pytest.mark.parametrize("method", ALL_METHODS, ids=lambda m: type(m).__name__)
def test_paths_centre_on_the_point_forecast(method):
    fitted = method.fit(noisy())
    point = fitted.forecast([1, 10])
    median = fitted.simulate([1, 10], 4000, np.random.default_rng(5)).median("sample")
    np.testing.assert_allclose(median, point, rtol=0.02)


def test_trend_interval_width_follows_the_documented_variance():
    rng = np.random.default_rng(0)
    log = np.log(1000.0) + np.cumsum(rng.normal(0.01, 0.02, 41))
    data = xr.DataArray([np.exp(log)], dims=("area", "year"),
                        coords={"area": ["a"], "year": np.arange(1970, 2011)})  # fmt: skip
    fitted = Exponential(base_period=10).fit(data)
    paths = fitted.simulate([4, 16], 20000, np.random.default_rng(1))
    sigma = np.std(np.diff(log[-11:]), ddof=1)
    spread = np.log(paths / fitted.forecast([4, 16])).std("sample").to_numpy()[0]
    expected = sigma * np.sqrt(np.array([4, 16]) * (1 + np.array([4, 16]) / 10))
    np.testing.assert_allclose(spread, expected, rtol=0.03)


def test_interval_levels_nest():
    samples = xr.DataArray(np.random.default_rng(0).normal(size=(1000, 3)), dims=("sample", "area"))
    low80, up80 = interval(samples, 0.8)
    low95, up95 = interval(samples, 0.95)
    assert (low95 < low80).all() and (up80 < up95).all()
    with pytest.raises(ValueError):
        interval(samples, 80)


def test_horizons_must_be_positive():
    with pytest.raises(ProjectionError):
        Linear().fit(noisy()).forecast([0, 5])


def test_results_are_immutable():
    fitted = Linear().fit(noisy())
    with pytest.raises(ValueError):
        fitted.params["slope"][0] = 1.0
    with pytest.raises(TypeError):
        fitted.params["slope"] = np.zeros(2)
