"""The README of a built world: sources, licences, method, and which figures are estimates."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: (figure, source table, repository and its licence) of every source a world uses.
SOURCE_ROWS = (
    (
        "municipal population 31.12.1972-{base}",
        "StatFin 11re",
        "`Kangasalakehitys/kuukausiraportti` (no licence file)",
    ),
    (
        "regional population by sex and age, 2017 and {base}",
        "StatFin 11re",
        "`PPgp/bayesPopFINdata` (no licence file)",
    ),
    (
        "postal-code population by age band and households, 2013-2017",
        "Paavo",
        "`xiaoxiaobt/Reaktor-Data-Science-project` (MIT)",
    ),
    ("postal-code population 31.12.2022", "Paavo", "`rOpenGov/geofi` (BSD-2-Clause)"),
    (
        "postal-code areas: names, points, municipality key",
        "Paavo 2020",
        "`synthetichealth/synthea-international` (Apache-2.0)",
    ),
    (
        "postal-code polygons 2019 (generalised)",
        "Statistics Finland postal-code area boundaries",
        "`jhimberg/aanestysalue2postinumero` (GPL-3.0)",
    ),
    (
        "free-time residences by municipality, 2022",
        "StatFin 116j",
        "`kmmsks/r_workflow_example` (no licence file)",
    ),
    (
        "health facilities (template suggestions only)",
        "THL TOPI via Eurostat basic-services 2019; synthea-international lists",
        "`eurostat/basic-services` (EUPL-1.2), "
        "`synthetichealth/synthea-international` (Apache-2.0)",
    ),
)
SOURCES = (
    "## Sources and licences\n\n"
    "All statistics are **Statistics Finland** open data under **CC BY 4.0**\n"
    '(https://creativecommons.org/licenses/by/4.0/). Attribution: "Source: Statistics\n'
    'Finland" with the table named. The extracts shipped with servicesim\n'
    "(`scenarios/worlds/data/README.md`) came from public repositories; their own licences\n"
    "cover their work, not the statistics.\n\n"
    "| figure | source (table) | extracted from (repository licence) |\n|---|---|---|\n"
    + "".join(f"| {a} | {b} | {c} |\n" for a, b, c in SOURCE_ROWS)
)


def _md_table(df: pd.DataFrame) -> str:
    cols = [str(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in df.to_numpy()]
    return "\n".join(lines)


def _facilities(world: Any) -> str:
    if world.placeholder:
        return """## Facilities: **PLACEHOLDER NETWORK** (estimates, not real units)

No facility register was given, so the builder placed **one unit per service in the
most populous zone** (`world.yaml`: `placeholder_network: true`; the run summary and
`results.nc` say so too). Capacity = slack x the world's expected demand (rates x
residents, plus seasonal residents = residences x users x presence share): the peak
month for enrolment services (slack 1.15 early childhood education, 1.10 basic
education and elderly care), the mean of September-May for visit services (slack
1.15). Costs: unit cost (EUR per place-year or per visit; estimates as in the
embedded Sysmä world) split 25 % fixed / 75 % per visit. **Replace it** with your
register: `servicesim-world template` writes one to edit (`docs/howto/new-world.md`).
"""
    notes = "\n".join(f"> {line}" for line in world.register_notes) or "> (none)"
    return f"""## Facilities

From the facility register given with `--facilities` ({len(world.facilities)} units),
validated: known zones (or EPSG:3067 points inside the area, located in their
postal-code polygon), unique ids, services the world defines, finite non-negative
capacities and costs. Capacities and costs are the register's. The register's own
notes (its `#` lines):

{notes}
"""


def _travel(world: Any, opts: Any) -> str:
    if opts.travel is not None:
        return f"""## Travel (`travel.csv`)

From the matrix given with `--travel` (`{opts.travel.name}`); `km` made symmetric
by averaging the two directions.
"""
    r = opts.rule
    return f"""## Travel (`travel.csv`) - **estimate**

Between zones: straight-line distance between the Paavo points x detour factor
**{r.detour}** (road circuity of motorway and rural networks, 1.3 +- 0.1, Wang et al.,
npj Complexity 2024; no Finnish factor is published). Inside a zone: detour x 2/3 of the
radius of a disc with the zone's area (the mean distance from its centre), at least
{r.min_intra_km:g} km. `minutes_car` = km / {r.car_kmh:g} km/h x 60 + {r.car_access_min:g}
min; `minutes_nocar` = km / {r.nocar_kmh:g} km/h x 60 + {r.nocar_wait_min:g} min (bus,
demand-responsive taxi and walking). For real road times use `--travel` with a matrix
from r5py or OSRM (`docs/howto/new-world.md`).
"""


def _zone_table(world: Any, zones: pd.DataFrame) -> str:
    pop = world.residents.sum(axis=(1, 2))
    df = pd.DataFrame(
        {
            "zone": world.zones.zone_id,
            "name": world.zones.name,
            "municipality": world.zones.area_id,
            "residents": pop,
            "share %": np.round(100 * pop / max(pop.sum(), 1), 2),
            "Paavo 2022": zones.population_2022.to_numpy(),
            "residences": world.residences,
            "own age bands": np.where(world.own_bands, "yes", "no (municipal)"),
        }
    )
    return _md_table(df)


def world_readme(world: Any, zones: pd.DataFrame, sources: Any, opts: Any) -> str:
    """README.md text of a built world."""
    base = sources.base_year
    m = sources.municipalities.set_index("municipality_code")
    munis = ", ".join(f"{m.at[c, 'name_fi']} {c}" for c in world.area.codes)
    region = sources.regions.set_index("region_code").loc[world.area.rates_region]
    totals = world.history[world.history.year == base].population.sum()
    placeholder_note = " (placeholder network)" if world.placeholder else ""
    return f"""# World `{world.area.name}`: {world.area.title}

Built by `servicesim-world build` from the data shipped with servicesim; rebuild
rather than edit by hand. Format: `docs/world-format.md`. Deterministic.

Municipalities (1.1.2024 division): {munis}. Base year {base}: **{int(world.residents.sum()):,}**
residents (the municipal totals of 31.12.{base}, StatFin 11re, exactly: {int(totals):,}),
**{int(world.residences.sum()):,}** free-time residences, {len(world.zones)} zones
(postal-code areas), {len(world.facilities)} facilities{placeholder_note}.
The forecast uses the rates of region {world.area.rates_region} ({region.name_fi}) and each
municipality's own registered history (`population_history.csv`, area = municipality code).

{SOURCES.format(base=base)}
## Residents (`residents.csv`)

1. **Zone totals** (data): each municipality's 31.12.{base} total (11re) split in
   proportion to the 31.12.2022 postal-code totals (Paavo), largest remainder: totals
   exact, shares equal the 2022 shares within rounding. Postal areas are assigned to one
   municipality (Paavo 2020 key; Honkajoki 099 to Kankaanpää 214); people of a
   municipality living in an area keyed to a neighbour are counted in its areas.
2. **Age structure per zone** (data, then estimate): the zone's latest unsuppressed Paavo
   age bands (2013-2017, both sexes; bands are suppressed in areas of 1-29 inhabitants);
   where suppressed or empty, the municipality's summed bands (**estimate**).
3. **Single ages and sexes** (**estimate**): each band spread over its ages and sexes in
   proportion to the region's 2017 single-age x sex population (11re).
4. **Update 2017 -> {base}** (**estimate**, Hamilton-Perry): each cohort aged {base - 2017}
   years with the region's cohort-change ratios; ages 0-{base - 2017 - 1} from the zone's
   women aged 15-49 times the region's child-woman ratio.
5. **Integers**: each zone's cells by largest remainder to its total.

## Free-time residences (`seasonal_residences.csv`)

Each municipality's 2022 count (StatFin 116j) split in proportion to the Paavo 2017
free-time residences of its postal-code areas (a different series; the shares are data,
the scaling an **estimate**); equal shares where Paavo has none. Seasonal residents:
{opts.users_per_residence} users per residence (MMM cottage barometer 2021, **estimate**),
presence profile and age structure of `scenarios/worlds/data/defaults/README.md` (**estimates**,
`seasonal_profiles.csv`, `seasonal_age_structure.csv`).

## Other files

- `world.yaml`: `household_size` {world.meta["household_size"]} = Paavo 2017 inhabitants /
  households of the zones; `internal_move_rate` {opts.internal_move_rate} (**estimate**).
- `services.yaml`: the embedded worlds' six services and demand rates (**estimates**, see
  `scenarios/worlds/data/defaults/README.md` for each rate's basis).
- `zones.csv`: postal code, Paavo name, municipality, Paavo point (EPSG:3067).
- `zones.geojson`: the zone polygons (Paavo 2019, generalised; EPSG:3067).
- `population_history.csv`: 11re totals 1972-{base} per municipality.

{_travel(world, opts)}
{_facilities(world)}
## Zones

{_zone_table(world, zones)}
"""
