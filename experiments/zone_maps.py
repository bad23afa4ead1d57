"""End-year zone figures of a run for the comparison's maps, and reading them back.

:func:`reduce_zone_maps` is called once per run by
:func:`experiments.aggregate.reduce_run`; its variables go into ``comparison.nc`` on
the ``scenario``, ``strategy`` and ``seed`` dimensions. :func:`plan_values` and
:func:`plan_markers` read them back for one plan (mean over seeds) for
:func:`experiments.maps.plan_maps`.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from experiments.map_marks import FacilityMarker

__all__ = [
    "MEASURES",
    "pick",
    "plan_markers",
    "plan_order",
    "plan_values",
    "recommended_plan",
    "reduce_zone_maps",
]


def N_(text: str) -> str:  # noqa: N802 - the gettext marker name the extractor knows
    """Mark ``text`` for the ``maps`` catalogue; it is translated where it is drawn."""
    return text


#: The mapped measures: name -> (colour map, English label, scale minimum, maximum or
#: None for the largest value shown).
MEASURES: dict[str, tuple[str, str, float, float | None]] = {
    "access": ("YlGn", N_("share of eligible persons within 20 min (%)"), 0.0, 100.0),
    "waiting": ("OrRd", N_("mean waiting time (days)"), 0.0, None),
    "unmet": ("Reds", N_("unmet demand (% of the zone's demand)"), 0.0, None),
    "compliance": ("RdYlGn", N_("demand served within the standard (%)"), 0.0, 100.0),
}


def _weighted_end(ds: xr.Dataset, value: str, weight: str, end: xr.DataArray) -> xr.DataArray:
    """Weighted mean of ``value`` over the end year's months, by (zone, service)."""
    v, w = ds[value].sel(time=end), ds[weight].sel(time=end)
    w = w.where(v.notnull(), 0.0)
    total = w.sum("time")
    return ((v.fillna(0.0) * w).sum("time") / total).where(total > 0)


def reduce_zone_maps(ds: xr.Dataset) -> dict[str, xr.DataArray]:
    """End-year figures by zone and service, and what each facility offers.

    Parameters
    ----------
    ds : xarray.Dataset
        One run's results (variables missing from older files are skipped).

    Returns
    -------
    dict of str to DataArray
        ``access_20min_zone_end`` (zone, service): share of eligible persons present
        within 20 minutes, mean over the end year's months weighted by
        ``eligible_present_zone``; ``waiting_days_zone_end`` (zone, service, days):
        weighted by ``queue_arrivals_zone``; ``within_standard_zone_end`` (zone,
        service): weighted by ``within_standard_weight_zone``;
        ``demand_zone_service_end`` and ``unmet_zone_service_end`` (zone, service):
        end-year totals (visits or places); ``facility_offers`` (facility, service): 1
        where the facility had capacity for the service in any month of the run (its
        map markers); ``facility_months_open_end`` (facility): months it was open in
        the end year (a summer unit counts as part of the plan, though closed in
        December, when ``facility_open_end`` is taken).
    """
    end = ds["time"].dt.year == int(ds["time"].dt.year.max())
    out: dict[str, xr.DataArray] = {}
    pairs = {
        "access_20min_zone_end": ("share_within_20min_zone", "eligible_present_zone", "1"),
        "waiting_days_zone_end": ("waiting_days_zone", "queue_arrivals_zone", "d"),
        "within_standard_zone_end": ("within_standard_zone", "within_standard_weight_zone", "1"),
    }
    for name, (value, weight, units) in pairs.items():
        if value in ds and weight in ds:
            long_name = f"{ds[value].attrs.get('long_name', value)}; end-year mean"
            out[name] = _weighted_end(ds, value, weight, end).assign_attrs(
                units=units, long_name=long_name
            )
    for name, source in (
        ("demand_zone_service_end", "demand_zone"),
        ("unmet_zone_service_end", "unmet_zone"),
    ):
        if source in ds:
            out[name] = ds[source].sel(time=end).sum("time").astype(float)
            out[name].attrs = {"units": "1", "long_name": f"{source} in the end year"}
    if "facility_open" in ds:
        out["facility_months_open_end"] = ds["facility_open"].sel(time=end).sum("time")
        out["facility_months_open_end"].attrs = {
            "units": "1",
            "long_name": "months the facility was open in the end year",
        }
    if "capacity" in ds:
        out["facility_offers"] = (ds["capacity"] > 0).any("time").astype(float)
        out["facility_offers"].attrs = {
            "units": "1",
            "long_name": "1 where the facility had capacity for the service in some month",
        }
    return out


def _one_plan(comparison: xr.Dataset, name: str, scenario: str, strategy: str) -> xr.DataArray:
    da = comparison[name].sel(scenario=scenario, strategy=strategy)
    return da.mean("seed", skipna=True) if "seed" in da.dims else da


def plan_values(
    comparison: xr.Dataset, scenario: str, strategy: str, measure: str, service: str | None
) -> dict[str, float]:
    """Zone id -> value of one measure for one plan, over seeds (NaN zones left out).

    Parameters
    ----------
    comparison : xarray.Dataset
        A ``comparison.nc`` with the variables of :func:`reduce_zone_maps`.
    scenario, strategy : str
        The plan.
    measure : {'access', 'waiting', 'unmet', 'compliance'}
        Access and compliance in %, waiting in days, unmet in % of the zone's demand.
    service : str or None
        The service; None sums unmet demand over services (other measures need one).

    Returns
    -------
    dict of str to float
    """
    if measure == "unmet":
        unmet = _one_plan(comparison, "unmet_zone_service_end", scenario, strategy)
        demand = _one_plan(comparison, "demand_zone_service_end", scenario, strategy)
        if service is None:
            unmet, demand = unmet.sum("service"), demand.sum("service")
        else:
            unmet, demand = unmet.sel(service=service), demand.sel(service=service)
        values = 100 * unmet / demand.where(demand > 0)
    else:
        name = {
            "access": "access_20min_zone_end",
            "waiting": "waiting_days_zone_end",
            "compliance": "within_standard_zone_end",
        }[measure]
        values = _one_plan(comparison, name, scenario, strategy).sel(service=service)
        values = values if measure == "waiting" else 100 * values
    return {
        str(z): float(v)
        for z, v in zip(values["zone"].values, values.values, strict=True)
        if np.isfinite(v)
    }


def plan_markers(comparison: xr.Dataset, scenario: str, strategy: str) -> list[FacilityMarker]:
    """Facilities of one plan at their zone's point, open or closed in the end year.

    A facility counts as open when it was open in some month of the end year, in at
    least half of the seeds (``facility_months_open_end``; files without it use
    ``facility_open_end``, the last month). Facilities that never offered a service in
    the plan (declared by another plan) are left out.
    """
    offers = _one_plan(comparison, "facility_offers", scenario, strategy) > 0
    if "facility_months_open_end" in comparison:
        months = comparison["facility_months_open_end"].sel(scenario=scenario, strategy=strategy)
        is_open = (months > 0).where(months.notnull()).mean("seed", skipna=True) >= 0.5
    else:
        is_open = _one_plan(comparison, "facility_open_end", scenario, strategy) > 0.5
    zone_ix = {str(z): i for i, z in enumerate(comparison["zone"].values)}
    x, y = comparison["zone_x"].values, comparison["zone_y"].values
    names = comparison["facility_name"].values if "facility_name" in comparison else None
    markers = []
    for f, facility in enumerate(comparison["facility"].values):
        z = zone_ix[str(comparison["facility_zone"].values[f])]
        for service in offers["service"].values[offers.sel(facility=facility).values]:
            markers.append(
                FacilityMarker(
                    float(x[z]),
                    float(y[z]),
                    str(service),
                    bool(is_open.sel(facility=facility)),
                    str(names[f]) if names is not None else str(facility),
                )
            )
    return markers


def recommended_plan(comparison: xr.Dataset, scenario: str) -> str | None:
    """Return the scenario's cheapest feasible strategy, or None (none feasible or unknown)."""
    if "cheapest_feasible" not in comparison:
        return None
    best = str(comparison["cheapest_feasible"].sel(scenario=scenario).item())
    return None if best == "none" else best


def plan_order(comparison: xr.Dataset, scenario: str) -> list[str]:
    """Strategies run on ``scenario``: status quo first, then the recommended, then the rest."""
    offers = comparison["facility_offers"].sel(scenario=scenario)
    ran = offers.notnull().any([d for d in offers.dims if d != "strategy"])
    names = [str(s) for s in offers["strategy"].values[ran.values]]
    first = [n for n in ("status_quo", recommended_plan(comparison, scenario)) if n in names]
    return list(dict.fromkeys(first + sorted(names)))


def pick(comparison: xr.Dataset, dim: str, name: str | None, default: str) -> str:
    """Return ``name`` checked against ``comparison[dim]``; None: ``default`` or the first.

    Raises
    ------
    ValueError
        If ``name`` is not a label of ``dim``; the message lists the allowed names.
    """
    allowed = [str(v) for v in comparison[dim].values]
    if name is None:
        return default if default in allowed else allowed[0]
    if name not in allowed:
        raise ValueError(f"unknown {dim} {name!r}; allowed: {allowed}")
    return name
