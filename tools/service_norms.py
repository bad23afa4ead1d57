"""Service-side settings of the embedded worlds: waiting rules, seasonal use, channels,
capacity norms and the dated service standards (``standards.yaml``).

Every figure says where it comes from: a source in ``shared/reference/
service-standards-and-queues.md`` (section letter) or ``domain.md``, or **estimate**
with its reasoning. ``tools/build_worlds.py`` applies them; the explanation is in
``docs/explanation/service-model.md``.
"""

from __future__ import annotations

import numpy as np

from scenarios.worlds.build import placeholder
from scenarios.worlds.build.facilities import SIZING

# What a waiting customer does (simulation.queues). Patience: no Finnish data (ref D,
# "Finnish patience data: n/f"); estimates.
WAITING = {
    # A health-station patient who has waited three weeks for an appointment is handled
    # by phone or the digital service instead (estimate; the statutory limit is 14 days
    # 2023-2024 and for under-23s from 2025, ref A, so waits beyond it show as breaches).
    "primary_health_care": {"rule": "switch", "patience_days": 21.0},
    # ECEC: children stay about 3-5 years (ages 1-6): about a quarter of places free a
    # year (estimate).
    "early_childhood_education": {"rule": "waitlist", "place_turnover_per_year": 0.25},
    # School: 9 grades, one ninth of places free each year.
    "basic_education": {"rule": "waitlist", "place_turnover_per_year": round(1 / 9, 4)},
    # 24-hour care: median stay about 2-2.5 years (estimate): 40 % free a year.
    "elderly_care": {"rule": "waitlist", "place_turnover_per_year": 0.4},
    # A library visitor who finds it full comes back within a week or gives up.
    "library": {"rule": "lost", "patience_days": 7.0},
    # One-stop errands can be done by phone or online (HE 122/2025 allows remote
    # service), after a week.
    "one_stop_service": {"rule": "switch", "patience_days": 7.0},
}

# Seasonal residents' use as a share of a permanent resident's rate of the same age.
# No per-person measured rates exist (ref B: "Use rates: n/f"); each is an estimate.
SEASONAL_USE = {
    # Urgent care anywhere, non-urgent only with a transferred care plan (ref B). Outpatient
    # sick care was 15.7 M of about 37 M primary-care events in 2024 (42 %, ref C);
    # plus a few care plans: 0.45.
    "primary_health_care": 0.45,
    # Holiday visitors borrow little in the cottage municipality (PTT reading of
    # Mokkibarometri, qualitative, ref B): a third of the permanent rate.
    "library": 0.33,
    # Errands are run in the home municipality: a tenth.
    "one_stop_service": 0.10,
    # ECEC, school and 24-hour care are the home municipality's duty (ref B): none.
    "early_childhood_education": 0.0,
    "basic_education": 0.0,
    "elderly_care": 0.0,
}

# Channels through which each service is offered in today's network (phone everywhere
# it exists; digital through digital_channels.csv with the adoption below).
CHANNELS = {
    "primary_health_care": ["in_person", "phone", "digital"],
    "one_stop_service": ["in_person", "phone", "digital"],
}
# Share of the digitally able who can use the service's digital channel. Estimate,
# tuned so that remote contacts are about 30 % of primary-care contacts in an
# uncongested month (THL: 28.8 % in 2022, 32 % in 2023; ref C).
DIGITAL_ADOPTION = {"primary_health_care": 0.8, "one_stop_service": 0.5}

# Capacity norms: the world builder's (scenarios/worlds/build/facilities.py SIZING, with
# their basis): health station and one-stop point from staff per permanent resident of
# the catchment (21 working days a month), library and places from the peak month x 1.10.
CAPACITY_NORMS = SIZING


def apply(service: dict) -> dict:
    """Return ``service`` (a services.yaml item) with waiting rule, seasonal rates, channels."""
    sid = service["id"]
    factor = SEASONAL_USE[sid]
    rates = [{**b, "seasonal": round(b["permanent"] * factor, 4)} for b in service["rates"]]
    out = {**service, "rates": rates, "waiting": dict(WAITING[sid])}
    if sid in CHANNELS:
        out["channels"] = list(CHANNELS[sid])
    return out


def capacity(service_id: str, demand: np.ndarray, residents: float) -> int:
    """Capacity per month of one unit from its catchment (the builder's norms).

    Parameters
    ----------
    demand : ndarray, shape (12,)
        Expected demand of the catchment by month (all channels).
    residents : float
        Permanent residents of the catchment.
    """
    return placeholder.capacity(service_id, demand, residents)


def digital_rows() -> list[dict]:
    """Rows of ``digital_channels.csv`` (service_id, adoption)."""
    return [{"service_id": s, "adoption": a} for s, a in DIGITAL_ADOPTION.items()]


# Dated service standards (simulation.standards). Sources: ref A.
_PHC = "primary_health_care"
STANDARDS = [
    {"service": _PHC, "measure": "waiting_days", "limit": 90.0, "valid_from": "2005-03-01",
     "valid_to": "2023-08-31", "target_share": 0.9, "status": "statutory",
     "source": "Health Care Act 1326/2010 s.51a (non-urgent care within 3 months); HE 77/2004"},
    {"service": _PHC, "measure": "waiting_days", "limit": 14.0, "valid_from": "2023-09-01",
     "valid_to": "2024-12-31", "target_share": 0.9, "status": "statutory",
     "source": "Health Care Act 1326/2010 s.51a as amended (14 days); HE 74/2022"},
    {"service": _PHC, "measure": "waiting_days", "limit": 90.0, "valid_from": "2025-01-01",
     "age_from": 23, "age_to": 100, "target_share": 0.9, "status": "statutory",
     "source": "Health Care Act 1326/2010 s.51a as amended (3 months, age 23+); HE 134/2024"},
    {"service": _PHC, "measure": "waiting_days", "limit": 14.0, "valid_from": "2025-01-01",
     "age_from": 0, "age_to": 22, "target_share": 0.9, "status": "statutory",
     "source": "Health Care Act 1326/2010 s.51a as amended (14 days, under 23); HE 134/2024"},
    {"service": _PHC, "measure": "contact_days", "limit": 0.0, "valid_from": "2023-09-01",
     "target_share": 1.0, "status": "statutory",
     "source": "Health Care Act 1326/2010 s.51 (contact and needs assessment the same "
               "weekday); HE 74/2022"},
    {"service": "early_childhood_education", "measure": "waiting_days", "limit": 122.0,
     "valid_from": "2018-09-01", "target_share": 0.9, "status": "statutory",
     "source": "Early Childhood Education and Care Act 540/2018 s.17 (place within 4 "
               "months of application)"},
    {"service": "early_childhood_education", "measure": "waiting_days", "limit": 14.0,
     "valid_from": "2018-09-01", "age_from": 0, "age_to": 6, "target_share": 0.9,
     "status": "statutory", "demand_share": 0.2,
     "source": "Early Childhood Education and Care Act 540/2018 s.17 (place within 2 weeks "
               "when the need comes from sudden work or study); demand_share 0.2 of "
               "applications is an ESTIMATE (no statistic found; placed with priority)"},
    {"service": "basic_education", "measure": "travel_km", "limit": 5.0,
     "valid_from": "1999-01-01", "target_share": 1.0, "status": "statutory",
     "source": "Basic Education Act 628/1998 s.32 (free transport beyond 5 km)"},
    {"service": "basic_education", "measure": "daily_trip_minutes", "limit": 150.0,
     "valid_from": "2010-08-01", "age_from": 7, "age_to": 12, "target_share": 1.0,
     "status": "statutory",
     "source": "Basic Education Act 628/1998 s.32 as amended 642/2010 (daily trip with "
               "waiting at most 2.5 hours)"},
    {"service": "basic_education", "measure": "daily_trip_minutes", "limit": 180.0,
     "valid_from": "2010-08-01", "age_from": 13, "age_to": 100, "target_share": 1.0,
     "status": "statutory",
     "source": "Basic Education Act 628/1998 s.32 as amended 642/2010 (3 hours from age "
               "13)"},
    {"service": "elderly_care", "measure": "waiting_days", "limit": 91.0,
     "valid_from": "2013-07-01", "target_share": 0.9, "status": "statutory",
     "source": "Act 980/2012 s.18 (services within 3 months of the decision)"},
    {"service": "library", "measure": "access_minutes", "limit": 20.0,
     "valid_from": "2017-01-01", "target_share": 0.4, "status": "local",
     "source": "local access target (estimate): 40 % of present residents within 20 "
               "minutes by their own mode (the Sysma network reaches 56-62 % in the "
               "world built from postal-code data, 2026-11-30); "
               "Libraries Act 1492/2016 sets no distance norm"},
    {"service": "one_stop_service", "measure": "access_minutes", "limit": 20.0,
     "valid_from": "2007-01-01", "target_share": 0.4, "status": "local",
     "source": "local access target (estimate): 40 % of present residents within 20 "
               "minutes by their own mode (the Sysma network reaches 56-62 % in the "
               "world built from postal-code data, 2026-11-30); "
               "Act 223/2007 sets no distance norm"},
]  # fmt: skip
