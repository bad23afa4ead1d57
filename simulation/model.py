"""The Mesa model: one step is one month of a municipality's service use."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import mesa
import numpy as np

from simulation import demography, serve
from simulation.attributes import assign, segment_arrays, zone_types
from simulation.cells import CellTable, build_cells
from simulation.demographic_path import DemographicPath
from simulation.facilities import Facility
from simulation.metrics import Recorder
from simulation.params import SimulationParams
from simulation.protocols import NetworkChange, Strategy
from simulation.queue_records import QueueRecords
from simulation.queues import QueueState
from simulation.seasonal_stock import follow_stock
from simulation.standards import StandardsTable
from simulation.synthesis import populate
from simulation.world import DigitalChannel, MobileRoute, World
from simulation.zone_records import ZoneRecords

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
    "seasonal_stock",
    "channel_split",
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


def group_params(params: SimulationParams, seasonal_profiles: tuple[str, ...]) -> dict:
    """Segment parameters per cell group: permanent profiles, then seasonal x remote."""
    seg = segment_arrays(params, seasonal_profiles)
    n_perm = len(params.permanent_segments())
    order = np.r_[
        np.arange(n_perm), np.repeat(np.arange(n_perm, n_perm + len(seasonal_profiles)), 2)
    ]
    out = {name: values[order.astype(np.int64)] for name, values in seg.items()}
    out["weekday"][n_perm + 1 :: 2] = 1.0  # remote workers are present on weekdays too
    return out


@dataclass(frozen=True)
class NetworkStart:
    """The service network as the run starts (what the cost accounts start from).

    Attributes
    ----------
    school_transport_km : float
        School-transport distance rule (road km) in force at the start.
    dormant : tuple of str
        Facilities of the world out of the network until a change opens them.
    """

    school_transport_km: float
    dormant: tuple[str, ...] = ()


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
    capacity_unit_cost_eur_per_year : mapping of str to float, optional
        Yearly fixed cost (EUR) of one unit of monthly capacity, by service id: a
        capacity change moves the facility's fixed cost by the difference times this.
        Services not given cost nothing per unit.
    dormant : sequence of str, optional
        Ids of facilities of ``world`` that are out of the network at the start (declared
        for network changes that open them later).

    Attributes
    ----------
    mobile_routes : list of MobileRoute
        Mobile routes in the network now; network changes may add, remove or replace.
    digital_channels : dict of str to DigitalChannel
        Digital channels in the network now, by service id; changes may edit it.
    school_transport_km : float
        Distance (road km) above which a pupil is entitled to school transport.
    capacity_unit_cost_eur_per_year : dict of str to float
        Yearly fixed cost (EUR) of one unit of monthly capacity, by service id.
    network_start : NetworkStart
        The network as the run started.
    queues : QueueState
        Backlog per facility x service, carried between months (:mod:`simulation.queues`).
    queue_records : QueueRecords
        Monthly queue records (arrivals, served, backlog, balked, switched, waits, share
        within the standard); part of the results (:func:`simulation.results.run_dataset`).
    standards : StandardsTable
        The world's dated service standards, by service (:mod:`simulation.standards`).
    zone_records : ZoneRecords
        Monthly sums by home zone and population group (access within 20 minutes,
        waiting, the standards; :mod:`simulation.zone_records`); part of the results.
    cache : ServeCache
        Derived arrays of the monthly step kept between months (owned by
        :mod:`simulation.serve`; never part of the results).

    Notes
    -----
    Every attribute the model holds is set in ``__init__``; nothing outside
    :mod:`simulation` adds one (see ``tests/test_model_state.py``).
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
        capacity_unit_cost_eur_per_year: Mapping[str, float] | None = None,
        dormant: Sequence[str] = (),
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
        unknown = sorted(set(dormant) - set(world.facility_ids))
        if unknown:
            raise ValueError(f"dormant facilities {unknown} not among {list(world.facility_ids)}")
        for fac in self.facilities:
            if fac.facility_id in dormant:
                fac.in_network = False
        self.capacity_unit_cost_eur_per_year: dict[str, float] = {
            str(k): float(v) for k, v in (capacity_unit_cost_eur_per_year or {}).items()
        }
        self.pending: list[NetworkChange] = sorted(changes, key=lambda c: c.effective)
        self.strategy = strategy
        self.mobile_routes: list[MobileRoute] = list(world.mobile_routes)
        self.digital_channels: dict[str, DigitalChannel] = {
            d.service: d for d in world.digital_channels
        }
        self.school_transport_km: float = self.params.school_transport_km
        self.network_start = NetworkStart(self.school_transport_km, tuple(dormant))
        #: Network changes applied so far, as (month index, change), in order.
        self.applied_changes: list[tuple[int, NetworkChange]] = []
        missing = [y for y in self.years if seasonal_path is not None and y not in seasonal_path]
        if missing:
            raise ValueError(f"seasonal_path lacks the simulated years {missing}")
        self.seasonal_path = seasonal_path
        self._seasonal_base = int((self.population["kind"][self.population.ids()] == 1).sum())
        self._follow_seasonal_path(self.start_year)
        self.recorder = Recorder(world, self.n_months, self.years)
        n_fac, n_s = len(self.facilities), len(world.services)
        #: Backlog per facility x service, carried between months.
        self.queues = QueueState(n_fac, n_s)
        self.queue_records = QueueRecords(self.n_months, n_fac, n_s)
        self.standards = StandardsTable(world.standards, world.service_ids)
        self.zone_records = ZoneRecords(self.n_months, len(world.zones), n_s)
        self._zone_area = world.zones.area_index
        self.segment_params = group_params(self.params, world.seasonal.profiles)
        self.cells = self._count_cells()
        self.cache = serve.ServeCache()

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
            self._apply_due_changes()  # the strategy sees the network of this month
            self.pending = sorted(
                [*self.pending, *self.strategy.plan(self)], key=lambda c: c.effective
            )
        self._apply_due_changes()
        loads = serve.serve_month(self, month)
        self._record_costs(loads)
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

    def run(self, progress: Callable[[int], None] | None = None) -> None:
        """Step to the horizon.

        The results are assembled from the stepped model by
        :func:`simulation.results.run_dataset` (with the parts computed above the
        simulation, such as costs).
        """
        while self.running:
            self.step()
            if progress is not None:
                progress(1)

    def _count_cells(self) -> CellTable:
        return build_cells(
            self.population,
            self.world.services,
            len(self.world.zones),
            len(self.params.permanent_segments()),
            len(self.world.seasonal.profiles),
        )

    def _follow_seasonal_path(self, year: int) -> None:
        """Set the seasonal residents to the forecast stock of ``year`` (if one is given)."""
        if self.seasonal_path is None:
            return
        factor = self.seasonal_path[min(year, self.years[-1])]
        follow_stock(
            self.population, round(self._seasonal_base * factor), self.streams["seasonal_stock"]
        )

    def _apply_due_changes(self) -> None:
        due = [c for c in self.pending if c.effective <= self.date]
        self.pending = [c for c in self.pending if c.effective > self.date]
        for change in due:
            change.apply(self)
            self.applied_changes.append((self.month_index, change))

    def _record_costs(self, loads: np.ndarray) -> None:
        """Record each facility's running cost and served total for the month."""
        facs = self.facilities
        served = loads.sum(axis=1)
        for f, total in zip(facs, served.tolist(), strict=True):
            f.served_total += float(total)
        fixed = np.fromiter(
            (f.fixed_cost_eur_per_year if f.in_network else 0.0 for f in facs), float, len(facs)
        )
        per_visit = np.fromiter((f.cost_per_visit_eur for f in facs), float, len(facs))
        self.recorder.data["cost"][self.month_index] = fixed / 12 + per_visit * served

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
        self._follow_seasonal_path(year + 1)
        self.population.compact()
        self.cells = self._count_cells()
