"""Jump-off migration, round 3: the national shift and the AR(1) target."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting import assume_rates, project
from forecasting.errors import ProjectionError
from forecasting.jump_off import ar1_parameters, damped_levels, national_shift, recent_weights
from forecasting.options import ForecastOptions, OptionError


def _level_path(rates):
    """Migration level (year) of Sysmä at age 50 minus the regional schedule's."""
    return rates["net_migration_rate"].isel(sample=0, area=0, sex=0, age=50).to_numpy()


def test_national_shift_is_the_latest_growth_minus_its_weighted_mean():
    growth = np.array([0.01, 0.02, 0.005, 0.03, -0.01])
    series = pd.Series(1000.0 * np.cumprod(np.r_[1.0, 1 + growth]), index=range(2010, 2016))
    expected = growth[-1] - growth @ recent_weights(5, 0.5)
    assert national_shift(series, 2015, 5, 0.5) == pytest.approx(expected, rel=1e-12)
    assert national_shift(series, 2015, 1, 0.5) == 0.0  # one year: nothing to shift
    steady = pd.Series(1000.0 * 1.01 ** np.arange(8), index=range(2008, 2016))
    assert national_shift(steady, 2015, 5, None) == pytest.approx(0.0, abs=1e-14)
    with pytest.raises(ProjectionError, match=r"lacks the years \[2010\]"):
        national_shift(series.drop(2010), 2015, 5, 0.5)
    with pytest.raises(ProjectionError, match="2016"):
        national_shift(series, 2016, 2, 0.5)


def test_recent_weights_sum_to_one_and_favour_the_latest_year():
    w = recent_weights(5, 0.5)
    assert w.sum() == pytest.approx(1.0) and np.all(np.diff(w) > 0)
    assert recent_weights(4, None).tolist() == [0.25] * 4


def test_steady_country_leaves_the_jump_off_unchanged(tables, sysma):
    base, history, years = sysma
    kwargs = {"base_period": 15, "recent_period": 5, "recent_decay": 0.5}
    plain = assume_rates(tables, 7, ["781"], history, base, years, **kwargs)
    steady = pd.Series(5.5e6 * 1.003 ** np.arange(20), index=range(2004, 2024))
    shifted = assume_rates(tables, 7, ["781"], history, base, years, reference=steady, **kwargs)
    np.testing.assert_allclose(
        shifted["net_migration_rate"].values, plain["net_migration_rate"].values, atol=1e-12
    )
    assert shifted.attrs["recent_national_shift"] == 1 and plain.attrs["recent_national_shift"] == 0


def test_a_national_jump_in_the_last_year_moves_the_first_year_change(tables, sysma):
    base, history, years = sysma
    kwargs = {"base_period": 15, "recent_period": 5, "recent_decay": 0.5}
    steady = pd.Series(5.5e6 * 1.003 ** np.arange(20), index=range(2004, 2024))
    jump = steady.copy()
    jump[2023] = jump[2022] * 1.013  # the country grew 1 percentage point faster in 2023
    shift = national_shift(jump, 2023, 5, 0.5)
    assert shift == pytest.approx(0.01 * (1 - recent_weights(5, 0.5)[-1]), rel=1e-6)
    changes = {}
    for name, reference in (("steady", steady), ("jump", jump)):
        rates = assume_rates(tables, 7, ["781"], history, base, years, reference=reference,
                             **kwargs)  # fmt: skip
        total = project(base, rates, years)["population"].isel(sample=0, area=0).sum(("sex", "age"))
        changes[name] = np.diff(total.to_numpy())  # the first value is the launch year
    # the first year's change grows by the shift times the base population ...
    extra = changes["jump"] - changes["steady"]
    assert extra[0] == pytest.approx(shift * float(base.sum()), rel=1e-6)
    # ... and the deviation is damped by half a year later (0.5 of the level's deviation)
    assert extra[1] == pytest.approx(0.5 * extra[0], rel=0.05)


def test_damped_levels_keep_a_constant_migration_unchanged():
    level = np.array([0.004, -0.002])
    path = damped_levels(level, level.copy(), 6, np.array([0.3, 1.0]))
    np.testing.assert_array_equal(path, np.repeat(level[:, None], 6, axis=1))
    gone = damped_levels(np.zeros(1), np.array([0.01]), 3, 0.0)
    assert gone.tolist() == [[0.01, 0.0, 0.0]]
    with pytest.raises(ProjectionError, match="damping"):
        damped_levels(np.zeros(1), np.ones(1), 3, 1.5)


def test_ar1_parameters_recover_a_mean_reverting_series():
    rng = np.random.default_rng(3)
    series = np.empty(400)
    series[0] = 0.0
    for t in range(1, 400):
        series[t] = 0.002 + 0.6 * (series[t - 1] - 0.002) + rng.normal(0, 0.001)
    mu, phi = ar1_parameters(series[None])
    assert phi[0] == pytest.approx(0.6, abs=0.1) and mu[0] == pytest.approx(0.002, abs=0.0005)
    alternating = np.array([[1.0, -1.0] * 6])  # negative coefficient: clipped to 0, the mean
    mu, phi = ar1_parameters(alternating)
    assert phi[0] == 0.0 and mu[0] == pytest.approx(0.0)
    constant = np.full((1, 10), 0.003)
    mu, phi = ar1_parameters(constant)
    assert phi[0] == 0.0 and mu[0] == pytest.approx(0.003)
    with pytest.raises(ProjectionError, match=">= 4"):
        ar1_parameters(np.ones((1, 3)))


def test_ar1_target_with_constant_migration_is_the_plain_level(tables, sysma):
    base, history, years = sysma
    steady = history.copy()
    steady["population"] = 3496.0 - 20.0 * (2023 - steady["year"])  # -20 persons every year
    kwargs = {"base_period": 15, "recent_period": 5, "recent_decay": 0.5}
    base_target = assume_rates(tables, 7, ["781"], steady, base, years, **kwargs)
    ar1 = assume_rates(tables, 7, ["781"], steady, base, years, recent_target="ar1", **kwargs)
    np.testing.assert_allclose(_level_path(ar1), _level_path(base_target), atol=1e-12)
    with pytest.raises(ProjectionError, match="recent_target='arima'"):
        assume_rates(tables, 7, ["781"], steady, base, years, recent_target="arima", **kwargs)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"recent_migration_national": "yes"},
         "forecast.recent_migration_national='yes': must be true or false"),
        ({"recent_migration_target": "arima"},
         "forecast.recent_migration_target='arima': must be one of base, ar1"),
    ],
)  # fmt: skip
def test_bad_jump_off_options_are_refused(values, message):
    with pytest.raises(OptionError, match=message):
        ForecastOptions.from_mapping(values)


def test_backtest_options_reach_the_rates(tables, shared_data):
    from forecasting.area_rates import area_rates
    from forecasting.population_inputs import read_population

    population = read_population(
        shared_data / "finland_regional_population_age_sex.csv", drop_areas=("246",)
    ).sel(year=slice(2000, 2015))
    years = np.arange(2016, 2019)
    options = ForecastOptions(method="deterministic", recent_migration_national=True)
    rates = area_rates("7", population, years, tables, base_period=15, **options.jump_off())
    assert rates.attrs["recent_national_shift"] == 1 and rates.attrs["recent_target"] == "base"
    off = ForecastOptions(recent_migration_national=False, recent_migration_target="ar1")
    rates = area_rates("7", population, years, tables, base_period=15, **off.jump_off())
    assert rates.attrs["recent_national_shift"] == 0 and rates.attrs["recent_target"] == "ar1"


def test_recent_age_schedule_keeps_the_first_year_change_and_moves_back(tables, sysma):
    from forecasting.schedules import migration_schedule

    base, history, years = sysma
    kwargs = {"base_period": 15, "recent_period": 5, "recent_decay": 0.5, "recent_damping": 0.5}
    totals = {}
    for name, extra in (("base", {}), ("recent", {"recent_age_years": 3})):
        rates = assume_rates(tables, 7, ["781"], history, base, years, **kwargs, **extra)
        total = project(base, rates, years)["population"].isel(sample=0, area=0).sum(("sex", "age"))
        totals[name] = (rates, np.diff(total.to_numpy()))
    # the level is solved for the same first-year change with either schedule
    assert totals["recent"][1][0] == pytest.approx(totals["base"][1][0], abs=0.5)
    rates = totals["recent"][0]
    assert rates.attrs["recent_age_years"] == 3 and totals["base"][0].attrs["recent_age_years"] == 0
    base_schedule = migration_schedule(tables, "7", (2009, 2023))
    latest = migration_schedule(tables, "7", (2021, 2023))
    rate = rates["net_migration_rate"].isel(sample=0, area=0).to_numpy()  # (year, sex, age)
    # year 1: the latest schedule's age pattern plus one level for every age
    np.testing.assert_allclose(rate[0] - latest, (rate[0] - latest)[0, 0], atol=1e-12)
    # later years: the schedule's deviation from the base period's halves every year
    level = rate[:, 0, 0] - base_schedule[0, 0]
    pattern = (rate[:, 1, 30] - base_schedule[1, 30]) - level
    np.testing.assert_allclose(pattern[1:], 0.5 * pattern[:-1], rtol=1e-9)
    assert abs(pattern[0]) > 1e-4  # the latest pattern differs from the base period's


def test_bad_recent_age_years_are_refused():
    with pytest.raises(OptionError, match="recent_migration_age_years=0: must be between 1 and 15"):
        ForecastOptions(recent_migration_age_years=0)
    with pytest.raises(
        OptionError, match="recent_migration_age_years=11: must be between 1 and 10"
    ):
        ForecastOptions(base_period=10, recent_migration_age_years=11)
