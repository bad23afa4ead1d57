"""Hamilton-Perry, control to totals, the population reader and the age backtest."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from forecasting.age_backtest import (
    SERVICE_GROUPS,
    hamilton_perry_method,
    naive_method,
    rolling_origin_ages,
    summarise_ages,
)
from forecasting.errors import InputError, ProjectionError
from forecasting.population_inputs import read_population
from forecasting.small_area import _smooth, control_to_totals, hamilton_perry
from forecasting.types import AGES, SEXES


def stationary(n_areas=2, years=range(2000, 2016), width=1, growth=1.0):
    """A population whose structure repeats every year (times ``growth`` per year)."""
    starts = np.arange(0, 101, width)
    shape = np.exp(-starts / 40.0)
    values = np.array(
        [
            [[shape * (a + 1) * 1000 * growth ** (y - 2000)] * 2 for y in years]
            for a in range(n_areas)
        ]
    )
    return xr.DataArray(
        values,
        dims=("area", "year", "sex", "age"),
        coords={"area": [f"{a}" for a in range(n_areas)], "year": list(years),
                "sex": list(SEXES), "age": starts},
    )  # fmt: skip


def test_a_stationary_population_is_carried_forward_exactly():
    pop = stationary()
    out = hamilton_perry(pop, 3, base_period=5, smooth=1)
    expected = pop.isel(year=-1, drop=True)
    for year in (2016, 2017, 2018):
        np.testing.assert_allclose(out.sel(year=year), expected, rtol=1e-12)


def test_five_year_bands_step_five_years():
    pop = stationary(width=5, years=range(1990, 2016), growth=1.01)
    out = hamilton_perry(pop, 2, base_period=10, smooth=1)
    assert out["year"].values.tolist() == [2020, 2025]
    # a population growing 1 % a year in every band keeps growing 1 % a year
    ratio = out.sel(year=2020).sum() / pop.sel(year=2015).sum()
    assert float(ratio) == pytest.approx(1.01**5, rel=1e-9)


def test_smoothing_averages_neighbouring_ratios():
    spike = np.zeros(9)
    spike[4] = 9.0
    smoothed = _smooth(spike, 3)
    assert smoothed.tolist() == [0, 0, 0, 3, 3, 3, 0, 0, 0]
    assert _smooth(np.ones(5), 3).tolist() == [1, 1, 1, 1, 1]  # ends use what exists


def test_control_to_totals_keeps_structure_and_hits_totals():
    pop = stationary()
    out = hamilton_perry(pop, 2, smooth=1)
    totals = xr.DataArray([[5e3, 6e3], [7e3, 8e3]], dims=("area", "year"),
                          coords={"area": ["0", "1"], "year": [2016, 2017]})  # fmt: skip
    controlled = control_to_totals(out, totals)
    np.testing.assert_allclose(controlled.sum(("sex", "age")), totals)
    share = controlled / controlled.sum(("sex", "age"))
    np.testing.assert_allclose(share, out / out.sum(("sex", "age")))
    with pytest.raises(ProjectionError, match="totals lack"):
        control_to_totals(out, totals.sel(year=[2016]))


def test_uneven_bands_are_rejected():
    pop = stationary().isel(age=[0, 1, 3])
    with pytest.raises(ProjectionError, match="equally wide"):
        hamilton_perry(pop, 1)


def test_reader_checks_completeness(tmp_path):
    path = tmp_path / "pop.csv"
    rows = ["region_code,year,sex,age,population"]
    rows += [f"7,2020,{s},{a},10" for s in SEXES for a in AGES if not (s == "male" and a == 5)]
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(InputError, match="area 7, year 2020 column 'age': 201 sex-age rows"):
        read_population(path)


def test_reader_reads_the_shared_regional_file(shared_data):
    pop = read_population(
        shared_data / "finland_regional_population_age_sex.csv", drop_areas=("246",)
    )
    assert dict(pop.sizes) == {"area": 19, "year": 52, "sex": 2, "age": 101}
    total_2023 = float(pop.sel(year=2023).sum())
    assert total_2023 == 5_603_851  # the shared README's Finland total


def test_age_backtest_scores_service_groups_without_look_ahead():
    pop = stationary(years=range(2000, 2021), growth=1.005)
    methods = {"hp": hamilton_perry_method, "naive": naive_method}
    ds = rolling_origin_ages(pop, methods, [2010, 2015], [5, 10])
    assert list(ds["age_group"].values) == list(SERVICE_GROUPS)
    assert np.isnan(ds["observed"].sel(launch_year=2015, horizon=10)).all()
    np.testing.assert_allclose(  # 0-6 group observed = the data's ages 0-6 in 2015
        ds["observed"].sel({"method": "hp", "launch_year": 2010, "horizon": 5, "age_group": "0_6"}),
        pop.sel(year=2015, age=slice(0, 6)).sum(("sex", "age")),
    )
    table = summarise_ages(ds, size_bins=(0, np.inf))
    assert {"mape_0_6", "mape_7_15", "mape_75_84", "mape_85plus"} <= set(table.columns)
    # a constant age structure is exactly what the naive method assumes
    naive = table[table["method"] == "naive"]
    assert (naive[["mape_0_6", "mape_85plus"]] < 1.0).all().all()


def test_cohort_component_on_paths_uses_only_the_launch_history(shared_data, tables):
    from forecasting.age_backtest import cohort_component_method

    pop = read_population(
        shared_data / "finland_regional_population_age_sex.csv", drop_areas=("246",)
    ).sel(area=["7"])
    history = pop.sel(year=slice(None, 2010))
    horizons = np.array([5, 10])
    paths = cohort_component_method(tables, n_samples=4, rng=np.random.default_rng(0))
    fixed = cohort_component_method(tables)
    a = paths(history, horizons)
    assert dict(a.sizes) == {"area": 1, "horizon": 2, "sex": 2, "age": 101}
    assert np.isfinite(a).all() and not np.allclose(a, fixed(history, horizons))
    again = cohort_component_method(tables, n_samples=4, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(again(history, horizons), a)  # reproducible
    total = float(a.sel(horizon=5).sum())
    assert abs(total / float(pop.sel(year=2015).sum()) - 1) < 0.05
