"""The sweep's forecast cache key: what enters it and what does not."""

from dataclasses import replace

import xarray as xr
from hydra import compose, initialize_config_module

from experiments.compose import rates_dir
from experiments.forecast_cache import cached_forecast, forecast_key
from experiments.settings import settings_from_config
from scenarios.worlds.loader import embedded_world_path


def settings(*overrides):
    with initialize_config_module(version_base="1.3", config_module="experiments.conf"):
        return settings_from_config(compose("config", overrides=list(overrides)))


def test_key_follows_the_forecast_inputs_only(tmp_path):
    base = settings("horizon_years=2")
    world, rates = embedded_world_path("sysma"), rates_dir(base)
    key = forecast_key(base, world, rates, "1.0")
    assert key == forecast_key(replace(base, seed=7), world, rates, "1.0")  # run seed
    assert key == forecast_key(
        settings("horizon_years=2", "strategy=status_quo"), world, rates, "1.0"
    )
    assert key != forecast_key(settings("horizon_years=3"), world, rates, "1.0")
    assert key != forecast_key(settings("horizon_years=2", "forecast.seed=1"), world, rates, "1.0")
    assert key != forecast_key(base, world, rates, "1.1")  # package version
    assert key != forecast_key(base, embedded_world_path("paijat_hame"), rates, "1.0")
    copy = tmp_path / "rates"
    copy.mkdir()
    for f in rates.iterdir():
        if f.is_file():
            (copy / f.name).write_bytes(f.read_bytes())
    assert forecast_key(base, world, copy, "1.0") == key  # same contents, other folder
    (copy / "tfr.csv").write_text((copy / "tfr.csv").read_text() + "\n")
    assert forecast_key(base, world, copy, "1.0") != key  # contents changed


def test_cache_builds_once_and_returns_the_stored_values(tmp_path):
    calls = []
    data = xr.Dataset({"population": ("year", [1.0 / 3.0, 2.0])}, coords={"year": [1, 2]})

    def build():
        calls.append(1)
        return data

    first = cached_forecast(tmp_path, "k", build)
    second = cached_forecast(tmp_path, "k", build)
    assert len(calls) == 1
    xr.testing.assert_identical(first, data)
    xr.testing.assert_identical(second, data)
    assert [p.name for p in tmp_path.iterdir()] == ["forecast-k.nc"]


def count_stock_fits(monkeypatch) -> list[int]:
    """Count the seasonal-stock forecast fits (one list item per fit)."""
    import scenarios.run_forecast as forecast_module

    calls = []
    real = forecast_module.stock_paths

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(forecast_module, "stock_paths", counting)
    return calls


def test_seasonal_stock_goes_through_the_cache_with_identical_paths(tmp_path, monkeypatch):
    from experiments.compose import prepare_run

    base = settings("horizon_years=2", "forecast.n_samples=5", "seed=3")
    plain = prepare_run(base)
    assert plain.seasonal_path is not None and len(plain.seasonal_path) == 2
    calls = count_stock_fits(monkeypatch)
    cache = tmp_path / "cache"
    first = prepare_run(base, forecast_cache=cache)
    (stored,) = cache.glob("seasonal-*.nc")
    for seed in (3, 4):  # another run of the sweep: other sample, same stock forecast
        again = prepare_run(replace(base, seed=seed), forecast_cache=cache)
    assert len(calls) == 1  # built once, then read
    assert first.seasonal_path == plain.seasonal_path  # bit-identical floats
    other = prepare_run(replace(base, seed=4))
    assert again.seasonal_path == other.seasonal_path != plain.seasonal_path
    with xr.open_dataset(stored) as ds:
        assert ds["free_time_residences"].dims == ("sample", "year")
    constant = settings("horizon_years=2", "forecast.n_samples=5", "forecast.seasonal=constant")
    assert prepare_run(constant, forecast_cache=tmp_path / "c2").seasonal_path is None
    assert not (tmp_path / "c2").exists() or not list((tmp_path / "c2").glob("seasonal-*"))


def test_season_aware_plans_on_the_cached_stock_without_refitting(tmp_path, monkeypatch):
    from experiments.compose import prepare_run

    base = settings("horizon_years=2", "forecast.n_samples=5", "strategy=season_aware")
    plain = prepare_run(base)
    calls = count_stock_fits(monkeypatch)
    cache = tmp_path / "cache"
    runs = [prepare_run(replace(base, seed=seed), forecast_cache=cache) for seed in (0, 1)]
    assert len(calls) == 1  # one fit serves the strategy input and both runs' paths
    for run in runs:
        xr.testing.assert_identical(
            run.strategy.seasonal_forecast, plain.strategy.seasonal_forecast
        )
    assert runs[0].seasonal_path == plain.seasonal_path
