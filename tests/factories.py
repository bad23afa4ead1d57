"""Small in-memory worlds and forecast paths for tests (no files, no forecasting)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from simulation import (
    DemographicPath,
    FacilitySpec,
    SeasonalResidents,
    Service,
    ServiceModel,
    Travel,
    World,
    Zones,
)
from simulation.results import run_dataset
from simulation.types import AGES, KINDS, SEXES


def small_world(
    n_zones: int = 3,
    residents_per_cell: int = 2,
    residences: int = 20,
    capacity: float = 200.0,
    n_areas: int = 1,
    seed: int = 0,
) -> World:
    """A world of ``n_zones`` zones on a line, two services and one facility per zone."""
    rng = np.random.default_rng(seed)
    x = np.arange(n_zones) * 5000.0
    km = np.abs(x[:, None] - x[None, :]) / 1000 + 1.0
    residents = rng.integers(0, residents_per_cell + 1, size=(n_zones, len(SEXES), len(AGES)))
    rate = np.zeros((len(KINDS), len(AGES)))
    rate[:, :] = 0.3
    school = np.zeros((len(KINDS), len(AGES)))
    school[0, 7:16] = 1.0
    months = np.ones(12)
    school_months = months.copy()
    school_months[5:7] = 0
    services = (
        Service("primary_health_care", "Health", "visits", "visits", rate, months),
        Service("basic_education", "School", "enrolment", "places", school, school_months),
    )
    facilities = tuple(
        FacilitySpec(
            id=f"F{z}",
            name=f"Facility {z}",
            zone=z,
            capacity={"primary_health_care": capacity, "basic_education": capacity / 4},
            open_months=np.ones(12, dtype=bool),
            fixed_cost_eur_per_year=1000.0,
            cost_per_visit_eur=10.0,
        )
        for z in range(n_zones)
    )
    presence = np.array([[0.1] * 5 + [0.6, 0.8, 0.7] + [0.1] * 4])
    age_share = np.full((len(SEXES), len(AGES)), 1.0 / (len(SEXES) * len(AGES)))
    return World(
        name="small",
        title="Small test world",
        base_year=2023,
        zones=Zones(
            ids=tuple(f"Z{z}" for z in range(n_zones)),
            names=tuple(f"Zone {z}" for z in range(n_zones)),
            area_ids=tuple(f"A{z % n_areas}" for z in range(n_zones)),
            x=x,
            y=np.zeros(n_zones),
        ),
        travel=Travel(km=km, minutes_car=km, minutes_nocar=km * 3),
        services=services,
        facilities=facilities,
        residents=residents,
        seasonal=SeasonalResidents(
            residences=np.full(n_zones, residences),
            users_per_residence=2.0,
            age_share=age_share,
            profiles=("leisure",),
            profile_shares=np.array([1.0]),
            presence=presence,
        ),
    )


def drifting_path(world: World, years: int, seed: int = 0, q: float = 0.02) -> DemographicPath:
    """Targets that age the base population with mortality ``q`` and random migration."""
    rng = np.random.default_rng(seed)
    areas = world.area_residents.astype(float)
    pops = []
    current = areas
    for _ in range(years):
        nxt = np.zeros_like(current)
        nxt[..., 1:] = current[..., :-1] * (1 - q)
        nxt[..., -1] += current[..., -1] * (1 - q)
        nxt[..., 0] = current[:, :, 20:40].sum(axis=2) * 0.02
        nxt = np.maximum(nxt + rng.integers(-1, 2, size=nxt.shape), 0)
        pops.append(nxt)
        current = nxt
    n_areas = areas.shape[0]
    fert = np.zeros((n_areas, years, len(AGES)))
    fert[:, :, 20:40] = 0.05
    return DemographicPath(
        years=tuple(range(world.base_year + 1, world.base_year + 1 + years)),
        population=np.rint(np.stack(pops, axis=1)).astype(np.int64),
        death_probability=np.full((n_areas, years, len(SEXES), len(AGES)), q),
        infant_death_probability=np.full((n_areas, years, len(SEXES)), 0.002),
        fertility_rate=fert,
        sex_ratio_at_birth=1.05,
    )


def results_of(model: ServiceModel) -> xr.Dataset:
    """Step ``model`` to its horizon and return its results (records and changes)."""
    model.run()
    return run_dataset(model)
