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


# --- one options type: forecasting.options.ForecastOptions --------------------------

REFUSED = [
    ({"method": "bogus"}, "forecast.method='bogus': must be one of stochastic, deterministic"),
    ({"method": 1}, "forecast.method=1: must be one of stochastic, deterministic"),
    ({"seasonal": "summer"}, "forecast.seasonal='summer': must be one of forecast, constant"),
    ({"n_samples": 0}, "forecast.n_samples=0: must be between 1 and 10000"),
    ({"n_samples": 10_001}, "forecast.n_samples=10001: must be between 1 and 10000"),
    ({"n_samples": 2.5}, "forecast.n_samples=2.5: must be an integer"),
    ({"n_samples": "3"}, "forecast.n_samples='3': must be an integer"),
    ({"n_samples": True}, "forecast.n_samples=True: must be an integer"),
    ({"n_samples": 3, "sample": 7},
     r"forecast.sample=7: must be between 0 and 2 \(forecast.n_samples=3\)"),
    ({"sample": -1}, "forecast.sample=-1: must be between 0 and 99"),
    ({"seed": -1}, "forecast.seed=-1: must be between 0 and"),
    ({"base_period": 1}, "forecast.base_period=1: must be between 2 and 50"),
    ({"base_period": 51}, "forecast.base_period=51: must be between 2 and 50"),
    ({"fit_start": 1800}, "forecast.fit_start=1800: must be between 1900 and 2200"),
    ({"tfr_period": 0},
     r"forecast.tfr_period=0: must be between 1 and 15 \(forecast.base_period=15\)"),
    ({"base_period": 10, "tfr_period": 11}, "forecast.tfr_period=11: must be between 1 and 10"),
    ({"e0_trend": "no"}, "forecast.e0_trend='no': must be true or false"),
    ({"old_age_mortality": 1}, "forecast.old_age_mortality=1: must be true or false"),
    ({"migration_shrinkage": "false"},
     "forecast.migration_shrinkage='false': must be true or false"),
    ({"rates_dir": 3}, "forecast.rates_dir=3: must be a file or folder path or null"),
    ({"age_history": ["a"]}, r"forecast.age_history=\['a'\]: must be a file or folder path"),
    ({"free_time_residences": 1.0}, "forecast.free_time_residences=1.0: must be a file"),
    ({"recent_migration_years": 0}, "forecast.recent_migration_years=0: must be between 1 and 15"),
    ({"recent_migration_years": "3"}, "forecast.recent_migration_years='3': must be an integer"),
    ({"recent_migration_damping": 1.5},
     "forecast.recent_migration_damping=1.5: must be between 0 and 1"),
    ({"recent_migration_damping": "half"},
     "forecast.recent_migration_damping='half': must be a number"),
    ({"recent_migration_decay": -0.1},
     "forecast.recent_migration_decay=-0.1: must be between 0 and 1"),
    ({"recent_migration_decay": "fast"},
     "forecast.recent_migration_decay='fast': must be a number"),
    ({"tfr_spread": 0.5}, "forecast.tfr_spread=0.5: must be between 1 and 10"),
    ({"bogus": 1}, "forecast.bogus: not an option; allowed: method, n_samples, sample"),
]  # fmt: skip


@pytest.mark.parametrize(("values", "message"), REFUSED)
def test_every_bad_option_is_refused_with_its_command_line_name(values, message):
    from forecasting.options import ForecastOptions, OptionError

    with pytest.raises(OptionError, match=message):
        ForecastOptions.from_mapping(values)


@pytest.mark.parametrize(
    "override",
    ["forecast.method=bogus", "forecast.sample=7", "forecast.e0_trend=no", "+forecast.bogus=1"],
)
def test_the_run_command_line_refuses_them_as_config_errors(override):
    with pytest.raises(ConfigError, match=override.lstrip("+").split("=")[0]):
        _settings(override)  # n_samples=4: sample 7 is out of range


def test_options_normalise_paths_and_round_trip(tmp_path):
    from experiments.settings import ForecastSettings
    from forecasting.options import ForecastOptions

    assert ForecastSettings is ForecastOptions
    opts = ForecastOptions(rates_dir=str(tmp_path), tfr_period=None, method="deterministic")
    assert opts.rates_dir == tmp_path.resolve() and opts.tfr_period is None
    assert ForecastOptions.from_mapping(opts.to_mapping()) == opts
    assert opts.sample_for(7) == 7 % 100 and ForecastOptions(sample=3).sample_for(7) == 3
    assert ForecastOptions(n_samples=np.int64(5)).n_samples == 5
    assert type(ForecastOptions(n_samples=np.int64(5)).n_samples) is int
    assert _settings("forecast.sample=2").forecast == ForecastOptions(n_samples=4, seed=3, sample=2)


# --- the backtest reads the same type -------------------------------------------------


def _backtest_cfg(*overrides: str):
    with initialize_config_module(version_base="1.3", config_module="experiments.conf"):
        return compose("backtest", overrides=list(overrides))


def test_backtest_reads_the_forecast_options(capsys):
    from experiments.backtest_cli import forecast_options

    opts = forecast_options(_backtest_cfg("forecast.base_period=12", "forecast.tfr_period=null"))
    assert (opts.base_period, opts.tfr_period, opts.n_samples) == (12, None, 20)
    assert capsys.readouterr().err == ""
    default = forecast_options(_backtest_cfg())
    assert (default.base_period, default.e0_trend, default.old_age_mortality) == (15, True, True)
    assert default.tfr_period == 1


def test_backtest_ccm_aliases_warn_and_set_the_new_option(capsys):
    from experiments.backtest_cli import forecast_options

    cfg = _backtest_cfg(
        "ccm_base_period=10", "ccm_tfr_period=null", "ccm_e0_trend=false",
        "ccm_old_age_mortality=false", "age_n_samples=5", "rates_dir=/tmp",
    )  # fmt: skip
    opts = forecast_options(cfg)
    assert (opts.base_period, opts.tfr_period, opts.e0_trend, opts.old_age_mortality) == (
        10, None, False, False)  # fmt: skip
    assert opts.n_samples == 5 and str(opts.rates_dir) == "/tmp"
    err = capsys.readouterr().err
    assert "ccm_base_period is deprecated; use forecast.base_period=10" in err
    assert "ccm_tfr_period is deprecated; use forecast.tfr_period=None" in err
    assert "age_n_samples is deprecated; use forecast.n_samples=5" in err


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("forecast.base_period=0", "forecast.base_period=0: must be between 2 and 50"),
        ("ccm_base_period=99", "forecast.base_period=99: must be between 2 and 50"),
        ("ccm_e0_trend=no", "forecast.e0_trend='no': must be true or false"),
        ("forecast.tfr_period=16", "forecast.tfr_period=16: must be between 1 and 15"),
    ],
)
def test_backtest_refuses_bad_forecast_options(override, message):
    from experiments.backtest_cli import forecast_options

    with pytest.raises(ConfigError, match=message):
        forecast_options(_backtest_cfg(override))
