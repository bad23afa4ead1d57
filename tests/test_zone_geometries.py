"""The optional zones.geojson: accepted as built, each fault reported with feature and field."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import shapely

from experiments.world_cli import main
from experiments.zone_polygons import load_zone_polygons
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


def test_a_world_without_polygons_loads_with_none(built, tmp_path):
    folder = Path(shutil.copytree(built, tmp_path / "no_polygons"))
    (folder / "zones.geojson").unlink()
    assert load_world(folder).zone_geometries is None


def test_paijat_hame_ships_a_polygon_for_every_zone_around_its_point():
    world = load_world(embedded_world_path("paijat_hame"))
    assert list(world.zone_geometries) == list(world.zones.ids)  # zone order, none missing
    polygons = load_zone_polygons("paijat_hame")
    assert list(polygons) == list(world.zones.ids)
    for zone, x, y in zip(world.zones.ids, world.zones.x, world.zones.y, strict=True):
        assert polygons[zone].is_valid, zone
        assert polygons[zone].geom_type in ("Polygon", "MultiPolygon"), zone
        assert polygons[zone].covers(shapely.Point(x, y)), zone  # Paavo's point
    # Sysmä's eight zones have the same polygons in both embedded worlds.
    sysma = load_zone_polygons("sysma")
    assert all(sysma[z].equals_exact(polygons[z], 0.0) for z in sysma)


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
