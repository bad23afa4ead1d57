"""The placeholder network and the facility template of a built world.

Without a facility register the builder places one unit per service in the most
populous zone, sized by an **estimate** rule, and marks the world as a *placeholder
network*. ``servicesim-world template`` writes the same units as a register to edit,
with the public health facilities of the area as commented suggestions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scenarios.worlds.build import facilities as fac


def rate_matrix(service: dict) -> np.ndarray:
    """Rates by kind (permanent, seasonal) and age, shape (2, 101), from ``services.yaml``."""
    out = np.zeros((2, 101))
    kinds = service.get("kinds", ["permanent", "seasonal"])
    for band in service.get("rates") or []:
        a0, a1 = int(band["age_from"]), int(band["age_to"]) + 1
        out[0, a0:a1] = band.get("permanent", 0.0) if "permanent" in kinds else 0.0
        out[1, a0:a1] = band.get("seasonal", 0.0) if "seasonal" in kinds else 0.0
    return out


def expected_demand(
    service: dict, residents: np.ndarray, seasonal_persons: np.ndarray, seasonal_share: np.ndarray
) -> np.ndarray:
    """Compute the expected demand of the whole world by month (visits or places), shape (12,).

    ``seasonal_persons`` is persons present by month (residences x users x presence).
    """
    rate = rate_matrix(service)
    perm = float(residents.sum(axis=(0, 1)) @ rate[0])
    per_seasonal = float(seasonal_share.sum(axis=0) @ rate[1])
    return (perm + seasonal_persons * per_seasonal) * np.asarray(service["month_factors"], float)


def capacity(service_id: str, demand: np.ndarray) -> int:
    """Capacity per month from demand by month: slack x peak or off-summer mean."""
    slack, basis = fac.SIZING.get(service_id, fac.DEFAULT_SIZING)
    base = demand.max() if basis == "peak" else demand[fac.OFFPEAK].mean()
    return max(1, int(np.ceil(slack * base)))


def costs(service: dict, cap: int) -> tuple[float, float]:
    """Cost a one-service unit: fixed EUR/year and EUR per visit (or per place-month)."""
    unit = fac.UNIT_COST.get(service["id"], fac.DEFAULT_UNIT_COST)
    share = fac.PROPERTY_SHARE
    if service["demand_type"] == "enrolment":
        months = int(np.count_nonzero(service["month_factors"]))
        return round(share * unit * cap, -2), round((1 - share) * unit / max(months, 1), 2)
    return round(share * unit * cap * 12, -2), round((1 - share) * unit, 2)


def placeholder_register(
    services: list[dict], zone: str, prefix: str, demand: dict
) -> pd.DataFrame:
    """One unit per service in ``zone``, as register rows (the ``--facilities`` format)."""
    rows = []
    for s in services:
        cap = capacity(s["id"], demand[s["id"]])
        fixed, per = costs(s, cap)
        months = "1-5,8-12" if s["id"] == "basic_education" else "1-12"
        rows.append(
            {
                "facility_id": f"{prefix}_{s['id']}",
                "name": f"{s['name']} (placeholder)",
                "zone_id": zone,
                "x_m": "",
                "y_m": "",
                "services": f"{s['id']}={cap}",
                "open_months": months,
                "fixed_cost_eur_per_year": fixed,
                "cost_per_visit_eur": per,
            }
        )
    return pd.DataFrame(rows, columns=list(fac.REGISTER_COLUMNS))


def register_to_world(register: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Register rows with a zone (placeholder rows) -> facilities and links tables."""
    facs = register[
        [
            "facility_id",
            "name",
            "zone_id",
            "open_months",
            "fixed_cost_eur_per_year",
            "cost_per_visit_eur",
        ]
    ]
    links = []
    for fid, text in zip(register.facility_id, register.services, strict=True):
        for part in text.split(";"):
            sid, _, cap = part.partition("=")
            links.append({"facility_id": fid, "service_id": sid, "capacity_per_month": float(cap)})
    return facs.reset_index(drop=True), pd.DataFrame(links)


def template_text(
    register: pd.DataFrame, zones: pd.DataFrame, health: pd.DataFrame, title: str
) -> str:
    """Write the facility template: header comments, placeholder rows, suggestions."""
    head = [
        f"# Facility register for {title} (servicesim-world; docs/howto/new-world.md).",
        "# One row per facility. zone_id = a postal code below, or leave it empty and give",
        "# x_m,y_m in EPSG:3067 metres. services = service=capacity per month, ';'-separated.",
        "# The rows below are the builder's placeholder units (estimates): replace them.",
        "# Zones (postal code, name, residents 2022):",
    ]
    head += [f"#   {z.postal_code} {z.name} {int(z.population_2022)}" for z in zones.itertuples()]
    head.append("# Suggestions from the public health facility list (partial; see its README):")
    for k, h in enumerate(health.itertuples(), start=1):
        head.append(
            f"# health_{k},{_csv_safe(h.facility_name)},{h.area_postal_code},{h.x_m},{h.y_m},"
            "primary_health_care=,1-12,,"
        )
    return "\n".join(head) + "\n" + register.to_csv(index=False)


def _csv_safe(text: str) -> str:
    text = str(text).replace('"', "'")
    return f'"{text}"' if "," in text else text
