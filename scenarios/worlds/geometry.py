"""Read and validate the optional ``zones.geojson`` of a world folder.

The file is a GeoJSON FeatureCollection of zone polygons in **ETRS-TM35FIN
(EPSG:3067) metres**, the same system as ``zones.csv``: one feature per zone, with
``properties.zone_id`` and a ``Polygon`` or ``MultiPolygon`` geometry. A ``crs``
member, if present, must name EPSG:3067. Reports and the dashboard draw maps from it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely

from scenarios.errors import Problem

FILE = "zones.geojson"
GEOMETRY_TYPES = ("Polygon", "MultiPolygon")
#: How far (metres) a polygon may lie from the bounding box of the zone points; a
#: larger gap means the coordinates are in another system (e.g. WGS84 degrees).
MAX_OFFSET_M = 200_000.0


def _crs_ok(doc: dict) -> bool:
    crs = doc.get("crs")
    if crs is None:
        return True
    name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
    return name.replace("::", ":").upper().endswith("EPSG:3067")


def _geometry(feature: object, where: int, problems: list[Problem]) -> object | None:
    geom = feature.get("geometry") if isinstance(feature, dict) else None
    kind = geom.get("type") if isinstance(geom, dict) else None
    if kind not in GEOMETRY_TYPES:
        problems.append(
            Problem(FILE, where, "geometry.type", f"{kind!r} is not one of {list(GEOMETRY_TYPES)}")
        )
        return None
    try:
        shape = shapely.geometry.shape(geom)
    except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException) as exc:
        problems.append(Problem(FILE, where, "geometry.coordinates", f"not a valid {kind}: {exc}"))
        return None
    coords = shapely.get_coordinates(shape)
    if coords.size == 0 or not np.isfinite(coords).all():
        problems.append(Problem(FILE, where, "geometry.coordinates", "empty or not finite numbers"))
        return None
    return shape


def read_zone_geometries(
    folder: Path, zone_ix: dict[str, int], x: np.ndarray, y: np.ndarray, problems: list[Problem]
) -> dict[str, dict] | None:
    """Zone id -> GeoJSON geometry (EPSG:3067), or None when the file is absent.

    ``row`` in a problem is the feature's number (1 = first feature). Problems are
    appended to ``problems``: not JSON, not a FeatureCollection, another CRS, an
    unknown or duplicate ``zone_id``, a geometry that is not a polygon, coordinates
    far from the zones' points (another coordinate system) and zones without a polygon.
    """
    path = folder / FILE
    if not path.is_file():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        problems.append(Problem(FILE, None, None, f"is not valid JSON: {exc}"))
        return None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        problems.append(Problem(FILE, None, "type", "must be a GeoJSON FeatureCollection"))
        return None
    if not _crs_ok(doc):
        problems.append(Problem(FILE, None, "crs", f"{doc.get('crs')!r} is not EPSG:3067"))
    out: dict[str, dict] = {}
    box = (
        x.min() - MAX_OFFSET_M,
        y.min() - MAX_OFFSET_M,
        x.max() + MAX_OFFSET_M,
        y.max() + MAX_OFFSET_M,
    )
    for k, feature in enumerate(doc.get("features") or [], start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        zone = str((props or {}).get("zone_id", ""))
        if zone not in zone_ix:
            problems.append(
                Problem(FILE, k, "properties.zone_id", f"{zone!r} is not a zone of zones.csv")
            )
        elif zone in out:
            problems.append(Problem(FILE, k, "properties.zone_id", f"duplicate zone {zone!r}"))
        shape = _geometry(feature, k, problems)
        if shape is None or zone not in zone_ix or zone in out:
            continue
        x0, y0, x1, y1 = shape.bounds
        if x0 < box[0] or y0 < box[1] or x1 > box[2] or y1 > box[3]:
            bounds = tuple(round(v) for v in shape.bounds)
            message = f"bounds {bounds} are far from the zone points: use EPSG:3067 metres"
            problems.append(Problem(FILE, k, "geometry.coordinates", message))
            continue
        out[zone] = feature["geometry"]
    lacking = [z for z in zone_ix if z not in out]
    if out and lacking and not problems:
        problems.append(
            Problem(
                FILE,
                None,
                "properties.zone_id",
                f"{len(lacking)} zone(s) lack a polygon, e.g. {lacking[:5]}",
            )
        )
    return out
