"""Mortality fitted to the areas' own data: old-age attrition, e0 drift, TFR jump-off."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from forecasting import assume_rates, project
from forecasting.lifetable import life_expectancy
from forecasting.mortality import OLD_AGE_BANDS, e0_drift, old_age_factors, old_age_shape
from forecasting.rates import rates_dataset


def _history(shared_data, region: int, last: int) -> xr.DataArray:
    pop = pd.read_csv(shared_data / "finland_regional_population_age_sex.csv")
    pop = pop[(pop["region_code"] == region) & pop["year"].between(last - 5, last)]
    pop = pop.assign(area=str(region))
    array = pop.set_index(["area", "year", "sex", "age"])["population"].to_xarray()
    return array.astype(float)


def test_old_age_factors_recover_the_mortality_a_projection_used():
    ages = np.arange(101)
    q = np.broadcast_to(np.minimum(0.0005 * np.exp(0.09 * ages), 0.6), (2, 101)).copy()
    truth = np.array([[0.9, 0.8, 0.7, 0.6], [1.1, 0.95, 0.85, 0.75]])
    migration = np.full((2, 101), 0.002)
    rates = rates_dataset(
        ["a"], np.arange(2001, 2007), death_probability=q * old_age_shape(truth),
        infant_death_probability=0.002, fertility_rate=0.05, net_migration_rate=migration,
    )  # fmt: skip
    base = xr.DataArray(
        np.full((1, 2, 101), 1000.0),
        dims=("area", "sex", "age"),
        coords={"area": ["a"], "sex": ["female", "male"], "age": ages},
    )
    history = project(base, rates, np.arange(2001, 2007))["population"].isel(sample=0)
    fitted = old_age_factors(history, q, migration)
    np.testing.assert_allclose(fitted, truth, rtol=1e-10)
    # assuming no migration moves the estimate: the migrants are counted as survivors
    assert not np.allclose(old_age_factors(history, q, np.zeros((2, 101))), truth, rtol=1e-3)


def test_e0_drift_is_the_mean_yearly_gain(tables):
    drift = e0_drift(tables, "7", (2009, 2018))
    e0 = tables.e0[(tables.e0["region_code"] == "7") & (tables.e0["sex"] == "male")]
    e0 = e0.set_index("year")["e0"]
    assert drift[1] == pytest.approx((e0[2018] - e0[2009]) / 9)


@pytest.fixture(scope="module")
def regional(shared_data, tables):
    """Päijät-Häme launched in 2010: plain and fitted-mortality assumptions."""
    history = _history(shared_data, 7, 2010)
    totals = history.sum(("sex", "age")).to_dataframe("population").reset_index()
    base = history.sel(year=2010)
    years = np.arange(2011, 2031)
    plain = assume_rates(tables, "7", ["7"], totals, base, years, base_period=5)
    fitted = assume_rates(
        tables, "7", ["7"], totals, base, years, base_period=5,
        e0_trend=True, age_history=history, tfr_period=1,
    )  # fmt: skip
    return plain, fitted


def _e0(rates: xr.Dataset, year: int) -> np.ndarray:
    one = rates.isel(sample=0, area=0).sel(year=year)
    return life_expectancy(one["death_probability"].values, one["infant_death_probability"].values)


def test_e0_trend_moves_the_calibrated_e0_each_year(regional, tables):
    plain, fitted = regional
    latest = tables.e0[(tables.e0["region_code"] == "7") & (tables.e0["year"] == 2010)]
    target = latest.set_index("sex")["e0"].loc[["female", "male"]].to_numpy()
    drift = e0_drift(tables, "7", (2006, 2010))
    for year in (2011, 2020, 2030):
        np.testing.assert_allclose(_e0(fitted, year), target + drift * (year - 2010), atol=1e-6)
    # without the trend the schedule before 2020 is the 2020 one, frozen at the 2010 e0
    np.testing.assert_allclose(_e0(plain, 2015), _e0(plain, 2011), atol=1e-9)
    assert np.all(np.abs(drift) > 0.01)


def test_old_age_mortality_follows_the_observed_attrition(regional):
    plain, fitted = regional
    factors = fitted["old_age_factor"]
    assert factors.dims == ("sex", "old_age_band") and factors.sizes["old_age_band"] == len(
        OLD_AGE_BANDS
    )
    # the 2020 schedule scaled back to 2010's e0 over-states mortality at 90+
    assert float(factors.isel(old_age_band=-1).max()) < 0.9
    q_plain = plain["death_probability"].isel(sample=0, area=0).sel(year=2011)
    q_fit = fitted["death_probability"].isel(sample=0, area=0).sel(year=2011)
    assert bool((q_fit.sel(age=92) < q_plain.sel(age=92)).all())
    # ages below 80 only move by one factor each (the e0 recalibration and 2011 drift)
    ratio = (q_fit / q_plain).sel(age=slice(0, 79)).values
    np.testing.assert_allclose(ratio, np.broadcast_to(ratio[:, :1], ratio.shape), rtol=1e-9)
    assert np.all(np.abs(ratio - 1) < 0.1)


def test_tfr_period_one_uses_the_launch_year(regional, tables):
    _, fitted = regional
    tfr = tables.tfr.set_index(["region_code", "year"])["tfr"]
    total = float(fitted["fertility_rate"].isel(sample=0, area=0, year=0).sum())
    assert total == pytest.approx(float(tfr[("7", 2010)]))
    assert fitted.attrs["tfr_period_years"] == "2010-2010"


def test_migration_level_profile_keeps_the_first_year_change(shared_data, tables):
    history = _history(shared_data, 7, 2010)
    totals = history.sum(("sex", "age")).to_dataframe("population").reset_index()
    base = history.sel(year=2010)
    years = np.arange(2011, 2016)
    changes = {}
    for profile in ("uniform", "migration"):
        rates = assume_rates(
            tables, "7", ["7"], totals, base, years, base_period=5, level_profile=profile
        )
        pop = project(base, rates, years)["population"].isel(sample=0, area=0).sum(("sex", "age"))
        changes[profile] = float(pop.sel(year=2011) - pop.sel(year=2010))
        rates_85 = rates["net_migration_rate"].isel(sample=0, area=0, year=0).sel(age=90)
        changes[profile + "_90"] = rates_85.values
    assert changes["uniform"] == pytest.approx(changes["migration"], abs=1e-6)
    assert not np.allclose(changes["uniform_90"], changes["migration_90"])
    with pytest.raises(Exception, match="level_profile"):
        assume_rates(tables, "7", ["7"], totals, base, years, base_period=5, level_profile="x")
