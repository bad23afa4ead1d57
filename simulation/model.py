"""The Mesa model: one step is one month of a municipality's service use."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import mesa
import numpy as np
import pandas as pd
import xarray as xr

from simulation import choice, demand, demography
from simulation.attributes import assign, zone_types
from simulation.demography import DemographicPath
from simulation.facilities import Facility
from simulation.metrics import Recorder, results_dataset
from simulation.params import SimulationParams
from simulation.protocols import NetworkChange, Strategy
from simulation.synthesis import largest_remainder, populate
from simulation.world import DigitalChannel, MobileRoute, World

#: Named random streams, each spawned from the run's seed. Append new names at the end,
#: so that adding a process never shifts the draws of the existing ones.
STREAMS: tuple[str, ...] = (
    "model",
    "synthesis",
    "presence",
    "demand",
    "choice",
    "deaths",
    "births",
    "moves",
    "migration",
    "attributes",
    "channels",
)


def spawn_streams(seed: int) -> dict[str, np.random.Generator]:
    """One independent generator per process, all derived from ``seed``.

    Examples
    --------
    >>> a, b = spawn_streams(1), spawn_streams(1)
    >>> a["demand"].random() == b["demand"].random()
    True
    """
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    return {name: np.random.default_rng(c) for name, c in zip(STREAMS, children, strict=True)}


class ServiceModel(mesa.Model):
    """Residents, seasonal residents and facilities of one world, stepped monthly.

    Parameters
    ----------
    world : World
        The municipality or region.
    path : DemographicPath
        Forecast sample path the permanent population is aligned to each year end.
    horizon_years : int
        Number of simulated years, starting in January of ``world.base_year + 1``.
    seed : int
        Root of every random stream of the run.
    changes : sequence of NetworkChange, optional
        Dated network changes of the scenario.
    strategy : Strategy, optional
        Planning policy consulted each January; ``None`` makes no changes.
    params : SimulationParams, optional
        Behavioural parameters from the configuration; defaults when ``None``.
    seasonal_path : dict of int to float, optional
        Seasonal residents in each simulated year relative to the base year (a forecast
        sample path, e.g. 1.02 = 2 % more); the world's seasonal residents are scaled
        by it for that year's months. ``None``: held at the base year.

    Attributes
    ----------
    mobile_routes : list of MobileRoute
        Mobile routes in the network now; network changes may add, remove or replace.
    digital_channels : dict of str to DigitalChannel
        Digital channels in the network now, by service id; changes may edit it.
    school_transport_km : float
        Distance (road km) above which a pupil is entitled to school transport.
    """

    def __init__(
        self,
        world: World,
        path: DemographicPath,
        horizon_years: int,
        seed: int,
        changes: Sequence[NetworkChange] = (),
        strategy: Strategy | None = None,
        params: SimulationParams | None = None,
        seasonal_path: dict[int, float] | None = None,
    ) -> None:
        if horizon_years < 1:
            raise ValueError(f"horizon_years must be >= 1, got {horizon_years}")
        self.streams = spawn_streams(seed)
        super().__init__(rng=self.streams["model"])
        self.world = world
        self.path = path
        self.seed = seed
        self.start_year = world.base_year + 1
        self.years = tuple(range(self.start_year, self.start_year + horizon_years))
        self.n_months = 12 * horizon_years
        self.month_index = 0
        self.params = params if params is not None else SimulationParams()
        self.population = populate(
            world,
            self.streams["synthesis"],
            params=self.params,
            attributes_rng=self.streams["attributes"],
        )
        self.facilities = [
            Facility(self, i, spec, world.service_ids) for i, spec in enumerate(world.facilities)
        ]
        self.pending: list[NetworkChange] = sorted(changes, key=lambda c: c.effective)
        self.strategy = strategy
        self.mobile_routes: list[MobileRoute] = list(world.mobile_routes)
        self.digital_channels: dict[str, DigitalChannel] = {
            d.service: d for d in world.digital_channels
        }
        self.school_transport_km: float = self.params.school_transport_km
        missing = [y for y in self.years if seasonal_path is not None and y not in seasonal_path]
        if missing:
            raise ValueError(f"seasonal_path lacks the simulated years {missing}")
        self.seasonal_path = seasonal_path
        self.recorder = Recorder(world, self.n_months, self.years)
        self._zone_area = world.zones.area_index
        self._facility_zone = np.array([f.zone for f in world.facilities], dtype=np.int64)
        self._cells = self._count_cells()

    @property
    def date(self) -> str:
        """Current month as ``YYYY-MM``."""
        year, month = self.year_month
        return f"{year}-{month:02d}"

    @property
    def year_month(self) -> tuple[int, int]:
        """Current calendar year and month (1-12)."""
        return self.start_year + self.month_index // 12, self.month_index % 12 + 1

    def step(self) -> None:
        """One month: network changes, presence, demand, choice, service, metrics, demography."""
        year, month = self.year_month
        if month == 1 and self.strategy is not None:
            self.pending = sorted(
                [*self.pending, *self.strategy.plan(self)], key=lambda c: c.effective
            )
        self._apply_due_changes()
        present = demand.present(self._cells, self.world.seasonal, month, self.streams["presence"])
        drawn = demand.draw_demand(present, self.world.services, month, self.streams["demand"])
        self.recorder.population(self.month_index, present)
        self._serve(drawn, month)
        if month == 12:
            self._year_end(year)
        self.month_index += 1
        if self.month_index >= self.n_months:
            self.running = False

    def run_for(self, n: int) -> None:
        """Step ``n`` months, or fewer if the horizon is reached (for notebooks)."""
        for _ in range(n):
            if not self.running:
                break
            self.step()

    def run(self, progress: Callable[[int], None] | None = None) -> xr.Dataset:
        """Step to the horizon and return the results (see :func:`results_dataset`)."""
        while self.running:
            self.step()
            if progress is not None:
                progress(1)
        return self.results()

    def results(self, attrs: dict | None = None) -> xr.Dataset:
        """Return the run's records as a ``Dataset`` (dims time, year, zone, facility, ...)."""
        base = {"seed": self.seed, "world": self.world.name, "start_year": self.start_year}
        start = pd.Timestamp(year=self.start_year, month=1, day=1)
        return results_dataset(self.recorder, self.world, start, self.years, base | (attrs or {}))

    def _count_cells(self) -> np.ndarray:
        n_profiles = max(
            1, len(self.world.seasonal.profiles), len(self.params.permanent_segments())
        )
        cells = demand.resident_cells(self.population, len(self.world.zones), n_profiles)
        if self.seasonal_path is not None:  # cells serve the months of the coming year
            year = self.start_year + (self.month_index + 1) // 12
            factor = self.seasonal_path[min(year, self.years[-1])]
            seasonal = cells[:, 1].astype(float) * factor
            cells[:, 1] = largest_remainder(seasonal.ravel(), round(seasonal.sum())).reshape(
                seasonal.shape
            )
        return cells

    def _apply_due_changes(self) -> None:
        due = [c for c in self.pending if c.effective <= self.date]
        self.pending = [c for c in self.pending if c.effective > self.date]
        for change in due:
            change.apply(self)

    def _serve(self, drawn: np.ndarray, month: int) -> None:
        """Allocate each service's demand and record the outcome."""
        t, rec = self.month_index, self.recorder.data
        minutes = self.world.travel.minutes_car[:, self._facility_zone]
        available = np.array([f.available(month) for f in self.facilities]).reshape(
            len(self.facilities), -1
        )
        offers = np.array([f.offers() for f in self.facilities]).reshape(len(self.facilities), -1)
        by_zone = drawn.sum(axis=1)
        rec["demand_kind"][t] = drawn.sum(axis=0)
        loads = np.zeros_like(available)
        for s in range(len(self.world.services)):
            order = choice.preference_order(minutes, offers[:, s])
            alloc = choice.allocate(
                by_zone[:, s], available[:, s], order, minutes, self.streams["choice"]
            )
            loads[:, s] = alloc.load
            self._record_service(t, s, by_zone[:, s], alloc)
        rec["load"][t] = loads
        rec["capacity"][t] = available
        is_open = np.array([f.in_network and f.open_months[month - 1] for f in self.facilities])
        rec["facility_open"][t] = is_open
        for f in self.facilities:
            f.record(loads[f.index])
            fixed = f.fixed_cost_eur_per_year / 12 if f.in_network else 0.0
            self.recorder.data["cost"][t, f.index] = (
                fixed + f.cost_per_visit_eur * loads[f.index].sum()
            )

    def _record_service(
        self, t: int, s: int, zone_demand: np.ndarray, alloc: choice.Allocation
    ) -> None:
        rec = self.recorder.data
        unmet = zone_demand - alloc.served_zone
        rec["demand_zone"][t, :, s] = zone_demand
        rec["served_zone"][t, :, s] = alloc.served_zone
        rec["unmet_zone"][t, :, s] = unmet
        rec["travel_minutes"][t, :, s] = alloc.travel_minutes
        has = alloc.first_choice >= 0
        n_fac = len(self.facilities)
        for name, values in (
            ("demand", zone_demand),
            ("served", alloc.served_zone),
            ("unmet", unmet),
        ):
            rec[name][t, :, s] = np.bincount(
                alloc.first_choice[has], weights=values[has], minlength=n_fac
            )

    def _newcomers(self, ids: np.ndarray) -> None:
        """Draw the attributes of in-migrants (the ``attributes`` stream)."""
        zone_type = zone_types(
            self.world.residents.sum(axis=(1, 2)), self.params.car_access.urban_min_residents
        )
        assign(
            self.population,
            ids,
            self.params,
            zone_type,
            self.world.seasonal.profiles,
            self.streams["attributes"],
        )

    def _year_end(self, year: int) -> None:
        comp = demography.year_end(
            self.population,
            self.path,
            year,
            self._zone_area,
            self.world.internal_move_rate,
            self.streams,
            newcomers=self._newcomers,
        )
        y, rec = self.years.index(year), self.recorder.data
        for name in ("births", "deaths", "in_migration", "out_migration"):
            rec[name][y] = getattr(comp, name)
        rec["residents_start"][y] = comp.start
        rec["residents_end"][y] = comp.end
        self.population.compact()
        self._cells = self._count_cells()
