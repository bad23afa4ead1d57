"""A world outside the Finnish tables forecast from its own population, births and deaths."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import xarray as xr

import servicesim
from forecasting.errors import InputError
from forecasting.synthetic import country
from tests.factories import small_world
from tests.sweeps import servicesim as command
from tests.world_files import write_world_folder

AREA = "Lake Side"
BASE_YEAR = 2020


def own_world(folder, area=AREA):
    """A three-zone world of the synthetic area, with its history, births and deaths."""
    population, births, deaths = country()
    population, births, deaths = (f[f["area"] == area] for f in (population, births, deaths))
    cells = population[population["year"] == BASE_YEAR].pivot_table(
        index="sex", columns="age", values="population"
    )
    cells = cells.loc[["female", "male"]].to_numpy().astype(np.int64)
    residents = np.stack([cells // 3, cells // 3, cells - 2 * (cells // 3)])
    world = small_world(n_zones=3, residences=0)  # no Finnish free-time residence file needed
    zones = dataclasses.replace(world.zones, area_ids=(area,) * 3)
    totals = population.groupby("year")["population"].sum()
    history = {area: {int(y): int(n) for y, n in totals.loc[:BASE_YEAR].items()}}
    world = dataclasses.replace(
        world, zones=zones, residents=residents, base_year=BASE_YEAR, population_history=history,
        rates_region=0,
    )  # fmt: skip
    write_world_folder(world, folder)
    for frame, name in ((population, "population_age_sex"), (births, "births"),
                        (deaths, "deaths")):  # fmt: skip
        frame.rename(columns={"area": "area_id"}).to_csv(folder / f"{name}.csv", index=False)
    return folder, population


def test_world_forecast_from_its_own_data(tmp_path):
    folder, population = own_world(tmp_path / "world")
    ds = servicesim.forecast(str(folder), horizon_years=4,
                             options={"n_samples": 3, "method": "deterministic"})  # fmt: skip
    assert ds.attrs["schedules"].startswith("own") and "deterministic" in ds.attrs["schedules"]
    pop = ds["population"]
    assert dict(pop.sizes)["sample"] == 3 and pop["area"].values.tolist() == [AREA]
    np.testing.assert_array_equal(pop.isel(sample=0), pop.isel(sample=2))  # one path
    truth = population.groupby("year")["population"].sum()
    forecast = pop.isel(sample=0).sum(("sex", "age")).sel(area=AREA).to_series()
    error = abs(forecast.loc[BASE_YEAR + 4] / truth.loc[BASE_YEAR + 4] - 1)
    assert error < 0.01, error  # the generating process is a cohort-component one
    # births of the projection follow the area's own fertility (the generating TFR falls)
    tfr = float(ds["fertility_rate"].isel(sample=0).sel(area=AREA, year=BASE_YEAR + 1).sum())
    assert 1.9 - 0.01 * (BASE_YEAR - 1975) - 0.1 < tfr < 1.9 - 0.01 * (BASE_YEAR - 1975) + 0.1


def test_world_forecast_from_its_own_data_has_sample_paths(tmp_path):
    folder, _ = own_world(tmp_path / "world")
    det = servicesim.forecast(str(folder), horizon_years=10,
                              options={"n_samples": 1, "method": "deterministic"})  # fmt: skip
    runs = [
        servicesim.forecast(str(folder), horizon_years=10, options={"n_samples": 30, "seed": seed})
        for seed in (0, 0, 1)
    ]  # stochastic is the default; fmt: skip
    assert "stochastic" in runs[0].attrs["schedules"]
    totals = [ds["population"].sum(("sex", "age")).sel(area=AREA) for ds in runs]
    end = totals[0].sel(year=BASE_YEAR + 10)
    assert len(np.unique(end.values)) == 30  # the samples differ
    deterministic = float(det["population"].isel(sample=0).sel(year=BASE_YEAR + 10).sum())
    assert float(end.median()) == pytest.approx(deterministic, rel=0.01)
    np.testing.assert_array_equal(totals[0].values, totals[1].values)  # same seed
    assert not np.array_equal(totals[0].values, totals[2].values)


def test_world_with_own_data_runs_from_the_command_line(tmp_path):
    folder, _ = own_world(tmp_path / "world")
    proc = command(f"world.path={folder}", "horizon_years=2", "forecast.n_samples=2",
                   cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = list(tmp_path.rglob("results.nc"))
    assert len(results) == 1
    expected = servicesim.forecast(str(folder), horizon_years=2, options={"n_samples": 2})
    expected = float(expected["population"].isel(sample=0).sel(year=BASE_YEAR + 2).sum())
    with xr.open_dataset(results[0]) as ds:
        simulated = float(ds["population"].sel(kind="permanent").isel(time=-1).sum())
    assert abs(simulated / expected - 1) < 0.02, (simulated, expected)


def test_partial_own_data_is_refused(tmp_path):
    folder, _ = own_world(tmp_path / "world")
    (folder / "deaths.csv").unlink()
    with pytest.raises(InputError, match="deaths.csv"):
        servicesim.forecast(str(folder), horizon_years=2)


def test_own_data_lacking_the_worlds_area_is_refused(tmp_path):
    folder, _ = own_world(tmp_path / "world")
    text = (folder / "population_age_sex.csv").read_text().replace(AREA, "Elsewhere")
    (folder / "population_age_sex.csv").write_text(text)
    with pytest.raises(InputError, match="Elsewhere|Lake Side"):
        servicesim.forecast(str(folder), horizon_years=2)
