"""Zone maps: polygon choropleths with facility markers, a legend and a scale bar.

The report and the workshop dashboard draw their maps with these functions. Zone
polygons come from the world's ``zones.geojson`` in **ETRS-TM35FIN (EPSG:3067)
metres**, so one data unit is one metre: the aspect is equal and the scale bar is a
plain length in data units. Polygons keep their holes (lakes) because each zone is
one :func:`shapely.plotting.patch_from_polygon` path in a ``PatchCollection``.

Zones without a value are drawn grey and hatched, with a "no data" legend entry.
Facilities are marked at their zone's point, one marker shape per service; markers
sharing a point are spread on a small circle. Closed facilities are hollow.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> polygons = load_zone_polygons("sysma")
>>> fig, ax = plt.subplots()
>>> zones = zone_map(ax, polygons, {"19700": 0.9}, cmap="viridis", label="share")
>>> len(zones.get_paths()) == len(polygons)
True
>>> plt.close(fig)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from shapely.plotting import patch_from_polygon

from experiments.map_marks import (
    LANGUAGES,
    NO_DATA_COLOR,
    NO_DATA_HATCH,
    FacilityMarker,
    add_scale_bar,
    draw_markers,
    facility_markers,
    legend_handles,
    maps_gettext,
    marker_shapes,
    scale_bar_length,
)
from experiments.zone_polygons import Polygons, as_polygons, load_zone_polygons

__all__ = [
    "LANGUAGES",
    "FacilityMarker",
    "facility_markers",
    "load_zone_polygons",
    "scale_bar_length",
    "small_multiples",
    "zone_map",
]


def _zone_values(polygons: Polygons, values: Mapping[str, float] | None) -> np.ndarray:
    values = values or {}
    out = np.array([values.get(z, np.nan) for z in polygons], dtype=float)
    return np.where(np.isfinite(out), out, np.nan)


def _draw_zones(
    ax: Axes,
    polys: Polygons,
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


def zone_map(
    ax: Axes,
    polygons: Any,
    values: Mapping[str, float] | None,
    *,
    cmap: str | mcolors.Colormap = "viridis",
    label: str = "",
    facilities: Sequence[FacilityMarker] | None = None,
    lang: str = "en",
    norm: mcolors.Normalize | None = None,
    colorbar: bool = True,
    legend: bool = True,
    service_labels: Mapping[str, str] | None = None,
    pad: float = 0.02,
) -> PatchCollection:
    """Draw a choropleth of zone values with facilities, a legend and a scale bar.

    Parameters
    ----------
    ax : matplotlib Axes
        Where to draw; its axis lines are switched off and its aspect made equal.
    polygons : dict, GeoJSON FeatureCollection or GeoDataFrame
        Zone id -> shapely (Multi)Polygon or GeoJSON geometry in EPSG:3067 metres
        (:func:`load_zone_polygons`).
    values : dict of str to float or None
        Zone id -> value. Zones missing from it (or NaN) are grey and hatched; None
        draws the outline only.
    cmap : str or Colormap, default "viridis"
        Colour map of the values.
    label : str
        Colour-bar label (quantity and unit, already translated).
    facilities : sequence of FacilityMarker, optional
        Facilities to mark, one shape per service (:func:`facility_markers`).
    lang : {"fi", "sv", "en"}, default "en"
        Language of the map's own words ("no data", "closed", the legend).
    norm : Normalize, optional
        Colour scale; by default from the values' range (shared scales come from
        :func:`small_multiples`).
    colorbar, legend : bool, default True
        Draw the colour bar beside the map, the legend below it.
    service_labels : dict of str to str, optional
        Service id -> display name in the legend (default: the id in words).
    pad : float, default 0.02
        Margin around the polygons' bounds, as a share of the larger side.

    Returns
    -------
    PatchCollection
        The zones, one path per zone in ``polygons`` order.

    Raises
    ------
    ValueError
        For an unknown language, or polygons in degrees or without zones.
    """
    _ = maps_gettext(lang)
    polys = as_polygons(polygons)
    data = _zone_values(polys, values)
    has = np.isfinite(data)
    if norm is None:
        lo, hi = (np.nanmin(data), np.nanmax(data)) if has.any() else (0.0, 1.0)
        norm = mcolors.Normalize(lo, hi if hi > lo else lo + 1.0)
    zones = _draw_zones(ax, polys, data, None if values is None else norm, cmap)
    x0, y0, x1, y1 = shapely.total_bounds(list(polys.values()))
    span = max(x1 - x0, y1 - y0)
    ax.set_xlim(x0 - pad * span, x1 + pad * span)
    ax.set_ylim(y0 - pad * span, y1 + pad * span)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()
    markers = list(facilities or [])
    shapes = marker_shapes([m.service for m in markers])
    draw_markers(ax, markers, shapes, span)
    add_scale_bar(ax, x1 - x0)
    if colorbar and values is not None:
        mappable = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
        ax.figure.colorbar(mappable, ax=ax, label=label, shrink=0.75)
    handles = legend_handles(
        markers, shapes, values is not None and not has.all(), service_labels or {}, _
    )
    if legend and handles:
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.02),
            ncols=min(3, len(handles)),
            fontsize=7,
            frameon=False,
        )
    return zones


def small_multiples(
    polygons: Any,
    panels: Mapping[str, Mapping[str, float] | None],
    *,
    cmap: str | mcolors.Colormap = "viridis",
    label: str = "",
    facilities: Mapping[str, Sequence[FacilityMarker]] | None = None,
    lang: str = "en",
    ncols: int = 3,
    vmin: float | None = None,
    vmax: float | None = None,
    service_labels: Mapping[str, str] | None = None,
    title: str | None = None,
    panel_size: float = 3.2,
) -> Figure:
    """One map per panel (plan or scenario) on a shared colour scale.

    Parameters
    ----------
    polygons : dict, GeoJSON FeatureCollection or GeoDataFrame
        As in :func:`zone_map`.
    panels : dict of str to dict
        Panel title -> zone values (as ``values`` of :func:`zone_map`), in order.
    cmap, label, lang, service_labels
        As in :func:`zone_map`; one colour bar and one legend serve all panels.
    facilities : dict of str to sequence of FacilityMarker, optional
        Panel title -> its facilities (a plan opens or closes different ones).
    ncols : int, default 3
        Panels per row.
    vmin, vmax : float, optional
        The shared colour scale; by default the range over all panels.
    title : str, optional
        Figure title.
    panel_size : float, default 3.2
        Width of one panel, inches.

    Returns
    -------
    Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> polygons = load_zone_polygons("sysma")
    >>> fig = small_multiples(polygons, {"a": {"19700": 1.0}, "b": {"19700": 2.0}})
    >>> len([ax for ax in fig.axes if ax.get_title()])
    2
    >>> plt.close(fig)
    """
    if not panels:
        raise ValueError("small_multiples needs at least one panel")
    _ = maps_gettext(lang)
    polys = as_polygons(polygons)
    every = np.concatenate([_zone_values(polys, v) for v in panels.values()])
    finite = every[np.isfinite(every)]
    lo = vmin if vmin is not None else (float(finite.min()) if finite.size else 0.0)
    hi = vmax if vmax is not None else (float(finite.max()) if finite.size else 1.0)
    norm = mcolors.Normalize(lo, hi if hi > lo else lo + 1.0)
    ncols = max(1, min(ncols, len(panels)))
    nrows = math.ceil(len(panels) / ncols)
    x0, y0, x1, y1 = shapely.total_bounds(list(polys.values()))
    height = panel_size * (y1 - y0) / (x1 - x0) + 0.4
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(panel_size * ncols + 1.2, height * nrows + 0.9),
        squeeze=False,
        layout="constrained",
    )
    facilities = facilities or {}
    for ax, (name, values) in zip(axes.flat, panels.items(), strict=False):
        zone_map(
            ax,
            polys,
            values,
            cmap=cmap,
            label=label,
            facilities=facilities.get(name),
            lang=lang,
            norm=norm,
            colorbar=False,
            legend=False,
        )
        ax.set_title(name, fontsize=9)
    for ax in list(axes.flat)[len(panels) :]:
        ax.set_axis_off()
    fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=axes, label=label, shrink=0.7)
    markers = [m for ms in facilities.values() for m in ms]
    no_data = any((~np.isfinite(_zone_values(polys, v))).any() for v in panels.values() if v)
    handles = legend_handles(
        markers, marker_shapes([m.service for m in markers]), no_data, service_labels or {}, _
    )
    if handles:
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=min(4, len(handles)),
            fontsize=7,
            frameon=False,
        )
    if title:
        fig.suptitle(title, fontsize=10)
    return fig
