"""The simulation's forecast takes the jump-off options: national shift, latest age pattern."""

from __future__ import annotations

import numpy as np
import pytest
from hydra import compose, initialize_config_module

from experiments.compose import rates_dir
from experiments.settings import settings_from_config
from forecasting.errors import InputError
from scenarios.run_forecast import build_forecast, national_history
from scenarios.worlds.loader import embedded_world_path, load_world

DETERMINISTIC = ["forecast.method=deterministic", "forecast.n_samples=1"]


def _settings(*overrides: str):
    base = ["world=sysma", "horizon_years=5", "forecast.seed=3", *DETERMINISTIC]
    with initialize_config_module(version_base="1.3", config_module="experiments.conf"):
        return settings_from_config(compose("config", overrides=[*base, *overrides]))


@pytest.fixture(scope="module")
def world():
    return load_world(embedded_world_path("sysma"))


def _first_year(world, *overrides):
    settings = _settings(*overrides)
    ds = build_forecast(world, rates_dir(settings), settings)
    total = ds["population"].isel(sample=0).sum(("area", "sex", "age")).to_numpy()
    return ds, total[1] - total[0]


def test_country_series_is_read_for_the_recent_years(world):
    settings = _settings()
    country = national_history(world, rates_dir(settings), settings)
    assert country.index.tolist() == list(range(world.base_year - 5, world.base_year + 1))
    assert 5.3e6 < country.iloc[-1] < 5.7e6  # Finland's population
    assert national_history(world, rates_dir(settings), _settings(
        "forecast.recent_migration_national=false")) is None  # fmt: skip


def test_national_shift_moves_the_first_year_by_the_country_shift(world):
    from forecasting.jump_off import national_shift

    settings = _settings()
    country = national_history(world, rates_dir(settings), settings)
    shift = national_shift(country, world.base_year, 5, 0.5)
    on, change_on = _first_year(world)
    off, change_off = _first_year(world, "forecast.recent_migration_national=false")
    base_total = float(on["population"].isel(sample=0, year=0).sum())
    assert abs(shift) > 1e-5  # the country's 2023 growth differed from its recent mean
    assert change_on - change_off == pytest.approx(shift * base_total, rel=1e-6, abs=1e-6)


def test_latest_age_pattern_is_switchable(world):
    on, change_on = _first_year(world)
    off, change_off = _first_year(world, "forecast.recent_migration_age_years=null")
    assert change_on == pytest.approx(change_off, abs=1e-6)  # same first-year change ...
    young = {"age": slice(20, 29)}
    rate_on = on["net_migration_rate"].isel(sample=0, area=0).sel(year=on["year"][1], **young)
    rate_off = off["net_migration_rate"].isel(sample=0, area=0).sel(year=off["year"][1], **young)
    assert not np.allclose(rate_on, rate_off)  # ... spread over other ages


def test_missing_country_years_are_a_clear_error(world, tmp_path):
    path = tmp_path / "pop.csv"
    rows = ["region_code,year,sex,age,population"]
    rows += [f"{c},{y},{s},{a},10" for c in (7, 246) for y in range(2021, 2024)
             for s in ("female", "male") for a in range(101)]  # fmt: skip
    path.write_text("\n".join(rows) + "\n")
    settings = _settings(f"forecast.age_history={path}")
    with pytest.raises(InputError, match=r"pop.csv column 'year': the country lacks the years"):
        national_history(world, rates_dir(settings), settings)
