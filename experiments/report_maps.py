"""The report's maps: each scenario's plans side by side on the zones' real polygons.

With the comparison's zone-map variables (``facility_offers``, ``access_20min_zone_end``...
of :mod:`experiments.zone_maps`) each scenario gets one figure from
:func:`experiments.maps.plan_maps`: a column per plan (status quo first, the recommended
plan next), a row per measure (access within 20 minutes, waiting days, unmet demand, for
primary health care, the service with queues), facilities marked by service, a legend
and a scale bar. An older comparison without them gets one map of unmet demand by zone
per plan (:func:`experiments.maps.small_multiples`). A world without polygons, or a
comparison whose world folder is not here, leaves the maps out with a note.
"""

from __future__ import annotations

import inspect
import logging
import textwrap

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from experiments.report_context import ReportContext
from experiments.report_tables import N_
from scenarios.errors import WorldFileError

log = logging.getLogger("servicesim.report")

#: The service whose zone maps are drawn (the one with queues and a waiting standard).
SERVICE = "primary_health_care"
UNMET = "unmet_zone_end"
Drawn = tuple[str, str, Figure | str, str]


def panel_title(ctx: ReportContext, scenario: str, strategy: str) -> str:
    """Return a map panel's title: the scenario over the strategy, wrapped to fit."""
    lines = [ctx.title("scenario", scenario), ctx.title("strategy", strategy)]
    return "\n".join(textwrap.fill(line, 30) for line in lines)


def _world(ctx: ReportContext):
    """Load the world and its zone polygons (raises if they cannot be had)."""
    from experiments.maps import load_zone_polygons
    from scenarios.worlds.loader import load_world

    if ctx.world is None:
        raise ValueError("the comparison names no world folder found here")
    world = load_world(ctx.world)
    return world, load_zone_polygons(world)


def _retitle(fig: Figure, ctx: ReportContext, scenario: str) -> None:
    """Replace the strategy and scenario ids in a figure's titles by their translated titles.

    For a :func:`~experiments.maps.plan_maps` without ``plan_labels`` (it titles panels
    by id, ``reactive (suositus)``); ids are replaced whole, longest first.
    """
    names = {k: ctx.title("strategy", k) for k in ctx.strategies}
    for ax in fig.axes:
        title = ax.get_title()
        for name in sorted(names, key=len, reverse=True):
            if title == name or title.startswith(f"{name} ("):
                ax.set_title(names[name] + title[len(name) :], fontsize=ax.title.get_fontsize())
                break
    if fig._suptitle is not None:  # noqa: SLF001 - matplotlib has no public getter
        text = fig._suptitle.get_text()  # noqa: SLF001
        fig._suptitle.set_text(
            text.replace(f": {scenario},", f": {ctx.title('scenario', scenario)},")
        )  # noqa: SLF001


def _scenario_maps(ds: xr.Dataset, ctx: ReportContext, world) -> list[Drawn]:
    """One :func:`experiments.maps.plan_maps` figure per scenario."""
    from experiments.maps import plan_maps

    _ = ctx.gettext
    service = SERVICE if SERVICE in ds["service"].values else str(ds["service"].values[0])
    options = inspect.signature(plan_maps).parameters
    out = []
    for scenario in ctx.scenarios:
        if not any(s == scenario for s, _k in ctx.plans):
            continue
        extra = {}
        if "plan_labels" in options:
            extra["plan_labels"] = {k: ctx.title("strategy", k) for k in ctx.strategies}
        if "scenario_label" in options:
            extra["scenario_label"] = ctx.title("scenario", scenario)
        fig = plan_maps(
            ds,
            world,
            ctx.lang,
            scenario=scenario,
            service=service,
            service_labels={sid: ctx.service(sid) for sid in ctx.services},
            **extra,
        )
        if "plan_labels" not in options:
            _retitle(fig, ctx, scenario)
        title = _("{scenario}: access, waiting and unmet demand by zone").format(
            scenario=ctx.title("scenario", scenario)
        )
        caption = _(
            "{service}, end year {year}, mean over the seeds; a column per plan. Markers: "
            "facilities by service; hollow markers are closed by the end of the horizon."
        ).format(service=ctx.service(service), year=ctx.years[-1])
        out.append((f"map_{scenario}", title, fig, caption))
    return out


def _unmet_maps(ds: xr.Dataset, ctx: ReportContext, world, polygons) -> list[Drawn]:
    """Unmet demand by zone, a map per plan (comparisons made before the zone maps)."""
    from experiments.maps import facility_markers, small_multiples

    _ = ctx.gettext
    title = _(N_("Unmet demand by zone"))
    if UNMET not in ds or not bool(ds[UNMET].notnull().any()):
        return [(UNMET, title, _("this figure is not in these results"), "")]
    values = ds[UNMET].mean("seed")
    panels, markers = {}, {}
    for s, k in ctx.plans:
        name = panel_title(ctx, s, k)
        plan = values.sel(scenario=s, strategy=k)
        panels[name] = {
            str(z): float(v) for z, v in zip(plan["zone"].values, plan.values, strict=True)
        }
        opened = ds["facility_open_end"].sel(scenario=s, strategy=k).mean("seed")
        is_open = {
            str(f): bool(v >= 0.5)
            for f, v in zip(opened["facility"].values, opened.values, strict=True)
            if not np.isnan(v)
        }
        markers[name] = facility_markers(world, is_open)
    fig = small_multiples(
        polygons,
        panels,
        cmap="Reds",
        label=_("visits or places left unmet in the end year"),
        facilities=markers,
        lang=ctx.lang,
        ncols=4,
        vmin=0.0,
        service_labels={sid: ctx.service(sid) for sid in ctx.services},
        panel_size=2.4,
    )
    caption = _(
        "End year {year}, mean over the seeds. Markers: facilities by service; hollow "
        "markers are closed by the end of the horizon."
    ).format(year=ctx.years[-1])
    return [(UNMET, title, fig, caption)]


def draw_maps(ds: xr.Dataset, ctx: ReportContext) -> list[Drawn]:
    """Every map the comparison allows: ``(key, title, figure or reason, caption)``."""
    _ = ctx.gettext
    try:
        world, polygons = _world(ctx)
    except (ImportError, ValueError, OSError, WorldFileError) as exc:
        log.warning("report maps left out: %s", exc)
        reason = _("the zone polygons cannot be drawn (the log says why)")
        return [("maps", _("Maps of the zones"), reason, "")]
    if "facility_offers" in ds:
        return _scenario_maps(ds, ctx, world)
    return _unmet_maps(ds, ctx, world, polygons)
