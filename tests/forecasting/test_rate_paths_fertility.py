"""The pooled models of the TFR paths (forecasting.fertility) and forecast.tfr_model."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from forecasting.errors import CalibrationError
from forecasting.fertility import level_paths, pooled_step_sd, pooled_variances, walk_paths
from forecasting.options import TFR_MODELS, ForecastOptions, OptionError
from forecasting.rate_paths import TFR_MODELS as PATH_MODELS
from forecasting.rate_paths import simulate_rates
from forecasting.rates import assume_rates


@pytest.fixture(scope="module")
def assumed(tables):
    years = np.arange(2012, 2022)
    base = xr.DataArray(
        np.full((1, 2, 101), 100.0),
        dims=("area", "sex", "age"),
        coords={"area": ["x"], "sex": ["male", "female"], "age": np.arange(101)},
    )
    history = pd.DataFrame({"area": "x", "year": range(1990, 2012), "population": 20_200.0})
    return assume_rates(tables, 7, ["x"], history, base, years)


def test_pooled_variances_recover_level_and_noise_of_a_synthetic_panel():
    rng = np.random.default_rng(3)
    level = np.cumsum(rng.normal(0, 0.02, (300, 19)), axis=0)
    v = pooled_variances(pd.DataFrame(level + rng.normal(0, 0.03, (300, 19))))
    assert np.sqrt(v.level) == pytest.approx(0.02, rel=0.15)
    assert np.sqrt(v.noise) == pytest.approx(0.03, rel=0.1)
    # Pure noise: the level variance falls to its floor, all goes to the noise.
    noise_only = pooled_variances(pd.DataFrame(rng.normal(0, 0.03, (300, 19))))
    assert noise_only.level < 0.1 * noise_only.noise
    assert np.sqrt(noise_only.noise) == pytest.approx(0.03, rel=0.1)


def test_pooled_step_sd_recovers_the_walk_and_needs_data():
    rng = np.random.default_rng(4)
    walk = pd.DataFrame(np.cumsum(rng.normal(0, 0.05, (200, 19)), axis=0))
    assert pooled_step_sd(walk) == pytest.approx(0.05, rel=0.05)
    with pytest.raises(CalibrationError, match="needs 10 yearly changes"):
        pooled_step_sd(walk.iloc[:3, :2])


def test_walk_persists_so_a_five_year_mean_varies_like_one_year():
    rng = np.random.default_rng(5)
    paths = walk_paths(0.5, 0.04, 10, 20_000, rng)
    assert np.median(paths, axis=0) == pytest.approx(np.full(10, 0.5), abs=0.003)
    # sd of the mean of years 6-10 against that of year 10 alone: a walk keeps most of it.
    assert paths[:, 5:].mean(axis=1).std() > 0.8 * paths[:, 9].std()
    level = level_paths(np.zeros(30), pooled_variances(pd.DataFrame(paths[:200, :])), 10, 500, rng)
    assert level.shape == (500, 10)


def test_random_walk_paths_centre_on_the_launch_tfr_and_widen_with_the_spread(tables, assumed):
    launch = tables.tfr[(tables.tfr["region_code"].astype(str) == "7")]
    last = float(launch.loc[launch["year"] == 2011, "tfr"].iloc[0])
    widths = []
    for spread in (1.0, 1.5, 2.0):
        s = simulate_rates(assumed, tables, 2000, np.random.default_rng(6), tfr_spread=spread,
                           tfr_model="random_walk")  # fmt: skip
        tfr = s["tfr"].transpose("sample", "year").values
        assert np.median(tfr, axis=0) == pytest.approx(np.full(10, last), rel=0.01)
        q10, q90 = np.quantile(tfr, [0.1, 0.9], axis=0)
        widths.append(q90 - q10)
        assert s.attrs["tfr_model"] == "random_walk"
    assert np.all(widths[0] < widths[1]) and np.all(widths[1] < widths[2])
    assert np.all(np.diff(widths[0]) > 0)  # the interval grows with the horizon


def test_random_walk_uses_no_data_after_the_base_year(tables, assumed):
    extra = pd.DataFrame({"region_code": ["7"] * 3, "year": [2012, 2013, 2014], "tfr": [3.0] * 3})
    future = tables.__class__(
        **{**tables.__dict__, "tfr": pd.concat([tables.tfr,
                                                extra.astype(tables.tfr.dtypes.to_dict())])}
    )  # fmt: skip
    a = simulate_rates(assumed, tables, 5, np.random.default_rng(7), tfr_model="random_walk")
    b = simulate_rates(assumed, future, 5, np.random.default_rng(7), tfr_model="random_walk")
    xr.testing.assert_identical(a, b)


def test_tfr_model_option_is_validated_and_matches_the_paths(tables, assumed):
    with pytest.raises(ValueError, match="tfr_model='cohort': must be one of ets, random_walk"):
        simulate_rates(assumed, tables, 5, np.random.default_rng(8), tfr_model="cohort")
    assert TFR_MODELS == PATH_MODELS
    assert ForecastOptions(tfr_model="random_walk").tfr_model == "random_walk"
    with pytest.raises(OptionError, match="forecast.tfr_model"):
        ForecastOptions(tfr_model="cohort")


def test_forecast_options_reach_the_tfr_paths(shared_data, tables):
    """forecasting.api.forecast: the default paths are the walk from the launch TFR."""
    from forecasting.api import forecast

    path = shared_data / "finland_regional_population_age_sex.csv"
    codes = set(pd.read_csv(path, usecols=["region_code"])["region_code"].astype(str))
    drop = sorted(codes - {"7"})
    launch_tfr = float(tables.tfr.loc[(tables.tfr["region_code"].astype(str) == "7")
                                      & (tables.tfr["year"] == 2015), "tfr"].iloc[0])  # fmt: skip
    medians = {}
    for model in TFR_MODELS:
        options = ForecastOptions(n_samples=400, tfr_model=model)
        ds = forecast(path, area_column="region_code", horizon=8, launch_year=2015,
                      options=options, drop_areas=drop)  # fmt: skip
        rates = ds["fertility_rate"].isel(area=0).sel(year=slice(2016, None))
        tfr = rates.sum("age").transpose("sample", "year").values
        medians[model] = np.median(tfr, axis=0)
    assert ForecastOptions().tfr_model == "random_walk"
    assert medians["random_walk"] == pytest.approx(np.full(8, launch_tfr), rel=0.02)
    assert not np.allclose(medians["ets"], medians["random_walk"], rtol=1e-3)


def test_own_schedules_follow_the_tfr_model_too():
    """A population without rate tables: the walk on its own TFR, centred, wider with spread."""
    from forecasting.api import forecast
    from forecasting.synthetic import country

    pop, births, deaths = country()
    widths = []
    for spread in (1.0, 2.0):
        options = ForecastOptions(n_samples=300, tfr_model="random_walk", tfr_spread=spread)
        ds = forecast(pop, births=births, deaths=deaths, horizon=10, options=options)
        tfr = ds["fertility_rate"].sel(area="Lake Side").isel(year=slice(1, None)).sum("age")
        tfr = tfr.transpose("sample", "year").values
        median = np.median(tfr, axis=0)
        assert median == pytest.approx(np.full(10, median[0]), rel=0.01)
        q10, q90 = np.quantile(tfr[:, -1], [0.1, 0.9])
        widths.append(q90 - q10)
    assert widths[1] > 1.8 * widths[0]
