"""Any population: the cohort-component method on areas outside the rate tables.

A synthetic country (areas named by strings, population by sex and single age,
births by mother's age and child's sex, deaths by sex and age, 1975-2024) is
backtested through the Python API and the command line.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from forecasting.api import backtest
from forecasting.errors import CalibrationError, InputError
from forecasting.own_rates import own_rates
from forecasting.population_inputs import read_population
from forecasting.synthetic import AREAS, country, write_country
from forecasting.vital_inputs import births_array, births_table, deaths_array, deaths_table

LAUNCHES = [1995, 2005]


@pytest.fixture(scope="module")
def data():
    return country()


@pytest.fixture(scope="module")
def api_result(data):
    pop, births, deaths = data
    return backtest(
        pop, births=births, deaths=deaths, area_column="area", horizons=[5, 10],
        launch_years=LAUNCHES, age_methods=["cohort_component", "naive"],
    )  # fmt: skip


def test_own_schedules_recover_the_generating_rates(data):
    pop, births, deaths = data
    population = read_population(pop, "area")
    area = "Lake Side"
    history = population.sel(area=area, year=slice(None, 2000))
    b = births_array(births_table(births, "area")[1], by_sex=True).sel(area=area)
    d = deaths_array(deaths_table(deaths, "area")[1]).sel(area=area)
    rates = own_rates(area, history, b, d, np.arange(2001, 2006), base_period=10)
    assert rates.attrs["sex_ratio_at_birth"] == pytest.approx(1.05, abs=0.01)
    tfr = float(rates["fertility_rate"].isel(sample=0, area=0, year=0).sum())
    assert tfr == pytest.approx(1.9 - 0.01 * 25, abs=0.02)  # the generator's TFR in 2000
    migration = rates["net_migration_rate"].isel(sample=0, area=0, year=0, sex=0)
    # young adults move in, the generator's profile (level 0 for Lake Side)
    assert float(migration.sel(age=22)) > 0.005 and abs(float(migration.sel(age=60))) < 0.004


def test_api_backtests_a_non_finnish_population_with_string_areas(api_result):
    ds, summary = api_result
    assert sorted(ds["area"].values.tolist()) == sorted(AREAS)
    assert ds["launch_year"].values.tolist() == LAUNCHES
    rows = summary.set_index(["method", "horizon", "size_class"])
    ccm, naive = rows.loc["cohort_component"], rows.loc["naive"]
    # the area's own schedules beat the naive age-share forecast, most on 0-6
    assert (ccm.loc[10, "mape_0_6"] < 0.5 * naive.loc[10, "mape_0_6"]).all()
    assert ccm.loc[10, "mape"].mean() < naive.loc[10, "mape"].mean()
    assert (ccm["mape"] < 3.0).all()


def test_command_line_gives_the_same_backtest(tmp_path, api_result):
    paths = write_country(tmp_path)
    out = tmp_path / "out"
    proc = _cli(paths, "age_methods=[cohort_component,naive]", f"hydra.run.dir={out}",
                cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    with xr.open_dataset(out / "backtest.nc") as ds:
        expected = api_result[0]["forecast"].sel(area=ds["area"].values)
        np.testing.assert_allclose(ds["forecast"].values, expected.values, rtol=1e-9)
    assert set(pd.read_csv(out / "backtest.csv")["method"]) == {"cohort_component", "naive"}


def _cli(paths, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).parent / "servicesim-backtest"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "experiments.backtest_cli"]
    pop, births, deaths = paths
    files = [f"data={pop}", f"births={births}", f"deaths={deaths}", "area_column=area",
             "horizons=[5,10]", f"launch_years=[{','.join(map(str, LAUNCHES))}]"]  # fmt: skip
    return subprocess.run(
        [*cmd, *files, *args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )


def test_population_alone_offers_the_methods_that_need_nothing_else(data):
    pop, _, _ = data
    with pytest.raises(CalibrationError, match=r"not in the rate tables.*hamilton_perry,naive"):
        backtest(pop, area_column="area", horizons=[5], launch_years=[2000],
                 age_methods=["cohort_component"])  # fmt: skip
    ds, _ = backtest(pop, area_column="area", horizons=[5], launch_years=[2000],
                     age_methods=["hamilton_perry"])  # fmt: skip
    assert ds["forecast"].notnull().all()


def _bad(data, which: str, change) -> str:
    pop, births, deaths = (frame.copy() for frame in data)
    frames = {"population": pop, "births": births, "deaths": deaths}
    frames[which] = change(frames[which])
    with pytest.raises(InputError) as err:
        backtest(frames["population"], births=frames["births"], deaths=frames["deaths"],
                 area_column="area", horizons=[5], launch_years=[2000])  # fmt: skip
    return str(err.value)


def test_births_by_an_age_outside_10_55_name_row_and_value(data):
    def young(births):
        births.loc[3, "mother_age"] = 9
        return births

    assert "births row 4 column 'mother_age': 9 outside [10, 55]" in _bad(data, "births", young)


def test_deaths_above_the_population_name_row_and_value(data):
    def many(deaths):
        row = deaths.index[(deaths["area"] == "Eastbrook") & (deaths["year"] == 1990)
                           & (deaths["sex"] == "male") & (deaths["age"] == 80)][0]  # fmt: skip
        deaths.loc[row, "deaths"] = 5000
        return deaths

    message = _bad(data, "deaths", many)
    assert "column 'deaths': 5000 deaths of males aged 80 in 1990 in area 'Eastbrook'" in message
    assert "exceed the" in message


def test_births_of_areas_not_in_the_population_are_refused(data):
    def atlantis(births):
        extra = births.iloc[:2].assign(area="Atlantis")
        return pd.concat([births, extra], ignore_index=True)

    n = len(data[1])
    message = _bad(data, "births", atlantis)
    assert f"births row {n + 1} column 'area': area 'Atlantis' is not in population" in message


def test_missing_years_are_refused(data):
    message = _bad(data, "deaths", lambda d: d[~((d["area"] == "Northvale") & (d["year"] == 1990))])
    assert "deaths column 'year': area 'Northvale' has no rows for the years 1990" in message
    message = _bad(data, "population", lambda p: p[p["year"] != 1985])
    assert "population column 'year': missing years [1985]" in message


def test_bad_files_fail_on_the_command_line_and_write_nothing(tmp_path):
    paths = write_country(tmp_path)
    births = pd.read_csv(paths[1])
    births.loc[0, "mother_age"] = 60
    births.to_csv(paths[1], index=False)
    out = tmp_path / "out"
    proc = _cli(paths, f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 2
    assert "births.csv row 1 column 'mother_age': 60 outside [10, 55]" in proc.stderr
    assert not (out / "backtest.nc").exists() and not (out / "backtest.csv").exists()


def test_forecast_projects_every_area_from_the_launch_year(data):
    from forecasting.api import forecast
    from forecasting.options import ForecastOptions

    pop, births, deaths = data
    deterministic = ForecastOptions(method="deterministic", base_period=10)
    ds = forecast(pop, births=births, deaths=deaths, horizon=10, launch_year=2014,
                  options=deterministic)  # fmt: skip
    assert ds["year"].values[[0, -1]].tolist() == [2014, 2024]
    projected = ds["population"].isel(sample=0).sel(year=2024).sum(("sex", "age"))
    observed = read_population(pop, "area").sel(year=2024).sum(("sex", "age"))
    error = abs(projected / observed.sel(area=projected["area"]) - 1)
    assert float(error.sel(area="Lake Side")) < 0.01 and float(error.max()) < 0.03


def test_forecast_of_own_schedules_has_reproducible_sample_paths(data):
    from forecasting.api import forecast
    from forecasting.options import ForecastOptions

    pop, births, deaths = data
    runs = [
        forecast(
            pop,
            births=births,
            deaths=deaths,
            horizon=5,
            launch_year=2014,
            options=ForecastOptions(n_samples=20, seed=seed),
        )
        for seed in (4, 4, 5)
    ]  # stochastic by default; fmt: skip
    totals = [ds["population"].sel(year=2019).sum(("sex", "age")) for ds in runs]
    assert all(float(t.std("sample").min()) > 0 for t in totals)  # every area has paths
    np.testing.assert_array_equal(totals[0].values, totals[1].values)
    assert not np.array_equal(totals[0].values, totals[2].values)
