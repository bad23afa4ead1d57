"""The simulation's forecast uses the backtested rate options (forecast config group)."""

from __future__ import annotations

import numpy as np
import pytest
from hydra import compose, initialize_config_module

from experiments.compose import rates_dir
from experiments.forecast import build_forecast, region_age_history
from experiments.forecast_cache import forecast_key
from experiments.settings import ConfigError, settings_from_config
from forecasting.errors import InputError
from forecasting.inputs import read_rate_tables
from forecasting.lifetable import life_expectancy
from forecasting.mortality import e0_drift
from scenarios.worlds.loader import embedded_world_path, load_world

OLD = [
    "forecast.base_period=10",
    "forecast.e0_trend=false",
    "forecast.old_age_mortality=false",
    "forecast.tfr_period=null",
]


def _settings(*overrides: str):
    base = ["world=sysma", "horizon_years=20", "forecast.n_samples=4", "forecast.seed=3"]
    with initialize_config_module(version_base="1.3", config_module="experiments.conf"):
        return settings_from_config(compose("config", overrides=[*base, *overrides]))


@pytest.fixture(scope="module")
def world():
    return load_world(embedded_world_path("sysma"))


def _forecast(world, *overrides: str):
    settings = _settings(*overrides)
    return build_forecast(world, rates_dir(settings), settings)


@pytest.fixture(scope="module")
def deterministic(world):
    new = _forecast(world, "forecast.method=deterministic")
    old = _forecast(world, "forecast.method=deterministic", *OLD)
    return new, old


def _q(forecast, year: int, age: int, sex: str = "female") -> float:
    one = forecast["death_probability"].isel(sample=0, area=0)
    return float(one.sel(year=year, sex=sex, age=age))


def test_defaults_are_the_backtested_choices():
    fc = _settings().forecast
    assert (fc.base_period, fc.e0_trend, fc.old_age_mortality, fc.tfr_period) == (15, True, True, 1)


def test_old_age_mortality_follows_the_regions_cohort_attrition(world, deterministic):
    new, _ = deterministic
    no_fit = _forecast(world, "forecast.method=deterministic", "forecast.old_age_mortality=false")
    # Päijät-Häme's attrition at 90-94 is below the scaled 2019 schedule, for both sexes
    for sex in ("female", "male"):
        assert _q(new, 2024, 90, sex) < 0.95 * _q(no_fit, 2024, 90, sex)
        # same e0 target: the younger ages take up the difference, a little higher
        assert 1.0 <= _q(new, 2024, 50, sex) / _q(no_fit, 2024, 50, sex) < 1.2
    assert new.attrs["old_age_mortality"] == 1 and no_fit.attrs["old_age_mortality"] == 0
    # fewer deaths: more people aged 90+ in 2033
    old_people = [f["population"].isel(sample=0).sel(year=2033, age=slice(90, None)).sum().item()
                  for f in (new, no_fit)]  # fmt: skip
    assert old_people[0] > old_people[1]


def test_e0_trend_raises_e0_by_the_base_period_drift(world, deterministic):
    new, old = deterministic
    settings = _settings()
    tables = read_rate_tables(rates_dir(settings))
    drift = e0_drift(tables, "7", (2009, 2023))
    one = new.isel(sample=0, area=0)
    e0 = [
        life_expectancy(
            one["death_probability"].sel(year=y).values,
            one["infant_death_probability"].sel(year=y).values,
        )
        for y in (2024, 2043)
    ]
    np.testing.assert_allclose(e0[1] - e0[0], 19 * drift, atol=1e-6)
    assert (e0[1] > e0[0]).all()


def test_tfr_jump_off_is_the_base_year(deterministic):
    new, old = deterministic
    assert new.attrs["tfr_period_years"] == "2023-2023"
    assert old.attrs["tfr_period_years"] == "2014-2023"
    assert new.attrs["tfr_assumed"] < old.attrs["tfr_assumed"]


def test_old_behaviour_stays_reachable(deterministic):
    _, old = deterministic
    assert old.attrs["base_period_years"] == "2014-2023"
    assert old.attrs["e0_trend"] == 0 and old.attrs["old_age_mortality"] == 0
    assert "old_age_factor" not in old


def test_stochastic_paths_carry_the_old_age_fit_and_repeat_by_seed(world):
    a = _forecast(world)
    b = _forecast(world)
    np.testing.assert_array_equal(a["population"].values, b["population"].values)
    other = _forecast(world, "forecast.seed=4")
    assert not np.array_equal(a["population"].values, other["population"].values)
    no_fit = _forecast(world, "forecast.old_age_mortality=false")
    q = a["death_probability"].isel(area=0).sel(year=2030, age=92)
    q_no_fit = no_fit["death_probability"].isel(area=0).sel(year=2030, age=92)
    assert (q < q_no_fit).all()


def test_age_history_without_the_region_is_a_clear_error(world, tmp_path):
    path = tmp_path / "pop.csv"
    rows = ["region_code,year,sex,age,population"]
    rows += [f"1,{y},{s},{a},10" for y in range(2018, 2024) for s in ("female", "male")
             for a in range(101)]  # fmt: skip
    path.write_text("\n".join(rows) + "\n")
    settings = _settings(f"forecast.age_history={path}")
    with pytest.raises(InputError, match=r"pop.csv column 'region_code': no rows for region 7"):
        region_age_history(world, rates_dir(settings), settings)
    shipped = rates_dir(settings) / "region_population_age_sex.csv"
    short = _settings(f"forecast.age_history={shipped}")
    assert region_age_history(world, rates_dir(short), short).sizes["year"] == 6


def test_tfr_period_is_validated():
    with pytest.raises(ConfigError, match="forecast.tfr_period"):
        _settings("forecast.tfr_period=0")
    with pytest.raises(ConfigError, match="forecast.tfr_period"):
        _settings("forecast.tfr_period=16")


def test_forecast_cache_key_follows_the_age_history_file(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("one\n")
    settings = _settings(f"forecast.age_history={path}")
    world_dir, rates = embedded_world_path("sysma"), rates_dir(settings)
    first = forecast_key(settings, world_dir, rates, "v")
    path.write_text("two\n")
    assert forecast_key(settings, world_dir, rates, "v") != first
    assert forecast_key(_settings(), world_dir, rates, "v") != first
