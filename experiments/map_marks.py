"""The parts of a zone map: filled zones, facility markers, the legend, the scale bar.

Zones are filled from a colour scale, grey and hatched where they have no value.
One marker shape per service (:data:`SERVICE_MARKERS`), white for open facilities and
hollow red for closed ones; markers sharing a zone point are spread on a small
circle. The scale bar is drawn in data units (EPSG:3067 metres) with a round length.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar
from shapely.plotting import patch_from_polygon

from experiments.i18n import LANGUAGES, check_language, translator
from simulation.world import World

__all__ = [
    "LANGUAGES",
    "NO_DATA_COLOR",
    "NO_DATA_HATCH",
    "SERVICE_MARKERS",
    "FacilityMarker",
    "add_scale_bar",
    "draw_markers",
    "draw_zones",
    "facility_markers",
    "legend_handles",
    "maps_gettext",
    "marker_shapes",
    "scale_bar_length",
    "zone_values",
]

#: Marker shape per service of the shipped worlds; other services take the spares.
SERVICE_MARKERS = {
    "early_childhood_education": "^",
    "basic_education": "s",
    "primary_health_care": "P",
    "elderly_care": "D",
    "library": "o",
    "one_stop_service": "*",
}
SPARE_MARKERS = ("v", "X", "h", "p", "<", ">", "8")
NO_DATA_COLOR = "#d9d9d9"
NO_DATA_HATCH = "///"


@dataclass(frozen=True)
class FacilityMarker:
    """One service of one facility, placed on the map.

    Parameters
    ----------
    x, y : float
        Position in EPSG:3067 metres (the facility's zone point).
    service : str
        Service id; it chooses the marker shape.
    is_open : bool, default True
        Closed facilities are drawn hollow.
    name : str, default ""
        Facility name (for tooltips or labels; not drawn).
    """

    x: float
    y: float
    service: str
    is_open: bool = True
    name: str = ""


def maps_gettext(lang: str) -> Callable[[str], str]:
    """Return the translation function of the ``maps`` catalogue for ``lang``.

    Raises
    ------
    ValueError
        If ``lang`` is not one of :data:`LANGUAGES`, naming the allowed values.

    Examples
    --------
    >>> maps_gettext("fi")("no data"), maps_gettext("en")("no data")
    ('ei tietoa', 'no data')
    """
    return translator(check_language(lang), "maps").gettext


def facility_markers(
    world: World, is_open: Mapping[str, bool] | None = None
) -> list[FacilityMarker]:
    """One marker per facility and service of a world, at the facility's zone point.

    Parameters
    ----------
    world : World
        The world whose facilities (initial network) are marked.
    is_open : dict of str to bool, optional
        Facility id -> open; facilities not in it are open.

    Returns
    -------
    list of FacilityMarker

    Examples
    --------
    >>> from scenarios.worlds.loader import embedded_world_path, load_world
    >>> markers = facility_markers(load_world(embedded_world_path("sysma")))
    >>> sorted({m.service for m in markers})[:2]
    ['basic_education', 'early_childhood_education']
    """
    is_open = is_open or {}
    zx, zy = world.zones.x, world.zones.y
    return [
        FacilityMarker(
            float(zx[f.zone]), float(zy[f.zone]), service, bool(is_open.get(f.id, True)), f.name
        )
        for f in world.facilities
        for service in f.capacity
    ]


def marker_shapes(services: Sequence[str]) -> dict[str, str]:
    """Return service -> marker shape, sorted by service; unknown services take spares.

    Examples
    --------
    >>> marker_shapes(["library", "dental_care", "library"])
    {'dental_care': 'v', 'library': 'o'}
    """
    spare = iter(SPARE_MARKERS * (1 + len(services) // len(SPARE_MARKERS)))
    return {s: SERVICE_MARKERS.get(s) or next(spare) for s in sorted(set(services))}


def _spread(markers: Sequence[FacilityMarker], radius: float) -> np.ndarray:
    """Positions (n, 2): markers sharing a point go on a circle of ``radius`` metres."""
    xy = np.array([[m.x, m.y] for m in markers], dtype=float).reshape(-1, 2)
    groups: dict[tuple[float, float], list[int]] = {}
    for i, (x, y) in enumerate(xy):
        groups.setdefault((x, y), []).append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        angles = 2 * np.pi * np.arange(len(members)) / len(members) + np.pi / 2
        xy[members, 0] += radius * np.cos(angles)
        xy[members, 1] += radius * np.sin(angles)
    return xy


def scale_bar_length(span_m: float) -> float:
    """Return a round scale-bar length (1, 2 or 5 x 10^k m) near a fifth of ``span_m``.

    Examples
    --------
    >>> scale_bar_length(40_000), scale_bar_length(9_000), scale_bar_length(300)
    (5000.0, 1000.0, 50.0)
    """
    if not span_m > 0:
        raise ValueError(f"span must be positive metres, got {span_m}")
    target = span_m / 5
    power = 10.0 ** math.floor(math.log10(target))
    return float(max(m * power for m in (1, 2, 5) if m * power <= target))


def add_scale_bar(ax: Axes, span_m: float) -> AnchoredSizeBar:
    """Add a scale bar in data units (metres) of :func:`scale_bar_length` to ``ax``.

    Parameters
    ----------
    ax : Axes
        A map in EPSG:3067 metres.
    span_m : float
        Width of the mapped area, metres.

    Returns
    -------
    AnchoredSizeBar
        The bar, in the lower left corner, labelled in km (or m below 1 km).
    """
    length = scale_bar_length(span_m)
    text = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    bar = AnchoredSizeBar(
        ax.transData, length, text, "lower left", pad=0.4, frameon=False, size_vertical=span_m / 150
    )
    ax.add_artist(bar)
    return bar


def legend_handles(
    markers: Sequence[FacilityMarker],
    shapes: Mapping[str, str],
    no_data: bool,
    service_labels: Mapping[str, str],
    _: Callable[[str], str],
) -> list[Any]:
    """Legend entries: one per service shape, closed facilities, zones without data.

    Parameters
    ----------
    markers : sequence of FacilityMarker
        The facilities drawn (a "closed" entry appears if one is closed).
    shapes : dict of str to str
        Service -> marker shape (:func:`marker_shapes`).
    no_data : bool
        Add the hatched "no data" entry.
    service_labels : dict of str to str
        Service id -> display name; missing ids are shown in words.
    _ : callable
        Translation of the map's own words (:func:`maps_gettext`).

    Returns
    -------
    list of matplotlib artists
    """
    handles: list[Any] = [
        Line2D(
            [],
            [],
            linestyle="",
            marker=shapes[s],
            markerfacecolor="white",
            markeredgecolor="black",
            markersize=7,
            label=service_labels.get(s, s.replace("_", " ")),
        )
        for s in shapes
    ]
    if any(not m.is_open for m in markers):
        handles.append(
            Line2D(
                [],
                [],
                linestyle="",
                marker="o",
                markerfacecolor="none",
                markeredgecolor="#b2182b",
                markersize=7,
                label=_("closed"),
            )
        )
    if no_data:
        handles.append(
            Patch(
                facecolor=NO_DATA_COLOR,
                hatch=NO_DATA_HATCH,
                edgecolor="#777777",
                label=_("no data"),
            )
        )
    return handles


def draw_markers(
    ax: Axes, markers: Sequence[FacilityMarker], shapes: Mapping[str, str], span: float
) -> None:
    """Scatter the facilities on ``ax``, one call per service and state (open/closed).

    Markers sharing a point are spread on a circle of 4 % of ``span`` (metres).
    """
    xy = _spread(markers, 0.04 * span)
    for service, shape in shapes.items():
        for is_open in (True, False):
            idx = [
                i for i, m in enumerate(markers) if m.service == service and m.is_open is is_open
            ]
            if not idx:
                continue
            ax.scatter(
                xy[idx, 0],
                xy[idx, 1],
                marker=shape,
                s=46,
                zorder=4,
                linewidths=1.1,
                facecolors="white" if is_open else "none",
                edgecolors="black" if is_open else "#b2182b",
            )


def zone_values(
    polygons: dict[str, shapely.Geometry], values: Mapping[str, float] | None
) -> np.ndarray:
    """Values in the polygons' zone order; NaN for zones without a (finite) value."""
    values = values or {}
    out = np.array([values.get(z, np.nan) for z in polygons], dtype=float)
    return np.where(np.isfinite(out), out, np.nan)


def draw_zones(
    ax: Axes,
    polys: dict[str, shapely.Geometry],
    data: np.ndarray,
    norm: mcolors.Normalize | None,
    cmap: str | mcolors.Colormap,
) -> PatchCollection:
    """Fill each zone by its value (``norm`` None: outline only); hatch zones with NaN."""
    has = np.isfinite(data)
    if norm is None:
        colours = np.tile(mcolors.to_rgba("#f2f2f2"), (len(data), 1))
    else:
        colours = plt.get_cmap(cmap)(norm(np.where(has, data, norm.vmin)))
        colours[~has] = mcolors.to_rgba(NO_DATA_COLOR)
    patches = [patch_from_polygon(g) for g in polys.values()]
    zones = PatchCollection(
        patches, facecolors=colours, edgecolors="#4d4d4d", linewidths=0.6, zorder=1
    )
    ax.add_collection(zones)
    if norm is not None and (~has).any():
        hatched = [patch_from_polygon(g) for g, h in zip(polys.values(), has, strict=True) if not h]
        ax.add_collection(
            PatchCollection(
                hatched,
                facecolors="none",
                edgecolors="#777777",
                hatch=NO_DATA_HATCH,
                linewidths=0.0,
                zorder=2,
            )
        )
    return zones
