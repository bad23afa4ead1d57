"""Cohort-component projection: accounting identities and shapes."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from forecasting import AGES, SEXES, ProjectionError, project, rates_dataset

AREAS = ["a", "b"]
YEARS = [2024, 2025, 2026]


def random_case(seed: int, migration_scale: float, n_samples: int = 2):
    """Random base population and rates; large scales force clipping at zero."""
    rng = np.random.default_rng(seed)
    shape = (len(AREAS), len(SEXES), len(AGES))
    base = rng.gamma(2.0, 20.0, size=shape) * (rng.random(shape) > 0.2)
    base = xr.DataArray(
        base,
        dims=("area", "sex", "age"),
        coords={"area": AREAS, "sex": list(SEXES), "age": list(AGES)},
    )
    n = (len(AREAS), len(YEARS))
    fert = np.zeros((*n, len(AGES)))
    fert[..., 15:50] = rng.uniform(0, 0.15, size=(*n, 35))
    rates = rates_dataset(
        AREAS,
        YEARS,
        death_probability=rng.uniform(0, 1, size=(*n, len(SEXES), len(AGES))) ** 3,
        infant_death_probability=rng.uniform(0, 0.05, size=(*n, len(SEXES))),
        fertility_rate=fert,
        net_migration_rate=rng.normal(0, migration_scale, size=(*n, len(SEXES), len(AGES))),
        n_samples=n_samples,
        sex_ratio_at_birth=float(rng.uniform(0.9, 1.2)),
    )
    return base, rates


def aged_cohorts(previous: np.ndarray, births: np.ndarray) -> np.ndarray:
    """Start-of-year cohorts by age at the end of the year (test's own version)."""
    aged = np.zeros_like(previous)
    aged[..., 0] = births
    aged[..., 1:100] = previous[..., :99]
    aged[..., 100] = previous[..., 99] + previous[..., 100]
    return aged


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), scale=st.sampled_from([0.0, 0.05, 0.5, 3.0]))
def test_accounting_identity_is_exact(seed, scale):
    base, rates = random_case(seed, scale)
    out = project(base, rates, YEARS)
    pop = out["population"].values
    assert np.all(pop[:, :, 1:] >= 0)
    for t in range(1, len(YEARS) + 1):
        aged = aged_cohorts(pop[:, :, t - 1], out["births"].values[:, :, t])
        rebuilt = (aged - out["deaths"].values[:, :, t]) + out["net_migration"].values[:, :, t]
        np.testing.assert_array_equal(rebuilt, pop[:, :, t])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), scale=st.sampled_from([0.0, 0.05, 2.0]))
def test_total_change_is_births_minus_deaths_plus_migration(seed, scale):
    base, rates = random_case(seed, scale)
    out = project(base, rates, YEARS)
    total = out["population"].sum(("sex", "age"))
    change = total.diff("year")
    components = (
        out["births"].sum("sex")
        - out["deaths"].sum(("sex", "age"))
        + out["net_migration"].sum(("sex", "age"))
    ).isel(year=slice(1, None))
    np.testing.assert_allclose(change.values, components.values, rtol=1e-12, atol=1e-9)


def test_without_migration_nobody_is_clipped_and_deaths_follow_q():
    base, rates = random_case(1, 0.0)
    out = project(base, rates, YEARS)
    assert float(np.abs(out["net_migration"].isel(year=slice(1, None))).max()) == 0.0
    q = rates["death_probability"].isel(year=0).values
    start = base.values[None]
    expected = (start * q)[..., :99]
    np.testing.assert_allclose(out["deaths"].isel(year=1).values[..., 1:100], expected)


def test_sample_dimension_passes_through():
    base, rates = random_case(2, 0.05, n_samples=4)
    out = project(base, rates, YEARS)
    assert out.sizes["sample"] == 4
    assert out["year"].values.tolist() == [2023, *YEARS]
    assert out["population"].dims == ("sample", "area", "year", "sex", "age")
    assert out["births"].dims == ("sample", "area", "year", "sex")
    for name in ("population", "births", "deaths", "net_migration", "death_probability"):
        assert out[name].attrs["units"] and out[name].attrs["long_name"]
    np.testing.assert_array_equal(out["population"].isel(year=0, sample=3), base.values)


def test_rates_without_sample_dim_give_one_sample():
    base, rates = random_case(3, 0.05, n_samples=1)
    out = project(base, rates.isel(sample=0, drop=True), YEARS)
    assert out.sizes["sample"] == 1


def test_sex_ratio_splits_births():
    base, rates = random_case(4, 0.0)
    rates.attrs["sex_ratio_at_birth"] = 1.05
    births = project(base, rates, YEARS)["births"].isel(year=1)
    ratio = births.sel(sex="male") / births.sel(sex="female")
    np.testing.assert_allclose(ratio.values, 1.05)


def test_input_is_not_mutated():
    base, rates = random_case(5, 0.5)
    before = base.copy(deep=True), rates.copy(deep=True)
    project(base, rates, YEARS)
    xr.testing.assert_identical(base, before[0])
    xr.testing.assert_identical(rates, before[1])


@pytest.mark.parametrize(
    "years, match",
    [
        ([2024, 2026], "consecutive"),
        ([2024, 2025, 2026, 2027], "lack the areas"),
        ([], "non-empty"),
    ],
)
def test_bad_years(years, match):
    base, rates = random_case(6, 0.0)
    with pytest.raises(ProjectionError, match=match):
        project(base, rates, years)


def test_bad_base_population():
    base, rates = random_case(7, 0.0)
    with pytest.raises(ProjectionError, match="dims"):
        project(base.isel(sex=0), rates, YEARS)
    with pytest.raises(ProjectionError, match="lack the areas"):
        project(base.assign_coords(area=["a", "zz"]), rates, YEARS)
