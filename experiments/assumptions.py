"""Every estimate that drives a comparison's result: value, unit and source.

Read from the world the sweep ran (its services, facilities, seasonal residents and
standards) and from the configuration every run shared (``comparison.attrs["config"]``,
:func:`experiments.periods.sweep_config`): seasonal and permanent use rates, capacities,
unit costs, penalties, the forecast options, the horizon, the base year and the
discount rate. The report's assumptions box and the spreadsheet's ``assumptions`` sheet
list these rows; each has a stable ``key`` the report translates by.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
import yaml

from experiments import tables_sources as sources
from forecasting.vocabulary import KINDS, OPEN_AGE
from scenarios.worlds import embedded_world_path, load_world
from simulation.world import World

MEASURE_UNITS = {
    "waiting_days": "days",
    "contact_days": "days",
    "access_minutes": "minutes",
    "travel_km": "km",
    "daily_trip_minutes": "minutes",
}
#: Forecast options listed (others are technical and stay in the readme's config).
FORECAST_KEYS = ("method", "n_samples", "seasonal", "base_period", "fit_start", "e0_trend")


@dataclass(frozen=True)
class Assumption:
    """One estimate or setting that drives the result.

    Parameters
    ----------
    key : str
        Stable identifier, e.g. ``use_rate.library.seasonal.0-100`` (the report and
        translations refer to rows by it).
    group : str
        ``run``, ``forecast``, ``seasonal``, ``use_rate``, ``capacity``, ``cost``,
        ``penalty`` or ``standard``.
    name : str
        What it is, in English.
    value : float or str
        The value (a number wherever the setting is one).
    unit : str
        Unit in words (``visits per person-month``, ``EUR per year``, ``1`` for shares).
    source : str
        Where the value comes from (file, config or law), ``estimate`` where no data
        gives it.
    """

    key: str
    group: str
    name: str
    value: float | str
    unit: str
    source: str


def world_folder(attrs: dict) -> Path:
    """Folder of the world a comparison (or run) was made with, from its attributes.

    ``world_path`` is ``embedded:NAME`` for an embedded world or a folder; without it
    the configuration's ``world.path`` or ``world.name`` is used.

    Raises
    ------
    ValueError
        If the attributes name no world.
    """
    path = str(attrs.get("world_path") or "")
    if not path:
        world = (yaml.safe_load(attrs.get("config") or "") or {}).get("world") or {}
        path = world.get("path") or (f"embedded:{world['name']}" if world.get("name") else "")
        path = path or (f"embedded:{attrs['world']}" if attrs.get("world") else "")
    if not path:
        raise ValueError("the comparison names no world (attrs world_path, config world.*)")
    if path.startswith("embedded:"):
        return embedded_world_path(path.removeprefix("embedded:"))
    return Path(path)


def _ages(first: int, last: int) -> str:
    """Age band as text: ``7-15``, ``85+`` (up to the open age), ``6``."""
    if last >= OPEN_AGE:
        return f"{first}+"
    return str(first) if first == last else f"{first}-{last}"


def _bands(rate: np.ndarray) -> list[tuple[int, int, float]]:
    """Age bands of equal non-zero rate: (first age, last age, rate)."""
    bands: list[tuple[int, int, float]] = []
    for age, value in enumerate(rate):
        if bands and value == bands[-1][2] and bands[-1][1] == age - 1:
            bands[-1] = (bands[-1][0], age, float(value))
        elif value > 0:
            bands.append((age, age, float(value)))
    return bands


def use_rate_rows(world: World, label: str) -> list[Assumption]:
    """Demand rates of each service by resident kind and age band (before month factors)."""
    rows = []
    source = sources.USE_RATE_SOURCE.format(world=label)
    for service in world.services:
        unit = (
            "share of eligible persons enrolled"
            if service.demand_type == "enrolment"
            else f"{service.unit} per person-month"
        )
        for k, kind in enumerate(KINDS):
            for first, last, value in _bands(service.rate[k]):
                rows.append(
                    Assumption(
                        f"use_rate.{service.id}.{kind}.{first}-{last}",
                        "use_rate",
                        f"{service.name}: {kind} residents aged {_ages(first, last)}",
                        value,
                        unit,
                        source,
                    )
                )
    return rows


def network_rows(world: World, label: str) -> list[Assumption]:
    """Capacity per service (all facilities of the world) and each facility's costs."""
    rows = []
    for service in world.services:
        total = sum(f.capacity.get(service.id, 0.0) for f in world.facilities)
        rows.append(
            Assumption(
                f"capacity.{service.id}",
                "capacity",
                f"{service.name}: capacity of the initial network",
                float(total),
                f"{service.unit} per month",
                sources.CAPACITY_SOURCE.format(world=label),
            )
        )
    for f in world.facilities:
        source = f"{label}/facilities.csv"
        rows += [
            Assumption(
                f"facility_cost.{f.id}.fixed",
                "cost",
                f"{f.name}: fixed cost",
                float(f.fixed_cost_eur_per_year),
                "EUR per year",
                source,
            ),
            Assumption(
                f"facility_cost.{f.id}.per_visit",
                "cost",
                f"{f.name}: cost per unit served",
                float(f.cost_per_visit_eur),
                "EUR per visit or place-month",
                source,
            ),
        ]
    return rows


def seasonal_rows(world: World, label: str) -> list[Assumption]:
    """Free-time residences and users per residence (the seasonal population)."""
    return [
        Assumption(
            "seasonal.residences",
            "seasonal",
            "free-time residences",
            float(np.sum(world.seasonal.residences)),
            "residences",
            f"{label}/seasonal_residences.csv",
        ),
        Assumption(
            "seasonal.users_per_residence",
            "seasonal",
            "seasonal residents per free-time residence",
            float(world.seasonal.users_per_residence),
            "persons",
            f"{label}/world.yaml",
        ),
    ]


def standard_rows(world: World, first_year: int, last_year: int) -> list[Assumption]:
    """Each service standard in force in the years simulated: limit and target share."""
    names = {service.id: service.name for service in world.services}
    rows = []
    for s in world.standards:
        if s.valid_from > f"{last_year}-12-31" or (s.valid_to or "9999") < f"{first_year}":
            continue
        everyone = (s.age_from, s.age_to) == (0, OPEN_AGE)
        ages = "" if everyone else f", aged {_ages(s.age_from, s.age_to)}"
        period = f"from {s.valid_from}" + (f" to {s.valid_to}" if s.valid_to else "")
        key = f"standard.{s.service}.{s.measure}.{s.valid_from}.{s.age_from}-{s.age_to}"
        name = names.get(s.service, s.service)
        what = f"{name}: {s.measure.replace('_', ' ')}{ages}, {period}"
        rows += [
            Assumption(
                f"{key}.limit",
                "standard",
                f"{what}: limit",
                float(s.limit),
                MEASURE_UNITS.get(s.measure, s.measure),
                f"{s.status}: {s.source}",
            ),
            Assumption(
                f"{key}.target_share",
                "standard",
                f"{what}: share that must be within the limit",
                float(s.target_share),
                "1",
                f"{s.status}: {s.source}",
            ),
        ]
    return rows


def _value(value) -> float | str:
    """Return a config value as a number where it is one, else as text."""
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    return float(value) if isinstance(value, int | float) else str(value)


def run_rows(config: dict, world: World) -> list[Assumption]:
    """Horizon, base year, discount rate and the rules every run shared."""
    simulation = config.get("simulation") or {}
    costs = config.get("costs") or {}
    items = [
        ("run.base_year", "base year (last year of data)", world.base_year, "year", "world.yaml"),
        ("run.horizon_years", "horizon", config.get("horizon_years"), "years", sources.RUN_SOURCE),
        (
            "run.discount_rate",
            "discount rate of NPV",
            costs.get("discount_rate"),
            "1 per year",
            sources.COSTS_SOURCE,
        ),
        (
            "run.standards_required_share",
            "share of months a standard must be met",
            simulation.get("standards_required_share"),
            "1",
            sources.SIMULATION_SOURCE,
        ),
        (
            "run.school_transport_km",
            "free school transport beyond",
            simulation.get("school_transport_km"),
            "km",
            sources.SCHOOL_LAW_SOURCE,
        ),
        (
            "run.school_trip_detour",
            "school transport time / direct car time (ESTIMATE)",
            simulation.get("school_trip_detour"),
            "1",
            sources.NO_SOURCE,
        ),
        (
            "run.school_trip_wait_minutes",
            "waiting for school transport per school day (ESTIMATE)",
            simulation.get("school_trip_wait_minutes"),
            "minutes",
            sources.NO_SOURCE,
        ),
    ]
    rows = [Assumption(k, "run", n, _value(v), u, s) for k, n, v, u, s in items if v is not None]
    forecast = config.get("forecast") or {}
    rows += [
        Assumption(
            f"forecast.{key}",
            "forecast",
            f"forecast {key.replace('_', ' ')}",
            _value(forecast[key]),
            "",
            sources.FORECAST_SOURCE,
        )
        for key in FORECAST_KEYS
        if key in forecast
    ]
    return rows


def cost_rows(config: dict, services: dict[str, str]) -> list[Assumption]:
    """Return the unit costs and the planner's penalties of the costs config."""
    costs = config.get("costs") or {}
    rows = []
    for sid, value in (costs.get("capacity_unit_cost_eur_per_year") or {}).items():
        rows.append(
            Assumption(
                f"unit_cost.{sid}",
                "cost",
                f"{services.get(sid, sid)}: yearly cost of one unit of capacity",
                float(value),
                "EUR per year per unit of monthly capacity",
                sources.COSTS_SOURCE,
            )
        )
    if "transport_eur_per_pupil_year" in costs:
        rows.append(
            Assumption(
                "unit_cost.school_transport",
                "cost",
                "free school transport per pupil",
                float(costs["transport_eur_per_pupil_year"]),
                "EUR per pupil-year",
                sources.COSTS_SOURCE,
            )
        )
    for sid, value in (costs.get("unmet_penalty_eur") or {}).items():
        rows.append(
            Assumption(
                f"penalty.unmet.{sid}",
                "penalty",
                f"{services.get(sid, sid)}: penalty per unit of unmet demand",
                float(value),
                "EUR per visit or place-month",
                sources.COSTS_SOURCE,
            )
        )
    if "shortfall_penalty_eur" in costs:
        rows.append(
            Assumption(
                "penalty.standards_shortfall",
                "penalty",
                "penalty per unit of standards shortfall (objective only)",
                float(costs["shortfall_penalty_eur"]),
                "EUR",
                sources.COSTS_SOURCE,
            )
        )
    if "objective" in costs:
        rows.append(
            Assumption(
                "penalty.objective",
                "penalty",
                "planner objective",
                str(costs["objective"]),
                "",
                sources.COSTS_SOURCE,
            )
        )
    return rows


def assumptions(comparison: xr.Dataset | dict) -> list[Assumption]:
    """Every estimate and setting that drives a comparison's result.

    Parameters
    ----------
    comparison : xarray.Dataset or dict
        ``comparison.nc`` (or its attributes): ``world_path`` and ``config`` (the
        configuration every run shared) are read.

    Returns
    -------
    list of Assumption
        Groups in the order run, forecast, seasonal, use_rate, capacity, cost,
        penalty, standard. Settings that differ between runs are not listed (they are
        in ``attrs["config_varies"]``).

    Raises
    ------
    ValueError
        If the comparison names no world.
    scenarios.errors.WorldFileError
        If the world's files cannot be read.
    """
    attrs = dict(comparison.attrs) if isinstance(comparison, xr.Dataset) else dict(comparison)
    folder = world_folder(attrs)
    world = load_world(folder)
    label = str(attrs.get("world_path") or folder)
    config = yaml.safe_load(attrs.get("config") or "") or {}
    first = int(attrs.get("start_year", int(world.base_year) + 1))
    return [
        *run_rows(config, world),
        *seasonal_rows(world, label),
        *use_rate_rows(world, label),
        *network_rows(world, label),
        *cost_rows(config, {s.id: s.name for s in world.services}),
        *standard_rows(world, first, first + int(config.get("horizon_years", 1)) - 1),
    ]


def assumptions_frame(rows: list[Assumption]) -> pd.DataFrame:
    """Return the rows as a table: columns key, group, name, value, unit, source."""
    return pd.DataFrame([asdict(r) for r in rows], columns=list(Assumption.__dataclass_fields__))
