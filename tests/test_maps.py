"""Zone maps (experiments/maps.py): polygons, holes, extent, scale bar, markers, legend."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import shapely
from matplotlib.collections import PathCollection
from matplotlib.path import Path as MplPath
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

from experiments import maps
from experiments.map_marks import NO_DATA_COLOR
from scenarios.worlds.loader import embedded_world_path, embedded_worlds, load_world

CENTRE, ENCLAVE = "19700", "19730"  # Särkilampi lies in a hole of Sysmä Keskus


@pytest.fixture(scope="module")
def world():
    return load_world(embedded_world_path("sysma"))


@pytest.fixture(scope="module")
def polygons(world):
    return maps.load_zone_polygons(world)


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def _scale_bar(ax) -> AnchoredSizeBar:
    (bar,) = [a for a in ax.artists if isinstance(a, AnchoredSizeBar)]
    return bar


def test_sysma_draws_one_patch_per_polygon(ax, polygons, world):
    assert list(polygons) == list(world.zones.ids)
    zones = maps.zone_map(ax, polygons, {z: 1.0 for z in polygons}, cmap="viridis", label="x")
    assert len(zones.get_paths()) == len(polygons) == 8
    assert zones in ax.collections
    assert not ax.axison


def _pixel(ax, image, point) -> tuple[int, ...]:
    x, y = ax.transData.transform((point.x, point.y))
    return tuple(image[image.shape[0] - int(round(y)), int(round(x))][:3])


def test_holes_survive(polygons):
    assert len(polygons[CENTRE].interiors) == 1
    without_enclave = {z: g for z, g in polygons.items() if z != ENCLAVE}
    fig, ax = plt.subplots(figsize=(4, 4), dpi=100)
    try:
        zones = maps.zone_map(
            ax, without_enclave, {z: 1.0 for z in without_enclave}, colorbar=False, legend=False
        )
        centre = zones.get_paths()[list(without_enclave).index(CENTRE)]
        assert int(np.sum(centre.codes == MplPath.MOVETO)) == 2  # exterior + the hole
        fig.canvas.draw()
        image = np.asarray(fig.canvas.buffer_rgba())
        filled = tuple(round(255 * c) for c in plt.get_cmap("viridis")(0.0)[:3])
        # the hole shows the white background; the zone around it is filled
        assert _pixel(ax, image, polygons[ENCLAVE].representative_point()) == (255, 255, 255)
        assert _pixel(ax, image, polygons[CENTRE].representative_point()) == filled
    finally:
        plt.close(fig)


@pytest.mark.parametrize("pad", [0.0, 0.05])
def test_extent_is_the_polygons_bounds(ax, polygons, pad):
    maps.zone_map(ax, polygons, None, cmap="viridis", label="x", pad=pad)
    x0, y0, x1, y1 = shapely.total_bounds(list(polygons.values()))
    margin = pad * max(x1 - x0, y1 - y0)
    assert ax.get_xlim() == pytest.approx((x0 - margin, x1 + margin))
    assert ax.get_ylim() == pytest.approx((y0 - margin, y1 + margin))
    assert ax.get_aspect() == 1.0


def test_scale_bar_length_in_metres(ax, polygons):
    maps.zone_map(ax, polygons, None, cmap="viridis", label="x")
    bar = _scale_bar(ax)
    (rect,) = bar.size_bar.get_children()
    x0, _, x1, _ = shapely.total_bounds(list(polygons.values()))
    assert rect.get_width() == maps.scale_bar_length(x1 - x0) == 5000.0  # Sysmä ~37 km wide
    assert bar.txt_label.get_text() == "5 km"
    # the bar is drawn in data units: 5,000 m on the map is its pixel length
    ax.figure.canvas.draw()
    pixels = ax.transData.transform([(0, 0), (5000, 0)])
    box = rect.get_window_extent()
    assert box.width == pytest.approx(pixels[1, 0] - pixels[0, 0], rel=1e-6)


@pytest.mark.parametrize(
    ("span", "length"), [(37_000, 5000), (100_000, 20_000), (4_999, 500), (1, 0.2)]
)
def test_scale_bar_length_is_round(span, length):
    assert maps.scale_bar_length(span) == pytest.approx(length)


def test_zones_without_values_are_hatched_with_a_legend_entry(ax, polygons):
    values = {z: float(i) for i, z in enumerate(polygons) if z not in (ENCLAVE, CENTRE)}
    values[CENTRE] = float("nan")
    maps.zone_map(ax, polygons, values, cmap="viridis", label="x")
    hatched = [c for c in ax.collections if c.get_hatch()]
    assert len(hatched) == 1 and len(hatched[0].get_paths()) == 2
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "no data" in labels
    colour = ax.collections[0].get_facecolors()[list(polygons).index(ENCLAVE)]
    assert matplotlib.colors.to_hex(colour) == NO_DATA_COLOR


def test_colours_follow_the_values_and_a_colour_bar_is_labelled(ax, polygons):
    values = {z: float(i) for i, z in enumerate(polygons)}
    zones = maps.zone_map(ax, polygons, values, cmap="viridis", label="share within 20 min")
    cmap = plt.get_cmap("viridis")
    faces = zones.get_facecolors()
    assert np.allclose(faces[0], cmap(0.0)) and np.allclose(faces[-1], cmap(1.0))
    (cbar_ax,) = [a for a in ax.figure.axes if a is not ax]
    assert cbar_ax.get_ylabel() == "share within 20 min"


def test_facilities_marked_by_service(ax, polygons, world):
    markers = maps.facility_markers(world, {"sysma_school_nuoramoinen": False})
    assert len(markers) == sum(len(f.capacity) for f in world.facilities)
    maps.zone_map(ax, polygons, None, cmap="viridis", label="x", facilities=markers)
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    points = sum(len(c.get_offsets()) for c in scatters)
    assert points == len(markers)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    for service in world.service_ids:
        assert service.replace("_", " ") in labels
    assert "closed" in labels and "no data" not in labels


def test_geojson_feature_collection_is_accepted(ax):
    path = embedded_world_path("sysma") / "zones.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert maps.load_zone_polygons(path).keys() == maps.load_zone_polygons("sysma").keys()
    zones = maps.zone_map(ax, doc, None, cmap="viridis", label="x")
    assert len(zones.get_paths()) == len(doc["features"])


def test_degrees_and_other_crs_are_refused(ax, tmp_path):
    square = {"type": "Polygon", "coordinates": [[[25, 61], [26, 61], [26, 62], [25, 61]]]}
    with pytest.raises(ValueError, match="degrees"):
        maps.zone_map(ax, {"a": square}, None, cmap="viridis", label="x")
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": [{"type": "Feature", "properties": {"zone_id": "a"}, "geometry": square}],
    }
    path = tmp_path / "zones.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ValueError, match="EPSG:3067"):
        maps.load_zone_polygons(path)


def test_unknown_language_is_refused(ax, polygons):
    with pytest.raises(ValueError, match="language 'de': allowed values are fi, sv, en"):
        maps.zone_map(ax, polygons, None, cmap="viridis", label="x", lang="de")


def test_small_multiples_share_one_scale(polygons, world):
    markers = maps.facility_markers(world)
    panels = {
        "status quo": {z: 1.0 for z in polygons},
        "reactive": {z: 3.0 for z in polygons},
        "proactive": None,
        "season aware": {CENTRE: 2.0},
    }
    fig = maps.small_multiples(
        polygons, panels, cmap="viridis", label="days", facilities={"status quo": markers}
    )
    try:
        titled = [ax for ax in fig.axes if ax.get_title()]
        assert [ax.get_title() for ax in titled] == list(panels)
        cmap = plt.get_cmap("viridis")
        first, second = (ax.collections[0].get_facecolors() for ax in titled[:2])
        assert np.allclose(first, cmap(0.0)) and np.allclose(second, cmap(1.0))
        (cbar,) = [ax for ax in fig.axes if ax.get_ylabel() == "days"]
        assert cbar.get_ylim() == pytest.approx((1.0, 3.0))
        legend = [t.get_text() for t in fig.legends[0].get_texts()]
        assert "no data" in legend and "library" in legend
    finally:
        plt.close(fig)


def test_geodataframe_is_accepted(ax, polygons):
    import geopandas as gpd  # in the test extra; the maps themselves need only shapely

    gdf = gpd.GeoDataFrame(
        {"zone_id": list(polygons)}, geometry=list(polygons.values()), crs=3067
    ).to_crs(4326)
    zones = maps.zone_map(ax, gdf, None, cmap="viridis", label="x", pad=0.0)
    x0, y0, x1, y1 = shapely.total_bounds(list(polygons.values()))
    assert len(zones.get_paths()) == len(polygons)
    assert ax.get_xlim() == pytest.approx((x0, x1), abs=1.0)  # back in metres
    assert ax.get_ylim() == pytest.approx((y0, y1), abs=1.0)


@pytest.mark.parametrize("name", embedded_worlds())
def test_every_embedded_world_draws_its_polygons_or_says_it_has_none(ax, name):
    world = load_world(embedded_world_path(name))
    if world.zone_geometries is None:
        with pytest.raises(ValueError, match=f"world '{name}' has no zones.geojson"):
            maps.load_zone_polygons(name)
        return
    zones = maps.zone_map(ax, maps.load_zone_polygons(name), None, cmap="viridis", label="x")
    assert len(zones.get_paths()) == len(world.zones)
