"""Generated worlds for benchmarks: Finland's 309 municipalities, built in memory.

Each municipality is one zone with its 2018 population by age band (Statistics
Finland, ``../shared/data/finland_municipal_age_bands_2018.csv``, spread evenly over the
single ages of a band and the two sexes) and its free-time residences
(``finland_municipal_summary_2018.csv``) x 4.7 users (the embedded Sysmä world's
figure). Coordinates are the mean of the municipality's postal-code areas. Services,
seasonal age structure and presence come from the embedded Sysmä world. Travel is
generated from straight-line distance (road km = 1.3 x straight line + 3 km inside a
municipality; 70 km/h by car, 25 km/h plus 10 min without). Each municipality gets one
facility per service, sized at its expected demand + 15 %. The demographic path ages
the base population with a flat 1 % mortality and replaces it with births, so
alignment has real work to do. Nothing here is shipped or written to disk.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from scenarios.worlds.loader import embedded_world_path, load_world
from simulation import DemographicPath, FacilitySpec, SeasonalResidents, Travel, World, Zones
from simulation.types import AGES, KINDS, SEXES

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
USERS_PER_RESIDENCE = 4.7


def _shared() -> Path:
    for candidate in (SHARED, Path("/work/shared/data")):
        if (candidate / "finland_municipal_summary_2018.csv").is_file():
            return candidate
    raise FileNotFoundError(f"shared data not found at {SHARED}")


def _residents(codes: list[str], bands: pd.DataFrame, scale: float) -> np.ndarray:
    out = np.zeros((len(codes), len(SEXES), len(AGES)))
    ix = {c: i for i, c in enumerate(codes)}
    for rec in bands.itertuples():
        z = ix.get(rec.municipality_code)
        if z is None:
            continue
        hi = 94 if pd.isna(rec.age_to) else min(int(rec.age_to), 100)  # 85+ spread over 85-94
        ages = np.arange(int(rec.age_from), hi + 1)
        out[z, :, ages] += rec.population * scale / (2 * ages.size)
    return np.floor(out + 0.5).astype(np.int64)


def _travel(x: np.ndarray, y: np.ndarray) -> Travel:
    straight = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]) / 1000
    km = 1.3 * straight + 3.0
    return Travel(km=km, minutes_car=km / 70 * 60, minutes_nocar=km / 25 * 60 + 10)


def finland_world(scale: float = 1.0) -> World:
    """Finland as 309 municipality zones; ``scale`` multiplies every count.

    ``scale=1`` gives ~5.5 M permanent and ~2.4 M seasonal residents; ``scale=1/8``
    about 1 M persons in all.
    """
    data = _shared()
    summary = pd.read_csv(data / "finland_municipal_summary_2018.csv", dtype={0: str})
    bands = pd.read_csv(data / "finland_municipal_age_bands_2018.csv", dtype={0: str})
    posts = pd.read_csv(data / "finland_postal_code_areas.csv", dtype={0: str, 2: str})
    xy = posts.groupby("municipality_code")[["x_m", "y_m"]].mean()
    summary = summary[summary["municipality_code"].isin(xy.index)].reset_index(drop=True)
    codes = list(summary["municipality_code"])
    sysma = load_world(embedded_world_path("sysma"))
    residents = _residents(codes, bands, scale)
    x = xy.loc[codes, "x_m"].to_numpy(float)
    y = xy.loc[codes, "y_m"].to_numpy(float)
    residences = np.floor(summary["free_time_residences"].to_numpy(float) * scale + 0.5)
    seasonal = SeasonalResidents(
        residences=residences.astype(np.int64),
        users_per_residence=USERS_PER_RESIDENCE,
        age_share=sysma.seasonal.age_share,
        profiles=sysma.seasonal.profiles,
        profile_shares=sysma.seasonal.profile_shares,
        presence=sysma.seasonal.presence,
    )
    zones = Zones(
        ids=tuple(codes),
        names=tuple(summary["municipality_name"]),
        area_ids=tuple(codes),
        x=x,
        y=y,
    )
    facilities = _facilities(codes, residents, residences * USERS_PER_RESIDENCE, sysma)
    return World(
        name=f"finland_x{scale:g}",
        title="Finland, 309 municipalities (generated for benchmarks)",
        base_year=2023,
        zones=zones,
        travel=_travel(x, y),
        services=sysma.services,
        facilities=facilities,
        residents=residents,
        seasonal=replace(seasonal),
        rates_region=0,
        internal_move_rate=0.03,
        household_size=2.0,
    )


def _facilities(
    codes: list[str], residents: np.ndarray, seasonal_persons: np.ndarray, sysma: World
) -> tuple[FacilitySpec, ...]:
    by_age = residents.sum(axis=1)  # zone, age
    out = []
    for z, code in enumerate(codes):
        capacity = {}
        for service in sysma.services:
            perm = (by_age[z] * service.rate[KINDS.index("permanent")]).sum()
            seas = seasonal_persons[z] * service.rate[KINDS.index("seasonal")].mean() * 0.3
            capacity[service.id] = float(
                np.ceil((perm + seas) * service.month_factors.max() * 1.15)
            )
        out.append(
            FacilitySpec(
                id=f"F{code}",
                name=f"Service centre {code}",
                zone=z,
                capacity=capacity,
                open_months=np.ones(12, dtype=bool),
                fixed_cost_eur_per_year=1e6,
                cost_per_visit_eur=20.0,
            )
        )
    return tuple(out)


def ageing_path(world: World, years: int, mortality: float = 0.01) -> DemographicPath:
    """Targets that age each area's base population with flat mortality and births."""
    current = world.area_residents.astype(float)
    pops = []
    for _ in range(years):
        nxt = np.zeros_like(current)
        nxt[..., 1:] = current[..., :-1] * (1 - mortality)
        nxt[..., -1] += current[..., -1] * (1 - mortality)
        nxt[..., 0] = current[:, :, 20:40].sum(axis=2) * 0.025
        pops.append(nxt)
        current = nxt
    n_areas = current.shape[0]
    fertility = np.zeros((n_areas, years, len(AGES)))
    fertility[:, :, 20:40] = 0.05
    return DemographicPath(
        years=tuple(range(world.base_year + 1, world.base_year + 1 + years)),
        population=np.rint(np.stack(pops, axis=1)).astype(np.int64),
        death_probability=np.full((n_areas, years, len(SEXES), len(AGES)), mortality),
        infant_death_probability=np.full((n_areas, years, len(SEXES)), 0.002),
        fertility_rate=fertility,
        sex_ratio_at_birth=1.05,
    )
