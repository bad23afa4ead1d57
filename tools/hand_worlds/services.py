"""The six services of the embedded worlds and their expected demand."""

from __future__ import annotations

import numpy as np
import service_norms

from hand_worlds.inputs import BASE_YEAR, FINLAND, Inputs, WorldData, regional_structure
from hand_worlds.population import USERS_PER_RESIDENCE

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
    return with_titles([
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
    ])  # fmt: skip


#: Names of the services in the report's languages (``title`` of services.yaml).
TITLES = {
    "early_childhood_education": {
        "en": "Early childhood education",
        "fi": "Varhaiskasvatus",
        "sv": "Småbarnspedagogik",
    },
    "basic_education": {
        "en": "Basic education",
        "fi": "Perusopetus",
        "sv": "Grundläggande utbildning",
    },
    "primary_health_care": {
        "en": "Primary health care (health station)",
        "fi": "Perusterveydenhuolto (terveysasema)",
        "sv": "Primärvård (hälsostation)",
    },
    "elderly_care": {
        "en": "Elderly care (24-hour service housing)",
        "fi": "Ikääntyneiden ympärivuorokautinen palveluasuminen",
        "sv": "Äldreomsorg (serviceboende dygnet runt)",
    },
    "library": {"en": "Library", "fi": "Kirjasto", "sv": "Bibliotek"},
    "one_stop_service": {
        "en": "One-stop service point (asiointipiste)",
        "fi": "Asiointipiste",
        "sv": "Samservicepunkt",
    },
}


def with_titles(items: list[dict]) -> list[dict]:
    """Services with their Finnish, Swedish and English ``title`` after the ``name``."""
    out = []
    for item in items:
        keys = list(item)
        at = keys.index("name") + 1
        ordered = [*keys[:at], "title", *keys[at:]]
        out.append({k: TITLES[item["id"]] if k == "title" else item[k] for k in ordered})
    return out


def with_norms(items: list[dict]) -> list[dict]:
    """Services with waiting rules, seasonal rates and channels (tools/service_norms.py)."""
    return [service_norms.apply(s) for s in items]


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


def demand_by_service(world: WorldData) -> dict[str, np.ndarray]:
    """Expected demand (zone, month) of every service of a world."""
    return {
        s["id"]: expected_demand(
            s, world.residents, world.residences, world.presence, world.seasonal_share
        )
        for s in world.services
    }
