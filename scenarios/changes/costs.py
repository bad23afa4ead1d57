"""Costs of a run: running costs, one-off change costs, school transport, mobile vans, NPV.

The model records each facility's running cost (fixed cost per facility-year plus
cost per unit served; the fixed cost follows capacity at the cost per capacity unit,
see :mod:`scenarios.changes.operations`). This module adds the costs of the network
changes and of school transport and mobile routes, the total, its net present value
and the planner's objective from which regret against the oracle is measured:
standards first by default (the NPV plus a large penalty per unit of standards
shortfall, so feasible plans rank by cost and infeasible ones by shortfall), or the
NPV plus a penalty per unit of unmet demand (``objective=penalty``).

The cost variables are a part of the run's results (:func:`cost_part`), assembled
with everything else by :func:`simulation.results.run_dataset`; :func:`run_results`
is that call for a composed run. Money is in EUR: units ``1`` and ``currency="EUR"``
(CF has no currency unit).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xarray as xr

from simulation.metrics import EUR, MONTHLY_SUM
from simulation.model import ServiceModel
from simulation.results import Part, run_dataset
from simulation.world import MobileRoute


@dataclass(frozen=True)
class CostSettings:
    """Cost assumptions of a run (defaults are documented estimates, see docs/scenarios.md).

    Parameters
    ----------
    discount_rate : float
        Yearly discount rate of the net present value, e.g. 0.03.
    capacity_unit_cost_eur_per_year : dict of str to float
        Yearly fixed cost of one unit of monthly capacity, by service (EUR).
    transport_eur_per_pupil_year : float
        Cost of free school transport per transported pupil and school year (EUR).
    unmet_penalty_eur : dict of str to float
        Planner's penalty per unit of unmet demand by service (EUR), for the objective.
    objective : {'standards', 'penalty'}
        ``standards`` (default): standards first; a plan is feasible when every service
        meets its standard in the required share of months; ``objective`` is the NPV of
        cost plus ``shortfall_penalty_eur`` x the standards shortfall (0 when feasible).
        ``penalty``: NPV of cost plus the discounted unmet-demand penalty.
    shortfall_penalty_eur : float
        EUR per unit of standards shortfall (the sum over services of the required
        share of months minus the share met, when below). Large, so that infeasible
        plans rank by shortfall after the feasible ones.
    """

    discount_rate: float = 0.03
    capacity_unit_cost_eur_per_year: dict[str, float] = field(default_factory=dict)
    transport_eur_per_pupil_year: float = 1600.0
    unmet_penalty_eur: dict[str, float] = field(default_factory=dict)
    objective: str = "standards"
    shortfall_penalty_eur: float = 1e9

    def __post_init__(self) -> None:
        if self.objective not in OBJECTIVES:
            raise ValueError(
                f"costs.objective={self.objective!r}: allowed values are {list(OBJECTIVES)}"
            )


#: Planner objectives (see :class:`CostSettings`).
OBJECTIVES = ("standards", "penalty")


#: Monthly cost variables: name -> long_name (all EUR in the month).
VARIABLES: dict[str, str] = {
    "change_cost": "one-off costs of network changes taking effect (EUR in the month)",
    "transport_cost": "cost of free school transport over the distance rule (EUR in the month)",
    "mobile_cost": "cost of mobile service routes in the months they run (EUR in the month)",
    "total_cost": "all costs: facilities, changes, school transport, mobile (EUR in the month)",
}


def discount_factors(n_months: int, rate: float) -> np.ndarray:
    """Discount factor of each month, month 0 undiscounted.

    Examples
    --------
    >>> discount_factors(13, 0.05)[[0, 12]].round(4).tolist()
    [1.0, 0.9524]
    """
    return (1.0 + rate) ** (-np.arange(n_months) / 12.0)


def change_costs(model: ServiceModel) -> np.ndarray:
    """One-off costs of applied changes by month, EUR."""
    out = np.zeros(model.n_months)
    for t, change in model.applied_changes:
        out[t] += float(getattr(change, "one_off_cost_eur", 0.0))
    return out


def transport_km_by_month(model: ServiceModel, initial_km: float) -> np.ndarray:
    """School-transport distance rule in force in each month, km."""
    km = np.full(model.n_months, float(initial_km))
    for t, change in model.applied_changes:
        if hasattr(change, "km"):
            km[t:] = float(change.km)
    return km


def pupils_over_rule(ds: xr.Dataset, model: ServiceModel, km_rule: np.ndarray, school: str):
    """Pupils living farther than the rule from the nearest school with capacity, by month.

    Uses ``pupils_over_transport_km`` when the simulation records it; otherwise
    counts served pupils of each zone whose nearest school with capacity that month
    is farther (road km) than the rule.
    """
    if "pupils_over_transport_km" in ds:
        return ds["pupils_over_transport_km"].values.astype(float)
    if school not in model.world.service_ids:
        return np.zeros(model.n_months)
    cap = ds["capacity"].sel(service=school).values > 0  # (time, facility)
    pupils = ds["served_zone"].sel(service=school).values  # (time, zone)
    fac_zone = np.array([f.zone for f in model.world.facilities])
    km = model.world.travel.km[:, fac_zone]  # (zone, facility)
    nearest = np.where(cap[:, None, :], km[None, :, :], np.inf).min(axis=2)  # (time, zone)
    far = np.isfinite(nearest) & (nearest > km_rule[:, None])
    return (pupils * far).sum(axis=1).astype(float)


def mobile_costs(model: ServiceModel) -> np.ndarray:
    """Cost of the mobile routes in service by month, EUR, booked in running months only.

    A route's yearly cost is spread over the calendar months in which it runs (its
    ``months`` with service days): a summer van running June-August costs a third of
    its yearly cost in each of those months and nothing in the others; a route that
    never runs costs nothing. The run starts in January.
    """
    out = np.zeros(model.n_months)
    routes: dict[str, tuple[int, MobileRoute | None]] = {
        r.id: (0, r) for r in model.world.mobile_routes
    }
    segments: list[tuple[int, int, MobileRoute | None]] = []
    for t, change in model.applied_changes:
        route = getattr(change, "route", None)
        if route is None:
            continue
        if route.id in routes:
            segments.append((routes[route.id][0], t, routes[route.id][1]))
        routes[route.id] = (t, None if getattr(change, "removes", False) else route)
    segments += [(t0, model.n_months, route) for t0, route in routes.values()]
    calendar = np.arange(model.n_months) % 12 + 1
    for t0, t1, route in segments:
        if route is None:
            continue
        runs = np.array([route.runs_in(m) for m in calendar[t0:t1]], dtype=bool)
        n_running = sum(route.runs_in(m) for m in range(1, 13))
        if n_running:
            out[t0:t1] += runs * route.cost_eur_per_year / n_running
    return out


def run_results(
    model: ServiceModel,
    costs: CostSettings,
    oracle_objective: float | None = None,
    attrs: Mapping[str, Any] | None = None,
) -> xr.Dataset:
    """Return the complete results of a composed run: records, changes, costs, regret.

    Parameters
    ----------
    model : ServiceModel
        A model stepped to its horizon.
    costs : CostSettings
        Cost assumptions.
    oracle_objective : float, optional
        Objective (EUR) of the oracle for the same run; adds ``oracle_objective`` and
        ``regret_eur``.
    attrs : mapping, optional
        Run attributes (world, scenario, strategy, spec, ...).

    Returns
    -------
    xarray.Dataset
        As :func:`simulation.results.run_dataset` with :func:`cost_part` (and
        :func:`regret_part`).
    """
    parts = [cost_part(model, costs)]
    if oracle_objective is not None:
        parts.append(regret_part(oracle_objective))
    return run_dataset(model, parts, attrs)


def cost_part(model: ServiceModel, costs: CostSettings) -> Part:
    """Return the cost variables of ``model``'s run as a part of its results.

    The part needs ``cost``, ``capacity``, ``served_zone`` and ``unmet_zone`` in the
    dataset and returns ``change_cost``, ``transport_cost``, ``mobile_cost``,
    ``total_cost`` and ``school_transport_km`` (time; EUR in the month, km),
    ``npv_cost`` and ``objective`` (EUR), ``n_changes``, and ``standards_shortfall``
    and ``feasible`` (from the standards' ``standard_months_met``, when present).
    """

    def part(ds: xr.Dataset) -> dict[str, Any]:
        return cost_variables(ds, model, costs)

    return part


def cost_variables(ds: xr.Dataset, model: ServiceModel, costs: CostSettings) -> dict[str, Any]:
    """Cost variables of a run from its records (see :func:`cost_part`)."""
    km_rule = transport_km_by_month(model, model.network_start.school_transport_km)
    pupils = pupils_over_rule(ds, model, km_rule, model.params.school_service)
    values = {
        "change_cost": change_costs(model),
        "transport_cost": pupils * costs.transport_eur_per_pupil_year / 12.0,
        "mobile_cost": mobile_costs(model),
    }
    values["total_cost"] = ds["cost"].sum("facility").values + sum(values.values())
    out: dict[str, Any] = {
        name: ("time", values[name], {"long_name": long_name, **EUR, **MONTHLY_SUM})
        for name, long_name in VARIABLES.items()
    }
    factors = discount_factors(model.n_months, costs.discount_rate)
    npv = float((values["total_cost"] * factors).sum())
    out["npv_cost"] = ((), npv, _npv_attrs(costs.discount_rate))
    out["n_changes"] = (
        (),
        len(model.applied_changes),
        {"units": "1", "long_name": "network changes applied"},
    )
    shortfall = standards_shortfall(ds)
    out["standards_shortfall"] = ((), shortfall, {"units": "1", "long_name": SHORTFALL})
    out["feasible"] = ((), int(shortfall == 0), {"units": "1", "long_name": FEASIBLE})
    if costs.objective == "standards":
        value, name = npv + costs.shortfall_penalty_eur * shortfall, OBJECTIVE_STANDARDS
    else:
        value = npv + unmet_penalty(ds, costs.unmet_penalty_eur, factors)
        name = OBJECTIVE_PENALTY
    out["objective"] = ((), value, {**EUR, "long_name": name, "kind": costs.objective})
    out["school_transport_km"] = (
        "time",
        km_rule,
        {"units": "km", "long_name": "school transport distance rule"},
    )
    return out


def regret_part(oracle_objective: float) -> Part:
    """``oracle_objective`` and ``regret_eur`` (EUR), given the oracle's objective.

    The part needs ``objective`` (from :func:`cost_part`) in the dataset.
    """

    def part(ds: xr.Dataset) -> dict[str, Any]:
        return {
            "oracle_objective": (
                (),
                oracle_objective,
                {**EUR, "long_name": "oracle's objective: the best plan found for the run (EUR)"},
            ),
            "regret_eur": (
                (),
                float(ds["objective"]) - oracle_objective,
                {**EUR, "long_name": "objective minus the oracle's (EUR)"},
            ),
        }

    return part


SHORTFALL = (
    "sum over services of the required share of months minus the share in which the "
    "standard was met, where below (0: every standard holds)"
)
FEASIBLE = "1 when every assessed service standard holds in the required share of months"
OBJECTIVE_STANDARDS = (
    "planner objective: npv_cost plus shortfall_penalty_eur x standards_shortfall (EUR)"
)
OBJECTIVE_PENALTY = "planner objective: npv_cost plus discounted penalty per unmet unit (EUR)"


def standards_shortfall(ds: xr.Dataset) -> float:
    """Sum over services of (required share - share of months met), where positive.

    0 when ``ds`` has no standards (older results) or every standard holds.

    Examples
    --------
    >>> ds = xr.Dataset({"standard_months_met": ("service", [1.0, 0.8, np.nan])})
    >>> ds["standard_holds"] = ("service", [1.0, 0.0, np.nan], {"required_share": 0.95})
    >>> round(standards_shortfall(ds), 2)
    0.15
    """
    if "standard_months_met" not in ds:
        return 0.0
    required = float(ds["standard_holds"].attrs.get("required_share", 1.0))
    met = ds["standard_months_met"].values.astype(float)
    gap = np.where(np.isnan(met), 0.0, np.maximum(required - met, 0.0))
    return float(gap.sum())


def _npv_attrs(rate: float) -> dict[str, str | float]:
    return {
        **EUR,
        "long_name": "net present value of total_cost at the start of the run (EUR)",
        "discount_rate": rate,
    }


def unmet_penalty(ds: xr.Dataset, penalty: Mapping[str, float], factors: np.ndarray) -> float:
    """Discounted penalty of unmet demand, EUR: sum of unmet units x penalty per unit."""
    unmet = ds["unmet_zone"].sum("zone")  # (time, service)
    weights = np.array([float(penalty.get(str(s), 0.0)) for s in ds["service"].values])
    return float((unmet.values * weights[None, :] * factors[:, None]).sum())


def regret(ds: xr.Dataset, oracle: xr.Dataset) -> float:
    """Regret of a run, EUR: its objective minus the perfect-foresight oracle's."""
    return float(ds["objective"]) - float(oracle["objective"])
