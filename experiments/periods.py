"""What a comparison keeps of one run per year, and its decision calendar.

:func:`reduce_periods` is called by :func:`experiments.aggregate.reduce_run` for every
run; its variables land in ``comparison.nc`` on (scenario, strategy, seed, ...). The
spreadsheet export (plan periods of five years) and the report's summary read them.
:func:`seed_intervals` adds the 90 % intervals over seeds once the runs are combined.
"""

from __future__ import annotations

import warnings
from typing import Any

import xarray as xr
import yaml

#: The run's decision-calendar fields kept in the comparison: ``change_<name>`` of
#: results.nc becomes ``decision_<name>`` on the ``decision`` dim.
DECISION_FIELDS = (
    "op",
    "target",
    "origin",
    "services",
    "decided",
    "decide_by",
    "effective",
    "lead_time_months",
    "one_off_cost_eur",
)
QUANTILES = (0.05, 0.5, 0.95)
#: Run attributes the comparison keeps (from the first run; ``config`` is then
#: replaced by the part every run shares, :func:`sweep_config`).
CONFIG_ATTRS = ("config", "start_year", "world_path")
ONE = {"units": "1"}
EUR = {"units": "1", "currency": "EUR"}


def _years(ds: xr.Dataset) -> xr.DataArray:
    """Calendar year of each month of ``ds``, named ``year`` (for groupby)."""
    return ds["time"].dt.year.rename("year")


def _yearly_sum(da: xr.DataArray, ds: xr.Dataset) -> xr.DataArray:
    out = da.groupby(_years(ds)).sum("time").astype(float)
    out.attrs = {"cell_methods": "year: sum"}
    return out


def _attrs(da: xr.DataArray, attrs: dict, **more: str) -> xr.DataArray:
    """Return ``da`` with exactly these attributes (none inherited from its source)."""
    out = da.copy()
    out.attrs = {**attrs, **more}
    return out


def _weighted_year(value: xr.DataArray, weight: xr.DataArray, ds: xr.Dataset, over: tuple):
    """Weighted mean of ``value`` per year over ``time`` and ``over`` (NaN values skipped)."""
    weight = weight.where(value.notnull(), 0.0).astype(float)
    dims = ("time", *over)
    total = (value.fillna(0.0) * weight).groupby(_years(ds)).sum(dims)
    norm = weight.groupby(_years(ds)).sum(dims)
    return total / norm.where(norm > 0)


def _residents(ds: xr.Dataset) -> xr.DataArray:
    """Permanent residents on 1 January of each year by age group (the January month)."""
    permanent = ds["population"].sel(kind="permanent").sum("zone")
    january = permanent.sel(time=ds["time"].dt.month == 1)
    return january.assign_coords(time=january["time"].dt.year.values).rename(time="year")


def yearly_series(ds: xr.Dataset) -> dict[str, xr.DataArray]:
    """Per-year series of one run that the plan-period tables and the summary need.

    Each is computed only when its source variables are in ``ds`` (older results
    files still reduce).

    Parameters
    ----------
    ds : xarray.Dataset
        One run's results (``results.nc``), monthly on ``time``.

    Returns
    -------
    dict of str to xarray.DataArray
        On dim ``year`` (calendar year):

        - ``residents_year`` (year, age_group): permanent residents on 1 January,
          persons (age groups are the service age groups of the results: 0-6 early
          childhood education, 7-15 basic education, 75+ elderly care...);
        - ``demand_year`` (year, service): demand in the year, visits or places
          (place-months for enrolment services), all zones;
        - ``unmet_year`` (year, service): unmet demand in the year, same units;
        - ``within_standard_year`` (year, service): share of demand within the
          service standard (``service_within_standard`` weighted by monthly demand), 1;
        - ``wait_mean_days_year`` and ``wait_p90_days_year`` (year, service): mean
          and 90th-percentile waiting days, facility-month values weighted by arrivals;
        - ``share_within_20min_year`` (year, service): mean over the months of the
          share of eligible present persons within 20 minutes, 1;
        - ``cost_year`` (year): all costs in the year (``total_cost``), EUR.
    """
    out: dict[str, xr.DataArray] = {}
    if "population" in ds:
        long_name = "permanent residents on 1 January (persons)"
        out["residents_year"] = _attrs(_residents(ds).astype(float), ONE, long_name=long_name)
    for name, source in (("demand_year", "demand_zone"), ("unmet_year", "unmet_zone")):
        if source in ds:
            yearly = _yearly_sum(ds[source].sum("zone"), ds)
            what = source.split("_")[0]
            long_name = f"{what} in the year, all zones (visits or place-months)"
            out[name] = _attrs(yearly, {**yearly.attrs, **ONE}, long_name=long_name)
    if {"service_within_standard", "demand_zone"} <= set(ds.data_vars):
        monthly = ds["demand_zone"].sum("zone")
        share = _weighted_year(ds["service_within_standard"], monthly, ds, ())
        long_name = "share of demand within the service standard (months weighted by demand)"
        out["within_standard_year"] = _attrs(share, ONE, long_name=long_name)
    for name, stat in (("wait_mean_days_year", "mean"), ("wait_p90_days_year", "p90")):
        if {"arrivals", f"waiting_time_{stat}"} <= set(ds.data_vars):
            wait = ds[f"waiting_time_{stat}"]
            days = _weighted_year(wait, ds["arrivals"], ds, ("facility",))
            long_name = f"{stat} waiting time, facility-months weighted by arrivals (days)"
            out[name] = _attrs(days, {"units": "d"}, long_name=long_name)
    if "share_within_20min" in ds:
        share = ds["share_within_20min"].groupby(_years(ds)).mean("time")
        long_name = "share of eligible present persons within 20 min (mean of the months)"
        out["share_within_20min_year"] = _attrs(share, ONE, long_name=long_name)
    cost = "total_cost" if "total_cost" in ds else "cost"
    if cost in ds:
        yearly = _yearly_sum(ds[cost].sum([d for d in ds[cost].dims if d != "time"]), ds)
        long_name = "all costs in the year (EUR)"
        out["cost_year"] = _attrs(yearly, {**yearly.attrs, **EUR}, long_name=long_name)
    return out


def decision_calendar(ds: xr.Dataset) -> dict[str, xr.DataArray]:
    """Return the run's decision calendar on a ``decision`` dim (one entry per change).

    Returns
    -------
    dict of str to xarray.DataArray
        ``decision_<field>`` for each of :data:`DECISION_FIELDS` present in ``ds`` as
        ``change_<field>``: strings (months as ``YYYY-MM``), ``decision_lead_time_months``
        (month) and ``decision_one_off_cost_eur`` (EUR). Runs are padded to the
        longest calendar when combined (``decision`` = 0, 1, ...): missing strings
        are empty, numbers NaN.
    """
    out = {}
    for field in DECISION_FIELDS:
        name = f"change_{field}"
        if name not in ds:
            continue
        var = ds[name].rename(change="decision")
        if var.dtype.kind in "iuf":
            var = var.astype(float)
        else:
            var = var.astype(object)
        out[f"decision_{field}"] = _attrs(var, ds[name].attrs)
    return out


def reduce_periods(ds: xr.Dataset) -> dict[str, xr.DataArray]:
    """Reduce one run to what plan-period tables need: yearly series, decisions, standards.

    Returns
    -------
    dict of str to xarray.DataArray
        :func:`yearly_series`, :func:`decision_calendar`, and
        ``standard_months_met`` (service): share of assessed months meeting each
        service standard (1; NaN where not assessed); ``standard_holds`` (service): 1
        when it is met in the required share of months, 0 if not, NaN: not assessed.
    """
    out = {**yearly_series(ds), **decision_calendar(ds)}
    for name in ("standard_months_met", "standard_holds"):
        if name in ds:
            out[name] = _attrs(ds[name].astype(float), ds[name].attrs)
    return {name: _label_coords(var) for name, var in out.items()}


def _label_coords(var: xr.DataArray) -> xr.DataArray:
    """Give the ``year`` and ``decision`` coordinates their CF attributes."""
    for dim, long_name in (("year", "calendar year"), ("decision", "decision number")):
        if dim in var.coords:
            attrs = {"units": "1", "long_name": long_name}
            var = var.assign_coords({dim: (dim, var[dim].values, attrs)})
    return var


def seed_intervals(comparison: xr.Dataset) -> xr.Dataset:
    """Add 5/50/95 % quantiles over seeds of each standard's compliance.

    Parameters
    ----------
    comparison : xarray.Dataset
        Combined runs with ``standard_months_met`` (scenario, strategy, seed, service).

    Returns
    -------
    xarray.Dataset
        A new dataset with ``standard_months_met_q`` (scenario, strategy, service,
        quantile): the share of assessed months meeting the standard, quantiles
        0.05/0.5/0.95 over seeds (1); unchanged without ``standard_months_met``.
    """
    if "standard_months_met" not in comparison:
        return comparison
    met = comparison["standard_months_met"]
    with warnings.catch_warnings():  # a service without a standard is NaN in every seed
        warnings.simplefilter("ignore", RuntimeWarning)
        q = met.quantile(list(QUANTILES), dim="seed", skipna=True).transpose(..., "quantile")
    out = comparison.copy()
    out["standard_months_met_q"] = q.assign_attrs(
        ONE, long_name="share of assessed months meeting the standard, quantiles over seeds"
    )
    quantile = ("quantile", list(QUANTILES), {"units": "1", "long_name": "quantile over seeds"})
    return out.assign_coords(quantile=quantile)


def _common(configs: list, prefix: str = "") -> tuple[dict, list[str]]:
    """Return the keys all configs share with equal values, and the dotted keys that vary."""
    common, varies = {}, []
    keys = list(dict.fromkeys(k for c in configs for k in c))
    for key in keys:
        values = [c.get(key) for c in configs]
        if all(isinstance(v, dict) for v in values):
            inner, more = _common(values, f"{prefix}{key}.")
            common[key] = inner
            varies += more
        elif all(v == values[0] for v in values) and all(key in c for c in configs):
            common[key] = values[0]
        else:
            varies.append(f"{prefix}{key}")
    return common, varies


#: PyYAML's libyaml parser where it is built in (8x faster than the Python one on a
#: run's config, parsed for every run of a sweep), else the Python one: same results.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_config(text: str) -> Any:
    r"""Parse YAML as :func:`yaml.safe_load` does, with libyaml when available.

    Examples
    --------
    >>> parse_config("seed: 1\ncosts: {discount_rate: 0.03}")
    {'seed': 1, 'costs': {'discount_rate': 0.03}}
    """
    return yaml.load(text, Loader=_SAFE_LOADER)  # a safe loader (no Python objects)


def sweep_config(run_attrs: list[dict]) -> dict[str, str]:
    r"""Return the configuration every run of a sweep shares (the comparison's attributes).

    Parameters
    ----------
    run_attrs : list of dict
        Each run's attributes; ``config`` is its resolved configuration (YAML).

    Returns
    -------
    dict of str to str
        ``config``: YAML of the settings equal in every run (world, forecast, costs,
        simulation, horizon...); ``config_varies``: comma-separated dotted keys that
        differ between runs (e.g. ``scenario.name,strategy.name,seed``);
        ``scenario_labels`` and ``strategy_labels``: YAML of each name's ``title`` and
        ``description`` from the runs' configs (text, or ``{en: ..., fi: ..., sv: ...}``;
        see :func:`experiments.i18n.label`). Empty when no run carries a configuration.

    Examples
    --------
    >>> runs = [{"config": "seed: 1\ncosts: {discount_rate: 0.03}"},
    ...         {"config": "seed: 2\ncosts: {discount_rate: 0.03}"}]
    >>> out = sweep_config(runs)
    >>> out["config_varies"], yaml.safe_load(out["config"])
    ('seed', {'costs': {'discount_rate': 0.03}})
    """
    configs = [parse_config(a["config"]) or {} for a in run_attrs if a.get("config")]
    if not configs:
        return {}
    common, varies = _common(configs)
    return {
        "config": yaml.safe_dump(common, sort_keys=False, allow_unicode=True),
        "config_varies": ",".join(varies),
        **{f"{kind}_labels": _labels(configs, kind) for kind in ("scenario", "strategy")},
    }


def _labels(configs: list[dict], kind: str) -> str:
    """YAML of name -> {title, description} of each scenario or strategy the runs name."""
    labels: dict[str, dict] = {}
    for config in configs:
        node = config.get(kind) or {}
        if node.get("name") is not None:
            texts = {k: node[k] for k in ("title", "description") if node.get(k)}
            labels.setdefault(str(node["name"]), texts)
    return yaml.safe_dump(labels, sort_keys=True, allow_unicode=True)
