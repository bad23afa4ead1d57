"""Municipal single-age x sex forecasts controlled to their region's forecast."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from forecasting import assume_rates, project
from forecasting.errors import ProjectionError
from forecasting.population_inputs import read_population
from forecasting.regional_control import control_to_region, municipal_forecast
from tests.forecasting.conftest import SHIPPED

SIZES = {"a": 0.6, "b": 0.3, "c": 0.1}
"""Shares of Päijät-Häme given to three made-up municipalities."""
TRENDS = {"a": 0.004, "b": -0.004, "c": -0.015}
"""Their yearly relative change over 2008-2023."""


@pytest.fixture(scope="module")
def region():
    pop = read_population(SHIPPED / "region_population_age_sex.csv").sel(area=["7"])
    return pop


@pytest.fixture(scope="module")
def forecasts(tables, region):
    years = np.arange(2024, 2034)
    base_region = region.sel(year=2023)
    regional_totals = region.sum(("sex", "age")).to_dataframe("population").reset_index()
    region_rates = assume_rates(tables, "7", ["7"], regional_totals, base_region, years,
                                base_period=5)  # fmt: skip
    region_forecast = project(base_region, region_rates, years)["population"].isel(area=0)
    base = xr.concat([base_region.isel(area=0) * s for s in SIZES.values()],
                     dim=pd.Index(list(SIZES), name="area"))  # fmt: skip
    total = float(base_region.sum())
    history = pd.DataFrame(
        [(a, y, total * SIZES[a] * (1 + TRENDS[a]) ** (y - 2023)) for a in SIZES
         for y in range(2008, 2024)], columns=["area", "year", "population"],
    )  # fmt: skip
    controlled = municipal_forecast(tables, "7", base, history, years,
                                    region_forecast=region_forecast, base_period=15)  # fmt: skip
    return region_forecast, controlled


def test_municipalities_add_up_to_the_region_in_every_cell(forecasts):
    region_forecast, controlled = forecasts
    summed = controlled["population"].sel(year=slice(2024, None)).sum("area")
    expected = region_forecast.sel(year=slice(2024, None))
    np.testing.assert_allclose(summed.values, expected.values, rtol=1e-10)
    assert controlled.attrs["controlled_to_region"] == "7"


def test_control_keeps_each_municipalitys_own_direction(forecasts):
    _, controlled = forecasts
    own = controlled["population_uncontrolled"].isel(sample=0).sum(("sex", "age"))
    ctrl = controlled["population"].isel(sample=0).sum(("sex", "age"))
    for forecast in (own, ctrl):
        change = forecast.sel(year=2033) / forecast.sel(year=2023)
        assert float(change.sel(area="a")) > float(change.sel(area="b")) > float(
            change.sel(area="c"))  # fmt: skip
    # the control moves the municipalities only by the region's small disagreement
    assert float(abs(ctrl.sel(year=2033) / own.sel(year=2033) - 1).max()) < 0.05


def test_control_to_region_refuses_an_area_in_the_region():
    m = xr.DataArray(np.ones((2, 3)), dims=("area", "age"))
    with pytest.raises(ProjectionError, match="area"):
        control_to_region(m, m)
