"""Mobile routes, digital channels and the school-transport rule as world and model state."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from scenarios.errors import WorldFileError
from scenarios.worlds.loader import load_world
from simulation import DigitalChannel, MobileRoute, ServiceModel, SimulationParams
from simulation.errors import WorldError
from tests.factories import drifting_path, small_world
from tests.world_files import write_world_folder

ALL_YEAR = (True,) * 12


def route(**kw):
    base = dict(
        id="van",
        services=("primary_health_care",),
        zones=("Z1", "Z2"),
        months=ALL_YEAR,
        days_per_month=4,
        capacity_per_month=100.0,
        cost_eur_per_year=40_000.0,
    )
    return MobileRoute(**(base | kw))


def test_world_holds_routes_and_channels_and_checks_their_ids():
    world = small_world(n_zones=3)
    ok = dataclasses.replace(
        world, mobile_routes=(route(),), digital_channels=(DigitalChannel("primary_health_care"),)
    )
    assert ok.mobile_routes[0].zones == ("Z1", "Z2")
    with pytest.raises(WorldError, match="unknown zones \\['Z7'\\]"):
        dataclasses.replace(world, mobile_routes=(route(zones=("Z7",)),))
    with pytest.raises(WorldError, match="unknown services \\['dentistry'\\]"):
        dataclasses.replace(world, mobile_routes=(route(services=("dentistry",)),))
    with pytest.raises(WorldError, match="unknown service"):
        dataclasses.replace(world, digital_channels=(DigitalChannel("dentistry"),))
    with pytest.raises(WorldError, match="more than one"):
        dataclasses.replace(world, digital_channels=(DigitalChannel("primary_health_care"),) * 2)


def test_model_holds_mutable_copies_and_the_school_transport_rule():
    world = dataclasses.replace(
        small_world(n_zones=3),
        mobile_routes=(route(),),
        digital_channels=(DigitalChannel("primary_health_care", 0.5),),
    )
    model = ServiceModel(
        world, drifting_path(world, 1), 1, seed=0, params=SimulationParams(school_transport_km=3)
    )
    assert model.mobile_routes == [route()] and isinstance(model.mobile_routes, list)
    assert model.digital_channels == {
        "primary_health_care": DigitalChannel("primary_health_care", 0.5)
    }
    assert model.school_transport_km == 3
    model.mobile_routes.clear()  # the world's initial network is untouched
    assert len(world.mobile_routes) == 1
    default = ServiceModel(world, drifting_path(world, 1), 1, seed=0)
    assert default.school_transport_km == 5.0


@pytest.fixture
def folder(tmp_path):
    return write_world_folder(small_world(n_zones=3), tmp_path / "w")


def write_channels(folder, routes, digital):
    pd.DataFrame(routes).to_csv(folder / "mobile_routes.csv", index=False)
    pd.DataFrame(digital).to_csv(folder / "digital_channels.csv", index=False)


ROUTE_ROW = {
    "route_id": "van",
    "services": "primary_health_care",
    "zones": "Z1;Z2",
    "months": "5-9",
    "days_per_month": 4,
    "capacity_per_month": 120,
    "cost_eur_per_year": 30000,
}


def test_loader_reads_optional_channel_files(folder):
    assert load_world(folder).mobile_routes == ()
    write_channels(folder, [ROUTE_ROW], [{"service_id": "primary_health_care", "adoption": 0.6}])
    world = load_world(folder)
    (r,) = world.mobile_routes
    assert r.zones == ("Z1", "Z2") and r.services == ("primary_health_care",)
    assert np.flatnonzero(r.months).tolist() == [4, 5, 6, 7, 8]
    assert (r.days_per_month, r.capacity_per_month, r.cost_eur_per_year) == (4, 120.0, 30000.0)
    assert world.digital_channels == (DigitalChannel("primary_health_care", 0.6),)


def test_loader_names_file_row_field_and_allowed_values(folder):
    bad = ROUTE_ROW | {"zones": "Z1;Nowhere", "months": "13", "days_per_month": 40}
    write_channels(folder, [bad], [{"service_id": "dentistry", "adoption": 2}])
    with pytest.raises(WorldFileError) as info:
        load_world(folder)
    text = str(info.value)
    assert "mobile_routes.csv" in text and "'Nowhere' is not one of ['Z0', 'Z1', 'Z2']" in text
    assert "months" in text and "days_per_month" in text and "outside [0, 31]" in text
    assert "digital_channels.csv" in text and "'dentistry' is not one of" in text
    assert "adoption" in text and "outside [0, 1]" in text
