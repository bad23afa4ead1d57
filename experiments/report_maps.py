"""The report's maps: one small multiple per plan on the zones' real polygons.

Drawn with :func:`experiments.maps.small_multiples` (polygons with their lakes, a
shared colour scale, facility markers by service, legend and scale bar) from the
comparison's end-year zone figures: access within 20 minutes, waiting days and
unmet demand by zone (mean over seeds). Facilities are the world's, hollow where the
plan has closed them by the end. A map whose figure is not in the comparison is left
out with a note saying so.
"""

from __future__ import annotations

import logging
import textwrap

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from experiments.report_context import ReportContext
from experiments.report_tables import N_
from scenarios.errors import WorldFileError

log = logging.getLogger("servicesim.report")

#: comparison variable -> (title, colour-bar label, colour map, factor to the shown unit)
MAPS = {
    "share_within_20min_zone_end": (
        N_("Access within 20 minutes by zone"),
        N_("% of residents within 20 minutes"),
        "viridis",
        100.0,
    ),
    "waiting_days_zone_end": (N_("Waiting time by zone"), N_("mean waiting days"), "magma_r", 1.0),
    "unmet_zone_end": (
        N_("Unmet demand by zone"),
        N_("visits or places left unmet in the end year"),
        "Reds",
        1.0,
    ),
}


def _markers(ds: xr.Dataset, ctx: ReportContext, world, scenario: str, strategy: str) -> list:
    from experiments.maps import facility_markers

    is_open = {}
    if "facility_open_end" in ds:
        opened = ds["facility_open_end"].sel(scenario=scenario, strategy=strategy).mean("seed")
        is_open = {
            str(f): bool(v >= 0.5)
            for f, v in zip(opened["facility"].values, opened.values, strict=True)
            if not np.isnan(v)
        }
    return facility_markers(world, is_open)


def panel_title(ctx: ReportContext, scenario: str, strategy: str) -> str:
    """Return a map panel's title: the scenario over the strategy, wrapped to fit."""
    lines = [ctx.title("scenario", scenario), ctx.title("strategy", strategy)]
    return "\n".join(textwrap.fill(line, 30) for line in lines)


def _panels(ds: xr.Dataset, ctx: ReportContext, name: str, factor: float) -> dict:
    values = ds[name].mean("seed") * factor
    return {
        panel_title(ctx, s, k): {
            str(z): float(v)
            for z, v in zip(
                values["zone"].values, values.sel(scenario=s, strategy=k).values, strict=True
            )
            if not np.isnan(v)
        }
        for s, k in ctx.plans
    }


def draw_maps(ds: xr.Dataset, ctx: ReportContext) -> list[tuple[str, str, Figure | str, str]]:
    """Every map the comparison allows: ``(key, title, figure or reason, caption)``."""
    _ = ctx.gettext
    try:
        from experiments.maps import load_zone_polygons, small_multiples
        from scenarios.worlds.loader import load_world

        if ctx.world is None:
            raise ValueError("the comparison names no world folder found here")
        world = load_world(ctx.world)
        polygons = load_zone_polygons(world)
    except (ImportError, ValueError, OSError, WorldFileError) as exc:
        log.warning("report maps left out: %s", exc)
        reason = _("the zone polygons cannot be drawn (the log says why)")
        return [(key, title, reason, "") for key, (title, *_rest) in MAPS.items()]
    out = []
    services = {sid: ctx.service(sid) for sid in ctx.services}
    facilities = {panel_title(ctx, s, k): _markers(ds, ctx, world, s, k) for s, k in ctx.plans}
    n = int(ds["metric_cost_per_year"].notnull().sum("seed").max())
    for key, (title, label, cmap, factor) in MAPS.items():
        if key not in ds or not bool(ds[key].notnull().any()):
            out.append((key, title, _("this figure is not in these results"), ""))
            continue
        panels = _panels(ds, ctx, key, factor)
        fig = small_multiples(
            polygons,
            panels,
            cmap=cmap,
            label=_(label),
            facilities=facilities,
            lang=ctx.lang,
            ncols=4,
            vmin=0.0,
            service_labels=services,
            panel_size=2.4,
        )
        caption = _(
            "End year {year}, mean over {n} seeds. Markers: facilities by service; hollow "
            "markers are closed by the end of the horizon; hatched zones have no value."
        ).format(year=ctx.years[-1], n=n)
        out.append((key, title, fig, caption))
    return out
