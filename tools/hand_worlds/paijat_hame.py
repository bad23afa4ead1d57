"""The scale-test world ``paijat_hame``: the ten municipalities of Päijät-Häme."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hand_worlds.facilities import PROPERTY_SHARE, SHORT, add_facilities, greedy_sites
from hand_worlds.inputs import (
    BASE_YEAR,
    REGION,
    Inputs,
    WorldData,
    municipal_residences,
    municipal_total,
)
from hand_worlds.population import (
    DAYS_IN_MONTH,
    PRESENCE_SHAPE,
    USERS_PER_RESIDENCE,
    age_sex_counts,
    centre_shares,
    days_present,
    presence_profile,
    seasonal_shares,
    zone_residents,
)
from hand_worlds.services import (
    HEALTH_PROFILE,
    HEALTH_VISITS_PER_YEAR,
    demand_by_service,
    health_rates,
    services,
    with_norms,
)
from hand_worlds.travel import (
    CAR_ACCESS_MIN,
    CAR_KMH,
    DETOUR,
    MIN_INTRA_KM,
    NOCAR_KMH,
    NOCAR_WAIT_MIN,
    travel,
)
from simulation.synthesis import largest_remainder

PH_TITLE = "Päijät-Häme (10 municipalities) by postal-code area"
PH_MUNICIPALITIES = ("016", "081", "098", "111", "142", "316", "398", "560", "576", "781")
# Administrative centres that the name rule would miss (general knowledge; see README).
CENTRE_OVERRIDES = {"098": "15870", "142": "47400", "316": "16600"}
URBAN = ("398",)  # Lahti (120,693 residents): residents split equally over zones
CENTRE_SHARE = 0.5  # residents' share of the centre zone (estimate)


def zone_table(inp: Inputs, codes: tuple[str, ...]) -> pd.DataFrame:
    """Postal-code areas of the municipalities, as zones."""
    p = inp.postal[inp.postal.municipality_code.isin(codes)].sort_values("postal_code")
    return pd.DataFrame(
        {
            "zone_id": p.postal_code.to_numpy(),
            "name": p.area_name.to_numpy(),
            "area_id": p.municipality_code.to_numpy(),
            "x_m": p.x_m.to_numpy(float),
            "y_m": p.y_m.to_numpy(float),
        }
    )


def zone_polygons(inp: Inputs, zones: pd.DataFrame) -> dict[str, dict]:
    """The 2019 postal-code polygon of every zone, in zone order.

    Raises
    ------
    ValueError
        If a zone has no polygon (the 2019 map lacks its postal code).
    """
    missing = sorted(set(zones.zone_id) - set(inp.polygons))
    if missing:
        raise ValueError(f"no 2019 postal-code polygon for zones {missing}")
    return {z: inp.polygons[z] for z in zones.zone_id}


def history(inp: Inputs, codes: tuple[str, ...]) -> pd.DataFrame:
    """Population totals 1972-2023 (table 11re) by municipality."""
    t = inp.totals[inp.totals.municipality_code.isin(codes)]
    t = t.sort_values(["municipality_code", "year"])
    return pd.DataFrame(
        {"area_id": t.municipality_code, "year": t.year, "population": t.population}
    )


def meta(name: str, title: str, move_rate: float, household: float) -> dict:
    """Contents of ``world.yaml``."""
    return {
        "name": name,
        "title": title,
        "base_year": BASE_YEAR,
        "language": "fi",
        "rates_region": REGION,
        "internal_move_rate": move_rate,
        "household_size": household,
        "seasonal": {
            "users_per_residence": USERS_PER_RESIDENCE,
            "profile_shares": {"leisure": 1.0},
        },
    }


def municipality_names(inp: Inputs) -> dict[str, str]:
    """Municipality code -> name (11re, 1.1.2024 division)."""
    t = inp.totals[inp.totals.year == BASE_YEAR]
    return dict(zip(t.municipality_code, t.municipality_name, strict=True))


def centre_zone(zones: pd.DataFrame, code: str, name: str) -> str | None:
    """Centre postal code of a municipality, None for an urban one (equal shares).

    Rule: an override, else the zone named "<municipality> Keskus", else one named
    "... Keskus", else "... kk", else the lowest postal code.
    """
    z = zones[zones.area_id == code]
    if code in URBAN:
        return None
    if code in CENTRE_OVERRIDES:
        return CENTRE_OVERRIDES[code]
    for pattern in (f"{name} Keskus", "Keskus", " kk"):
        hit = z[z.name.str.contains(pattern)]
        if len(hit):
            return str(hit.zone_id.iloc[0])
    return str(z.zone_id.min())


def area_shares(zones: pd.DataFrame, code: str, name: str, for_cottages: bool) -> np.ndarray:
    """Generic split of residents or cottages over a municipality's zones (estimate)."""
    ids = list(zones[zones.area_id == code].zone_id)
    centre_id = centre_zone(zones, code, name)
    centre = None if centre_id is None else ids.index(centre_id)
    if for_cottages:
        w = np.ones(len(ids))
        if centre is not None:
            w[centre] = 0.5
        return w / w.sum()
    return centre_shares(len(ids), centre, CENTRE_SHARE)


def ph_population(
    inp: Inputs, zones: pd.DataFrame, names: dict[str, str]
) -> tuple[np.ndarray, np.ndarray]:
    """Residents (zone, sex, age) and residences (zone) of all ten municipalities."""
    residents = np.zeros((len(zones), 2, 101), dtype=np.int64)
    residences = np.zeros(len(zones), dtype=np.int64)
    for code in PH_MUNICIPALITIES:
        ix = np.flatnonzero(zones.area_id.to_numpy() == code)
        total = municipal_total(inp, code, BASE_YEAR)
        counts = age_sex_counts(inp, code, total)
        residents[ix] = zone_residents(counts, area_shares(zones, code, names[code], False))
        w = area_shares(zones, code, names[code], True)
        residences[ix] = largest_remainder(w, municipal_residences(inp, code))
    return residents, residences


# Number of units per municipality from its expected demand (estimate rules).
def unit_count(service_id: str, demand: float, population: int) -> int:
    """Number of units of a service in one municipality (documented rule)."""
    rules = {
        "basic_education": lambda: round(demand / 400),
        "early_childhood_education": lambda: round(demand / 120),
        "primary_health_care": lambda: 1 + population // 30_000,
        "elderly_care": lambda: round(demand / 60),
        "library": lambda: 1 + population // 20_000,
        "one_stop_service": lambda: 1,
    }
    return max(1, int(rules[service_id]()))


def ph_plan(world: WorldData, names: dict[str, str]) -> dict[str, list]:
    """Place facilities in every municipality by the greedy p-median rule."""
    demand = demand_by_service(world)
    minutes = world.travel["minutes_car"]
    areas = world.zones.area_id.to_numpy()
    plan: dict[str, list] = {}
    for code in PH_MUNICIPALITIES:
        ix = np.flatnonzero(areas == code)
        pop = int(world.residents[ix].sum())
        items = []
        for s in world.services:
            weights = demand[s["id"]][ix].max(axis=1)
            n = unit_count(s["id"], float(weights.sum()), pop)
            for k, j in enumerate(greedy_sites(weights, minutes[np.ix_(ix, ix)], n), start=1):
                z = ix[j]
                fid = f"{code}_{SHORT[s['id']]}_{k}"
                label = f"{names[code]} {s['name'].split(' (')[0].lower()} {k}"
                items.append((s["id"], fid, f"{label} ({world.zones.name.iloc[z]})", z))
        plan[code] = items
    return plan


def build_paijat_hame(inp: Inputs) -> WorldData:
    """The scale-test world: the ten municipalities of Päijät-Häme (1.1.2024)."""
    zones = zone_table(inp, PH_MUNICIPALITIES)
    names = municipality_names(inp)
    residents, residences = ph_population(inp, zones, names)
    s = inp.summary[inp.summary.municipality_code.isin(PH_MUNICIPALITIES)]
    household = round(float(s.population.sum() / s.households.sum()), 2)
    world = WorldData(
        name="paijat_hame",
        title=PH_TITLE,
        zones=zones,
        residents=residents,
        residences=residences,
        presence=presence_profile(),
        seasonal_share=seasonal_shares(inp),
        services=with_norms(services(inp)),
        travel=travel(zones),
        facilities=pd.DataFrame(),
        links=pd.DataFrame(),
        history=history(inp, PH_MUNICIPALITIES),
        meta=meta("paijat_hame", PH_TITLE, 0.05, household),
        geometries=zone_polygons(inp, zones),
    )
    add_facilities(world, ph_plan(world, names))
    return world


def report(world: WorldData, inp: Inputs) -> str:
    """Summary figures of a world as text."""
    lines = [
        f"== {world.name}",
        f"residents: {int(world.residents.sum()):,}",
        f"residences: {int(world.residences.sum()):,}",
        f"zones: {len(world.zones)}  facilities: {len(world.facilities)}",
        f"days present per year: {days_present(world.presence):.2f}",
        f"health mean visits/yr (Finland 2023 weights): {health_rates(inp)[1]:.3f}",
    ]
    return "\n".join(lines)


def settings(inp: Inputs) -> dict:
    """Constants and derived figures quoted in the READMEs."""
    rates, check = health_rates(inp)
    zones = zone_table(inp, PH_MUNICIPALITIES)
    names = municipality_names(inp)
    return {
        "base_year": BASE_YEAR,
        "presence_shape": PRESENCE_SHAPE,
        "days_in_month": DAYS_IN_MONTH,
        "health_profile": HEALTH_PROFILE,
        "health_rates": rates,
        "health_check": check,
        "health_visits": HEALTH_VISITS_PER_YEAR,
        "library_month": round(8.5 / 12, 4),
        "one_stop_month": round(0.3 / 12, 4),
        "detour": DETOUR,
        "min_intra_km": MIN_INTRA_KM,
        "car_kmh": CAR_KMH,
        "car_access": CAR_ACCESS_MIN,
        "nocar_kmh": NOCAR_KMH,
        "nocar_wait": NOCAR_WAIT_MIN,
        "property_share": PROPERTY_SHARE,
        "users_per_residence": USERS_PER_RESIDENCE,
        "centre_share": CENTRE_SHARE,
        "centres": {c: centre_zone(zones, c, names[c]) for c in PH_MUNICIPALITIES},
    }
