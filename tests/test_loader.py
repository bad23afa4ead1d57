import numpy as np
import pandas as pd
import pytest

from scenarios.errors import WorldFileError
from scenarios.worlds.loader import load_world, parse_months
from tests.factories import small_world
from tests.world_files import write_world_folder


@pytest.fixture
def folder(tmp_path):
    return write_world_folder(small_world(n_zones=3), tmp_path / "w")


def test_round_trip_keeps_the_world(folder):
    original = small_world(n_zones=3)
    loaded = load_world(folder)
    assert (loaded.residents == original.residents).all()
    assert np.allclose(loaded.travel.km, original.travel.km)
    assert loaded.service_ids == original.service_ids
    for a, b in zip(loaded.services, original.services, strict=True):
        assert np.allclose(a.rate, b.rate) and np.allclose(a.month_factors, b.month_factors)
    assert [f.capacity for f in loaded.facilities] == [f.capacity for f in original.facilities]
    assert np.allclose(loaded.seasonal.presence, original.seasonal.presence)


def _edit(folder, name, row, field, value):
    df = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
    df.loc[row, field] = value
    df.to_csv(folder / name, index=False)


def test_every_problem_is_reported_at_once_with_file_line_and_field(folder):
    _edit(folder, "residents.csv", 0, "count", "-3")
    _edit(folder, "residents.csv", 1, "age", "101")
    _edit(folder, "residents.csv", 2, "zone_id", "Z9")
    _edit(folder, "residents.csv", 3, "count", "nan")
    _edit(folder, "facilities.csv", 0, "zone_id", "Nowhere")
    _edit(folder, "facility_services.csv", 0, "service_id", "dentistry")
    _edit(folder, "seasonal_profiles.csv", 5, "presence_share", "1.5")
    _edit(folder, "travel.csv", 1, "km", "99")  # Z0->Z1 no longer equals Z1->Z0
    with pytest.raises(WorldFileError) as err:
        load_world(folder)
    text = str(err.value)
    for expected in (
        "residents.csv, line 2, field 'count': '-3' is outside [0, 1e+12]",
        "residents.csv, line 3, field 'age': '101' is outside [0, 100]",
        "residents.csv, line 4, field 'zone_id': 'Z9' is not one of",
        "residents.csv, line 5, field 'count': 'nan' is not a finite number",
        "facilities.csv, line 2, field 'zone_id': 'Nowhere' is not one of ['Z0', 'Z1', 'Z2']",
        "facility_services.csv, line 2, field 'service_id': 'dentistry'",
        "seasonal_profiles.csv, line 7, field 'presence_share': '1.5' is outside [0, 1]",
        "travel.csv, field 'km': asymmetric distance Z0->Z1",
    ):
        assert expected in text
    assert len(err.value.problems) == 8


def test_incomplete_travel_matrix_and_missing_file(folder):
    df = pd.read_csv(folder / "travel.csv", dtype=str)
    df.iloc[:-1].to_csv(folder / "travel.csv", index=False)
    (folder / "seasonal_residences.csv").unlink()
    with pytest.raises(WorldFileError) as err:
        load_world(folder)
    text = str(err.value)
    assert "travel.csv: matrix is not square and complete: 1 of 3x3 pairs missing" in text
    assert "seasonal_residences.csv: file is missing" in text


def test_missing_columns_are_named(folder):
    df = pd.read_csv(folder / "zones.csv", dtype=str)
    df.drop(columns=["x_m"]).to_csv(folder / "zones.csv", index=False)
    with pytest.raises(WorldFileError, match=r"zones.csv, line 1: missing columns \['x_m'\]"):
        load_world(folder)


def test_parse_months_rejects_bad_ranges():
    assert parse_months("8-5") is None
    assert parse_months("x") is None
    assert parse_months("1-12").all()
