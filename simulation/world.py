"""World types: zones, travel costs, services, facilities and seasonal presence.

A :class:`World` is an immutable, validated description of a municipality or region.
It holds plain NumPy arrays indexed by position (zone index, service index, facility
index), so the model can use them directly in vectorised code. The loader in
``scenarios/worlds/loader.py`` builds it from files; tests build it in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulation.errors import WorldError
from simulation.types import AGES, CHANNELS, KINDS, MONTHS, SEXES, FloatArray, IntArray

DEMAND_TYPES = ("visits", "enrolment")
#: Largest capacity per month (service units) of a facility or route: capacity is floored
#: to int64 units each month, and no municipality needs a billion visits a month.
CAPACITY_LIMIT = 1e9


@dataclass(frozen=True)
class Zones:
    """Zones: the smallest areas, with a representative point.

    Parameters
    ----------
    ids, names : tuple of str
        Zone identifiers (e.g. postal codes) and display names.
    area_ids : tuple of str
        Forecast area of each zone (e.g. municipality code).
    x, y : ndarray of float
        Coordinates in ETRS-TM35FIN (EPSG:3067), metres.
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    area_ids: tuple[str, ...]
    x: FloatArray
    y: FloatArray

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def areas(self) -> tuple[str, ...]:
        """Distinct forecast areas, in order of first appearance."""
        return tuple(dict.fromkeys(self.area_ids))

    @property
    def area_index(self) -> IntArray:
        """Index into :attr:`areas` for each zone."""
        lookup = {a: i for i, a in enumerate(self.areas)}
        return np.array([lookup[a] for a in self.area_ids], dtype=np.int16)


@dataclass(frozen=True)
class Travel:
    """Travel cost between zones (origin x destination), including inside a zone.

    Parameters
    ----------
    km : ndarray of float, shape (zone, zone)
        Road distance, km; symmetric.
    minutes_car, minutes_nocar : ndarray of float, shape (zone, zone)
        Door-to-door travel time by car and without a car, minutes.
    """

    km: FloatArray
    minutes_car: FloatArray
    minutes_nocar: FloatArray


@dataclass(frozen=True)
class Service:
    """A public service with eligibility and demand rates.

    Parameters
    ----------
    id, name : str
        Identifier (glossary name, e.g. ``basic_education``) and display name.
    demand_type : {'visits', 'enrolment'}
        ``visits``: a Poisson number of visits per person-month; ``enrolment``: each
        eligible person holds one place with probability ``rate``.
    unit : str
        Unit of demand and capacity, e.g. ``visits`` or ``places`` (per month).
    rate : ndarray of float, shape (kind, age)
        Visits per person per month, or enrolment probability, by kind and age; zero
        outside the eligible ages and for kinds that do not use the service.
    month_factors : ndarray of float, shape (12,)
        Multiplier of the rate in each calendar month, January first.
    channels : tuple of str
        Channels through which the service is offered.
    """

    id: str
    name: str
    demand_type: str
    unit: str
    rate: FloatArray
    month_factors: FloatArray
    channels: tuple[str, ...] = ("in_person",)

    def __post_init__(self) -> None:
        if self.demand_type not in DEMAND_TYPES:
            raise WorldError(
                f"service {self.id!r}: demand_type {self.demand_type!r} not in {DEMAND_TYPES}"
            )
        if self.rate.shape != (len(KINDS), len(AGES)):
            raise WorldError(
                f"service {self.id!r}: rate has shape {self.rate.shape}, "
                f"expected {(len(KINDS), len(AGES))} (kind, age)"
            )
        if self.month_factors.shape != (len(MONTHS),):
            raise WorldError(f"service {self.id!r}: month_factors must have 12 values")
        if self.demand_type == "enrolment" and np.any(self.rate * self.month_factors.max() > 1):
            raise WorldError(f"service {self.id!r}: enrolment probability above 1")
        unknown = set(self.channels) - set(CHANNELS)
        if unknown:
            raise WorldError(f"service {self.id!r}: unknown channels {sorted(unknown)}")


@dataclass(frozen=True)
class FacilitySpec:
    """A facility as the world describes it (the live state is a Mesa agent).

    Parameters
    ----------
    id, name : str
        Identifier and display name.
    zone : int
        Zone index where the facility is.
    capacity : dict of str to float
        Capacity per month for each service offered, in the service's unit.
    open_months : ndarray of bool, shape (12,)
        Whether the facility is open in each calendar month.
    fixed_cost_eur_per_year, cost_per_visit_eur : float
        Running costs, EUR.
    """

    id: str
    name: str
    zone: int
    capacity: dict[str, float]
    open_months: np.ndarray
    fixed_cost_eur_per_year: float = 0.0
    cost_per_visit_eur: float = 0.0


@dataclass(frozen=True)
class SeasonalResidents:
    """Free-time residences and how their users are present.

    Parameters
    ----------
    residences : ndarray of int, shape (zone,)
        Free-time residences by zone.
    users_per_residence : float
        Persons per residence (household members of the owners).
    age_share : ndarray of float, shape (sex, age)
        Age and sex distribution of seasonal residents; sums to 1.
    profiles : tuple of str
        Seasonal profile names.
    profile_shares : ndarray of float, shape (profile,)
        Share of seasonal households in each profile; sums to 1.
    presence : ndarray of float, shape (profile, 12)
        Share of a profile's seasonal residents present in each month.
    """

    residences: IntArray
    users_per_residence: float
    age_share: FloatArray
    profiles: tuple[str, ...]
    profile_shares: FloatArray
    presence: FloatArray


@dataclass(frozen=True)
class MobileRoute:
    """A mobile service van visiting zones on a monthly schedule.

    Parameters
    ----------
    id : str
        Route identifier.
    services : tuple of str
        Services the van offers (service ids).
    zones : tuple of str
        Zones the van stops in (zone ids).
    months : tuple of bool, length 12
        Calendar months in which the route runs, January first.
    days_per_month : int
        Service days per month on the route (0-31).
    capacity_per_month : float
        Visits the van can take per month in a running month, all services and zones
        together, visits/month.
    cost_eur_per_year : float
        Running cost of the route, EUR per year.

    Examples
    --------
    >>> r = MobileRoute("van", ("library",), ("Z1",), (True,) * 12, 4, 200.0, 50_000.0)
    >>> r.runs_in(7)
    True
    >>> MobileRoute("van", ("library",), ("Z1",), (True,) * 11, 4, 200.0, 0.0)
    Traceback (most recent call last):
    ...
    simulation.errors.WorldError: mobile route 'van': months has 11 values, expected 12
    """

    id: str
    services: tuple[str, ...]
    zones: tuple[str, ...]
    months: tuple[bool, ...]
    days_per_month: int
    capacity_per_month: float
    cost_eur_per_year: float

    def __post_init__(self) -> None:
        where = f"mobile route {self.id!r}"
        if len(self.months) != len(MONTHS):
            raise WorldError(f"{where}: months has {len(self.months)} values, expected 12")
        if not 0 <= self.days_per_month <= 31:
            raise WorldError(f"{where}: days_per_month {self.days_per_month} outside [0, 31]")
        if not self.capacity_per_month >= 0:
            raise WorldError(f"{where}: capacity_per_month {self.capacity_per_month} below 0")
        if not self.cost_eur_per_year >= 0:
            raise WorldError(f"{where}: cost_eur_per_year {self.cost_eur_per_year} below 0")

    def runs_in(self, month: int) -> bool:
        """Tell whether the route runs in calendar ``month`` (1-12) with service days."""
        return bool(self.months[month - 1]) and self.days_per_month > 0


@dataclass(frozen=True)
class DigitalChannel:
    """A digital channel (e-service) for one service.

    Parameters
    ----------
    service : str
        Service id.
    adoption : float, default 1.0
        Multiplier (0-1) of the share of digitally able persons who use the channel.

    Examples
    --------
    >>> DigitalChannel("library", 0.5).adoption
    0.5
    >>> DigitalChannel("library", 1.5)
    Traceback (most recent call last):
    ...
    simulation.errors.WorldError: digital channel 'library': adoption 1.5 outside [0, 1]
    """

    service: str
    adoption: float = 1.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.adoption <= 1.0:
            raise WorldError(
                f"digital channel {self.service!r}: adoption {self.adoption} outside [0, 1]"
            )


@dataclass(frozen=True)
class World:
    """A validated municipality or region.

    Parameters
    ----------
    name, title : str
        Short name and display title.
    base_year : int
        Residents are counted on 31 December of this year; simulation starts after it.
    zones, travel, services, facilities, seasonal
        The parts of the world.
    residents : ndarray of int, shape (zone, sex, age)
        Permanent residents on 31.12 of ``base_year``.
    population_history : dict of str to dict of int to int
        Registered population totals by area and year.
    rates_region : int
        Statistics Finland region code whose vital rates drive the forecast.
    internal_move_rate : float
        Share of residents moving to another zone each year.
    household_size : float
        Mean size of permanent households, persons.
    mobile_routes : tuple of MobileRoute, default ()
        Mobile service vans of the initial network.
    digital_channels : tuple of DigitalChannel, default ()
        Digital channels offered in the initial network (at most one per service).
    zone_geometries : dict of str to dict or None, default None
        Zone id -> GeoJSON polygon geometry in EPSG:3067 metres (``zones.geojson``),
        for maps; None when the world has no polygons.
    placeholder_network : bool, default False
        True when the facilities are the world builder's placeholder units, not a
        real register (shown in the run summary and the results' attributes).
    """

    name: str
    title: str
    base_year: int
    zones: Zones
    travel: Travel
    services: tuple[Service, ...]
    facilities: tuple[FacilitySpec, ...]
    residents: IntArray
    seasonal: SeasonalResidents
    population_history: dict[str, dict[int, int]] = field(default_factory=dict)
    rates_region: int = 7
    internal_move_rate: float = 0.03
    household_size: float = 1.8
    mobile_routes: tuple[MobileRoute, ...] = ()
    digital_channels: tuple[DigitalChannel, ...] = ()
    zone_geometries: dict[str, dict] | None = None
    placeholder_network: bool = False

    def __post_init__(self) -> None:
        n = len(self.zones)
        for label, arr in (
            ("travel.km", self.travel.km),
            ("travel.minutes_car", self.travel.minutes_car),
            ("travel.minutes_nocar", self.travel.minutes_nocar),
        ):
            if arr.shape != (n, n):
                raise WorldError(f"{label} has shape {arr.shape}, expected ({n}, {n})")
        if self.residents.shape != (n, len(SEXES), len(AGES)):
            raise WorldError(
                f"residents has shape {self.residents.shape}, "
                f"expected ({n}, {len(SEXES)}, {len(AGES)}) (zone, sex, age)"
            )
        if self.seasonal.residences.shape != (n,):
            raise WorldError(f"seasonal residences has shape {self.seasonal.residences.shape}")
        ids = self.service_ids
        for f in self.facilities:
            if not 0 <= f.zone < n:
                raise WorldError(f"facility {f.id!r}: zone index {f.zone} outside 0..{n - 1}")
            unknown = set(f.capacity) - set(ids)
            if unknown:
                raise WorldError(f"facility {f.id!r}: unknown services {sorted(unknown)}")
        self._check_channels()

    def _check_channels(self) -> None:
        """Mobile routes and digital channels name known services and zones."""
        services, zones = set(self.service_ids), set(self.zones.ids)
        seen: set[str] = set()
        for r in self.mobile_routes:
            if r.id in seen:
                raise WorldError(f"mobile route {r.id!r}: duplicate id")
            seen.add(r.id)
            if set(r.services) - services:
                raise WorldError(
                    f"mobile route {r.id!r}: unknown services {sorted(set(r.services) - services)}"
                )
            if set(r.zones) - zones:
                raise WorldError(
                    f"mobile route {r.id!r}: unknown zones {sorted(set(r.zones) - zones)}"
                )
        digital = [d.service for d in self.digital_channels]
        for sid in digital:
            if sid not in services:
                raise WorldError(f"digital channel {sid!r}: unknown service")
            if digital.count(sid) > 1:
                raise WorldError(f"digital channel {sid!r}: more than one channel per service")

    @property
    def service_ids(self) -> tuple[str, ...]:
        """Service identifiers, in world order."""
        return tuple(s.id for s in self.services)

    @property
    def facility_ids(self) -> tuple[str, ...]:
        """Facility identifiers, in world order."""
        return tuple(f.id for f in self.facilities)

    @property
    def area_residents(self) -> IntArray:
        """Permanent residents by (area, sex, age)."""
        out = np.zeros((len(self.zones.areas), len(SEXES), len(AGES)), dtype=np.int64)
        np.add.at(out, self.zones.area_index, self.residents)
        return out
