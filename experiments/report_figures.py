"""The report's figures, drawn from ``comparison.nc`` with matplotlib.

Each function takes the comparison ``Dataset`` and returns a matplotlib ``Figure``, or
a string saying why the figure cannot be drawn from these results (a variable not
yet in them); charts are never drawn from invented numbers.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import xarray as xr

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

RUN_DIMS = ("scenario", "strategy", "seed")
MONTHS = "JFMAMJJASOND"


def _has(ds: xr.Dataset, *names: str) -> bool:
    return all(n in ds and bool(ds[n].notnull().any()) for n in names)


def combos(ds: xr.Dataset) -> list[tuple[str, str]]:
    """List the (scenario, strategy) pairs with at least one run, in coordinate order."""
    any_run = ds["metric_cost_per_year"].notnull().any("seed")
    return [
        (str(s), str(k))
        for s in ds["scenario"].values
        for k in ds["strategy"].values
        if bool(any_run.sel(scenario=s, strategy=k))
    ]


def _yearly(da: xr.DataArray, how: str = "sum") -> xr.DataArray:
    grouped = da.groupby("time.year")
    out = grouped.sum(skipna=False) if how == "sum" else grouped.mean(skipna=False)
    return out


def _fan(ax, x, runs: np.ndarray, color, label: str) -> None:
    """Median line with 50 % and 90 % bands over the first axis of ``runs``."""
    runs = runs[~np.isnan(runs).all(axis=1)]
    if len(runs) == 0:
        return
    q = np.nanpercentile(runs, [5, 25, 50, 75, 95], axis=0)
    ax.fill_between(x, q[0], q[4], color=color, alpha=0.15, linewidth=0)
    ax.fill_between(x, q[1], q[3], color=color, alpha=0.3, linewidth=0)
    ax.plot(x, q[2], color=color, label=label, linewidth=1.5)


def population_fans(ds: xr.Dataset) -> Figure | str:
    """Permanent residents by age group, yearly mean, fan over every run."""
    if not _has(ds, "population_age"):
        return "population_age is not in the results"
    pop = _yearly(ds["population_age"].sel(kind="permanent"), "mean")
    groups = [str(g) for g in pop["age_group"].values]
    fig, axes = plt.subplots(2, (len(groups) + 1) // 2, figsize=(11, 5.5), squeeze=False)
    stacked = pop.stack(run=RUN_DIMS).transpose("run", "year", "age_group")
    for ax, group in zip(axes.flat, groups, strict=False):
        values = stacked.sel(age_group=group).values
        _fan(ax, pop["year"].values, values, "C0", "median")
        ax.set_title(f"age {group}", fontsize=10)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(groups) :]:
        ax.axis("off")
    axes[0, 0].set_ylabel("persons")
    fig.suptitle("Permanent residents by age group: median, 50 % and 90 % of runs")
    fig.tight_layout()
    return fig


def demand_fans(ds: xr.Dataset) -> Figure | str:
    """Yearly demand by service, one fan per scenario x strategy over seeds."""
    if not _has(ds, "demand_service"):
        return "demand_service is not in the results"
    demand = _yearly(ds["demand_service"])
    services = [str(s) for s in demand["service"].values]
    fig, axes = plt.subplots(2, (len(services) + 1) // 2, figsize=(12, 6), squeeze=False)
    for i, (s, k) in enumerate(combos(ds)):
        part = demand.sel(scenario=s, strategy=k).transpose("seed", "year", "service")
        for ax, service in zip(axes.flat, services, strict=False):
            _fan(ax, demand["year"].values, part.sel(service=service).values, f"C{i}", f"{s}/{k}")
    for ax, service in zip(axes.flat, services, strict=False):
        ax.set_title(service.replace("_", " "), fontsize=10)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(services) :]:
        ax.axis("off")
    axes[0, 0].set_ylabel("service units / year")
    axes[0, 0].legend(fontsize=7)
    fig.suptitle("Demand by service: median, 50 % and 90 % over seeds")
    fig.tight_layout()
    return fig


def pyramids(ds: xr.Dataset) -> Figure | str:
    """Age pyramids at start and end: permanent (left) and seasonal (right)."""
    if not _has(ds, "population_age"):
        return "population_age is not in the results"
    pop = ds["population_age"]
    years = pop["time"].dt.year
    first, last = int(years.min()), int(years.max())
    groups = [str(g) for g in pop["age_group"].values]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    for ax, year in zip(axes, (first, last), strict=True):
        sel = pop.sel(time=years == year)
        permanent = sel.sel(kind="permanent").mean(("time", *RUN_DIMS))
        seasonal = sel.sel(kind="seasonal").max("time").mean(RUN_DIMS)
        y = np.arange(len(groups))
        ax.barh(y, -permanent.values, color="C0", label="permanent (year mean)")
        ax.barh(y, seasonal.values, color="C1", label="seasonal (peak month)")
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(y, groups)
        ax.set_title(str(year))
        ax.set_xlabel("persons present (permanent to the left)")
        ticks = ax.get_xticks()
        ax.set_xticks(ticks, [f"{abs(t):,.0f}" for t in ticks])
    axes[0].legend(fontsize=8, loc="lower left")
    fig.suptitle("Population pyramid by age group, mean over runs")
    fig.tight_layout()
    return fig


def seasonal_profile(ds: xr.Dataset) -> Figure | str:
    """Monthly demand in the end year, per service, as % of its monthly mean."""
    if not _has(ds, "demand_service"):
        return "demand_service is not in the results"
    demand = ds["demand_service"]
    last = int(demand["time"].dt.year.max())
    monthly = demand.sel(time=demand["time"].dt.year == last).mean(RUN_DIMS)
    fig, ax = plt.subplots(figsize=(8, 4))
    for service in monthly["service"].values:
        series = monthly.sel(service=service).values
        mean = np.nanmean(series)
        if mean > 0:
            ax.plot(range(1, 13), 100 * series / mean, marker="o", label=str(service))
    ax.set_xticks(range(1, 13), list(MONTHS))
    ax.set_ylabel("% of the service's monthly mean")
    ax.set_title(f"Seasonal profile of demand in {last} (mean over runs)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def pareto(ds: xr.Dataset) -> Figure | str:
    """Cost against access per scenario x strategy, 90 % intervals, front marked."""
    access = "metric_share_within_20min"
    better_high = True
    if not _has(ds, access):
        access, better_high = "metric_mean_travel_minutes", False
    if not _has(ds, "metric_cost_per_year", access):
        return "cost or access metrics are not in the results"
    fig, ax = plt.subplots(figsize=(7, 4.5))
    points = []
    for i, (s, k) in enumerate(combos(ds)):
        cost = ds["metric_cost_per_year"].sel(scenario=s, strategy=k).values / 1e6
        acc = ds[access].sel(scenario=s, strategy=k).values
        cx, ay = np.nanmean(cost), np.nanmean(acc)
        cq, aq = np.nanpercentile(cost, [5, 95]), np.nanpercentile(acc, [5, 95])
        ax.errorbar(
            cx,
            ay,
            xerr=np.clip([[cx - cq[0]], [cq[1] - cx]], 0, None),
            yerr=np.clip([[ay - aq[0]], [aq[1] - ay]], 0, None),
            fmt="o",
            color=f"C{i}",
            label=f"{s}/{k}",
            capsize=3,
        )
        points.append((cx, ay if better_high else -ay))
    front = [p for p in points if not any(q[0] <= p[0] and q[1] >= p[1] and q != p for q in points)]
    front.sort()
    ax.plot(
        [p[0] for p in front],
        [p[1] if better_high else -p[1] for p in front],
        "k--",
        linewidth=0.8,
        label="Pareto front",
    )
    ax.set_xlabel("cost, million EUR / year (mean, 90 % interval over seeds)")
    label = ds[access].attrs.get("long_name", access)
    ax.set_ylabel(f"{label} ({ds[access].attrs.get('units', '')})")
    ax.set_title("Cost vs access" + ("" if better_high else " (lower travel time is better)"))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def equity(ds: xr.Dataset) -> Figure | str:
    """Mean equity gaps (disadvantaged minus advantaged travel minutes) per strategy."""
    names = [n for n in ds.data_vars if n.startswith("metric_equity_gap_") and _has(ds, n)]
    if not names:
        return "equity_gap is not in the results yet (simulation engineer's variable)"
    pairs = combos(ds)
    fig, ax = plt.subplots(figsize=(8, 4))
    width = 0.8 / len(pairs)
    x = np.arange(len(names))
    for i, (s, k) in enumerate(pairs):
        means = [float(ds[n].sel(scenario=s, strategy=k).mean()) for n in names]
        ax.bar(x + i * width, means, width, label=f"{s}/{k}", color=f"C{i}")
    ax.set_xticks(x + 0.4 - width / 2, [n.removeprefix("metric_equity_gap_") for n in names])
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylabel("gap in travel minutes per visit")
    ax.set_title("Equity gaps (mean over seeds; positive = disadvantaged group travels longer)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def network_map(ds: xr.Dataset) -> Figure | str:
    """Zones at their coordinates sized by unmet demand; facilities by utilisation."""
    if not _has(ds, "zone_x", "zone_y", "unmet_zone_end", "utilisation_end"):
        return "zone coordinates, unmet_zone or utilisation are not in the results"
    pairs = combos(ds)
    ncol = min(3, len(pairs))
    nrow = (len(pairs) + ncol - 1) // ncol
    size = (4.5 * ncol + 1.5, 4.2 * nrow + 0.6)
    fig, axes = plt.subplots(nrow, ncol, figsize=size, squeeze=False, layout="constrained")
    x, y = ds["zone_x"].values / 1000, ds["zone_y"].values / 1000
    zone_ix = {str(z): i for i, z in enumerate(ds["zone"].values)}
    fac_zone = [zone_ix[str(z)] for z in ds["facility_zone"].values]
    offsets = np.zeros(len(fac_zone))
    for j, z in enumerate(fac_zone):  # spread facilities sharing a zone on a small circle
        same = [k for k, zz in enumerate(fac_zone) if zz == z]
        offsets[j] = 2 * np.pi * same.index(j) / len(same)
    span = max(np.ptp(x), np.ptp(y), 1.0)
    fx = x[fac_zone] + 0.04 * span * np.cos(offsets)
    fy = y[fac_zone] + 0.04 * span * np.sin(offsets)
    unmet_all = ds["unmet_zone_end"].mean("seed")
    scale = 600 / max(float(unmet_all.max()), 1.0)
    for ax, (s, k) in zip(axes.flat, pairs, strict=False):
        unmet = unmet_all.sel(scenario=s, strategy=k).values
        util = ds["utilisation_end"].sel(scenario=s, strategy=k).mean("seed").values
        is_open = ds["facility_open_end"].sel(scenario=s, strategy=k).mean("seed").values
        ax.scatter(x, y, s=20 + scale * unmet, color="C3", alpha=0.35)
        ax.scatter(x, y, s=8, color="black")
        sc = ax.scatter(
            fx,
            fy,
            c=util,
            cmap="viridis",
            vmin=0,
            vmax=120,
            marker="s",
            s=60,
            edgecolors=np.where(is_open > 0.5, "black", "red"),
        )
        for i, name in enumerate(ds["zone_name"].values):
            ax.annotate(
                str(name), (x[i], y[i]), fontsize=6, xytext=(3, 3), textcoords="offset points"
            )
        ax.set_title(f"{s} / {k}", fontsize=9)
        ax.set_aspect("equal", adjustable="datalim")
        ax.tick_params(labelsize=6)
    for ax in list(axes.flat)[len(pairs) :]:
        ax.axis("off")
    fig.colorbar(sc, ax=axes, shrink=0.6, label="facility utilisation in the end year (%)")
    fig.suptitle(
        "Zones (km; red circles sized by unmet demand in the end year, mean over seeds)\n"
        "and facilities (squares coloured by utilisation; red edge = closed)",
        fontsize=9,
    )
    return fig


FIGURES = {
    "population_fans": ("Population by age group", population_fans),
    "demand_fans": ("Demand by service", demand_fans),
    "pyramids": ("Population pyramid, start and end", pyramids),
    "seasonal_profile": ("Seasonal profile of demand", seasonal_profile),
    "pareto": ("Cost vs access", pareto),
    "equity": ("Equity gaps", equity),
    "network_map": ("Map of zones and facilities", network_map),
}
