"""The optional zones.geojson: accepted as built, each fault reported with feature and field."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from experiments.world_cli import main
from scenarios.errors import WorldFileError
from scenarios.worlds.loader import embedded_world_path, load_world


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("geo") / "sysma"
    assert main(["build", "-m", "781", "--out", str(out)]) == 0
    return out


def _edit(built: Path, tmp_path: Path, change) -> Path:
    folder = tmp_path / change.__name__
    shutil.copytree(built, folder)
    doc = json.loads((folder / "zones.geojson").read_text(encoding="utf-8"))
    change(doc)
    (folder / "zones.geojson").write_text(json.dumps(doc), encoding="utf-8")
    return folder


def _problems(folder: Path) -> str:
    with pytest.raises(WorldFileError) as err:
        load_world(folder)
    return str(err.value)


def test_a_world_without_polygons_loads_with_none():
    assert load_world(embedded_world_path("paijat_hame")).zone_geometries is None


def test_built_polygons_load(built):
    assert len(load_world(built).zone_geometries) == 8


def test_unknown_and_duplicate_zones(built, tmp_path):
    def change(doc):
        doc["features"][0]["properties"]["zone_id"] = "99999"
        doc["features"][2]["properties"]["zone_id"] = doc["features"][1]["properties"]["zone_id"]

    text = _problems(_edit(built, tmp_path, change))
    assert "zones.geojson, line 1, field 'properties.zone_id': '99999' is not a zone" in text
    assert "zones.geojson, line 3, field 'properties.zone_id': duplicate zone" in text


def test_wgs84_coordinates_and_another_crs_are_refused(built, tmp_path):
    def change(doc):
        doc["crs"]["properties"]["name"] = "urn:ogc:def:crs:OGC:1.3:CRS84"
        ring = [[25.0, 61.0], [25.1, 61.0], [25.1, 61.1], [25.0, 61.0]]
        doc["features"][0]["geometry"] = {"type": "Polygon", "coordinates": [ring]}

    text = _problems(_edit(built, tmp_path, change))
    assert "field 'crs'" in text and "is not EPSG:3067" in text
    assert "line 1, field 'geometry.coordinates': bounds" in text


def test_a_point_and_a_missing_zone_are_refused(built, tmp_path):
    def change(doc):
        doc["features"][0]["geometry"] = {"type": "Point", "coordinates": [427000, 6823000]}

    assert "line 1, field 'geometry.type': 'Point' is not one of" in _problems(
        _edit(built, tmp_path, change)
    )

    def drop(doc):
        doc["features"].pop()

    assert "1 zone(s) lack a polygon" in _problems(_edit(built, tmp_path, drop))
