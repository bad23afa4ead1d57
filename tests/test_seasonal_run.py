"""A run follows a sample path of the seasonal-resident forecast (experiments layer)."""

from dataclasses import replace

import pytest
from hydra import compose, initialize_config_module

from experiments.compose import prepare_run, rates_dir
from experiments.forecast import build_seasonal_path
from experiments.settings import ConfigError, settings_from_config
from forecasting.errors import InputError


def settings(*overrides):
    with initialize_config_module(version_base="1.3", config_module="experiments.conf"):
        cfg = compose("config", overrides=["world=sysma", "horizon_years=5", *overrides])
    return settings_from_config(cfg)


@pytest.fixture(scope="module")
def sysma():
    run = prepare_run(settings())
    return run


def test_the_path_covers_every_year_and_follows_the_sample(sysma):
    path = sysma.seasonal_path
    assert sorted(path) == list(sysma.path.years) == [2024, 2025, 2026, 2027, 2028]
    assert all(0.5 < v < 1.5 for v in path.values())
    again = build_seasonal_path(sysma.world, rates_dir(sysma.settings), sysma.settings, 0)
    assert again == path  # same seed, same sample: identical
    other = build_seasonal_path(sysma.world, rates_dir(sysma.settings), sysma.settings, 1)
    assert other != path


def test_constant_turns_the_path_off(sysma):
    fixed = replace(sysma.settings, forecast=replace(sysma.settings.forecast, seasonal="constant"))
    assert build_seasonal_path(sysma.world, rates_dir(fixed), fixed, 0) is None


def test_a_file_without_the_world_s_areas_is_an_input_error(sysma, tmp_path):
    data = tmp_path / "cottages.csv"
    data.write_text("municipality_code,year,free_time_residences\n091,2020,417\n")
    bad = replace(
        sysma.settings, forecast=replace(sysma.settings.forecast, free_time_residences=data)
    )
    with pytest.raises(InputError, match="area 781: need >= 3 positive observations"):
        build_seasonal_path(sysma.world, rates_dir(bad), bad, 0)


def test_an_unknown_seasonal_option_names_the_allowed_ones():
    with pytest.raises(
        ConfigError, match=r"forecast.seasonal=.x.: must be one of forecast, constant"
    ):
        settings("forecast.seasonal=x")


def test_season_aware_gets_every_sample_path_of_the_seasonal_forecast(sysma):
    run = prepare_run(settings("strategy=season_aware"))
    stock = run.strategy.seasonal_forecast
    assert stock is not None and stock.dims == ("sample", "year")
    assert stock.sizes["sample"] == run.settings.forecast.n_samples
    assert int(stock["year"][0]) == run.world.base_year
    # The run's own path is one of them: the sample it follows.
    ratio = stock.sel(sample=run.sample) / stock.sel(sample=run.sample).isel(year=0)
    assert {y: float(ratio.sel(year=y)) for y in run.path.years} == run.seasonal_path
    # Strategies that do not plan on it do not get it (nor pay for making it).
    assert not hasattr(sysma.strategy, "seasonal_forecast")
