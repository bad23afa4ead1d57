"""Deterministic rate assumptions for a set of areas."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from forecasting import CalibrationError, ProjectionError, assume_rates, project


@pytest.fixture(scope="module")
def assumed(tables, sysma):
    base, history, years = sysma
    return assume_rates(tables, 7, ["781"], history, base, years, n_samples=3)


def test_dims_and_identical_samples(assumed):
    assert assumed["death_probability"].dims == ("sample", "area", "year", "sex", "age")
    assert assumed["infant_death_probability"].dims == ("sample", "area", "year", "sex")
    assert assumed["fertility_rate"].dims == ("sample", "area", "year", "age")
    assert assumed["net_migration_rate"].dims == ("sample", "area", "year", "sex", "age")
    assert assumed.sizes["sample"] == 3 and assumed.sizes["age"] == 101
    for name in assumed.data_vars:
        values = assumed[name].values
        np.testing.assert_array_equal(values, np.broadcast_to(values[:1], values.shape))
        assert assumed[name].attrs["units"] and assumed[name].attrs["long_name"]
    assert assumed.attrs["sex_ratio_at_birth"] == 1.05
    assert assumed.attrs["base_year"] == 2023 and assumed.attrs["base_period_years"] == "2014-2023"


def test_fertility_is_mean_tfr_over_ages_15_to_49(assumed, tables):
    fert = assumed["fertility_rate"].isel(sample=0, area=0)
    ages = fert["age"].values
    assert float(np.abs(fert.sel(age=(ages < 15) | (ages > 49))).max()) == 0.0
    tfr = tables.tfr
    expected = tfr[(tfr["region_code"] == "7") & tfr["year"].between(2014, 2023)]["tfr"].mean()
    np.testing.assert_allclose(fert.sum("age").values, expected)


def test_death_schedule_years_and_open_age(assumed, tables):
    q = assumed["death_probability"].isel(sample=0, area=0)
    np.testing.assert_array_equal(q.sel(age=100).values, q.sel(age=99).values)
    # 2041-2043 reuse the 2040 schedule
    np.testing.assert_array_equal(q.sel(year=2043).values, q.sel(year=2040).values)
    assert not np.array_equal(q.sel(year=2039).values, q.sel(year=2040).values)
    factor = assumed["mortality_factor"].isel(sample=0)
    dp = tables.death_probabilities
    raw = dp[(dp["year"] == 2030) & (dp["sex"] == "male") & (dp["age"] == 50)]
    expected = float(raw["death_probability"].iloc[0]) * float(factor.sel(sex="male"))
    assert float(q.sel(year=2030, sex="male", age=50)) == pytest.approx(expected, rel=1e-12)


def test_migration_level_matches_the_observed_change(assumed, sysma):
    base, history, years = sysma
    out = project(base, assumed, years)
    first = out["population"].isel(sample=0, area=0).sum(("sex", "age"))
    observed = (3496 - 4139) / 10  # Sysmä 2013 -> 2023, persons/year
    assert float(first.sel(year=2024) - first.sel(year=2023)) == pytest.approx(observed, abs=1e-8)


def test_uses_only_data_up_to_the_base_year(tables, sysma, assumed):
    base, history, years = sysma
    spoiled = {}
    for field in ("e0", "tfr", "pasfr", "net_migration_rates"):
        frame = getattr(tables, field).copy()
        column = frame.columns[-1]
        frame.loc[frame["year"] > 2020, column] = frame[column] * 0 + 0.5
        spoiled[field] = frame
    early = base.assign_coords(year=2020)
    later = history.copy()
    later.loc[later["year"] > 2020, "population"] = 1
    a = assume_rates(dataclasses.replace(tables, **spoiled), 7, ["781"], later, early, years - 3)
    b = assume_rates(tables, 7, ["781"], history[history["year"] <= 2020], early, years - 3)
    for name in ("fertility_rate", "net_migration_rate", "death_probability"):
        np.testing.assert_allclose(a[name].values, b[name].values, rtol=1e-13)


def test_errors(tables, sysma):
    base, history, years = sysma
    with pytest.raises(ProjectionError, match="consecutively"):
        assume_rates(tables, 7, ["781"], history, base, years + 1)
    with pytest.raises(ProjectionError, match="lacks the areas"):
        assume_rates(tables, 7, ["999"], history.assign(area="999"), base, years)
    with pytest.raises(CalibrationError, match="history of area"):
        assume_rates(tables, 7, ["781"], history[history["year"] < 2023], base, years)
    with pytest.raises(CalibrationError, match="region '99'"):
        assume_rates(tables, 99, ["781"], history, base, years)
