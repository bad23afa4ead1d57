"""The dashboard's figures: the map, the population forecast, access, waiting and cost.

Each function returns a :class:`matplotlib.figure.Figure` (not pyplot: the server
draws for several users at once). Where a plan is compared, the previous plan is drawn
beside the current one (grey, or dashed), so the workshop sees what an edit changed.
Texts come from :func:`experiments.dashboard.texts.texts`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import shapely
import xarray as xr
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from shapely.plotting import patch_from_polygon

from experiments.dashboard.metrics import ServiceRow, service_rows, yearly_cost
from experiments.dashboard.texts import service_name, texts
from simulation.world import World

__all__ = ["cost_figure", "map_figure", "population_figure", "service_bars"]

CURRENT, PREVIOUS = "#1f5f9f", "#b0b0b0"


def _zone_values(ds: xr.Dataset) -> dict[str, float]:
    unmet = ds["unmet_zone"].sum(("time", "service"))
    demand = ds["demand_zone"].sum(("time", "service"))
    share = 100 * unmet / demand.where(demand > 0)
    return {str(z): float(v) for z, v in zip(ds["zone"].values, share.values, strict=True)}


def _draw_map(ax, world: World, ds: xr.Dataset, lang: str, vmax: float) -> PatchCollection:
    tx = texts(lang)
    values = _zone_values(ds)
    geometries = world.zone_geometries or {}
    patches, colours = [], []
    for zone in world.zones.ids:
        if zone in geometries:
            patches.append(patch_from_polygon(shapely.geometry.shape(geometries[zone])))
            colours.append(values.get(zone, np.nan))
    cells = PatchCollection(patches, cmap="Oranges", edgecolor="#555555", linewidth=0.6)
    cells.set_array(np.nan_to_num(np.array(colours, dtype=float)))
    cells.set_clim(0, max(vmax, 1.0))
    ax.add_collection(cells)
    zone_of = dict(zip(ds["facility"].values, ds["facility_zone"].values, strict=True))
    is_open = ds["facility_open"].isel(time=-1)
    index = {z: i for i, z in enumerate(world.zones.ids)}
    for k, fid in enumerate(ds["facility"].values):
        i = index[str(zone_of[fid])]
        dx = 700 * np.cos(k * 2.4)
        dy = 700 * np.sin(k * 2.4)
        shown = bool(is_open.sel(facility=fid))
        ax.plot(
            world.zones.x[i] + dx,
            world.zones.y[i] + dy,
            marker="o",
            markersize=7,
            markerfacecolor=CURRENT if shown else "white",
            markeredgecolor=CURRENT,
            linestyle="none",
            label=tx["open_facility"] if shown else tx["closed_facility"],
        )
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    ax.legend(unique.values(), unique.keys(), loc="lower left", fontsize=7, frameon=False)
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_axis_off()
    return cells


def map_figure(world: World, current: xr.Dataset, previous: xr.Dataset | None, lang: str) -> Figure:
    """Zones coloured by unmet demand (% of demand) with the facilities, previous beside current.

    Facilities are drawn at their zone's point (filled: open in the last month; hollow:
    closed); the colour scale is shared by both maps.
    """
    tx = texts(lang)
    plans = [(tx["previous"], previous), (tx["current"], current)] if previous else []
    plans = plans or [(tx["current"], current)]
    vmax = max(np.nanmax([*_zone_values(ds).values(), 0.0]) for _, ds in plans)
    fig = Figure(figsize=(4.2 * len(plans) + 0.8, 4.2), layout="constrained")
    axes = fig.subplots(1, len(plans), squeeze=False)[0]
    cells = None
    for ax, (title, ds) in zip(axes, plans, strict=True):
        cells = _draw_map(ax, world, ds, lang, vmax)
        ax.set_title(title, fontsize=10)
    fig.colorbar(cells, ax=list(axes), shrink=0.7, label=tx["map_value"])
    return fig


def population_figure(ds: xr.Dataset, lang: str) -> Figure:
    """Permanent residents on 1 January by age group, and seasonal residents present in July."""
    tx = texts(lang)
    pop = ds["population"].sum("zone")
    january = pop.sel(kind="permanent").where(pop["time.month"] == 1, drop=True)
    july = pop.sel(kind="seasonal").where(pop["time.month"] == 7, drop=True).sum("age_group")
    fig = Figure(figsize=(6.4, 3.4), layout="constrained")
    ax = fig.subplots()
    years = january["time.year"].values.astype(int)
    bottom = np.zeros(len(years))
    for group in january["age_group"].values:
        values = january.sel(age_group=group).values.astype(float)
        ax.bar(years, values, bottom=bottom, label=str(group), width=0.8)
        bottom += values
    ax.plot(july["time.year"].values, july.values, "k--", marker=".", label=tx["seasonal_july"])
    ax.set_ylim(bottom=0)
    ax.set_ylabel(tx["persons"])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"{tx['population']}: {tx['residents'].lower()}", fontsize=10)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return fig


def service_bars(
    current: xr.Dataset,
    previous: xr.Dataset | None,
    lang: str,
    value: Callable[[ServiceRow], float],
    title: str,
    unit: str,
) -> Figure:
    """Draw a horizontal bar per service of ``value(row)``, previous plan beside current."""
    tx = texts(lang)
    rows = service_rows(current)
    old = {r.service: r for r in service_rows(previous)} if previous is not None else {}
    fig = Figure(figsize=(6.4, 0.45 * len(rows) + 1.2), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(rows))
    ax.barh(y, [value(r) for r in rows], height=0.38, color=CURRENT, label=tx["current"])
    if old:
        before = [value(old[r.service]) if r.service in old else np.nan for r in rows]
        ax.barh(y + 0.4, before, height=0.38, color=PREVIOUS, label=tx["previous"])
    ax.set_yticks(y + (0.2 if old else 0.0))
    ax.set_yticklabels([service_name(r.service, lang) for r in rows])
    ax.invert_yaxis()
    ax.set_xlim(left=0)
    ax.set_xlabel(unit)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, frameon=False, loc="lower right")
    return fig


def cost_figure(current: xr.Dataset, previous: xr.Dataset | None, lang: str) -> Figure:
    """Total cost per year (million EUR), previous plan dashed."""
    tx = texts(lang)
    fig = Figure(figsize=(6.4, 3.0), layout="constrained")
    ax = fig.subplots()
    series: Mapping[str, xr.Dataset | None] = {tx["previous"]: previous, tx["current"]: current}
    for (label, ds), style in zip(series.items(), ("--", "-"), strict=True):
        if ds is not None:
            cost = yearly_cost(ds) / 1e6
            colour = PREVIOUS if style == "--" else CURRENT
            ax.plot(cost["year"], cost.values, style, color=colour, marker="o", label=label)
    ax.set_ylim(bottom=0)
    ax.set_ylabel(tx["meur"])
    ax.set_xlabel(tx["year"])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(tx["cost"], fontsize=10)
    ax.legend(fontsize=7, frameon=False)
    return fig
