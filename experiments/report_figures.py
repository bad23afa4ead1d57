"""The report's charts, drawn from ``comparison.nc`` with matplotlib in one shared style.

Each function takes the comparison ``Dataset`` and the :class:`ReportContext` and
returns ``(figure, caption)``, or a string saying why it cannot be drawn from these
results (a variable not in them); charts are never drawn from invented numbers.
Fan charts are small multiples with the same bands (median, 50 % and 90 % of the
runs), counts start their axis at zero, and each caption states how many forecast
paths are behind a band. Texts are in the report's language.
"""

from __future__ import annotations

import textwrap

import matplotlib
import numpy as np
import xarray as xr

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from experiments.i18n import format_number  # noqa: E402
from experiments.report_context import ReportContext  # noqa: E402
from experiments.report_tables import N_  # noqa: E402

RUN_DIMS = ("scenario", "strategy", "seed")
STYLE = {
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
BAND = "#1f77b4"
Drawn = tuple[Figure, str] | str


def _has(ds: xr.Dataset, *names: str) -> bool:
    return all(n in ds and bool(ds[n].notnull().any()) for n in names)


def _axis_numbers(ax, ctx: ReportContext, axis: str = "y") -> None:
    """Whole-number ticks written as the language writes numbers."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(integer=True))
    target.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v, ctx.lang)))


def _fan(ax, x, runs: np.ndarray, color: str = BAND) -> int:
    """Median line with 50 % and 90 % bands over the first axis; returns the runs used."""
    runs = runs[~np.isnan(runs).all(axis=1)]
    if len(runs) == 0:
        return 0
    q = np.nanpercentile(runs, [5, 25, 50, 75, 95], axis=0)
    ax.fill_between(x, q[0], q[4], color=color, alpha=0.15, linewidth=0)
    ax.fill_between(x, q[1], q[3], color=color, alpha=0.3, linewidth=0)
    ax.plot(x, q[2], color=color, linewidth=1.5)
    return len(runs)


def _paths_caption(ctx: ReportContext, n: int) -> str:
    _ = ctx.gettext
    return _(
        "Line: median; dark band: middle 50 %; light band: 90 % of {n} forecast paths "
        "(one per seed)."
    ).format(n=n)


def _grid(n: int, ncols: int, width: float = 2.6, height: float = 1.9):
    ncols = max(1, min(ncols, n))
    nrows = (n + ncols - 1) // ncols
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width * ncols + 0.6, height * nrows + 0.6), squeeze=False
    )
    for ax in list(axes.flat)[n:]:
        ax.set_axis_off()
    return fig, axes


def _yearly(da: xr.DataArray, how: str = "sum") -> xr.DataArray:
    grouped = da.groupby("time.year")
    return grouped.sum(skipna=False) if how == "sum" else grouped.mean(skipna=False)


def population_fans(ds: xr.Dataset, ctx: ReportContext) -> Drawn:
    """Permanent residents by age group (yearly mean), a fan over the seeds."""
    _ = ctx.gettext
    if not _has(ds, "population_age"):
        return _("the population is not in these results")
    scenario, strategy = ctx.plans[0]
    pop = _yearly(
        ds["population_age"].sel(kind="permanent", scenario=scenario, strategy=strategy), "mean"
    )
    groups = [str(g) for g in pop["age_group"].values]
    with plt.rc_context(STYLE):
        fig, axes = _grid(len(groups), 3)
        n = 0
        for ax, group in zip(axes.flat, groups, strict=False):
            runs = pop.sel(age_group=group).transpose("seed", "year").values
            n = max(n, _fan(ax, pop["year"].values, runs))
            ax.set_title(_("aged {group}").format(group=group))
            ax.set_ylim(bottom=0)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
            _axis_numbers(ax, ctx)
        axes[0, 0].set_ylabel(_("persons"))
        fig.tight_layout()
    return fig, _paths_caption(ctx, n)


def demand_fans(ds: xr.Dataset, ctx: ReportContext) -> Drawn:
    """Yearly demand by service (rows) and scenario (columns), a fan over the seeds."""
    _ = ctx.gettext
    if not _has(ds, "demand_service"):
        return _("the demand by service is not in these results")
    demand = _yearly(ds["demand_service"])
    services = [str(s) for s in demand["service"].values]
    scenarios = [s for s in ctx.scenarios if any(p[0] == s for p in ctx.plans)]
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(
            len(services),
            len(scenarios),
            figsize=(2.4 * len(scenarios) + 1.2, 1.5 * len(services) + 0.6),
            squeeze=False,
            sharey="row",
        )
        n = 0
        for j, scenario in enumerate(scenarios):
            strategy = next(k for s, k in ctx.plans if s == scenario)
            part = demand.sel(scenario=scenario, strategy=strategy)
            for i, service in enumerate(services):
                ax = axes[i, j]
                runs = part.sel(service=service).transpose("seed", "year").values
                n = max(n, _fan(ax, demand["year"].values, runs))
                ax.set_ylim(bottom=0)
                ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=3))
                _axis_numbers(ax, ctx)
                if i == 0:
                    ax.set_title(ctx.title("scenario", scenario), fontsize=8)
                if j == 0:
                    ax.set_ylabel(textwrap.fill(ctx.service(service), 22), fontsize=7)
        fig.tight_layout()
    caption = _(
        "Demand a year (visits, or places for day care, schools and elderly care) under "
        "each scenario with its first strategy."
    )
    return fig, f"{caption} {_paths_caption(ctx, n)}"


def pyramids(ds: xr.Dataset, ctx: ReportContext) -> Drawn:
    """Age pyramids at start and end: permanent (left) and seasonal (right)."""
    _ = ctx.gettext
    if not _has(ds, "population_age"):
        return _("the population is not in these results")
    pop = ds["population_age"]
    years = pop["time"].dt.year
    first, last = int(years.min()), int(years.max())
    groups = [str(g) for g in pop["age_group"].values]
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), sharey=True)
        for ax, year in zip(axes, (first, last), strict=True):
            sel = pop.sel(time=years == year)
            permanent = sel.sel(kind="permanent").mean(("time", *RUN_DIMS))
            seasonal = sel.sel(kind="seasonal").max("time").mean(RUN_DIMS)
            y = np.arange(len(groups))
            ax.barh(y, -permanent.values, color="C0", label=_("permanent residents (year mean)"))
            ax.barh(y, seasonal.values, color="C1", label=_("seasonal residents (peak month)"))
            ax.axvline(0, color="black", linewidth=0.8)
            ax.set_yticks(y, groups)
            ax.set_title(str(year))
            ax.set_xlabel(_("persons present"))
            ticks = ax.get_xticks()
            ax.set_xticks(ticks, [format_number(abs(t), ctx.lang) for t in ticks])
        axes[0].legend(fontsize=7, loc="lower left")
        fig.tight_layout()
    return fig, _("Mean over all runs; permanent residents to the left, seasonal to the right.")


def seasonal_profile(ds: xr.Dataset, ctx: ReportContext) -> Drawn:
    """Monthly demand in the end year, per service, as % of its monthly mean."""
    _ = ctx.gettext
    if not _has(ds, "demand_service"):
        return _("the demand by service is not in these results")
    demand = ds["demand_service"]
    last = int(demand["time"].dt.year.max())
    monthly = demand.sel(time=demand["time"].dt.year == last).mean(RUN_DIMS)
    months = [m[:3] for m in _("J F M A M J J A S O N D").split()] or list("JFMAMJJASOND")
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(8, 3.4))
        for service in monthly["service"].values:
            series = monthly.sel(service=service).values
            mean = np.nanmean(series)
            if mean > 0:
                ax.plot(
                    range(1, 13), 100 * series / mean, marker="o", label=ctx.service(str(service))
                )
        ax.set_xticks(range(1, 13), months)
        ax.set_ylim(bottom=0)
        ax.set_ylabel(_("% of the service's monthly mean"))
        ax.legend(fontsize=7, ncols=2)
        fig.tight_layout()
    return fig, _("Demand by month in {year}, mean over all runs.").format(year=last)


def _plan_legend(ax, ctx: ReportContext, markers: str) -> None:
    """Two legends: colour = scenario, marker = strategy (not one entry per plan)."""
    from matplotlib.lines import Line2D

    scenarios = [s for s in ctx.scenarios if any(p[0] == s for p in ctx.plans)]
    strategies = [k for k in ctx.strategies if any(p[1] == k for p in ctx.plans)]
    colours = [
        Line2D([], [], color=f"C{ctx.scenarios.index(s) % 10}", marker="o", linestyle="",
               label=textwrap.fill(ctx.title("scenario", s), 28))
        for s in scenarios
    ]  # fmt: skip
    shapes = [
        Line2D([], [], color="0.3", marker=markers[ctx.strategies.index(k) % len(markers)],
               linestyle="", label=textwrap.fill(ctx.title("strategy", k), 28))
        for k in strategies
    ]  # fmt: skip
    first = ax.legend(handles=colours, fontsize=6, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.add_artist(first)
    ax.legend(handles=shapes, fontsize=6, loc="lower left", bbox_to_anchor=(1.01, 0.0))


def pareto(ds: xr.Dataset, ctx: ReportContext) -> Drawn:
    """Cost against access per plan, with 90 % intervals; colour = scenario, shape = strategy."""
    _ = ctx.gettext
    access, ylabel = "metric_share_within_20min", _("% of visits within 20 minutes")
    if not _has(ds, access):  # older results: the mean travel time instead
        access, ylabel = "metric_mean_travel_minutes", _("travel time per visit, minutes")
    if not _has(ds, "metric_cost_per_year", access):
        return _("the cost or access figures are not in these results")
    markers = "osD^vP*Xh<>"
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(9, 4.4))
        for s, k in ctx.plans:
            cost = ds["metric_cost_per_year"].sel(scenario=s, strategy=k).values / 1e6
            acc = ds[access].sel(scenario=s, strategy=k).values
            cx, ay = np.nanmean(cost), np.nanmean(acc)
            cq, aq = np.nanpercentile(cost, [5, 95]), np.nanpercentile(acc, [5, 95])
            ax.errorbar(
                cx,
                ay,
                xerr=np.clip([[cx - cq[0]], [cq[1] - cx]], 0, None),
                yerr=np.clip([[ay - aq[0]], [aq[1] - ay]], 0, None),
                fmt=markers[ctx.strategies.index(k) % len(markers)],
                color=f"C{ctx.scenarios.index(s) % 10}",
                capsize=3,
            )
        ax.set_xlabel(_("cost, million euros a year"))
        ax.set_ylabel(ylabel)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_number(v, ctx.lang, 1)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_number(v, ctx.lang, 1)))
        fig.tight_layout()
        fig.subplots_adjust(right=0.7)  # room for the legends, inside the figure
        _plan_legend(ax, ctx, markers)
    better = (
        _("further up and left is better")
        if "share" in access
        else _("further down and left is better")
    )
    caption = _("Colour: scenario; marker: strategy.")
    return fig, _("Mean over seeds with the 90 % interval.") + f" {caption} {better}"


def equity(ds: xr.Dataset, ctx: ReportContext) -> Drawn:
    """Mean equity gaps per plan: a panel per group pair, strategies by scenario."""
    _ = ctx.gettext
    groups = {
        "no_car_vs_car": _("no car vs car"),
        "age_75_plus_vs_rest": _("aged 75+ vs others"),
        "digital_low_vs_high": _("low vs high digital skills"),
        "seasonal_vs_permanent": _("seasonal vs permanent"),
    }
    names = [g for g in groups if _has(ds, f"metric_equity_gap_{g}")]
    if not names:
        return _("the equity gaps are not in these results")
    scenarios = [s for s in ctx.scenarios if any(p[0] == s for p in ctx.plans)]
    strategies = [k for k in ctx.strategies if any(p[1] == k for p in ctx.plans)]
    width = 0.8 / len(scenarios)
    x = np.arange(len(strategies))
    with plt.rc_context(STYLE):
        fig, axes = _grid(len(names), 2, width=4.6, height=2.6)
        for ax, g in zip(axes.flat, names, strict=False):
            gap = ds[f"metric_equity_gap_{g}"].mean("seed")
            for i, s in enumerate(scenarios):
                values = [float(gap.sel(scenario=s, strategy=k)) for k in strategies]
                ax.bar(x + i * width, values, width, color=f"C{ctx.scenarios.index(s) % 10}",
                       label=ctx.title("scenario", s))  # fmt: skip
            ax.set_xticks(
                x + 0.4 - width / 2,
                [textwrap.fill(ctx.title("strategy", k), 14) for k in strategies],
                fontsize=6,
            )
            ax.axhline(0, color="black", linewidth=0.8)
            ax.set_title(groups[g])
            _axis_numbers(ax, ctx)
        axes.flat[0].set_ylabel(_("extra travel minutes per visit"))
        handles, labels = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles, labels, fontsize=6, loc="lower center", ncols=min(5, len(labels)))
        fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig, _("Mean over seeds; above zero the first group travels longer.")


#: key -> (title, drawing function); titles are translated where they are shown.
FIGURES = {
    "population_fans": (N_("Population by age group"), population_fans),
    "demand_fans": (N_("Demand by service"), demand_fans),
    "pyramids": (N_("Population pyramid at the start and the end"), pyramids),
    "seasonal_profile": (N_("Seasonal profile of demand"), seasonal_profile),
    "pareto": (N_("Cost and access"), pareto),
    "equity": (N_("Equity gaps in travel time"), equity),
}


def combos(ds: xr.Dataset) -> list[tuple[str, str]]:
    """List the (scenario, strategy) pairs with at least one run, in coordinate order."""
    any_run = ds["metric_cost_per_year"].notnull().any("seed")
    return [
        (str(s), str(k))
        for s in ds["scenario"].values
        for k in ds["strategy"].values
        if bool(any_run.sel(scenario=s, strategy=k))
    ]
