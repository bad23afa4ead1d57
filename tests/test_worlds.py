"""The embedded worlds load, hold the documented totals, and run end to end."""

import pytest
from hydra import compose, initialize_config_module

from experiments.compose import prepare_run
from experiments.settings import settings_from_config
from scenarios.worlds.loader import embedded_world_path, embedded_worlds, load_world
from tests.factories import results_of


def test_embedded_worlds_are_listed():
    assert {"sysma", "paijat_hame"} <= set(embedded_worlds())


def test_sysma_totals_match_statistics_finland():
    world = load_world(embedded_world_path("sysma"))
    assert int(world.residents.sum()) == 3496  # 11re, 31.12.2023
    assert int(world.seasonal.residences.sum()) == 3744  # 116j, 2022
    assert len(world.zones) == 8 and set(world.zones.area_ids) == {"781"}
    assert world.seasonal.users_per_residence == pytest.approx(4.7)


def test_paijat_hame_has_its_ten_municipalities():
    world = load_world(embedded_world_path("paijat_hame"))
    assert len(world.zones.areas) == 10
    assert int(world.residents.sum()) == 204_479  # sum of the ten 2023 totals (11re)


@pytest.mark.slow
def test_paijat_hame_year_conserves_and_follows_forecast():
    with initialize_config_module(version_base="1.3", config_module="experiments.conf"):
        cfg = compose("config", overrides=["world=paijat_hame", "horizon_years=1"])
    run = prepare_run(settings_from_config(cfg))
    ds = results_of(run.model())
    assert (ds["demand"] == ds["served"] + ds["unmet"]).all()
    change = ds["births"] - ds["deaths"] + ds["in_migration"] - ds["out_migration"]
    assert (ds["residents_end"] == ds["residents_start"] + change).all()
    assert int(ds["residents_end"].sum()) == int(run.path.population[:, 0].sum())
