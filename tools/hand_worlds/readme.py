"""Provenance README of the world written by ``tools/build_worlds.py``.

The text is generated from the same constants and results as the data files, so
figures in the README always match its folder. ``c`` is the dictionary returned by
:func:`hand_worlds.paijat_hame.settings`; ``world`` is a
:class:`hand_worlds.inputs.WorldData`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import shapely
from shapely.geometry import shape

from scenarios.worlds.build.world import zone_feature_collection

LICENCE = (
    "Statistics Finland data are licensed under CC BY 4.0 "
    "(https://creativecommons.org/licenses/by/4.0/). Attribution: "
    '"Source: Statistics Finland" with the table ids given below.'
)
EXTRACTION = (
    "The tables were read from `shared/data` (see its README): 11re via "
    "`Kangasalakehitys/kuukausiraportti` (StatFin table updated 2024-04-26) and "
    "`PPgp/bayesPopFINdata`; 116j via `kmmsks/r_workflow_example`; Paavo (2020 release) "
    "via `synthetichealth/synthea-international`."
)
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _polygons_section(world: Any) -> str:
    """The ``zones.geojson`` section: source, licence, date, size."""
    text = zone_feature_collection(world.zones, world.geometries)
    vertices = sum(len(shapely.get_coordinates(shape(g))) for g in world.geometries.values())
    return f"""### `zones.geojson`
The polygon of every zone ({len(world.geometries)} features, {vertices:,} vertices,
{len(text.encode("utf-8")) / 1000:.0f} kB), for the report's and the dashboard's maps:
the Paavo **2019** postal-code area boundaries (Statistics Finland, downloaded from its
interface on 23.4.2019, CC BY 4.0: "Source: Statistics Finland, postal-code area
boundaries"), **generalised** (about 29 vertices per ring) by the author of
`jhimberg/aanestysalue2postinumero` (GPL-3.0), rounded to 1 m; read from
`shared/data/finland_postal_code_areas_2019.geojson` (its README, file 13) and not
simplified further: the same polygons as the `sysma` world's. EPSG:3067 integer metres;
properties `zone_id` and `name` (of `zones.csv`). Good for maps, not for exact areas or
point-in-polygon checks near borders."""


def _md_table(df: pd.DataFrame) -> str:
    """A DataFrame as a Markdown table."""
    cols = [str(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in df.to_numpy()]
    return "\n".join(lines)


def _presence(world: Any, c: dict) -> str:
    shape = " ".join(f"{m} {v:.2f}" for m, v in zip(MONTHS, c["presence_shape"], strict=True))
    final = " ".join(f"{m} {v:.4f}" for m, v in zip(MONTHS, world.presence, strict=True))
    days = float(world.presence @ c["days_in_month"])
    return f"""### `seasonal_profiles.csv` - **estimate**
One profile, `leisure` (`world.yaml`: `profile_shares: {{leisure: 1.0}}`; the MAKERA
project's two leisure profiles could not be retrieved, domain.md section 2).
- Relative monthly shape (estimate: summer peak June-August, a smaller Easter/April and
  Christmas/December bump, winter-holiday February; no monthly cottage-use data are
  available offline): {shape}.
- Scaled so that the days-in-month-weighted sum equals **103 days per year** - the
  2020 national cottage-use survey (mmm.fi, domain.md section 2): presence shares
  {final}. Implied mean days present per year: **{days:.2f}** (= {days / 365:.4f} of
  365 days; 103/365 = {103 / 365:.4f}).
"""


def _seasonal_age() -> str:
    return """### `seasonal_age_structure.csv` - **estimate**
Age x sex shares of seasonal residents = Finland's population structure on 31.12.2023
(region code 246, StatFin 11re, via `finland_regional_population_age_sex.csv`; age 100 =
100 and over), normalised to sum to 1. Estimate: no age data on cottage users exist
offline. "Holiday residents" are all members of owner households (stat.fi, domain.md),
4.7 per cottage, i.e. they include children and grandchildren, so the national
structure was used **unshifted**; it probably understates the share of older people.
"""


def _services(c: dict) -> str:
    health = ", ".join(
        f"{a0}-{a1}: {r['permanent']:.4f}" for (a0, a1, _), r in zip(
            c["health_profile"], c["health_rates"], strict=True
        )
    )  # fmt: skip
    return f"""### `services.yaml`
Rates are per person per **month** (visits) or enrolment probabilities (places).
All services have `channels: [in_person]`.
- `early_childhood_education` (enrolment, ages 1-6, permanent residents only): 0.42 at
  ages 1-2 and 0.90 at 3-5 (stat.fi Varhaiskasvatus 2023: 42 % of under-3s, 90 % of
  3-5-year-olds, domain.md); 0.99 at 6 for pre-primary education (**estimate**:
  pre-primary is near-universal). Month factors 1, except July 0.3 (**estimate**:
  summer closures).
- `basic_education` (enrolment, ages 7-15, rate 1.0, permanent only; everyone of
  compulsory-school age, domain.md section 4). Month factors 0 in June and July (summer
  holiday).
- `primary_health_care` (visits, ages 0-100, permanent and seasonal residents at the
  same rates). **Estimate**: relative age profile
  {", ".join(f"{a0}-{a1}: {r}" for a0, a1, r in c["health_profile"])}
  (child-health clinics at 0-6, lowest at school age, rising with age), scaled so that
  the mean over Finland's 2023 population (11re, region 246) is
  {c["health_visits"]} visits per person per year (23.9 M primary-care visits in 2014 /
  ~5.45 M persons, patio.fi 2016 via domain.md). Monthly rates: {health}.
  Population-weighted check after rounding: {c["health_check"]:.3f} visits/yr.
  Month factors 1.
- `elderly_care` (enrolment, 24-hour / service-housing places, ages 75-100, permanent
  only): **estimate** 0.04 at 75-84 and 0.20 at 85+ (no source offline).
- `library` (visits, all ages, both kinds): **estimate** 8.5 visits per person per year
  = {c["library_month"]:.4f} per month. Finnish public-library statistics report
  roughly 8-9 physical visits per capita a year, but that source is not in the offline
  corpus, so this is unverified.
- `one_stop_service` (visits, ages 18-100, both kinds): **estimate** 0.3 visits per
  person per year = {c["one_stop_month"]:.4f} per month (no source).
"""


def _travel(c: dict) -> str:
    return f"""### `travel.csv` - **estimate**
Full square matrix over all ordered zone pairs, from the Paavo points of `zones.csv`.
- `km` = straight-line distance x detour factor **{c["detour"]}** (estimate: a typical
  circuity of rural road networks, no source offline). Inside a zone (diagonal): half the
  road distance to the nearest other zone, at least {c["min_intra_km"]:g} km (estimate).
  Rounded to metres; exactly symmetric.
- `minutes_car` = km / {c["car_kmh"]:g} km/h x 60 + {c["car_access"]:g} min access
  (estimate: rural roads).
- `minutes_nocar` = km / {c["nocar_kmh"]:g} km/h x 60 + {c["nocar_wait"]:g} min waiting
  (estimate: average of bus, demand-responsive taxi and walking).
"""


def _costs(c: dict) -> str:
    return f"""Costs (**estimates**): each unit offers one service. A unit cost per place-year
(enrolment) or per visit (visits) is split {c["property_share"]:.0%} fixed /
{1 - c["property_share"]:.0%} variable, after "property costs are about 1/4 of
basic-education costs" (oph.fi 2022, domain.md).
`fixed_cost_eur_per_year` = {c["property_share"]} x unit cost x capacity (places, or
visits per month x 12), rounded to 100 EUR; `cost_per_visit_eur` = {1 - c["property_share"]}
x unit cost per visit, or per place-month over the months the service runs.
Unit costs: basic education 12,358 EUR/pupil-year (Kuntaliitto median 2023, domain.md);
early childhood education 13,000 EUR/child-year (estimate, no source offline); elderly
care 65,000 EUR/place-year (estimate, ~180 EUR/day, no source offline); primary care
90 EUR/visit (estimate: ~29 % of visits are with a doctor, 6.9 M of 23.9 M, domain.md;
doctor and nurse unit costs of roughly 140 and 70 EUR are recalled, not verified
offline); library 7 EUR/visit and one-stop point 25 EUR/visit (estimates, no source).

Capacity per month (`tools/service_norms.py`, each an **estimate** from a norm): each
unit serves the zones of its municipality for which it is the nearest unit by car. Health
station: staff per permanent resident of the catchment x appointments per staff-day x 21
working days (doctors 7 per 10,000 residents at 8.5 a day, THL 2022 derived; nurses 2 per
doctor at 10 a day, estimate). One-stop point: one clerk per 10,000 residents at 15
customers a day (estimate). Library and places (early childhood education, basic
education, elderly care): the catchment's peak month of expected demand x 1.10.
Capacities are rounded up.

Service model (`tools/service_norms.py`; `docs/explanation/service-model.md`):
`services.yaml` gives each service a `waiting` rule (health: switch to phone or digital
after 21 days; library: lost after 7 days; one-stop point: switch after 7 days;
enrolment services: waiting list, never lost) and seasonal residents' rates as a share of
the permanent rate (health 0.45, library 0.33, one-stop point 0.10, enrolment services 0;
**estimates**: no measured seasonal use rates exist). Health and the one-stop point offer
phone and digital channels (`digital_channels.csv`: adoption 0.8 and 0.5 of the digitally
able, **estimates** tuned to about 30 % remote primary-care contacts, THL 2022-2023).
`standards.yaml`: the dated service standards (Health Care Act 1326/2010 s.51/51a, ECEC
Act 540/2018 s.17, Basic Education Act 628/1998 s.32, Act 980/2012 s.18; library and
one-stop access targets marked local), each with its source.
"""


def _common(world: Any, c: dict) -> str:
    return "\n".join([_services(c), _presence(world, c), _seasonal_age(), _travel(c)])


def paijat_hame_readme(world: Any, c: dict, table: pd.DataFrame) -> str:
    """README.md of the ``paijat_hame`` world.

    Parameters
    ----------
    world : WorldData
        The built world.
    c : dict
        Constants and derived figures from :func:`hand_worlds.paijat_hame.settings`.
    table : DataFrame
        Demand vs capacity per facility (January and July).
    """
    z = world.zones
    per = pd.DataFrame(
        {
            "area": z.area_id,
            "residents": world.residents.sum(axis=(1, 2)),
            "residences": world.residences,
        }
    )
    agg = per.groupby("area").agg(
        zones=("residents", "size"), residents=("residents", "sum"),
        residences=("residences", "sum"),
    )  # fmt: skip
    agg["centre"] = [c["centres"][a] or "none (equal shares)" for a in agg.index]
    agg["facilities"] = world.facilities.facility_id.str[:3].value_counts().reindex(agg.index)
    util = table[["util_jan_%", "util_jul_%"]].describe().round(0).reset_index()
    return f"""# World `paijat_hame`: Päijät-Häme (10 municipalities) by postal-code area

A larger world (about 200,000 residents) for scale tests. Generated by
`tools/build_worlds.py` with the same code paths as `sysma`, but with generic rules for
every municipality; do not edit by hand. Format: `docs/world-format.md`.

{LICENCE} {EXTRACTION}

Totals: **{int(world.residents.sum()):,}** residents (sum of the ten 2023 totals of
11re, exact), **{int(world.residences.sum()):,}** free-time residences (2022, 116j),
{len(z)} zones, {len(world.facilities)} facilities.

Municipalities (1.1.2024 division): Asikkala 016, Hartola 081, Hollola 098, Heinola 111,
Iitti 142, Kärkölä 316, Lahti 398, Orimattila 560, Padasjoki 576, Sysmä 781. Iitti
joined Päijät-Häme in 2021; its 10 postal-code areas are listed under 142 in the 2020
Paavo file.

{_md_table(agg.reset_index())}

## Files

### `world.yaml`
- `base_year: {c["base_year"]}`, `rates_region: 7` (Päijät-Häme, MK07).
- `seasonal.users_per_residence: {c["users_per_residence"]}` (mmm.fi 2021, domain.md);
  `profile_shares: {{leisure: 1.0}}`.
- `internal_move_rate: {world.meta["internal_move_rate"]}`: **estimate** (no source),
  higher than Sysmä's 0.03 because of the many urban zones.
- `household_size: {world.meta["household_size"]}`: Paavo 2018 inhabitants / households
  summed over the ten municipalities (31.12.2018, Paavo 2020 release).

### `zones.csv`
All postal-code areas of the ten municipalities in the Paavo 2020 release, Paavo's
points (EPSG:3067); `area_id` = municipality code. Source: Statistics Finland, Paavo.

{_polygons_section(world)}

### `residents.csv`
- Each municipality's total on 31.12.2023 (StatFin **11re**) with its own Paavo 2018
  age bands (rescaled; **estimate** that the 2018 structure holds), split to single age
  x sex by Päijät-Häme's 2023 structure (11re, region 7; **estimate**).
- Split across zones, **estimate** (no postal-code population offline): in the city of
  Lahti (120,693 residents, 31 urban and suburban areas) all zones get equal shares;
  elsewhere the centre zone gets {c["centre_share"]:.0%} and the other zones equal
  shares. The centre is the zone named "<municipality> Keskus", else "... Keskus", else
  "... kk", else the lowest postal code, except three municipal centres known from
  general knowledge (not data): Hollola 15870 Salpakangas, Iitti 47400 Kausala,
  Kärkölä 16600 Järvelä. Same age structure in every
  zone of a municipality.

### `seasonal_residences.csv`
Each municipality's 2022 free-time residences (StatFin **116j**), split across its zones
with weight 0.5 for the centre and 1.0 for every other zone (Lahti: equal);
**estimate**, no postal-code counts offline.

{_common(world, c)}
### `facilities.csv`, `facility_services.csv` - **estimates** (generated, not real units)
Units per municipality (rules, estimates): basic education one school per 400 pupils
(rounded, at least 1); early childhood education one unit per 120 expected places;
elderly care one unit per 60 expected places; primary health care one health station
plus one per 30,000 residents; library one plus one branch per 20,000 residents;
one one-stop point. At most one unit of a service per zone. Sites: greedy p-median
within the municipality - each further unit goes to the zone that most reduces the
demand-weighted car minutes to the nearest unit (ties: lowest postal code). Facility id
= `<municipality>_<service>_<k>`.

{_costs(c)}
Utilisation implied by the rule, over all {len(table)} units (per cent):

{_md_table(util)}

### `population_history.csv`
Registered population on 31.12. of 1972-2023 for each of the ten municipalities,
StatFin **11re**, 1.1.2024 division (merged municipalities combined backwards).
Source: Statistics Finland, CC BY 4.0.

### `README.md`
This file (generated).
"""
