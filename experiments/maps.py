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
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import shapely
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure

from experiments.map_marks import (
    LANGUAGES,
    FacilityMarker,
    add_scale_bar,
    draw_markers,
    draw_zones,
    facility_markers,
    legend_handles,
    maps_gettext,
    marker_shapes,
    scale_bar_length,
    zone_values,
)
from experiments.zone_maps import (
    MEASURES,
    plan_markers,
    plan_order,
    plan_values,
    recommended_plan,
)
from experiments.zone_polygons import Polygons, as_polygons, load_zone_polygons
from simulation.world import World

__all__ = [
    "LANGUAGES",
    "FacilityMarker",
    "facility_markers",
    "load_zone_polygons",
    "plan_maps",
    "scale_bar_length",
    "small_multiples",
    "zone_map",
]


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
    data = zone_values(polys, values)
    has = np.isfinite(data)
    if norm is None:
        lo, hi = (np.nanmin(data), np.nanmax(data)) if has.any() else (0.0, 1.0)
        norm = mcolors.Normalize(lo, hi if hi > lo else lo + 1.0)
    zones = draw_zones(ax, polys, data, None if values is None else norm, cmap)
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
    ncols = max(1, min(ncols, len(panels)))
    nrows = math.ceil(len(panels) / ncols)
    fig, axes = _grid(polys, nrows, ncols, panel_size)
    facilities = facilities or {}
    norm, no_data = _panel_row(
        list(axes.flat), polys, panels, cmap=cmap, facilities=facilities, vmin=vmin, vmax=vmax
    )
    fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=axes, label=label, shrink=0.7)
    markers = [m for ms in facilities.values() for m in ms]
    _figure_legend(fig, markers, no_data, service_labels or {}, _)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def _grid(polys: Polygons, nrows: int, ncols: int, panel_size: float) -> tuple[Figure, np.ndarray]:
    """Make a constrained-layout figure of map panels sized to the polygons' aspect."""
    x0, y0, x1, y1 = shapely.total_bounds(list(polys.values()))
    height = panel_size * (y1 - y0) / (x1 - x0) + 0.4
    return plt.subplots(
        nrows,
        ncols,
        figsize=(panel_size * ncols + 1.4, height * nrows + 0.9),
        squeeze=False,
        layout="constrained",
    )


def _panel_row(
    axes: Sequence[Axes],
    polys: Polygons,
    panels: Mapping[str, Mapping[str, float] | None],
    *,
    cmap: str | mcolors.Colormap,
    facilities: Mapping[str, Sequence[FacilityMarker]],
    vmin: float | None = None,
    vmax: float | None = None,
) -> tuple[mcolors.Normalize, bool]:
    """Draw ``panels`` into ``axes`` on one colour scale; spare axes are blanked.

    Returns the shared scale and whether a zone lacked a value in some panel.
    """
    every = np.concatenate([zone_values(polys, v) for v in panels.values()])
    finite = every[np.isfinite(every)]
    lo = vmin if vmin is not None else (float(finite.min()) if finite.size else 0.0)
    hi = vmax if vmax is not None else (float(finite.max()) if finite.size else 1.0)
    norm = mcolors.Normalize(lo, hi if hi > lo else lo + 1.0)
    for ax, (name, values) in zip(axes, panels.items(), strict=False):
        zone_map(
            ax, polys, values, cmap=cmap, facilities=facilities.get(name), norm=norm,
            colorbar=False, legend=False,
        )  # fmt: skip
        ax.set_title(name, fontsize=9)
    for ax in list(axes)[len(panels) :]:
        ax.set_axis_off()
    no_data = any((~np.isfinite(zone_values(polys, v))).any() for v in panels.values() if v)
    return norm, no_data


def _figure_legend(
    fig: Figure,
    markers: Sequence[FacilityMarker],
    no_data: bool,
    service_labels: Mapping[str, str],
    _: Callable[[str], str],
) -> None:
    shapes = marker_shapes([m.service for m in markers])
    handles = legend_handles(markers, shapes, no_data, service_labels, _)
    if handles:
        fig.legend(
            handles=handles, loc="outside lower center", ncols=min(4, len(handles)),
            fontsize=7, frameon=False,
        )  # fmt: skip


def plan_maps(
    comparison: xr.Dataset,
    world: str | Path | World,
    lang: str = "en",
    *,
    scenario: str | None = None,
    service: str | None = None,
    plans: Sequence[str] | None = None,
    measures: Sequence[str] = ("access", "waiting", "unmet"),
    service_labels: Mapping[str, str] | None = None,
) -> Figure:
    """Small multiples of a scenario's plans: one row per measure, one column per plan.

    The plans of one scenario sit side by side on one colour scale per measure, so a
    planner sees where each plan changes access, waits and unmet demand against the
    status quo; the recommended plan (``cheapest_feasible``) is marked in its title.
    Values are the end year's, mean over seeds (:mod:`experiments.zone_maps`).

    Parameters
    ----------
    comparison : xarray.Dataset
        A ``comparison.nc`` (:func:`experiments.aggregate.combine_reduced`).
    world : str, Path or World
        The world whose zone polygons are drawn (:func:`load_zone_polygons`).
    lang : {"fi", "sv", "en"}, default "en"
    scenario : str, optional
        Default: ``status_quo`` if present, else the first scenario.
    service : str, optional
        Default: ``primary_health_care`` if present, else the first service.
    plans : sequence of str, optional
        Strategies to show; default: every strategy run on the scenario, status quo
        first, then the recommended plan, then the rest.
    measures : sequence of {'access', 'waiting', 'unmet', 'compliance'}
        The rows (:data:`experiments.zone_maps.MEASURES`), each on its own scale.
    service_labels : dict of str to str, optional
        Service id -> display name (legend and title).

    Returns
    -------
    Figure

    Raises
    ------
    ValueError
        If the comparison lacks the zone-map variables, or a name is unknown.
    """
    _ = maps_gettext(lang)
    if "facility_offers" not in comparison:
        raise ValueError("comparison has no zone-map variables (made before zone maps)")
    scenarios = [str(s) for s in comparison["scenario"].values]
    scenario = scenario or ("status_quo" if "status_quo" in scenarios else scenarios[0])
    services = [str(s) for s in comparison["service"].values]
    service = service or (
        "primary_health_care" if "primary_health_care" in services else services[0]
    )
    for what, name, allowed in (("scenario", scenario, scenarios), ("service", service, services)):
        if name not in allowed:
            raise ValueError(f"unknown {what} {name!r}; allowed: {allowed}")
    best = plan_order(comparison, scenario)
    plans = list(plans) if plans is not None else best
    labels = service_labels or {}
    recommended = recommended_plan(comparison, scenario)
    mark = _("recommended")
    titles = {p: f"{p} ({mark})" if p == recommended else p for p in plans}
    polys = load_zone_polygons(world)
    fig, axes = _grid(polys, len(measures), len(plans), 2.6)
    markers = {titles[p]: plan_markers(comparison, scenario, p) for p in plans}
    no_data = False
    for row, measure in zip(axes, measures, strict=True):
        cmap, label, vmin, vmax = MEASURES[measure]
        panels = {titles[p]: plan_values(comparison, scenario, p, measure, service) for p in plans}
        norm, gaps = _panel_row(
            list(row), polys, panels, cmap=cmap, facilities=markers, vmin=vmin, vmax=vmax
        )
        no_data = no_data or gaps
        fig.colorbar(
            plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=row, label=_(label), shrink=0.9
        )
    _figure_legend(fig, [m for ms in markers.values() for m in ms], no_data, labels, _)
    name = labels.get(service, service.replace("_", " "))
    year = f" {int(comparison['time'].dt.year.max())}" if "time" in comparison.coords else ""
    end_year = _("end year")
    fig.suptitle(f"{name}: {scenario}, {end_year}{year}", fontsize=10)
    return fig
