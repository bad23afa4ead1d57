"""The dashboard's figures: the map, the population forecast, access, waiting and cost.

Each function returns a :class:`matplotlib.figure.Figure` (not pyplot: the server
draws for several users at once). Where a plan is compared, the previous plan is drawn
beside the current one (grey, or dashed), so the workshop sees what an edit changed.
Texts come from :func:`experiments.dashboard.texts.texts`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import xarray as xr
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from experiments.dashboard.metrics import ServiceRow, service_rows, yearly_cost
from experiments.dashboard.texts import service_name, texts
from experiments.maps import FacilityMarker, zone_map
from simulation.world import World

__all__ = ["cost_figure", "map_figure", "population_figure", "service_bars"]

CURRENT, PREVIOUS = "#1f5f9f", "#b0b0b0"


#: What the map colours: access by zone when the results have it, else unmet demand.
ACCESS, UNMET = "map_access", "map_value"


def zone_measure(ds: xr.Dataset) -> str:
    """Return what the map shows for these results: :data:`ACCESS` or :data:`UNMET`."""
    return ACCESS if {"share_within_20min_zone", "eligible_present_zone"} <= set(ds) else UNMET


def zone_values(ds: xr.Dataset, measure: str) -> dict[str, float]:
    """Return the map's value (%) by zone over the whole run.

    ``ACCESS``: share of the zone's eligible present persons within 20 travel minutes of
    an open facility, weighted by eligible persons over months and services.
    ``UNMET``: unmet demand as a share of the zone's demand.
    """
    if measure == ACCESS:
        weight = ds["eligible_present_zone"].where(ds["share_within_20min_zone"].notnull(), 0)
        num = (ds["share_within_20min_zone"].fillna(0) * weight).sum(("time", "service"))
        den = weight.sum(("time", "service"))
    else:
        num = ds["unmet_zone"].sum(("time", "service"))
        den = ds["demand_zone"].sum(("time", "service"))
    share = 100 * num / den.where(den > 0)
    return {str(z): float(v) for z, v in zip(ds["zone"].values, share.values, strict=True)}


def _markers(world: World, ds: xr.Dataset) -> list[FacilityMarker]:
    """One marker per facility and service it ever offered; hollow if closed at the end."""
    index = {z: i for i, z in enumerate(world.zones.ids)}
    offered = (ds["capacity"] > 0).any("time")
    for f in world.facilities:  # a facility closed from the first month keeps its services
        for service, capacity in f.capacity.items():
            if capacity > 0 and f.id in offered["facility"] and service in offered["service"]:
                offered.loc[{"facility": f.id, "service": service}] = True
    is_open = ds["facility_open"].isel(time=-1)
    markers = []
    for fid, zone, name in zip(
        ds["facility"].values, ds["facility_zone"].values, ds["facility_name"].values, strict=True
    ):
        i = index[str(zone)]
        for service in ds["service"].values[offered.sel(facility=fid).values]:
            markers.append(
                FacilityMarker(
                    x=float(world.zones.x[i]),
                    y=float(world.zones.y[i]),
                    service=str(service),
                    is_open=bool(is_open.sel(facility=fid)),
                    name=str(name),
                )
            )
    return markers


def map_figure(world: World, current: xr.Dataset, previous: xr.Dataset | None, lang: str) -> Figure:
    """Zones coloured by access (or unmet demand) with the facilities, previous beside current.

    The colour is the share (%) of the zone's eligible persons within 20 minutes of an
    open facility when the results have access by zone (``share_within_20min_zone``),
    else unmet demand as % of the zone's demand (:func:`zone_values`).

    Drawn with :func:`experiments.maps.zone_map`: the zones' polygons, one marker shape
    per service at the facility's zone point (hollow: closed in the last month), a
    scale bar; the colour scale is shared by both maps.
    """
    tx = texts(lang)
    plans = [(tx["previous"], previous), (tx["current"], current)] if previous else []
    plans = plans or [(tx["current"], current)]
    measure = zone_measure(current)
    values = [zone_values(ds, measure) for _, ds in plans]
    vmax = max(max([v for v in one.values() if np.isfinite(v)], default=0.0) for one in values)
    norm = Normalize(0.0, 100.0 if measure == ACCESS else max(vmax, 1.0))
    labels = {s: service_name(s, lang) for s in world.service_ids}
    fig = Figure(figsize=(4.6 * len(plans) + 1.0, 6.0), layout="constrained")
    axes = fig.subplots(1, len(plans), squeeze=False)[0]
    for k, (ax, (title, ds), shown) in enumerate(zip(axes, plans, values, strict=True)):
        last = k == len(plans) - 1
        zone_map(
            ax,
            world.zone_geometries or {},
            shown,
            cmap="YlGnBu" if measure == ACCESS else "Oranges",
            label=tx[measure],
            facilities=_markers(world, ds),
            lang=lang,
            norm=norm,
            colorbar=last,
            legend=last,
            service_labels=labels,
        )
        ax.set_title(title, fontsize=10)
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
