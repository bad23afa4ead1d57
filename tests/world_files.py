"""Write an in-memory World as a world folder (docs/world-format.md), for loader tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from simulation.types import AGES, KINDS, SEXES
from simulation.world import World


def _months(mask: np.ndarray) -> str:
    return ",".join(f"{m}-{m}" for m in range(1, 13) if mask[m - 1])


def write_world_folder(world: World, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    meta = {
        "name": world.name,
        "title": world.title,
        "base_year": world.base_year,
        "rates_region": world.rates_region,
        "internal_move_rate": world.internal_move_rate,
        "household_size": world.household_size,
        "seasonal": {
            "users_per_residence": world.seasonal.users_per_residence,
            "profile_shares": dict(
                zip(world.seasonal.profiles, map(float, world.seasonal.profile_shares), strict=True)
            ),
        },
    }
    (folder / "world.yaml").write_text(yaml.safe_dump(meta, sort_keys=False))
    z = world.zones
    pd.DataFrame(
        {"zone_id": z.ids, "name": z.names, "area_id": z.area_ids, "x_m": z.x, "y_m": z.y}
    ).to_csv(folder / "zones.csv", index=False)
    n = len(z)
    i, j = np.meshgrid(range(n), range(n), indexing="ij")
    pd.DataFrame(
        {
            "from_zone": np.array(z.ids)[i.ravel()],
            "to_zone": np.array(z.ids)[j.ravel()],
            "km": world.travel.km.ravel(),
            "minutes_car": world.travel.minutes_car.ravel(),
            "minutes_nocar": world.travel.minutes_nocar.ravel(),
        }
    ).to_csv(folder / "travel.csv", index=False)
    services = []
    for s in world.services:
        eligible = np.flatnonzero(s.rate.max(axis=0) > 0)
        services.append(
            {
                "id": s.id,
                "name": s.name,
                "demand_type": s.demand_type,
                "unit": s.unit,
                "min_age": int(eligible.min()) if eligible.size else 0,
                "max_age": int(eligible.max()) if eligible.size else 100,
                "kinds": [k for i_k, k in enumerate(KINDS) if s.rate[i_k].any()] or list(KINDS),
                "channels": list(s.channels),
                "rates": [
                    {
                        "age_from": a,
                        "age_to": a,
                        **{k: float(s.rate[i_k, a]) for i_k, k in enumerate(KINDS)},
                    }
                    for a in AGES
                    if s.rate[:, a].any()
                ],
                "month_factors": [float(x) for x in s.month_factors],
            }
        )
    (folder / "services.yaml").write_text(yaml.safe_dump(services, sort_keys=False))
    pd.DataFrame(
        {
            "facility_id": [f.id for f in world.facilities],
            "name": [f.name for f in world.facilities],
            "zone_id": [z.ids[f.zone] for f in world.facilities],
            "open_months": [_months(f.open_months) for f in world.facilities],
            "fixed_cost_eur_per_year": [f.fixed_cost_eur_per_year for f in world.facilities],
            "cost_per_visit_eur": [f.cost_per_visit_eur for f in world.facilities],
        }
    ).to_csv(folder / "facilities.csv", index=False)
    pd.DataFrame(
        [
            {"facility_id": f.id, "service_id": sid, "capacity_per_month": cap}
            for f in world.facilities
            for sid, cap in f.capacity.items()
        ]
    ).to_csv(folder / "facility_services.csv", index=False)
    zz, ss, aa = np.nonzero(world.residents >= 0)
    pd.DataFrame(
        {
            "zone_id": np.array(z.ids)[zz],
            "sex": np.array(SEXES)[ss],
            "age": aa,
            "count": world.residents[zz, ss, aa],
        }
    ).to_csv(folder / "residents.csv", index=False)
    pd.DataFrame({"zone_id": z.ids, "residences": world.seasonal.residences}).to_csv(
        folder / "seasonal_residences.csv", index=False
    )
    ss, aa = np.nonzero(world.seasonal.age_share >= 0)
    pd.DataFrame(
        {"sex": np.array(SEXES)[ss], "age": aa, "share": world.seasonal.age_share[ss, aa]}
    ).to_csv(folder / "seasonal_age_structure.csv", index=False)
    pd.DataFrame(
        [
            {"profile": p, "month": m + 1, "presence_share": world.seasonal.presence[k, m]}
            for k, p in enumerate(world.seasonal.profiles)
            for m in range(12)
        ]
    ).to_csv(folder / "seasonal_profiles.csv", index=False)
    totals = world.area_residents.sum(axis=(1, 2))
    history = world.population_history or {
        a: {world.base_year - 1: int(n) + 5, world.base_year: int(n)}
        for a, n in zip(z.areas, totals, strict=True)
    }
    pd.DataFrame(
        [
            {"area_id": a, "year": year, "population": n}
            for a, series in history.items()
            for year, n in sorted(series.items())
        ]
    ).to_csv(folder / "population_history.csv", index=False)
    return folder
