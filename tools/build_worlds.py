"""Build the embedded world ``paijat_hame`` (and the old hand-built ``sysma``) from StatFin data.

Run from the repository root::

    python tools/build_worlds.py --shared ../shared

Since 2026-11-30 the embedded ``sysma`` is built by ``servicesim-world`` from the
postal-code data (``docs/world-builder.md``); this script writes the old hand-built
Sysmä only with ``--old-sysma`` (for comparison, never over the embedded one).

The script is deterministic (no randomness). Counts are integerised with
largest-remainder rounding so that totals are exact. Every figure that the data do
not give is an estimate; the rules and numbers are written into each world's
``README.md`` by this script, so the files and their provenance stay in step.
The output format is ``docs/world-format.md``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from world_readme import paijat_hame_readme, sysma_readme

from forecasting.vocabulary import OPEN_AGE, SEXES
from simulation.synthesis import largest_remainder  # the same rounding the model uses

BASE_YEAR = 2023
RESIDENCES_YEAR = 2022
REGION = 7  # Päijät-Häme
FINLAND = 246
AGES = np.arange(OPEN_AGE + 1)
DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
DAYS_PER_YEAR_PRESENT = 103.0  # 2020 national cottage-use survey (domain.md)
USERS_PER_RESIDENCE = 4.7  # mmm.fi 18.6.2021 (domain.md)
# Relative monthly presence of leisure residents before scaling to 103 days (estimate).
PRESENCE_SHAPE = np.array([0.10, 0.12, 0.14, 0.18, 0.32, 0.62, 0.85, 0.55, 0.30, 0.20, 0.10, 0.14])
DETOUR = 1.3  # road km per straight-line km (estimate)
CAR_KMH, CAR_ACCESS_MIN = 60.0, 2.0  # rural car speed and access time (estimate)
NOCAR_KMH, NOCAR_WAIT_MIN = 25.0, 15.0  # bus/taxi/walk mean speed and wait (estimate)
MIN_INTRA_KM = 1.0
PROPERTY_SHARE = 0.25  # property ~1/4 of basic-education costs (oph.fi 2022, domain.md)
HEALTH_VISITS_PER_YEAR = 4.4  # 23.9 M / ~5.45 M (patio.fi 2016, domain.md)
# Relative primary-care visit rate by age band (estimate; scaled to 4.4/yr nationally).
HEALTH_PROFILE = (
    (0, 6, 1.0),
    (7, 17, 0.55),
    (18, 29, 0.7),
    (30, 44, 0.75),
    (45, 54, 0.85),
    (55, 64, 1.0),
    (65, 74, 1.35),
    (75, 84, 1.9),
    (85, 100, 2.4),
)
PH_TITLE = "Päijät-Häme (10 municipalities) by postal-code area"
PH_MUNICIPALITIES = ("016", "081", "098", "111", "142", "316", "398", "560", "576", "781")
# Administrative centres that the name rule would miss (general knowledge; see README).
CENTRE_OVERRIDES = {"098": "15870", "142": "47400", "316": "16600"}
URBAN = ("398",)  # Lahti (120,693 residents): residents split equally over zones
CENTRE_SHARE = 0.5  # residents' share of the centre zone (estimate)


@dataclass(frozen=True)
class Inputs:
    """Tables read from ``shared/data``."""

    totals: pd.DataFrame
    regional: pd.DataFrame
    bands: pd.DataFrame
    summary: pd.DataFrame
    residences: pd.DataFrame
    postal: pd.DataFrame


@dataclass
class WorldData:
    """Everything needed to write one world folder."""

    name: str
    title: str
    zones: pd.DataFrame
    residents: np.ndarray  # (zone, sex, age) int
    residences: np.ndarray  # (zone,) int
    presence: np.ndarray  # (12,)
    seasonal_share: np.ndarray  # (sex, age)
    services: list[dict]
    travel: dict[str, np.ndarray]
    facilities: pd.DataFrame
    links: pd.DataFrame
    history: pd.DataFrame
    meta: dict
    notes: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- reading


def read_inputs(shared: Path) -> Inputs:
    """Read the Statistics Finland tables.

    Parameters
    ----------
    shared : Path
        The ``shared`` folder (with ``data/``).

    Returns
    -------
    Inputs
    """
    d = shared / "data"
    codes = {"municipality_code": str, "postal_code": str}
    return Inputs(
        totals=pd.read_csv(d / "finland_municipal_population_totals.csv", dtype=codes),
        regional=pd.read_csv(d / "finland_regional_population_age_sex.csv"),
        bands=pd.read_csv(d / "finland_municipal_age_bands_2018.csv", dtype=codes),
        summary=pd.read_csv(d / "finland_municipal_summary_2018.csv", dtype=codes),
        residences=pd.read_csv(d / "finland_free_time_residences_by_municipality.csv", dtype=codes),
        postal=pd.read_csv(d / "finland_postal_code_areas.csv", dtype=codes),
    )


def regional_structure(inp: Inputs, region: int, year: int) -> np.ndarray:
    """Population by sex and single age of a region.

    Returns
    -------
    ndarray of int, shape (2, 101)
        Persons by sex (female, male) and age 0-100 (100 = 100+).
    """
    df = inp.regional[(inp.regional.region_code == region) & (inp.regional.year == year)]
    table = df.pivot(index="sex", columns="age", values="population")
    return table.loc[list(SEXES), list(AGES)].to_numpy(dtype=np.int64)


def municipal_total(inp: Inputs, code: str, year: int) -> int:
    """Registered population of a municipality on 31.12. of ``year`` (table 11re)."""
    t = inp.totals
    return int(t[(t.municipality_code == code) & (t.year == year)].population.iloc[0])


def municipal_residences(inp: Inputs, code: str) -> int:
    """Free-time residences of a municipality in 2022 (table 116j)."""
    r = inp.residences
    sel = (r.municipality_code == code) & (r.year == RESIDENCES_YEAR)
    return int(r[sel].free_time_residences.iloc[0])


# ---------------------------------------------------------------- rounding


def split_cells(cells: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Split integer cells over zones, exact per cell, zone totals within 1 of target.

    Remainders are carried from cell to cell per zone (controlled rounding), so small
    cells do not all land in the zone with the largest share.

    Parameters
    ----------
    cells : ndarray of int, shape (n,)
        Counts to split (e.g. persons by sex and age, flattened).
    shares : ndarray of float, shape (zone,)
        Zone shares, summing to 1.

    Returns
    -------
    ndarray of int, shape (zone, n)
    """
    out = np.zeros((len(shares), len(cells)), dtype=np.int64)
    carry = np.zeros(len(shares))
    for k, n in enumerate(cells):
        quota = n * shares + carry
        base = np.clip(np.floor(quota), 0, None).astype(np.int64)
        while base.sum() > n:  # negative carries can overshoot; take back the smallest
            base[np.argmin(np.where(base > 0, quota - base, np.inf))] -= 1
        rest = int(n - base.sum())
        base[np.argsort(-(quota - base), kind="stable")[:rest]] += 1
        carry = quota - base
        out[:, k] = base
    return out


# ---------------------------------------------------------------- population


def band_totals(inp: Inputs, code: str, total: int) -> pd.DataFrame:
    """Paavo 2018 age bands of a municipality, rescaled to ``total`` persons."""
    b = inp.bands[inp.bands.municipality_code == code].copy()
    b["age_to"] = b["age_to"].fillna(100).astype(int)
    b["count"] = largest_remainder(b.population.to_numpy(), total)
    return b[["age_from", "age_to", "count"]]


def age_sex_counts(inp: Inputs, code: str, total: int) -> np.ndarray:
    """Persons by sex and single age: municipal bands split by the regional structure.

    Returns
    -------
    ndarray of int, shape (2, 101)
    """
    region = regional_structure(inp, REGION, BASE_YEAR)
    out = np.zeros((2, 101), dtype=np.int64)
    for a0, a1, n in band_totals(inp, code, total).itertuples(index=False):
        block = region[:, a0 : a1 + 1]
        out[:, a0 : a1 + 1] = largest_remainder(block.ravel(), int(n)).reshape(block.shape)
    return out


def zone_residents(counts: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Split municipal counts (sex, age) over zones: shape (zone, sex, age)."""
    return split_cells(counts.ravel(), shares).reshape(len(shares), *counts.shape)


def presence_profile() -> np.ndarray:
    """Monthly presence shares scaled so that a year has 103 days of presence."""
    days = float(PRESENCE_SHAPE @ DAYS_IN_MONTH)
    return np.round(PRESENCE_SHAPE * DAYS_PER_YEAR_PRESENT / days, 4)


def seasonal_shares(inp: Inputs) -> np.ndarray:
    """Age and sex of seasonal residents: Finland's 2023 structure (estimate)."""
    fin = regional_structure(inp, FINLAND, BASE_YEAR).astype(float)
    return fin / fin.sum()


# ---------------------------------------------------------------- services


def health_rates(inp: Inputs) -> tuple[list[dict], float]:
    """Primary-care visit rates by age, calibrated to 4.4 visits/yr in Finland 2023.

    Returns
    -------
    rates : list of dict
        Bands with visits per person per month.
    check : float
        Population-weighted mean visits per year after rounding.
    """
    pop = regional_structure(inp, FINLAND, BASE_YEAR).sum(axis=0).astype(float)
    rel = np.zeros(101)
    for a0, a1, r in HEALTH_PROFILE:
        rel[a0 : a1 + 1] = r
    scale = HEALTH_VISITS_PER_YEAR / float(rel @ pop / pop.sum())
    rates, annual = [], np.zeros(101)
    for a0, a1, r in HEALTH_PROFILE:
        monthly = round(r * scale / 12, 4)
        annual[a0 : a1 + 1] = monthly * 12
        rates.append({"age_from": a0, "age_to": a1, "permanent": monthly, "seasonal": monthly})
    return rates, float(annual @ pop / pop.sum())


def _band(a0: int, a1: int, perm: float, seas: float = 0.0) -> dict:
    return {"age_from": a0, "age_to": a1, "permanent": perm, "seasonal": seas}


def services(inp: Inputs) -> list[dict]:
    """The six services of the embedded worlds (rates per person per month)."""
    health, _ = health_rates(inp)
    flat = [1.0] * 12
    lib, stop = round(8.5 / 12, 4), round(0.3 / 12, 4)
    common = {"channels": ["in_person"]}
    return [
        {"id": "early_childhood_education", "name": "Early childhood education",
         "demand_type": "enrolment", "unit": "places", "min_age": 1, "max_age": 6,
         "kinds": ["permanent"],
         "rates": [_band(1, 2, 0.42), _band(3, 5, 0.90), _band(6, 6, 0.99)],
         "month_factors": [1.0] * 6 + [0.3] + [1.0] * 5, **common},
        {"id": "basic_education", "name": "Basic education", "demand_type": "enrolment",
         "unit": "places", "min_age": 7, "max_age": 15, "kinds": ["permanent"],
         "rates": [_band(7, 15, 1.0)],
         "month_factors": [1.0] * 5 + [0.0, 0.0] + [1.0] * 5, **common},
        {"id": "primary_health_care", "name": "Primary health care (health station)",
         "demand_type": "visits", "unit": "visits", "min_age": 0, "max_age": 100,
         "kinds": ["permanent", "seasonal"], "rates": health, "month_factors": flat,
         **common},
        {"id": "elderly_care", "name": "Elderly care (24-hour service housing)",
         "demand_type": "enrolment", "unit": "places", "min_age": 75, "max_age": 100,
         "kinds": ["permanent"], "rates": [_band(75, 84, 0.04), _band(85, 100, 0.20)],
         "month_factors": flat, **common},
        {"id": "library", "name": "Library", "demand_type": "visits", "unit": "visits",
         "min_age": 0, "max_age": 100, "kinds": ["permanent", "seasonal"],
         "rates": [_band(0, 100, lib, lib)], "month_factors": flat, **common},
        {"id": "one_stop_service", "name": "One-stop service point (asiointipiste)",
         "demand_type": "visits", "unit": "visits", "min_age": 18, "max_age": 100,
         "kinds": ["permanent", "seasonal"], "rates": [_band(18, 100, stop, stop)],
         "month_factors": flat, **common},
    ]  # fmt: skip


def rate_matrix(service: dict) -> np.ndarray:
    """Rates by kind (permanent, seasonal) and age: shape (2, 101)."""
    out = np.zeros((2, 101))
    for band in service["rates"]:
        out[0, band["age_from"] : band["age_to"] + 1] = band["permanent"]
        out[1, band["age_from"] : band["age_to"] + 1] = band["seasonal"]
    return out


def expected_demand(
    service: dict, residents: np.ndarray, residences: np.ndarray, presence: np.ndarray,
    seasonal_share: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """Expected demand by zone and month (visits or places).

    Returns
    -------
    ndarray of float, shape (zone, 12)
    """
    rate = rate_matrix(service)
    perm = residents.sum(axis=1) @ rate[0]
    seas_per_person = float((seasonal_share.sum(axis=0)) @ rate[1])
    persons = residences * USERS_PER_RESIDENCE
    seas = np.outer(persons * seas_per_person, presence)
    factors = np.asarray(service["month_factors"])
    return (perm[:, None] + seas) * factors[None, :]


# ---------------------------------------------------------------- travel


def travel(zones: pd.DataFrame) -> dict[str, np.ndarray]:
    """Road km and minutes by car and without a car between all zone pairs."""
    x, y = zones.x_m.to_numpy(float), zones.y_m.to_numpy(float)
    km = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]) / 1000 * DETOUR
    off = km + np.diag(np.full(len(km), np.inf))
    intra = np.maximum(off.min(axis=1) / 2, MIN_INTRA_KM) if len(km) > 1 else [MIN_INTRA_KM]
    km[np.diag_indices(len(km))] = intra
    km = np.round(km, 3)
    car = np.round(km / CAR_KMH * 60 + CAR_ACCESS_MIN, 2)
    nocar = np.round(km / NOCAR_KMH * 60 + NOCAR_WAIT_MIN, 2)
    return {"km": km, "minutes_car": car, "minutes_nocar": nocar}


# ---------------------------------------------------------------- facilities

# Sizing rule per service: slack factor and which months' demand the capacity covers.
SIZING = {
    "early_childhood_education": (1.15, "peak"),
    "basic_education": (1.10, "peak"),
    "primary_health_care": (1.15, "offpeak"),
    "elderly_care": (1.10, "peak"),
    "library": (1.15, "offpeak"),
    "one_stop_service": (1.15, "offpeak"),
}
# Unit cost (estimates): EUR per place-year (enrolment) or per visit (visits).
UNIT_COST = {
    "early_childhood_education": 13_000.0,
    "basic_education": 12_358.0,
    "primary_health_care": 90.0,
    "elderly_care": 65_000.0,
    "library": 7.0,
    "one_stop_service": 25.0,
}
OPEN_MONTHS = {"basic_education": "1-5,8-12"}
OFFPEAK = np.array([1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1], dtype=bool)
SHORT = {
    "early_childhood_education": "ece",
    "basic_education": "school",
    "primary_health_care": "health",
    "elderly_care": "elderly",
    "library": "library",
    "one_stop_service": "onestop",
}


def capacity(service_id: str, demand: np.ndarray) -> int:
    """Capacity per month from a catchment's demand by month (estimate rule)."""
    slack, basis = SIZING[service_id]
    if basis == "peak":
        base = demand.max()
    elif basis == "offpeak":
        base = demand[OFFPEAK].mean()
    else:
        base = demand.mean()
    return max(1, int(np.ceil(slack * base)))


def costs(service: dict, cap: int) -> tuple[float, float]:
    """Fixed EUR/year and EUR per visit (or per place-month) of a one-service unit."""
    unit = UNIT_COST[service["id"]]
    if service["demand_type"] == "enrolment":
        open_months = int(np.count_nonzero(service["month_factors"]))
        fixed = PROPERTY_SHARE * unit * cap
        per = (1 - PROPERTY_SHARE) * unit / open_months
    else:
        fixed = PROPERTY_SHARE * unit * cap * 12
        per = (1 - PROPERTY_SHARE) * unit
    return float(round(fixed, -2)), round(per, 2)


def catchments(sites: list[int], zones_ix: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    """Nearest site (index into ``sites``) for each zone of ``zones_ix`` by car time."""
    return np.argmin(minutes[np.ix_(zones_ix, sites)], axis=1)


def facility_rows(
    service: dict, sites: list[tuple[str, str, int]], zones_ix: np.ndarray,
    demand: np.ndarray, minutes: np.ndarray,
) -> tuple[list[dict], list[dict]]:  # fmt: skip
    """Facility and link rows for one service in one area.

    Parameters
    ----------
    sites : list of (facility_id, name, zone index)
    zones_ix : ndarray of int
        Zones whose demand these facilities serve (the area's zones).
    demand : ndarray, shape (zone, 12)
        Expected demand of every zone of the world.
    """
    near = catchments([s[2] for s in sites], zones_ix, minutes)
    facs, links = [], []
    for k, (fid, name, z) in enumerate(sites):
        cap = capacity(service["id"], demand[zones_ix[near == k]].sum(axis=0))
        fixed, per = costs(service, cap)
        months = OPEN_MONTHS.get(service["id"], "1-12")
        facs.append({"facility_id": fid, "name": name, "zone_ix": z, "open_months": months,
                     "fixed_cost_eur_per_year": fixed, "cost_per_visit_eur": per})  # fmt: skip
        links.append({"facility_id": fid, "service_id": service["id"], "capacity_per_month": cap})
    return facs, links


def greedy_sites(weights: np.ndarray, minutes: np.ndarray, n: int) -> list[int]:
    """Greedy p-median: add the site that most cuts demand-weighted car minutes.

    Parameters
    ----------
    weights : ndarray, shape (m,)
        Demand of the candidate zones.
    minutes : ndarray, shape (m, m)
        Car minutes among the candidate zones.
    n : int
        Number of sites (at most m).

    Returns
    -------
    list of int
        Chosen positions into the candidate zones, in order of choice.
    """
    chosen: list[int] = []
    best = np.full(len(weights), np.inf)
    for _ in range(min(n, len(weights))):
        cost = [
            np.inf if j in chosen else float(weights @ np.minimum(best, minutes[:, j]))
            for j in range(len(weights))
        ]
        j = int(np.argmin(cost))
        chosen.append(j)
        best = np.minimum(best, minutes[:, j])
    return chosen


# ---------------------------------------------------------------- assembling


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
        "rates_region": REGION,
        "internal_move_rate": move_rate,
        "household_size": household,
        "seasonal": {
            "users_per_residence": USERS_PER_RESIDENCE,
            "profile_shares": {"leisure": 1.0},
        },
    }


def demand_by_service(world: WorldData) -> dict[str, np.ndarray]:
    """Expected demand (zone, month) of every service of a world."""
    return {
        s["id"]: expected_demand(
            s, world.residents, world.residences, world.presence, world.seasonal_share
        )
        for s in world.services
    }


def add_facilities(world: WorldData, plan: dict[str, list[tuple[str, str, int]]]) -> None:
    """Size and cost the planned sites of every service; fills facilities and links.

    Parameters
    ----------
    world : WorldData
        The world; its ``facilities`` and ``links`` are replaced.
    plan : dict
        Per area id, a list of ``(service_id, facility_id, name, zone index)``. Each
        unit serves the area's zones for which it is the nearest unit by car.
    """
    demand = demand_by_service(world)
    minutes = world.travel["minutes_car"]
    areas = world.zones.area_id.to_numpy()
    facs, links = [], []
    for area, items in plan.items():
        zones_ix = np.flatnonzero(areas == area)
        for service in world.services:
            sites = [(f, n, z) for s, f, n, z in items if s == service["id"]]
            if sites:
                f, lk = facility_rows(service, sites, zones_ix, demand[service["id"]], minutes)
                facs += f
                links += lk
    fac = pd.DataFrame(facs)
    fac.insert(2, "zone_id", world.zones.zone_id.to_numpy()[fac.pop("zone_ix")])
    world.facilities, world.links = fac, pd.DataFrame(links)


# ---------------------------------------------------------------- Sysmä

SYSMA = "781"
SYSMA_TITLE = "Sysmä (municipality 781) by postal-code area"
SYSMA_CENTRE = "19700"
SYSMA_CENTRE_SHARE = 0.5
# Cottage weight per zone relative to a village (estimate; see README).
SYSMA_COTTAGE_WEIGHT = {"19700": 0.5, "19310": 1.5, "19320": 1.5}
SYSMA_FACILITIES = (
    ("early_childhood_education", "sysma_ece_centre", "Sysmä centre daycare", "19700"),
    ("basic_education", "sysma_school_centre", "Sysmä centre comprehensive school", "19700"),
    ("basic_education", "sysma_school_nuoramoinen", "Nuoramoinen village school", "19370"),
    ("primary_health_care", "sysma_health_station", "Sysmä health station", "19700"),
    ("elderly_care", "sysma_elderly_centre", "Sysmä 24-hour elderly care unit", "19700"),
    ("library", "sysma_library", "Sysmä main library", "19700"),
    ("one_stop_service", "sysma_one_stop", "Sysmä one-stop service point", "19700"),
)


def centre_shares(n_zones: int, centre: int | None, share: float) -> np.ndarray:
    """Centre zone gets ``share``, the other zones equal parts (all equal if no centre)."""
    if centre is None or n_zones == 1:
        return np.full(n_zones, 1.0 / n_zones)
    out = np.full(n_zones, (1 - share) / (n_zones - 1))
    out[centre] = share
    return out


def build_sysma(inp: Inputs) -> WorldData:
    """The embedded default world: Sysmä by postal-code area."""
    zones = zone_table(inp, (SYSMA,))
    ids = list(zones.zone_id)
    counts = age_sex_counts(inp, SYSMA, municipal_total(inp, SYSMA, BASE_YEAR))
    shares = centre_shares(len(ids), ids.index(SYSMA_CENTRE), SYSMA_CENTRE_SHARE)
    weights = np.array([SYSMA_COTTAGE_WEIGHT.get(z, 1.0) for z in ids])
    summary = inp.summary[inp.summary.municipality_code == SYSMA].iloc[0]
    world = WorldData(
        name="sysma",
        title=SYSMA_TITLE,
        zones=zones,
        residents=zone_residents(counts, shares),
        residences=largest_remainder(weights, municipal_residences(inp, SYSMA)),
        presence=presence_profile(),
        seasonal_share=seasonal_shares(inp),
        services=services(inp),
        travel=travel(zones),
        facilities=pd.DataFrame(),
        links=pd.DataFrame(),
        history=history(inp, (SYSMA,)),
        meta=meta("sysma", SYSMA_TITLE, 0.03, float(summary.average_household_size)),
    )
    plan = [(s, f, n, ids.index(z)) for s, f, n, z in SYSMA_FACILITIES]
    add_facilities(world, {SYSMA: plan})
    return world


# ---------------------------------------------------------------- Päijät-Häme


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
        services=services(inp),
        travel=travel(zones),
        facilities=pd.DataFrame(),
        links=pd.DataFrame(),
        history=history(inp, PH_MUNICIPALITIES),
        meta=meta("paijat_hame", PH_TITLE, 0.05, household),
    )
    add_facilities(world, ph_plan(world, names))
    return world


# ---------------------------------------------------------------- writing


class _NoAliasDumper(yaml.SafeDumper):
    """YAML dumper that writes repeated lists in full (no anchors)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _dump(doc: object) -> str:
    return yaml.dump(doc, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True)


def write_world(world: WorldData, folder: Path, readme: str) -> None:
    """Write all files of ``docs/world-format.md`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = world.zones.zone_id.to_numpy()
    (folder / "world.yaml").write_text(_dump(world.meta), encoding="utf-8")
    (folder / "services.yaml").write_text(_dump(world.services), encoding="utf-8")
    world.zones.to_csv(folder / "zones.csv", index=False)
    write_travel(world.travel, ids, folder / "travel.csv")
    world.facilities.to_csv(folder / "facilities.csv", index=False)
    world.links.to_csv(folder / "facility_services.csv", index=False)
    write_residents(world.residents, ids, folder / "residents.csv")
    pd.DataFrame({"zone_id": ids, "residences": world.residences}).to_csv(
        folder / "seasonal_residences.csv", index=False
    )
    write_seasonal(world, folder)
    world.history.to_csv(folder / "population_history.csv", index=False)
    (folder / "README.md").write_text(readme, encoding="utf-8")


def write_travel(t: dict[str, np.ndarray], ids: np.ndarray, path: Path) -> None:
    """Write the full square travel matrix, one row per ordered pair."""
    i, j = np.meshgrid(np.arange(len(ids)), np.arange(len(ids)), indexing="ij")
    df = pd.DataFrame({"from_zone": ids[i.ravel()], "to_zone": ids[j.ravel()]})
    for k in ("km", "minutes_car", "minutes_nocar"):
        df[k] = t[k].ravel()
    df.to_csv(path, index=False)


def write_residents(res: np.ndarray, ids: np.ndarray, path: Path) -> None:
    """Write residents by zone, sex and age."""
    z, s, a = np.meshgrid(np.arange(len(ids)), [0, 1], AGES, indexing="ij")
    pd.DataFrame(
        {
            "zone_id": ids[z.ravel()],
            "sex": np.array(SEXES)[s.ravel()],
            "age": a.ravel(),
            "count": res.ravel(),
        }
    ).to_csv(path, index=False)


def write_seasonal(world: WorldData, folder: Path) -> None:
    """Write the seasonal age structure and the presence profile."""
    s, a = np.meshgrid([0, 1], AGES, indexing="ij")
    pd.DataFrame(
        {"sex": np.array(SEXES)[s.ravel()], "age": a.ravel(), "share": world.seasonal_share.ravel()}
    ).to_csv(folder / "seasonal_age_structure.csv", index=False, float_format="%.10f")
    pd.DataFrame(
        {"profile": "leisure", "month": np.arange(1, 13), "presence_share": world.presence}
    ).to_csv(folder / "seasonal_profiles.csv", index=False)


# ---------------------------------------------------------------- checks


def days_present(presence: np.ndarray) -> float:
    """Mean days present per year implied by monthly presence shares."""
    return float(presence @ DAYS_IN_MONTH)


def utilisation_table(world: WorldData) -> pd.DataFrame:
    """Expected demand vs capacity per facility in January and July (rough)."""
    demand = demand_by_service(world)
    minutes = world.travel["minutes_car"]
    fz = dict(zip(world.facilities.facility_id, world.facilities.zone_id, strict=True))
    ids = list(world.zones.zone_id)
    rows = []
    for sid, grp in world.links.groupby("service_id", sort=False):
        sites = [ids.index(fz[f]) for f in grp.facility_id]
        areas = world.zones.area_id.to_numpy()
        for k, (fid, cap) in enumerate(zip(grp.facility_id, grp.capacity_per_month, strict=True)):
            zix = np.flatnonzero(areas == areas[sites[k]])
            near = catchments(sites, zix, minutes)
            d = demand[sid][zix[near == k]].sum(axis=0)
            rows.append(
                {"facility": fid, "capacity": cap, "jan": round(d[0], 1), "jul": round(d[6], 1),
                 "util_jan_%": round(100 * d[0] / cap), "util_jul_%": round(100 * d[6] / cap)}
            )  # fmt: skip
    return pd.DataFrame(rows)


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
        "sysma_centre_share": SYSMA_CENTRE_SHARE,
        "sysma_cottage_weight": SYSMA_COTTAGE_WEIGHT,
        "centre_share": CENTRE_SHARE,
        "centres": {c: centre_zone(zones, c, names[c]) for c in PH_MUNICIPALITIES},
    }


def main() -> None:
    """Command line: build both worlds and print the checks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=Path("scenarios/worlds"))
    parser.add_argument("--old-sysma", type=Path, default=None, help="also write old Sysmä here")
    args = parser.parse_args()
    inp = read_inputs(args.shared)
    consts = settings(inp)
    worlds = [(build_paijat_hame(inp), paijat_hame_readme, args.out)]
    if args.old_sysma is not None:
        worlds.append((build_sysma(inp), sysma_readme, args.old_sysma))
    for world, readme, out in worlds:
        table = utilisation_table(world)
        write_world(world, out / world.name, readme(world, consts, table))
        print(report(world, inp))
        if world.name == "sysma":
            print(table.to_string(index=False))
        else:
            print(table[["util_jan_%", "util_jul_%"]].describe().round(1).to_string())


if __name__ == "__main__":
    main()
