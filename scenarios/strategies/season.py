"""The ``season_aware`` strategy: year-round capacity plus capacity for the season.

The season is the calendar months in which the world's seasonal residents are
present at least ``presence_threshold`` (profile-weighted presence share; Sysmä:
June-August at 0.3). Each planning period, for every facility and service in the
network, the strategy takes the forecast ``quantile`` of expected demand in each
month of the next ``lookahead_years`` (seasonal residents at the ``quantile`` of the
seasonal-stock forecast of each year, or at their current stock without one):

- standards first (``sizing="standard"``, the default): for a service with a
  waiting-time standard, the year-round capacity is the one at which the months
  outside the season meet it, and the season gets the smallest extra capacity at which
  every month meets it (:func:`scenarios.strategies.standards_plan.required_capacity`):
  the summer is met with seasonal capacity before any year-round capacity is added;
- otherwise (other services, or ``sizing="utilisation"``) the facility's own capacity
  is planned on the peak *off-season* month with the band rule of
  :class:`~scenarios.strategies.planner.CapacityPlanner`, and the season's excess,
  ceil(season peak / ``target``) minus that capacity, is the season's extra;
- the season's extra capacity (temporary summer staff and opening hours) goes to a
  summer annex (``mode="annex"``: a facility ``seasonal_<facility>`` in the same zone,
  declared up front, opened for the season months only, fixed cost for those months)
  or to a summer mobile route (``mode="mobile"``: a van serving the zones that choose
  the facility and have free-time residences, in the season months, costing the
  capacity unit cost for those months). Digital capacity is the ``channel_shift``
  strategy's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xarray as xr

from scenarios.changes.operations import AddMobileRoute, NetworkChange, Open, Resize
from scenarios.errors import ScenarioError
from scenarios.strategies.outlook import (
    facility_monthly,
    first_choice,
    forecast_permanent,
)
from scenarios.strategies.planner import CapacityPlanner, busy_targets, forecast_window
from scenarios.strategies.standards_plan import required_capacity
from simulation.expected import expected_demand
from simulation.facilities import Facility
from simulation.protocols import PlanningView
from simulation.types import FloatArray
from simulation.world import World

MODES = ("annex", "mobile")


def annex_id(facility_id: str) -> str:
    """Id of a facility's summer annex."""
    return f"seasonal_{facility_id}"


def van_id(facility_id: str, service: str) -> str:
    """Id of a facility's summer van for a service."""
    return f"seasonal_van_{facility_id}_{service}"


def season_months(world: World, threshold: float) -> tuple[int, ...]:
    """Calendar months (1-12) whose profile-weighted seasonal presence is >= ``threshold``."""
    seasonal = world.seasonal
    if not len(seasonal.profiles):
        return ()
    presence = seasonal.profile_shares @ seasonal.presence
    return tuple(int(m) + 1 for m in np.flatnonzero(presence >= threshold))


@dataclass(frozen=True, kw_only=True)
class SeasonAware(CapacityPlanner):
    """Year-round capacity for the off-season, a summer annex or van for the season.

    Parameters
    ----------
    quantile : float
        Quantile over forecast sample paths, e.g. 0.8.
    lookahead_years : int
        Years ahead (x 12 >= ``lead_time_months``).
    presence_threshold : float
        Seasonal presence share from which a month belongs to the season.
    mode : {'annex', 'mobile'}
        Where the season's extra capacity goes.
    route_days_per_month : int
        Service days per season month of a summer van.
    forecast : xarray.Dataset
        The sample-path population forecast (passed by the experiments layer).
    seasonal_forecast : xarray.DataArray
        Seasonal-resident (free-time residence) stock, dims (sample, year), years from
        the world's base year, passed by the experiments layer; each path is taken
        relative to its base-year value, and the season's demand is sized for the
        ``quantile`` over the paths in each year of the horizon. ``None``: seasonal
        residents held at their current stock.
    """

    sizes_for_standards = True
    name: str = "season_aware"
    sizing: str = "standard"
    quantile: float = 0.8
    lookahead_years: int = 2
    presence_threshold: float = 0.3
    mode: str = "annex"
    route_days_per_month: int = 8
    forecast: xr.Dataset | None = field(default=None, repr=False, compare=False)
    seasonal_forecast: xr.DataArray | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.mode not in MODES or self.lookahead_years * 12 < self.lead_time_months:
            raise ScenarioError(
                f"strategy {self.name!r}: mode must be one of {MODES} and lookahead_years x 12 "
                f">= lead_time_months, got {self.mode!r}, {self.lookahead_years}, "
                f"{self.lead_time_months}"
            )

    def new_facilities(self, world: World) -> tuple[dict[str, Any], ...]:
        """Declare a summer annex beside each facility (annex mode)."""
        if self.mode != "annex":
            return ()
        return tuple(
            {
                "id": annex_id(f.id),
                "name": f"{f.name} (summer annex)",
                "zone": world.zones.ids[f.zone],
                "capacity": {s: 0.0 for s in f.capacity},
                "cost_per_visit_eur": f.cost_per_visit_eur,
            }
            for f in world.facilities
        )

    def plan(self, model: PlanningView) -> list[NetworkChange]:
        """Plan year-round capacity and the season's extra capacity."""
        if not self.due(model):
            return []
        if self.forecast is None:
            raise ScenarioError(f"strategy {self.name!r} needs the population forecast")
        season = season_months(model.world, self.presence_threshold)
        window = forecast_window(model, self.lookahead_years)
        permanent = forecast_permanent(model, self.forecast, window)
        seasonal = self.seasonal_factor(model, [y + 1 for y in window])
        monthly = facility_monthly(
            model, expected_demand(model, permanent, seasonal_factor=seasonal)
        )  # (sample, year, facility, service, month)
        demand = np.quantile(monthly.max(axis=1), self.quantile, axis=0)  # (fac, service, 12)
        in_season = np.isin(np.arange(1, 13), season)
        off = demand[..., ~in_season].max(axis=-1) if (~in_season).any() else demand.max(-1)
        peak = demand[..., in_season].max(axis=-1) if in_season.any() else off
        allowed = np.ones(off.shape, dtype=bool)
        for fac in model.facilities:  # annexes are planned for the season only
            allowed[fac.index] = not fac.facility_id.startswith("seasonal_")
        have = self._season_capacities(model)
        wanted = self._band_extras(model, off, peak, have)
        if self.sizing == "utilisation":
            out: list[NetworkChange] = list(self.orders(model, off, allowed))
        else:
            required, extra = required_capacity(
                model,
                monthly,
                self.lead_time_months,
                self.quantile,
                season=in_season if in_season.any() else None,
                noise_z=self.noise_z,
                season_capacity=have,
            )
            band = allowed & np.isnan(required)
            out = [
                *self.standard_orders(model, required, allowed),
                *self.orders(model, off, band),
            ]
            sized = np.isfinite(required)
            keep = (have >= extra) & (have <= np.ceil(extra * (1 + self.slack)))
            wanted = np.where(sized, np.where(keep, np.nan, extra), wanted)
        if in_season.any():
            out += self._season_orders(model, wanted, season)
        return out

    def _band_extras(
        self, model: PlanningView, off: FloatArray, peak: FloatArray, have: FloatArray
    ) -> FloatArray:
        """Season's extra capacity by the band rule, (facility, service); NaN: leave as is.

        Year-round capacity covers the off-season peak (never less than now); the extra
        is ceil(season peak / ``target``) minus it, changed only when the season's
        utilisation is outside the band.
        """
        wanted = np.full(off.shape, np.nan)
        for fac in model.facilities:
            for s in np.flatnonzero(fac.offered):
                year_round = max(fac.capacity[s], math.ceil(off[fac.index, s] / self.target))
                extra = float(max(0, math.ceil(peak[fac.index, s] / self.target) - year_round))
                util = peak[fac.index, s] / max(year_round + have[fac.index, s], 1e-9)
                if extra != have[fac.index, s] and not self.lower <= util <= self.upper:
                    wanted[fac.index, s] = extra
        return wanted

    def _season_capacities(self, model: PlanningView) -> FloatArray:
        """Season capacity now in place beside each facility (annex or van), (facility, service)."""
        have = np.zeros((len(model.facilities), len(model.world.services)))
        for fac in model.facilities:
            for s in np.flatnonzero(fac.offered):
                have[fac.index, s] = self._season_capacity(model, fac, s)
        return have

    def seasonal_factor(self, model: PlanningView, years: list[int]) -> FloatArray | float:
        """Seasonal residents in each of ``years`` relative to the current stock.

        The ``quantile`` over the seasonal forecast's sample paths of each year's stock
        relative to the base year (years clipped to its last), divided by this year's
        stock relative to the base year (the model's ``seasonal_path``, 1 when it has
        none); 1.0 without a seasonal forecast.

        Returns
        -------
        ndarray of float, shape (len(years),), or float
        """
        if self.seasonal_forecast is None:
            return 1.0
        stock = self.seasonal_forecast
        last = int(stock["year"].max())
        ratio = stock.sel(year=[min(y, last) for y in years]) / stock.isel(year=0)
        now = (model.seasonal_path or {}).get(model.year_month[0], 1.0)
        return ratio.quantile(self.quantile, dim="sample").values / now

    def _season_orders(
        self, model: PlanningView, wanted: FloatArray, season: tuple[int, ...]
    ) -> list[NetworkChange]:
        """Annex or van orders for the season's extra capacity ``wanted`` (NaN: no change)."""
        busy = busy_targets(model)
        sids = model.world.service_ids
        common = self.order_fields(model)
        costs = model.capacity_unit_cost_eur_per_year
        share = len(season) / 12
        choice = first_choice(model)
        seasonal_zones = np.flatnonzero(model.world.seasonal.residences > 0)
        out: list[NetworkChange] = []
        for fac in model.facilities:
            if not fac.in_network or fac.facility_id.startswith("seasonal_"):
                continue
            extras = {
                int(s): float(wanted[fac.index, s])
                for s in np.flatnonzero(fac.offered & ~np.isnan(wanted[fac.index]))
                if not self.services or sids[s] in self.services
            }
            if self.mode == "annex":
                out += self._annex(model, fac, extras, season, busy, common)
                continue
            for s, extra in extras.items():
                rid = van_id(fac.facility_id, sids[s])
                zones = [z for z in seasonal_zones if choice[z, s] == fac.index]
                if rid in busy or not zones:
                    continue
                out.append(
                    AddMobileRoute(
                        id=rid,
                        services=(sids[s],),
                        zones=tuple(model.world.zones.ids[z] for z in zones),
                        months=season,
                        days_per_month=self.route_days_per_month if extra > 0 else 0,
                        capacity_per_month=extra,
                        cost_eur_per_year=extra * costs.get(sids[s], 0.0) * share,
                        **common,
                    )
                )
        return out

    def _season_capacity(self, model: PlanningView, fac: Facility, s: int) -> float:
        """Capacity for the season now in place beside ``fac`` (annex or van), units/month."""
        if self.mode == "annex":
            aid = annex_id(fac.facility_id)
            annex = next((f for f in model.facilities if f.facility_id == aid), None)
            return float(annex.capacity[s]) if annex is not None and annex.in_network else 0.0
        rid = van_id(fac.facility_id, model.world.service_ids[s])
        route = next((r for r in model.mobile_routes if r.id == rid), None)
        return float(route.capacity_per_month) if route is not None else 0.0

    def _annex(
        self,
        model: PlanningView,
        fac: Facility,
        extras: dict[int, float],
        season: tuple[int, ...],
        busy: set,
        common: dict[str, Any],
    ) -> list[NetworkChange]:
        """Open the facility's summer annex, or resize it, for the season's extra capacity."""
        sids = model.world.service_ids
        aid = annex_id(fac.facility_id)
        annex = next((f for f in model.facilities if f.facility_id == aid), None)
        if annex is None or aid in busy:
            return []
        if annex.in_network:
            return [
                Resize(facility=aid, service=sids[s], capacity=extra, **common)
                for s, extra in extras.items()
            ]
        capacity = {sids[s]: extra for s, extra in extras.items() if extra > 0}
        if not capacity:
            return []
        costs = model.capacity_unit_cost_eur_per_year
        fixed = sum(c * costs.get(sid, 0.0) for sid, c in capacity.items()) * len(season) / 12
        zone = model.world.zones.ids[fac.zone]
        return [
            Open(
                id=aid,
                zone=zone,
                capacity=capacity,
                open_months=season,
                fixed_cost_eur_per_year=fixed,
                **common,
            )
        ]
