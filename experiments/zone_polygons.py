"""Zone polygons for maps: read from a world, checked to be EPSG:3067 metres.

The world's ``zones.geojson`` (see ``docs/world-format.md``) holds one polygon per
zone in ETRS-TM35FIN (EPSG:3067) metres. Maps need metres (equal aspect, a scale bar
in data units), so polygons in degrees or another named CRS are refused with a
message saying so; a GeoDataFrame is reprojected.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from scenarios.worlds.loader import embedded_world_path, embedded_worlds, load_world
from simulation.world import World

__all__ = ["Polygons", "as_polygons", "load_zone_polygons"]

#: Largest coordinate that can still be degrees: polygons inside it are not metres.
DEGREE_LIMIT = 360.0

Polygons = dict[str, shapely.Polygon | shapely.MultiPolygon]


def _crs_is_3067(doc: Mapping[str, Any]) -> bool:
    crs = doc.get("crs")
    if crs is None:
        return True
    name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
    return name.replace("::", ":").upper().endswith("EPSG:3067")


def _from_feature_collection(doc: Mapping[str, Any], where: str) -> Polygons:
    if doc.get("type") != "FeatureCollection":
        raise ValueError(f"{where}: not a GeoJSON FeatureCollection")
    if not _crs_is_3067(doc):
        raise ValueError(f"{where}: crs {doc.get('crs')!r} is not EPSG:3067 (metres)")
    out: Polygons = {}
    for k, feature in enumerate(doc.get("features") or [], start=1):
        zone = str((feature.get("properties") or {}).get("zone_id", ""))
        if not zone:
            raise ValueError(f"{where}: feature {k} has no properties.zone_id")
        out[zone] = shapely.geometry.shape(feature["geometry"])
    return out


def _check_metres(polygons: Polygons, where: str) -> Polygons:
    if not polygons:
        raise ValueError(f"{where}: no zone polygons")
    for zone, geom in polygons.items():
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise ValueError(f"{where}: zone {zone!r} is a {geom.geom_type}, not a polygon")
    bounds = shapely.total_bounds(list(polygons.values()))
    if np.abs(bounds).max() <= DEGREE_LIMIT:
        raise ValueError(
            f"{where}: bounds {tuple(bounds)} look like degrees (WGS84); maps need EPSG:3067 metres"
        )
    return polygons


def load_zone_polygons(world: str | Path | World) -> Polygons:
    """Zone id -> polygon (EPSG:3067 metres) of a world, in the world's zone order.

    Parameters
    ----------
    world : str, Path or World
        An embedded world's name (``"sysma"``), a world folder, a ``zones.geojson``
        file, or a loaded :class:`~simulation.world.World`.

    Returns
    -------
    dict of str to shapely Polygon or MultiPolygon
        Holes (lakes) are kept.

    Raises
    ------
    ValueError
        If the world has no polygons, the file names another CRS, or the
        coordinates are degrees instead of metres.

    Examples
    --------
    >>> polygons = load_zone_polygons("sysma")
    >>> len(polygons), polygons["19700"].geom_type
    (8, 'Polygon')
    >>> len(polygons["19700"].interiors)  # a lake
    1
    """
    if isinstance(world, World):
        where = f"world {world.name!r}"
        if not world.zone_geometries:
            raise ValueError(f"{where} has no zones.geojson: no polygons to draw")
        geoms = world.zone_geometries
        polygons = {z: shapely.geometry.shape(geoms[z]) for z in world.zones.ids if z in geoms}
        return _check_metres(polygons, where)
    if isinstance(world, str) and world in embedded_worlds():
        return load_zone_polygons(load_world(embedded_world_path(world)))
    path = Path(world)
    if path.is_dir():
        return load_zone_polygons(load_world(path))
    doc = json.loads(path.read_text(encoding="utf-8"))
    return _check_metres(_from_feature_collection(doc, str(path)), str(path))


def as_polygons(polygons: Any) -> Polygons:
    """Zone id -> polygon from a dict of geometries, a FeatureCollection or a GeoDataFrame.

    Parameters
    ----------
    polygons : dict, GeoJSON FeatureCollection or GeoDataFrame
        Zone id -> shapely (Multi)Polygon or GeoJSON geometry in EPSG:3067 metres; a
        FeatureCollection with ``properties.zone_id``; or a GeoDataFrame in any
        projected or geographic CRS (reprojected to EPSG:3067) with a ``zone_id``
        column or zone ids as its index.

    Returns
    -------
    dict of str to shapely Polygon or MultiPolygon

    Raises
    ------
    ValueError
        If a geometry is not a polygon, or the coordinates are degrees.
    """
    if hasattr(polygons, "geometry") and hasattr(polygons, "crs"):  # a GeoDataFrame
        gdf = polygons.to_crs(3067) if polygons.crs is not None else polygons
        ids = gdf["zone_id"] if "zone_id" in gdf.columns else gdf.index
        return _check_metres(
            {str(z): g for z, g in zip(ids, gdf.geometry, strict=True)}, "GeoDataFrame"
        )
    if isinstance(polygons, Mapping) and polygons.get("type") == "FeatureCollection":
        return _check_metres(_from_feature_collection(polygons, "GeoJSON"), "GeoJSON")
    out = {
        str(z): g if isinstance(g, shapely.Geometry) else shapely.geometry.shape(g)
        for z, g in dict(polygons).items()
    }
    return _check_metres(out, "polygons")
