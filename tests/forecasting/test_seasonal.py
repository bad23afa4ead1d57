"""Seasonal residents: reading the stock, its forecast and the presence profile."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.errors import InputError, ProjectionError
from forecasting.seasonal import read_free_time_residences, seasonal_forecast, stock_paths

YEARS = [1970, 1980, 1990, 1995, 2000, 2005, 2010, 2015, 2020, 2021, 2022]


def history(values, area="781") -> pd.DataFrame:
    return pd.DataFrame({"area": area, "year": YEARS, "free_time_residences": values})


SYSMA = history([1001, 1681, 2578, 2966, 3278, 3545, 3720, 3791, 4001, 3933, 3744])


def test_reader_reports_every_problem_with_row_and_column(tmp_path):
    path = tmp_path / "cottages.csv"
    path.write_text(
        "municipality_code,municipality_name,year,free_time_residences\n"
        "781,Sysmä,2020,4001\n781,Sysmä,20x0,3\n,Sysmä,2021,-1\n"
    )
    with pytest.raises(InputError) as err:
        read_free_time_residences(path)
    text = "\n".join(err.value.problems)
    assert "cottages.csv row 2 column 'year': not a number ('20x0')" in text
    assert "cottages.csv row 3 column 'municipality_code': empty area code" in text
    assert "cottages.csv row 3 column 'free_time_residences': -1 outside [0, 1e+08]" in text


def test_reader_keeps_codes_and_reads_the_shared_file(shared_data):
    frame = read_free_time_residences(
        shared_data / "finland_free_time_residences_by_municipality.csv"
    )
    sysma = frame[frame["area"] == "781"].set_index("year")["free_time_residences"]
    assert sysma[2020] == 4001 and sysma[2022] == 3744
    assert frame["area"].str.len().eq(3).all()


def test_paths_start_at_the_last_observation_and_use_no_later_data():
    years = np.arange(2015, 2026)
    paths = stock_paths(SYSMA, ["781"], 2017, years, 200, np.random.default_rng(0))
    assert (paths.sel(year=2015) == 3791).all()  # last observation <= 2017
    changed = SYSMA.assign(
        free_time_residences=SYSMA["free_time_residences"].where(SYSMA["year"] <= 2015, 1)
    )
    again = stock_paths(changed, ["781"], 2017, years, 200, np.random.default_rng(0))
    assert paths.identical(again)


def test_paths_spread_with_horizon_and_are_reproducible():
    years = np.arange(2022, 2043)
    a = stock_paths(SYSMA, ["781"], 2022, years, 500, np.random.default_rng(1))
    b = stock_paths(SYSMA, ["781"], 2022, years, 500, np.random.default_rng(1))
    assert a.identical(b)
    spread = (a.quantile(0.9, "sample") / a.quantile(0.1, "sample")).sel(area="781")
    assert float(spread.sel(year=2042)) > float(spread.sel(year=2027)) > 1.0
    median = float(a.sel(year=2042, area="781").median())
    assert 1500 < median < 7500  # damped: no explosion or collapse from a 3,744 start


def test_growth_is_followed_and_damped():
    growing = history([1000 * 1.02 ** (y - 1970) for y in YEARS])
    paths = stock_paths(
        growing,
        ["781"],
        2022,
        np.arange(2022, 2043),
        300,
        np.random.default_rng(0),
    )
    median = paths.median("sample").sel(area="781")
    last = 1000 * 1.02**52
    assert float(median.sel(year=2027)) > last  # keeps growing
    assert float(median.sel(year=2042)) < last * 1.02**20  # but less than the trend


def test_seasonal_residents_and_presence():
    presence = np.linspace(0.1, 0.6, 12)
    ds = seasonal_forecast(
        SYSMA,
        ["781"],
        2022,
        np.arange(2022, 2030),
        20,
        np.random.default_rng(0),
        presence=presence,
        users_per_residence=4.0,
    )
    np.testing.assert_allclose(ds["seasonal_residents"], 4.0 * ds["free_time_residences"])
    np.testing.assert_array_equal(ds["presence_share"].values, presence)
    for var in ds.data_vars.values():
        assert var.attrs["units"] and var.attrs["long_name"]


def test_bad_arguments_are_rejected():
    rng = np.random.default_rng(0)
    with pytest.raises(ProjectionError, match="presence must be 12 shares"):
        seasonal_forecast(SYSMA, ["781"], 2022, [2023], 5, rng, presence=np.full(11, 0.2))
    with pytest.raises(ProjectionError, match="need >= 3 positive observations"):
        stock_paths(SYSMA, ["781"], 1995, np.array([2000]), 5, rng)
    with pytest.raises(ProjectionError, match="years must be >= 2022"):
        stock_paths(SYSMA, ["781"], 2022, np.array([2020]), 5, rng)
