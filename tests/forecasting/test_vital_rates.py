"""Births and deaths files: validated readers, observed fertility, Lee-Carter."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from forecasting import project
from forecasting.errors import CalibrationError, InputError
from forecasting.rates import rates_dataset
from forecasting.vital_inputs import read_births, read_deaths
from forecasting.vital_rates import lee_carter, observed_fertility

AGES = np.arange(101)


def _base(value: float = 1000.0) -> xr.DataArray:
    return xr.DataArray(
        np.full((1, 2, 101), value) * np.exp(-AGES / 60.0),
        dims=("area", "sex", "age"),
        coords={"area": ["a"], "sex": ["female", "male"], "age": AGES},
    )


def test_observed_fertility_reproduces_the_projected_births():
    fertility = np.where((AGES >= 18) & (AGES <= 44), 0.06 * np.exp(-(((AGES - 31) / 6.0) ** 2)), 0)
    years = np.arange(2001, 2004)
    rates = rates_dataset(
        ["a"], years, death_probability=0.01, infant_death_probability=0.003,
        fertility_rate=fertility, net_migration_rate=0.001,
    )  # fmt: skip
    out = project(_base(), rates, years)
    history = out["population"].isel(sample=0, area=0)
    # births by mother's age in the projection's own convention
    women = history.sel(sex="female", year=2002).to_numpy()
    exposed = 0.5 * (women + np.concatenate([[0.0], women[:-1]]))
    by_age = (fertility * exposed)[10:56]
    births = xr.DataArray(
        by_age[None], dims=("year", "mother_age"),
        coords={"year": [2003], "mother_age": np.arange(10, 56)},
    )  # fmt: skip
    assert float(births.sum()) == pytest.approx(float(out["births"].sel(year=2003).sum()))
    np.testing.assert_allclose(observed_fertility(births, history), fertility, atol=1e-15)
    with pytest.raises(CalibrationError, match="previous year"):
        observed_fertility(births.assign_coords(year=[1990]), history)


def test_lee_carter_continues_a_log_linear_decline():
    years = np.arange(1995, 2011)
    a = np.log(0.0004) + 0.085 * AGES
    b = np.linspace(1.5, 0.5, AGES.size)
    b = b / b.sum()
    k = -2.0 * (years - 2003)
    m = np.exp(a[None, :] + b[None, :] * k[:, None])  # (year, age)
    pop = xr.DataArray(
        np.full((years.size, 2, 101), 1e9), dims=("year", "sex", "age"),
        coords={"year": years, "sex": ["female", "male"], "age": AGES},
    )  # fmt: skip
    later = pop.isel(year=slice(1, None))
    deaths = later.copy(data=later.to_numpy() * m[1:, None, :])
    q, fitted_k = lee_carter(deaths, pop, horizon=10)
    expected_m = np.exp(a[None, :] + b[None, :] * (-2.0 * (np.arange(2011, 2021) - 2003))[:, None])
    np.testing.assert_allclose(q[:, 0], 1 - np.exp(-expected_m), rtol=1e-4)
    assert np.all(np.diff(fitted_k[0]) < 0)
    with pytest.raises(CalibrationError, match="3 years"):
        lee_carter(deaths.isel(year=slice(0, 2)), pop, horizon=2)


def test_readers_validate_and_sum_the_child_sex(tmp_path):
    births = tmp_path / "births.csv"
    births.write_text(
        "region_code,year,mother_age,sex,births\n"
        "7,2020,30,female,10\n7,2020,30,male,11\n7,2020,31,female,4\n"
    )
    read = read_births(births)
    assert read.dims == ("area", "year", "mother_age")
    assert float(read.sel(area="7", year=2020, mother_age=30)) == 21.0
    assert float(read.sel(area="7", year=2020, mother_age=40)) == 0.0
    bad = tmp_path / "bad_births.csv"
    bad.write_text("region_code,year,mother_age,births\n7,2020,9,5\n7,2020,30,-1\n7,2020,30,2\n")
    with pytest.raises(InputError) as err:
        read_births(bad)
    assert err.value.problems == (
        "bad_births.csv row 1 column 'mother_age': 9 outside [10, 55]",
        "bad_births.csv row 2 column 'births': -1 outside [0, 1e+09]",
    )
    deaths = tmp_path / "deaths.csv"
    deaths.write_text("code,year,sex,age,deaths\nA,2020,female,80,3\nA,2020,female,80,4\n")
    with pytest.raises(InputError, match=r"deaths.csv row 2 column 'age': duplicate"):
        read_deaths(deaths, area_column="code")
    with pytest.raises(InputError, match=r"deaths.csv header row column 'region_code'"):
        read_deaths(deaths)
    with pytest.raises(InputError, match="file not found"):
        read_deaths(tmp_path / "none.csv")
