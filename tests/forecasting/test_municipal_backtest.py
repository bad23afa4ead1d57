"""Municipal forecasts controlled to the region: backtest and band estimates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from forecasting import AGES, SEXES
from forecasting.age_backtest import age_groups
from forecasting.errors import ProjectionError
from forecasting.municipal_backtest import backtest_launch, rate_options, region_forecast, score
from forecasting.municipal_bands import (
    band_groups,
    band_jump_off,
    rake_to_region,
    scaled_jump_off,
)
from forecasting.population_inputs import read_population
from tests.forecasting.conftest import REPO

BANDS = [(0, 6), (7, 64), (65, None)]


def _region(seed: int = 0) -> xr.DataArray:
    rng = np.random.default_rng(seed)
    values = rng.uniform(10, 100, size=(len(SEXES), len(AGES)))
    return xr.DataArray(values, dims=("sex", "age"), coords={"sex": list(SEXES), "age": list(AGES)})


def _bands(counts: dict[str, tuple[float, ...]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (area, lo, hi, n)
            for area, ns in counts.items()
            for (lo, hi), n in zip(BANDS, ns, strict=True)
        ],
        columns=["area", "age_from", "age_to", "population"],
    )


def test_band_jump_off_keeps_each_band_and_splits_it_like_the_region():
    region = _region()
    bands = _bands({"x": (100.0, 700.0, 200.0), "y": (50.0, 300.0, 150.0)})
    totals = pd.Series({"x": 1000.0, "y": 1000.0})  # y's bands add to 500: scaled by 2
    out = band_jump_off(region, bands, totals)
    np.testing.assert_allclose(out.sum(("sex", "age")).values, [1000.0, 1000.0])
    old = out.sel(age=slice(65, None)).sum(("sex", "age"))
    np.testing.assert_allclose(old.values, [200.0, 300.0])
    # within a band the split follows the region: female share at ages 7-64
    part = region.sel(age=slice(7, 64))
    expected = float(part.sel(sex="female").sum() / part.sum())
    got = out.sel(area="x", age=slice(7, 64))
    assert float(got.sel(sex="female").sum() / got.sum()) == pytest.approx(expected, rel=1e-12)
    ratio = got / part
    np.testing.assert_allclose(ratio.values, float(ratio[0, 0]), rtol=1e-12)


def test_band_jump_off_refuses_bands_that_miss_an_age():
    bands = _bands({"x": (100.0, 700.0, 200.0)})
    bands.loc[1, "age_from"] = 8
    with pytest.raises(ProjectionError, match="cover every age"):
        band_jump_off(_region(), bands, pd.Series({"x": 1000.0}))


def test_scaled_jump_off_is_the_regions_shape():
    region = _region(1)
    out = scaled_jump_off(region, pd.Series({"x": 300.0, "y": 30.0}))
    np.testing.assert_allclose((out.sel(area="x") / out.sel(area="y")).values, 10.0)
    np.testing.assert_allclose(float(out.sel(area="y").sum()), 30.0)


def test_raking_keeps_the_municipal_totals_and_meets_the_regions_cells():
    region = _region(2)
    start = scaled_jump_off(_region(3), pd.Series({"x": 0.7, "y": 0.3}) * float(region.sum()))
    raked = rake_to_region(start, region)
    np.testing.assert_allclose(raked.sum("area").values, region.values, rtol=1e-9)
    np.testing.assert_allclose(raked.sum(("sex", "age")).values,
                               start.sum(("sex", "age")).values, rtol=1e-6)  # fmt: skip


def test_score_is_the_mean_absolute_percentage_error_per_size_class():
    dims = ("method", "launch_year", "horizon", "area")
    forecast = np.array([[[[90.0, 1100.0, 5000.0], [80.0, np.nan, 4000.0]]]])
    observed = np.array([[[[100.0, 1000.0, 4000.0], [100.0, np.nan, np.nan]]]])
    ds = xr.Dataset(
        {"forecast": (dims, forecast), "observed": (dims, observed),
         "launch_population": (("launch_year", "area"), [[100.0, 1500.0, 3000.0]])},
        coords={"method": ["m"], "launch_year": [2000], "horizon": [1, 2],
                "area": ["a", "b", "c"]},
    )  # fmt: skip
    table = score(ds, size_bins=(0, 1000, np.inf)).set_index(["size_class", "horizon"])
    # h=1: 10 %, 10 %, 25 %; h=2: only a is observed (20 %)
    assert table.loc[("all", 1), "mape"] == pytest.approx(15.0)
    assert table.loc[("all", 1), "n"] == 3
    assert table.loc[("all", 2), "mape"] == pytest.approx(20.0)
    assert table.loc[("all", 2), "n"] == 1
    assert table.loc[("0-1000", 1), "mape"] == pytest.approx(10.0)
    assert table.loc[("1000-inf", 1), "mape"] == pytest.approx(17.5)
    assert table.loc[("all", 1), "malpe"] == pytest.approx((-10 + 10 + 25) / 3)


def test_band_groups_scale_the_bands_to_the_official_total():
    limits = [(0, 6), (7, 15), (16, 74), (75, 84), (85, None)]
    bands = pd.DataFrame(
        [("x", year, lo, hi, n * k) for year, k in ((2015, 1), (2016, 2))
         for (lo, hi), n in zip(limits, (100.0, 150.0, 600.0, 100.0, 50.0), strict=True)],
        columns=["area", "year", "age_from", "age_to", "population"],
    )  # fmt: skip
    totals = pd.DataFrame({"area": ["x", "x"], "year": [2015, 2016],
                           "population": [1100.0, 2000.0]})  # fmt: skip
    out = band_groups(bands, totals).sel(area="x")
    assert out.sel(year=2015).values.tolist() == pytest.approx([1100.0, 110.0, 165.0, 110.0, 55.0])
    assert out.sel(year=2016, age_group="0_6") == pytest.approx(200.0)
    # a band 7-64 crosses the limits of 7-15
    with pytest.raises(ProjectionError, match="cross"):
        band_groups(_bands({"x": (100.0, 600.0, 300.0)}).assign(year=2015), totals)


@pytest.fixture(scope="module")
def central_ostrobothnia(shared_data, tables):
    """Region 16's municipalities from 2018 (band jump-off), 5 years, and the region."""
    key = pd.read_csv(REPO / "scenarios" / "worlds" / "data" / "municipalities.csv",
                      dtype={"municipality_code": str, "region_code": str})  # fmt: skip
    regions = dict(zip(key["municipality_code"], key["region_code"], strict=True))
    members = sorted(a for a, r in regions.items() if r == "16")
    totals = pd.read_csv(shared_data / "finland_municipal_population_totals.csv",
                         dtype={"municipality_code": str})  # fmt: skip
    totals = totals.rename(columns={"municipality_code": "area"})[["area", "year", "population"]]
    totals = totals[totals["area"].isin(members)]
    bands = pd.read_csv(shared_data / "finland_municipal_age_bands_2018.csv",
                        dtype={"municipality_code": str})  # fmt: skip
    bands = bands.rename(columns={"municipality_code": "area"})
    bands = bands[bands["area"].isin(members)]
    history = read_population(shared_data / "finland_regional_population_age_sex.csv",
                              drop_areas=("246",))  # fmt: skip
    at = totals[totals["year"] == 2018].set_index("area")["population"].astype(float)
    start = band_jump_off(history.sel(area="16", year=2018), bands, at)
    ds = backtest_launch(tables, regions, history, totals, start, 2018, [1, 2, 5])
    years = np.arange(2019, 2024)
    target = region_forecast(tables, "16", history, years, rate_options())
    return ds, target, start, history


def test_controlled_municipalities_add_up_to_the_regions_forecast(central_ostrobothnia):
    ds, target, _, _ = central_ostrobothnia
    assert ds.sizes["area"] == 8
    region = age_groups(target.isel(sample=0).sel(year=[2019, 2020, 2023]))  # (group, year)
    forecast = ds["forecast"].sel(launch_year=2018).sum("area")  # (method, horizon, group)
    controlled = forecast.sel({"method": "controlled"}).transpose("age_group", "horizon")
    uncontrolled = forecast.sel({"method": "uncontrolled"}).transpose("age_group", "horizon")
    # in every service age group and the total, every year
    np.testing.assert_allclose(controlled.values, region.values, rtol=1e-10)
    # the first year's migration levels already reproduce the region's total change (sums
    # of the same observed totals); later the control moves the municipalities
    total = {"age_group": "total"}
    assert abs(float(uncontrolled.sel(total)[-1] / region.sel(total)[-1]) - 1) > 1e-4
    observed = ds["observed"].sel({"method": "controlled", "launch_year": 2018, **total})
    assert np.all(np.abs(controlled.sel(total).values / observed.sum("area").values - 1) < 0.03)
    # only the total is observed here (no observed_groups given)
    assert bool(ds["observed"].sel(age_group="0_6").isnull().all())


def test_band_jump_off_of_real_bands_adds_up_to_the_region(central_ostrobothnia):
    _, _, start, history = central_ostrobothnia
    region = history.sel(area="16", year=2018)
    np.testing.assert_allclose(float(start.sum()), float(region.sum()), rtol=1e-12)
    # Paavo's bands and the official single ages agree closely when summed over the region
    summed = start.sum("area").sum("sex")
    official = region.sum("sex")
    assert float(np.abs(summed - official).sum() / official.sum()) < 0.02
