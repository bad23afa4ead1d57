"""Combine the runs of a sweep into one ``comparison.nc``.

Each run folder's ``results.nc`` is reduced to what a comparison needs (the run
metrics of :data:`experiments.summary.METRICS`, population and demand over time,
end-year facility utilisation and zone unmet demand) and placed on the ``scenario``,
``strategy`` and ``seed`` dimensions. Combinations that no run produced are NaN.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr
import yaml

from experiments.output import write_atomic
from experiments.periods import CONFIG_ATTRS, reduce_periods, seed_intervals, sweep_config
from experiments.report_context import plan_labels
from experiments.runfolder import read_netcdf
from experiments.summary import metric_attrs, run_metrics
from experiments.zone_maps import reduce_zone_maps
from scenarios.strategies.registry import FORESIGHT_STRATEGIES

log = logging.getLogger("servicesim.sweep")

COMPARISON_FILE = "comparison.nc"
RUN_KEYS = ("scenario", "strategy", "seed")
STATIC = ("zone_name", "zone_x", "zone_y", "facility_name", "facility_zone")
#: Runs between two progress lines while reading a sweep, at most (about ten lines).
PROGRESS_EVERY = 50


def find_runs(sweep_dir: Path, results_file: str = "results.nc") -> list[Path]:
    """Every run result under ``sweep_dir`` (temporary and cache files excluded)."""
    return sorted(
        p for p in Path(sweep_dir).rglob(results_file) if ".forecast_cache" not in p.parts
    )


def _variant(run_file: Path) -> str:
    """Return the run's overrides other than scenario, strategy and seed (for labels)."""
    path = run_file.parent / ".hydra" / "overrides.yaml"
    if not path.exists():
        return ""
    items = yaml.safe_load(path.read_text()) or []
    keys = [o.split("=", 1)[0].lstrip("+~") for o in items]
    keep = [
        o for o, k in zip(items, keys, strict=True) if k not in RUN_KEYS and k != "report.language"
    ]
    return ",".join(keep)


def reduce_run(ds: xr.Dataset, metrics: dict[str, float] | None = None) -> xr.Dataset:
    """Keep what a comparison needs of one run: metrics, totals over time, end-year maps.

    ``metrics`` are the run's :func:`~experiments.summary.run_metrics` when already
    computed (they are computed from ``ds`` otherwise).

    Returns
    -------
    xarray.Dataset
        ``metric_<name>`` scalars (units from :data:`METRICS`), ``population_age``
        (time, age_group, kind), ``demand_service`` and ``unmet_service`` (time,
        service), ``utilisation_end`` (facility), ``unmet_zone_end`` and
        ``demand_zone_end`` (zone), ``facility_open_end`` (facility).
    """
    # Gathered first and made a Dataset once: adding variables one by one aligns each
    # with all before it (a third of the reduction's time).
    out: dict[str, xr.DataArray] = {}
    for name, value in (run_metrics(ds) if metrics is None else metrics).items():
        out[f"metric_{name}"] = xr.DataArray(value, attrs=metric_attrs(name))
    end = ds["time"].dt.year == int(ds["time"].dt.year.max())
    if "population" in ds:
        out["population_age"] = ds["population"].sum("zone").astype(float)
        out["population_age"].attrs = {"units": "1", "long_name": "persons present"}
    for name, source in (("demand_service", "demand_zone"), ("unmet_service", "unmet_zone")):
        if source in ds:
            out[name] = ds[source].sum("zone").astype(float)
            out[name].attrs = {**ds[source].attrs, "long_name": f"{source} summed over zones"}
    if {"load", "capacity"} <= set(ds.data_vars):
        load = ds["load"].sel(time=end).sum(("time", "service"))
        capacity = ds["capacity"].sel(time=end).sum(("time", "service"))
        out["utilisation_end"] = 100.0 * load / capacity.where(capacity > 0)
        out["utilisation_end"].attrs = {"units": "%", "long_name": "utilisation in the end year"}
    for name, source in (("unmet_zone_end", "unmet_zone"), ("demand_zone_end", "demand_zone")):
        if source in ds:
            out[name] = ds[source].sel(time=end).sum(("time", "service")).astype(float)
            out[name].attrs = {
                "units": "1",
                "long_name": f"{source} in the end year (visits or places)",
            }
    if "facility_open" in ds:
        out["facility_open_end"] = ds["facility_open"].isel(time=-1).astype(float)
        out["facility_open_end"].attrs = {"units": "1", "long_name": "open at the end"}
    if "oracle_objective" in ds:
        out["oracle_objective"] = ds["oracle_objective"].astype(float)
    out.update(reduce_periods(ds))
    out.update(reduce_zone_maps(ds))
    return xr.Dataset(out)


def best_known_regret(comparison: xr.Dataset) -> xr.Dataset:
    """Add regret against the best known plan of each scenario and seed.

    The best known plan of a scenario and seed is the one with the lowest
    ``metric_objective`` among all strategies run on it and, where runs had
    ``regret=true``, the oracle's (``oracle_objective``). Every run's
    ``metric_regret_best`` = its objective minus that best, so it is >= 0, and 0 for
    the best plan; it is NaN where the run is missing. The ``metric_`` prefix puts it
    in the report's table beside the per-run metrics
    (:data:`experiments.summary.METRICS`).

    Parameters
    ----------
    comparison : xarray.Dataset
        Dims (scenario, strategy, seed) with ``metric_objective`` (EUR) and
        optionally ``oracle_objective`` (EUR).

    Returns
    -------
    xarray.Dataset
        A new dataset with ``best_objective`` (scenario, seed) and ``metric_regret_best``
        (scenario, strategy, seed), EUR; unchanged without ``metric_objective``.
    """
    if "metric_objective" not in comparison:
        return comparison
    known = [comparison["metric_objective"]]
    if "oracle_objective" in comparison:
        known.append(comparison["oracle_objective"])
    best = xr.concat(known, dim="plan").min(("plan", "strategy"), skipna=True)
    out = comparison.copy()
    out["best_objective"] = best.assign_attrs(
        units="1",
        currency="EUR",
        long_name="lowest objective known for the scenario and seed, any strategy or oracle (EUR)",
    )
    out["metric_regret_best"] = (comparison["metric_objective"] - best).assign_attrs(
        metric_attrs("regret_best")
    )
    return out


@dataclass(frozen=True)
class ReducedRun:
    """What a comparison keeps of one run (:func:`reduce_run`) and how it is labelled.

    ``variant`` tells runs apart that share scenario, strategy and seed (a parameter
    sweep): the other overrides of a command-line run, or the strategy parameters.
    """

    scenario: str
    strategy: str
    seed: int
    reduced: xr.Dataset
    static: xr.Dataset
    attrs: dict
    variant: str = ""
    source: str = ""


def reduced_run(
    ds: xr.Dataset, variant: str = "", source: str = "", metrics: dict[str, float] | None = None
) -> ReducedRun:
    """Reduce one run's results and read its labels from its attributes."""
    return ReducedRun(
        scenario=str(ds.attrs.get("scenario")),
        strategy=str(ds.attrs.get("strategy")),
        seed=int(ds.attrs["seed"]),
        # The labels are coordinates of the run: kept once in ``static``, not per run.
        reduced=reduce_run(ds, metrics).drop_vars(STATIC, errors="ignore"),
        static=ds.reset_coords()[[v for v in STATIC if v in ds.variables]],
        attrs={
            k: ds.attrs[k]
            for k in ("world", "title", "institution", "source", "references", *CONFIG_ATTRS)
            if k in ds.attrs
        },
        variant=variant,
        source=source,
    )


def combine_reduced(runs: list[ReducedRun]) -> xr.Dataset:
    """Combine reduced runs onto ``scenario``, ``strategy`` and ``seed`` dims.

    Runs sharing scenario, strategy and seed but differing in other overrides (a
    parameter sweep) get their ``variant`` appended to their strategy label. Both
    ``comparison.nc`` and :func:`servicesim.sweep` are built here.

    Raises
    ------
    ValueError
        If ``runs`` is empty, or two runs cannot be told apart.
    """
    if not runs:
        raise ValueError("no results.nc found: nothing to compare")
    labels = [(r.scenario, r.strategy, r.seed) for r in runs]
    if len(set(labels)) < len(labels):
        labels = [
            (r.scenario, f"{r.strategy} [{r.variant}]" if r.variant else r.strategy, r.seed)
            for r in runs
        ]
    if len(set(labels)) < len(labels):
        dupes = sorted({label for label in labels if labels.count(label) > 1})
        raise ValueError(f"several runs share scenario, strategy and seed: {dupes}")
    static = None
    for r in runs:  # scenarios may declare facilities of their own: take the union
        static = r.static if static is None else static.combine_first(r.static)
    stacked = xr.concat([r.reduced for r in runs], dim="run", join="outer", fill_value=np.nan)
    stacked = stacked.assign_coords(
        {key: ("run", [label[i] for label in labels]) for i, key in enumerate(RUN_KEYS)}
    )
    combined = stacked.set_index(run=list(RUN_KEYS)).unstack("run", fill_value=np.nan)
    combined = combined.transpose(*RUN_KEYS, ...)
    combined = xr.merge([combined, static], combine_attrs="drop_conflicts")
    combined.attrs = {
        **runs[0].attrs,
        "Conventions": "CF-1.8",
        "history": f"combined {len(runs)} runs (scenario x strategy x seed) by servicesim",
        "n_runs": len(runs),
        "runs": "\n".join(r.source for r in runs),
        "plan_labels": plan_labels([r.attrs for r in runs]),  # the report's names
    }
    combined["seed"].attrs = {"units": "1", "long_name": "root seed of the run"}
    combined.attrs.update(sweep_config([r.attrs for r in runs]))
    return seed_intervals(cheapest_feasible(best_known_regret(combined)))


def cheapest_feasible(comparison: xr.Dataset, seed_share: float = 0.9) -> xr.Dataset:
    """Name each scenario's cheapest feasible plan (standards first, then NPV).

    A strategy's plan is feasible for a scenario when its runs meet every service
    standard (``metric_feasible`` = 1) in at least ``seed_share`` of the seeds; among
    feasible strategies the one with the lowest median ``metric_npv_cost`` wins, leaving
    out :data:`scenarios.strategies.registry.FORESIGHT_STRATEGIES` (they know the future). When
    none is feasible, ``cheapest_feasible`` is ``none`` and ``shortfall_mean`` says by
    how much each falls short.

    Returns
    -------
    xarray.Dataset
        A new dataset with ``feasible_share`` and ``shortfall_mean`` (scenario,
        strategy), ``cheapest_feasible`` (scenario, strategy name or ``none``) and
        ``cheapest_feasible_npv`` (scenario, quantile 0.05/0.5/0.95, EUR); unchanged
        without ``metric_feasible``.
    """
    if "metric_feasible" not in comparison or "metric_npv_cost" not in comparison:
        return comparison
    out = comparison.copy()
    share = comparison["metric_feasible"].mean("seed", skipna=True)
    out["feasible_share"] = share.assign_attrs(
        units="1", long_name="share of seeds in which the plan meets every standard"
    )
    out["shortfall_mean"] = (
        comparison["metric_standards_shortfall"].mean("seed", skipna=True)
        if "metric_standards_shortfall" in comparison
        else share * np.nan
    ).assign_attrs(units="1", long_name="mean standards shortfall over seeds")
    npv = comparison["metric_npv_cost"]
    quantiles = npv.quantile([0.05, 0.5, 0.95], dim="seed", skipna=True)
    adoptable = ~comparison["strategy"].isin(list(FORESIGHT_STRATEGIES))
    names, bands = [], []
    for scenario in comparison["scenario"].values:
        ok = (share.sel(scenario=scenario) >= seed_share) & adoptable
        median = quantiles.sel(scenario=scenario, quantile=0.5).where(ok)
        if bool(median.notnull().any()):
            best = str(median.idxmin("strategy").item())
            bands.append(quantiles.sel(scenario=scenario, strategy=best).values)
        else:
            best = "none"
            bands.append(np.full(3, np.nan))
        names.append(best)
    out["cheapest_feasible"] = (
        "scenario",
        np.array(names, dtype=object),
        {"long_name": f"cheapest plan feasible in >= {seed_share:.0%} of seeds (none: no plan)"},
    )
    out["cheapest_feasible_npv"] = (
        ("scenario", "quantile"),
        np.array(bands),
        {
            "units": "1",
            "currency": "EUR",
            "long_name": "NPV of cost of the cheapest feasible plan, 5/50/95 % (EUR)",
        },
    )
    quantile = ("quantile", [0.05, 0.5, 0.95], {"units": "1", "long_name": "quantile over seeds"})
    return out.assign_coords(quantile=quantile)


def combine_runs(run_files: list[Path]) -> xr.Dataset:
    """Reduce the runs of ``run_files`` and combine them (:func:`combine_reduced`).

    Raises
    ------
    ValueError
        If ``run_files`` is empty.
    """
    n = len(run_files)
    step = max(1, min(PROGRESS_EVERY, -(-n // 10)))  # about ten lines, at most 50 runs apart
    log.info("comparison: reading %d runs", n)
    runs = []
    for i, path in enumerate(run_files, 1):
        ds = read_netcdf(path)  # an unreadable file is named in the error
        runs.append(reduced_run(ds, _variant(path), str(path)))
        if i % step == 0 or i == n:  # a 1,000-run sweep takes minutes here
            log.info("comparison: %d of %d runs read", i, n)
    log.info("comparison: combining %d runs", n)
    return combine_reduced(runs)


def write_comparison(sweep_dir: Path) -> Path:
    """Combine every run under ``sweep_dir`` and write ``comparison.nc`` atomically."""
    sweep_dir = Path(sweep_dir)
    comparison = combine_runs(find_runs(sweep_dir))
    return write_atomic(comparison, sweep_dir / COMPARISON_FILE)


def write_comparison_and_report(sweep_dir: Path, lang: str | None = None) -> tuple[Path, Path]:
    """Write ``comparison.nc``, the report and ``comparison.xlsx`` (+ CSV) into ``sweep_dir``.

    The report and the workbook are in ``lang`` (``fi``, ``sv`` or ``en``), by default
    the world's; the CSV files are the same in every language.

    Returns
    -------
    tuple of Path
        ``comparison.nc`` and the report (the spreadsheet files are beside them).
    """
    from experiments.report import write_report
    from experiments.spreadsheet import write_tables

    target = write_comparison(sweep_dir)
    log.info("comparison: %s written; writing the report and the spreadsheet", target)
    with xr.open_dataset(target, engine="h5netcdf") as comparison:
        report = write_report(comparison.load(), Path(sweep_dir), lang)
        write_tables(comparison, Path(sweep_dir), lang)  # comparison.xlsx and CSV
    log.info("comparison: %s; report: %s", target, report)
    return target, report
