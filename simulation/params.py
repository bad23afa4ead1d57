"""Typed parameters of the simulation that come from configuration, not from the world.

The Hydra config group ``simulation`` (``experiments/conf/simulation/default.yaml``)
is validated into these dataclasses by ``experiments/settings.py``; the model receives
plain values only. Every default is a documented estimate (see
``experiments/conf/simulation/README.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulation.errors import SimulationError
from simulation.types import CHANNELS, KINDS

#: Upper age of each car-access band (18-24, 25-64, 65-74, 75-84, 85+); under 18 take
#: the household's car access.
CAR_AGE_BANDS: tuple[tuple[int, int], ...] = ((18, 24), (25, 64), (65, 74), (75, 84), (85, 100))
#: Digital-skill age bands (16-54, 55-64, 65-74, 75+); under 16 take the household's best.
DIGITAL_AGE_BANDS: tuple[tuple[int, int], ...] = ((16, 54), (55, 64), (65, 74), (75, 100))
#: Household types that permanent profiles are drawn by.
HOUSEHOLD_TYPES: tuple[str, ...] = ("with_children", "working_age", "age_65_74", "age_75_plus")
ZONE_TYPES: tuple[str, ...] = ("rural", "urban")


class ParameterError(SimulationError, ValueError):
    """A simulation parameter is outside its allowed range; the message names it."""


def _shares(values: tuple[float, ...], n: int, option: str) -> None:
    if len(values) != n:
        raise ParameterError(f"{option}: {len(values)} values, expected {n}")
    if any(not 0.0 <= v <= 1.0 for v in values):
        raise ParameterError(f"{option}: values must be in [0, 1], got {list(values)}")


@dataclass(frozen=True)
class Segment:
    """A resident profile: who belongs to it and how they use services.

    Parameters
    ----------
    name : str
        Profile name, e.g. ``busy_families`` (MAKERA "arjen kiireiset").
    kind : {'permanent', 'seasonal'}
        Residents it applies to. Seasonal segments are matched to the world's seasonal
        presence profiles by name.
    household_weights : tuple of float, length 4
        Permanent segments: relative weight of the segment for each household type of
        :data:`HOUSEHOLD_TYPES`; ignored for seasonal segments.
    demand_multiplier : float, default 1.0
        Multiplier of visit rates (not of enrolment).
    channel_weights : tuple of float, length 4
        Relative preference for the channels ``in_person, mobile, digital, phone``;
        a visit picks among the channels available to it in proportion.
    car_multiplier, digital_multiplier : float, default 1.0
        Multipliers of the car-access and digital-skill probabilities (clipped to 1).
    remote_work_share : float, default 0.0
        Seasonal segments: share of working-age (25-64) members who work remotely from
        the free-time residence.
    weekend_share : float, default 2/7
        Seasonal segments: share of the days present that fall on Saturdays and
        Sundays outside ``holiday_months`` (2/7: spread evenly over the week). Services
        are used on weekdays, so the visits of present seasonal residents (not remote
        workers) are scaled by ``(1 - weekend_share) * 7 / 5`` in those months.
    holiday_months : tuple of int, default (6, 7, 8)
        Seasonal segments: calendar months in which presence is spread evenly over the
        week (factor 1).

    Examples
    --------
    >>> Segment("settled", "permanent", (1, 1, 1, 1)).channel_weights
    (0.6, 0.1, 0.2, 0.1)
    >>> Segment("x", "tourist", (1, 1, 1, 1))
    Traceback (most recent call last):
    ...
    simulation.params.ParameterError: segment 'x': kind 'tourist' not in ('permanent', 'seasonal')
    """

    name: str
    kind: str
    household_weights: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0)
    demand_multiplier: float = 1.0
    channel_weights: tuple[float, ...] = (0.6, 0.1, 0.2, 0.1)
    car_multiplier: float = 1.0
    digital_multiplier: float = 1.0
    remote_work_share: float = 0.0
    weekend_share: float = 2 / 7
    holiday_months: tuple[int, ...] = (6, 7, 8)

    def __post_init__(self) -> None:
        where = f"segment {self.name!r}"
        if self.kind not in KINDS:
            raise ParameterError(f"{where}: kind {self.kind!r} not in {KINDS}")
        if len(self.household_weights) != len(HOUSEHOLD_TYPES) or min(self.household_weights) < 0:
            raise ParameterError(
                f"{where}: household_weights needs {len(HOUSEHOLD_TYPES)} values >= 0 "
                f"({', '.join(HOUSEHOLD_TYPES)})"
            )
        if len(self.channel_weights) != len(CHANNELS) or min(self.channel_weights) < 0:
            raise ParameterError(
                f"{where}: channel_weights needs {len(CHANNELS)} values >= 0 "
                f"({', '.join(CHANNELS)})"
            )
        if self.channel_weights[0] <= 0:
            raise ParameterError(f"{where}: the in_person weight must be > 0")
        for name in ("demand_multiplier", "car_multiplier", "digital_multiplier"):
            if not getattr(self, name) >= 0:
                raise ParameterError(f"{where}: {name} must be >= 0")
        if not 0 <= self.remote_work_share <= 1 or not 0 <= self.weekend_share <= 1:
            raise ParameterError(f"{where}: remote_work_share and weekend_share must be in [0, 1]")
        if any(m not in range(1, 13) for m in self.holiday_months):
            raise ParameterError(
                f"{where}: holiday_months {list(self.holiday_months)} must be months 1-12"
            )

    def weekday_factors(self) -> np.ndarray:
        """Multiplier of present seasonal residents' visits in each calendar month, shape (12,).

        ``(1 - weekend_share) * 7 / 5`` outside ``holiday_months``, 1 in them; 1 for
        permanent segments.

        Examples
        --------
        >>> Segment("x", "seasonal", weekend_share=0.5, holiday_months=(7,)).weekday_factors()[5:8]
        array([0.7, 1. , 0.7])
        """
        if self.kind == "permanent":
            return np.ones(12)
        off_season = (1.0 - self.weekend_share) * 7 / 5
        return np.where(np.isin(np.arange(1, 13), self.holiday_months), 1.0, off_season)


def default_segments() -> tuple[Segment, ...]:
    """Return the Sysmä resident profiles (MAKERA 2018) with estimated parameters."""
    return (
        Segment("busy_families", "permanent", (0.70, 0.25, 0.02, 0.0), 1.0, (0.5, 0.05, 0.35, 0.1)),
        Segment("settled", "permanent", (0.20, 0.35, 0.40, 0.45), 1.0, (0.6, 0.1, 0.2, 0.1)),
        Segment("unhurried", "permanent", (0.05, 0.25, 0.45, 0.25), 0.9, (0.6, 0.15, 0.15, 0.1)),
        Segment(
            "disengaged",
            "permanent",
            (0.05, 0.15, 0.13, 0.30),
            1.2,
            (0.7, 0.1, 0.05, 0.15),
            digital_multiplier=0.6,
            car_multiplier=0.8,
        ),
        Segment(
            "leisure",
            "seasonal",
            demand_multiplier=1.0,
            channel_weights=(0.5, 0.15, 0.25, 0.1),
            remote_work_share=0.43,
            weekend_share=0.6,
        ),
    )


@dataclass(frozen=True)
class CarAccess:
    """Probability that a household has a car, by its oldest adult's age and zone type.

    Parameters
    ----------
    rural, urban : tuple of float, length 5
        Probabilities for the age bands of :data:`CAR_AGE_BANDS`.
    urban_min_residents : int, default 10000
        A zone with at least this many permanent residents counts as urban.
    seasonal : float, default 0.9
        Probability for seasonal households (9 in 10 travel to the cottage by car).
    """

    rural: tuple[float, ...] = (0.75, 0.92, 0.88, 0.70, 0.40)
    urban: tuple[float, ...] = (0.50, 0.75, 0.75, 0.60, 0.35)
    urban_min_residents: int = 10_000
    seasonal: float = 0.9

    def __post_init__(self) -> None:
        _shares(self.rural, len(CAR_AGE_BANDS), "car_access.rural")
        _shares(self.urban, len(CAR_AGE_BANDS), "car_access.urban")
        _shares((self.seasonal,), 1, "car_access.seasonal")
        if self.urban_min_residents < 0:
            raise ParameterError("car_access.urban_min_residents must be >= 0")


@dataclass(frozen=True)
class DigitalSkill:
    """Probability of being digitally able (used the internet recently), by age band.

    Parameters
    ----------
    by_age : tuple of float, length 4
        For the bands of :data:`DIGITAL_AGE_BANDS`: 16-54 0.97, 65-74 0.65 and 75+
        0.27 are Statistics Finland's 2013 ICT survey; 55-64 0.85 is interpolated.
    """

    by_age: tuple[float, ...] = (0.97, 0.85, 0.65, 0.27)

    def __post_init__(self) -> None:
        _shares(self.by_age, len(DIGITAL_AGE_BANDS), "digital_skill.by_age")


@dataclass(frozen=True)
class ChoiceParams:
    """Facility choice: distance-decay logit on travel minutes.

    Parameters
    ----------
    beta_per_minute : float, default 0.15
        Utility lost per travel minute; 0 makes every facility equally likely.
    choice_set : int, default 8
        Number of nearest facilities (by the person's mode) considered.
    remote_presence_factor : float, default 1.5
        Multiplier of a remote worker's monthly presence share (capped at 1).
    channel_loyalty : float, default 0.7
        Probability that a visit uses the person's preferred channel when it is
        available to them; otherwise the channel follows the segment's weights.
    distance_elasticity : tuple of float, length 4, default (0, 0.3, 0.3, 0.3)
        Elasticity of each channel's weight (in_person, mobile, digital, phone) with
        respect to the travel time to the nearest facility offering the service, by
        the person's mode: the weight is multiplied by ``(t / reference) ** e``.
        in_person must be 0; 0 everywhere leaves the segment weights unchanged.
    distance_reference_minutes : float, default 15.0
        Travel time at which the segment weights apply unchanged.
    distance_cap_minutes : float, default 120.0
        Travel times are capped here (also where no facility offers the service).
    """

    beta_per_minute: float = 0.15
    choice_set: int = 8
    remote_presence_factor: float = 1.5
    channel_loyalty: float = 0.7
    distance_elasticity: tuple[float, ...] = (0.0, 0.3, 0.3, 0.3)
    distance_reference_minutes: float = 15.0
    distance_cap_minutes: float = 120.0

    def __post_init__(self) -> None:
        if not self.beta_per_minute >= 0:
            raise ParameterError("choice.beta_per_minute must be >= 0")
        if self.choice_set < 1:
            raise ParameterError("choice.choice_set must be >= 1")
        if not self.remote_presence_factor >= 1:
            raise ParameterError("choice.remote_presence_factor must be >= 1")
        if not 0 <= self.channel_loyalty <= 1:
            raise ParameterError("choice.channel_loyalty must be in [0, 1]")
        e = self.distance_elasticity
        if len(e) != len(CHANNELS) or not all(abs(v) < float("inf") for v in e) or e[0] != 0:
            raise ParameterError(
                f"choice.distance_elasticity: {list(e)}, expected {len(CHANNELS)} finite "
                f"values ({', '.join(CHANNELS)}) with in_person 0"
            )
        if not 0 < self.distance_reference_minutes <= self.distance_cap_minutes:
            raise ParameterError(
                "choice.distance_reference_minutes must be > 0 and <= distance_cap_minutes"
            )


@dataclass(frozen=True)
class SimulationParams:
    """Behavioural parameters of a run.

    Parameters
    ----------
    school_transport_km : float, default 5.0
        Pupils living farther than this from their school (road km) are entitled to
        school transport (Basic Education Act section 32: 5 km).
    school_service : str, default 'basic_education'
        Service whose places are school places (for the transport rule).
    segments : tuple of Segment
        Resident profiles; see :func:`default_segments`.
    car_access : CarAccess
    digital_skill : DigitalSkill
    choice : ChoiceParams
    standards_required_share : float, default 0.95
        Share of months in which a service must meet its standard for the standard to
        hold (and for a plan to be feasible), in (0, 1].
    school_trip_detour : float, default 1.3
        School transport's one-way trip time as a multiple of the direct car time (a
        bus or taxi collects several pupils; ESTIMATE, no source), >= 1; for the daily
        trip limit of the Basic Education Act section 32.
    school_trip_wait_minutes : float, default 30.0
        Waiting per school day for the transport, before and after school, minutes
        (ESTIMATE, no source), >= 0.

    Examples
    --------
    >>> SimulationParams().school_transport_km
    5.0
    >>> SimulationParams(school_transport_km=-1)
    Traceback (most recent call last):
    ...
    simulation.params.ParameterError: simulation.school_transport_km=-1: must be >= 0 km
    """

    school_transport_km: float = 5.0
    school_service: str = "basic_education"
    segments: tuple[Segment, ...] = field(default_factory=default_segments)
    car_access: CarAccess = field(default_factory=CarAccess)
    digital_skill: DigitalSkill = field(default_factory=DigitalSkill)
    choice: ChoiceParams = field(default_factory=ChoiceParams)
    standards_required_share: float = 0.95
    school_trip_detour: float = 1.3
    school_trip_wait_minutes: float = 30.0

    def __post_init__(self) -> None:
        if not self.school_trip_detour >= 1 or not self.school_trip_wait_minutes >= 0:
            raise ParameterError(
                f"simulation.school_trip_detour={self.school_trip_detour} must be >= 1 and "
                f"simulation.school_trip_wait_minutes={self.school_trip_wait_minutes} >= 0"
            )
        if not 0 < self.standards_required_share <= 1:
            raise ParameterError(
                f"simulation.standards_required_share={self.standards_required_share}: "
                "must be in (0, 1]"
            )
        if not self.school_transport_km >= 0:
            raise ParameterError(
                f"simulation.school_transport_km={self.school_transport_km}: must be >= 0 km"
            )
        names = [s.name for s in self.segments]
        if len(set(names)) != len(names):
            raise ParameterError(f"simulation.segments: duplicate names in {names}")
        if not any(s.kind == "permanent" for s in self.segments):
            raise ParameterError("simulation.segments: needs at least one permanent segment")

    def permanent_segments(self) -> tuple[Segment, ...]:
        """Segments of permanent residents, in order (their index is the profile)."""
        return tuple(s for s in self.segments if s.kind == "permanent")

    def seasonal_segment(self, profile: str) -> Segment:
        """Segment for a world seasonal presence profile: same name, else the first seasonal."""
        seasonal = [s for s in self.segments if s.kind == "seasonal"]
        for s in seasonal:
            if s.name == profile:
                return s
        return seasonal[0] if seasonal else Segment(profile, "seasonal")
