"""Sample paths of the rates (statsmodels) and their projection."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from forecasting import life_expectancy, project
from forecasting.inputs import RateTables
from forecasting.rate_paths import simulate_rates
from forecasting.rates import assume_rates
from scenarios.worlds.loader import embedded_world_path, load_world
from simulation.types import AGES, SEXES


@pytest.fixture(scope="module")
def sysma_world():
    world = load_world(embedded_world_path("sysma"))
    base = xr.DataArray(
        world.area_residents.astype(float),
        dims=("area", "sex", "age"),
        coords={"area": list(world.zones.areas), "sex": list(SEXES), "age": list(AGES)},
    )
    history = pd.DataFrame(
        [
            {"area": a, "year": y, "population": n}
            for a, series in world.population_history.items()
            for y, n in series.items()
        ]
    )
    return base, history, np.arange(2024, 2044)


@pytest.fixture(scope="module")
def assumed(tables, sysma_world):
    base, history, years = sysma_world
    return assume_rates(tables, 7, ["781"], history, base, years)


def test_same_rng_same_paths_other_rng_other_paths(tables, assumed):
    a = simulate_rates(assumed, tables, 20, np.random.default_rng(5))
    b = simulate_rates(assumed, tables, 20, np.random.default_rng(5))
    c = simulate_rates(assumed, tables, 20, np.random.default_rng(6))
    xr.testing.assert_identical(a, b)
    assert not np.allclose(a["tfr"], c["tfr"])
    assert a.sizes["sample"] == 20


def test_each_sample_reproduces_its_e0_and_tfr_paths(tables, assumed):
    s = simulate_rates(assumed, tables, 10, np.random.default_rng(1))
    q = s["death_probability"].isel(area=0).transpose("sample", "year", "sex", "age").values
    qi = s["infant_death_probability"].isel(area=0).transpose("sample", "year", "sex").values
    e0 = life_expectancy(q, qi)
    assert np.allclose(e0, s["e0"].transpose("sample", "year", "sex").values, atol=0.01)
    tfr = s["fertility_rate"].isel(area=0).sum("age").transpose("sample", "year")
    assert np.allclose(tfr.values, s["tfr"].values)


def test_uncertainty_grows_with_horizon_and_accounting_holds(tables, assumed, sysma_world):
    base, _, years = sysma_world
    rates = simulate_rates(assumed, tables, 200, np.random.default_rng(2))
    p = project(base, rates, years)
    total = p["population"].sum(("sex", "age")).isel(area=0)
    spread = total.quantile(0.9, "sample") - total.quantile(0.1, "sample")
    assert float(spread.sel(year=2043)) > 5 * float(spread.sel(year=2024)) > 0
    change = total.diff("year")
    components = (
        (
            p["births"].sum("sex")
            - p["deaths"].sum(("sex", "age"))
            + p["net_migration"].sum(("sex", "age"))
        )
        .isel(area=0)
        .sel(year=years)
    )
    assert np.allclose(
        change.transpose("sample", "year").values, components.transpose("sample", "year").values
    )
    # The deterministic assumption lies inside the 80 % band at every horizon.
    det = project(base, assumed, years)["population"].sum(("sex", "age")).isel(area=0, sample=0)
    lo, hi = total.quantile(0.1, "sample"), total.quantile(0.9, "sample")
    assert bool(((det >= lo) & (det <= hi)).sel(year=years).all())


def test_data_after_the_base_year_is_not_used(tables, assumed):
    extra_tfr = pd.DataFrame(
        {"region_code": ["7"] * 3, "year": [2024, 2025, 2026], "tfr": [3.0] * 3}
    )
    extra_e0 = pd.DataFrame(
        [{"region_code": "7", "year": y, "sex": s, "e0": 60.0} for y in (2024, 2025) for s in SEXES]
    )
    future = RateTables(
        death_probabilities=tables.death_probabilities,
        e0=pd.concat([tables.e0, extra_e0.astype(tables.e0.dtypes.to_dict())]),
        tfr=pd.concat([tables.tfr, extra_tfr.astype(tables.tfr.dtypes.to_dict())]),
        pasfr=tables.pasfr,
        net_migration_rates=tables.net_migration_rates,
        source=tables.source,
    )
    a = simulate_rates(assumed, tables, 5, np.random.default_rng(3))
    b = simulate_rates(assumed, future, 5, np.random.default_rng(3))
    xr.testing.assert_identical(a, b)
