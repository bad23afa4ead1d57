"""Assemble a world from the shipped data.

Zones, residents, free-time residences, travel, facilities, history and README, in the
format of ``docs/world-format.md``.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from forecasting.vocabulary import AGES, SEXES
from scenarios.worlds.build import placeholder
from scenarios.worlds.build.areas import Area, area_table
from scenarios.worlds.build.facilities import ZoneLocator, read_register
from scenarios.worlds.build.readme import world_readme
from scenarios.worlds.build.residents import BAND_YEAR, synthesise_municipality
from scenarios.worlds.build.sources import Sources
from scenarios.worlds.build.travel import TravelRule, read_travel, rule_matrix, travel_table
from simulation.synthesis import largest_remainder

DEFAULT_FILES = (
    "services.yaml",
    "standards.yaml",
    "digital_channels.csv",
    "seasonal_profiles.csv",
    "seasonal_age_structure.csv",
)


@dataclass(frozen=True)
class BuildOptions:
    """Choices of one build (the command line's options).

    Attributes
    ----------
    facilities : Path or None
        A facility register (``--facilities``); None = placeholder network.
    travel : Path or None
        A travel matrix (``--travel``); None = the detour-factor rule.
    internal_move_rate : float
        Share of residents moving to another zone each year (**estimate**).
    users_per_residence : float
        Persons per free-time residence (4.7: MMM cottage barometer 2021).
    rule : TravelRule
        Parameters of the detour-factor rule.
    """

    facilities: Path | None = None
    travel: Path | None = None
    internal_move_rate: float = 0.03
    users_per_residence: float = 4.7
    rule: TravelRule = field(default_factory=TravelRule)


@dataclass
class BuiltWorld:
    """Everything one world folder holds, as tables and text."""

    area: Area
    meta: dict
    zones: pd.DataFrame
    residents: np.ndarray  # (zone, sex, age) int
    residences: np.ndarray  # (zone,) int
    travel: dict[str, np.ndarray]
    facilities: pd.DataFrame
    links: pd.DataFrame
    history: pd.DataFrame
    geometries: dict[str, dict]
    defaults: dict[str, str]
    placeholder: bool
    own_bands: np.ndarray  # (zone,) bool
    register_notes: tuple[str, ...] = ()
    readme: str = ""


def default_texts(folder: Path) -> dict[str, str]:
    """Services, standards, digital channels, seasonal profiles and age structure.

    Every built world starts from these files of ``scenarios/worlds/data/defaults``.
    """
    return {f: (folder / "defaults" / f).read_text(encoding="utf-8") for f in DEFAULT_FILES}


def municipal_total(sources: Sources, code: str, year: int) -> int:
    """Return the registered population of a municipality on 31.12. of ``year`` (11re)."""
    p = sources.municipal_population
    return int(p.population[(p.municipality_code == code) & (p.year == year)].iloc[0])


def residents_of(
    area: Area, zones: pd.DataFrame, sources: Sources
) -> tuple[np.ndarray, np.ndarray]:
    """Residents (zone, sex, age) and own-band flags of every municipality of the area."""
    base = sources.base_year
    out = np.zeros((len(zones), 2, len(AGES)), dtype=np.int64)
    own = np.zeros(len(zones), dtype=bool)
    region_of = sources.municipalities.set_index("municipality_code").region_code
    for code in area.codes:
        ix = np.flatnonzero(zones.municipality_code.to_numpy() == code)
        region = int(region_of[code])
        then, now = sources.region_age_sex[region, BAND_YEAR], sources.region_age_sex[region, base]
        total = municipal_total(sources, code, base)
        out[ix], own[ix] = synthesise_municipality(
            zones.iloc[ix], total, then, now, base - BAND_YEAR
        )
    return out, own


def residences_of(area: Area, zones: pd.DataFrame, sources: Sources) -> np.ndarray:
    """Free-time residences by zone: Paavo 2017 shares scaled to the municipal 116j count."""
    out = np.zeros(len(zones), dtype=np.int64)
    count = sources.municipalities.set_index("municipality_code").free_time_residences
    for code in area.codes:
        ix = np.flatnonzero(zones.municipality_code.to_numpy() == code)
        w = zones.free_time_residences_2017.to_numpy(float)[ix]
        w = w if w.sum() > 0 else np.ones(len(ix))
        out[ix] = largest_remainder(w, int(count[code]))
    return out


def _meta(
    area: Area, zones: pd.DataFrame, sources: Sources, opts: BuildOptions, placeholder_net: bool
) -> dict:
    households = float(zones.households_2017.sum())
    size = round(float(zones.population_2017.sum()) / households, 2) if households > 0 else 2.0
    return {
        "name": area.name,
        "title": area.title,
        "base_year": sources.base_year,
        "language": "fi",  # the report's default language (fi, sv or en): a Finnish world
        "rates_region": area.rates_region,
        "internal_move_rate": opts.internal_move_rate,
        "household_size": max(1.0, size),
        "placeholder_network": placeholder_net,
        "seasonal": {
            "users_per_residence": opts.users_per_residence,
            "profile_shares": {"leisure": 1.0},
        },
    }


def build_world(area: Area, sources: Sources, opts: BuildOptions) -> BuiltWorld:
    """Build the world of ``area`` (pure: nothing is written).

    Raises
    ------
    BuildError
        If a facility register or travel matrix has problems.
    """
    zones = area_table(area, sources)
    ids = list(zones.postal_code)
    residents, own = residents_of(area, zones, sources)
    residences = residences_of(area, zones, sources)
    geometries = sources.polygons(ids)
    if opts.travel is not None:
        travel = read_travel(opts.travel, ids)
    else:
        travel = rule_matrix(
            zones.x_m.to_numpy(float),
            zones.y_m.to_numpy(float),
            zones.area_km2.to_numpy(float),
            opts.rule,
        )
    defaults = default_texts(sources.folder)
    services = yaml.safe_load(defaults["services.yaml"])
    if opts.facilities is not None:
        locator = ZoneLocator(ids, geometries)
        facs, links = read_register(opts.facilities, ids, {s["id"] for s in services}, locator)
    else:
        register = placeholder_units(area, zones, residents, residences, services, defaults, opts)
        facs, links = placeholder.register_to_world(register)
    world = BuiltWorld(
        area=area,
        meta=_meta(area, zones, sources, opts, opts.facilities is None),
        zones=pd.DataFrame(
            {
                "zone_id": ids,
                "name": zones.name,
                "area_id": zones.municipality_code,
                "x_m": zones.x_m,
                "y_m": zones.y_m,
            }
        ),
        residents=residents,
        residences=residences,
        travel=travel,
        facilities=facs,
        links=links,
        history=history(area, sources),
        geometries=geometries,
        defaults=defaults,
        placeholder=opts.facilities is None,
        own_bands=own,
        register_notes=register_notes(opts.facilities),
    )
    world.readme = world_readme(world, zones, sources, opts)
    return world


def register_notes(path: Path | None) -> tuple[str, ...]:
    """Return the ``#`` comment lines of a facility register (without the ``#``)."""
    if path is None:
        return ()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return tuple(t.lstrip()[1:].strip() for t in lines if t.lstrip().startswith("#"))


def placeholder_units(
    area: Area,
    zones: pd.DataFrame,
    residents: np.ndarray,
    residences: np.ndarray,
    services: list[dict],
    defaults: dict[str, str],
    opts: BuildOptions,
) -> pd.DataFrame:
    """Make the placeholder register: one unit per service in the most populous zone."""
    presence = pd.read_csv(io.StringIO(defaults["seasonal_profiles.csv"]))
    share = pd.read_csv(io.StringIO(defaults["seasonal_age_structure.csv"]))
    share = share.pivot(index="sex", columns="age", values="share").loc[list(SEXES)].to_numpy()
    persons = residences.sum() * opts.users_per_residence * presence.presence_share.to_numpy()
    demand = {s["id"]: placeholder.expected_demand(s, residents, persons, share) for s in services}
    zone = str(zones.postal_code.iloc[int(np.argmax(residents.sum(axis=(1, 2))))])
    return placeholder.placeholder_register(
        services, zone, area.name, demand, float(residents.sum())
    )


def history(area: Area, sources: Sources) -> pd.DataFrame:
    """Return each municipality's registered totals 1972-base year (population_history)."""
    p = sources.municipal_population
    h = p[p.municipality_code.isin(area.codes)].rename(columns={"municipality_code": "area_id"})
    return (
        h[["area_id", "year", "population"]].sort_values(["area_id", "year"]).reset_index(drop=True)
    )


def residents_table(residents: np.ndarray, ids: list[str]) -> pd.DataFrame:
    """``residents.csv``: one row per zone, sex and age."""
    z, s, a = np.meshgrid(np.arange(len(ids)), [0, 1], AGES, indexing="ij")
    return pd.DataFrame(
        {
            "zone_id": np.asarray(ids, dtype=object)[z.ravel()],
            "sex": np.array(SEXES)[s.ravel()],
            "age": a.ravel(),
            "count": residents.ravel(),
        }
    )


def zones_geojson(world: BuiltWorld) -> str:
    """``zones.geojson``: the zone polygons, EPSG:3067, property ``zone_id`` and ``name``."""
    return zone_feature_collection(world.zones, world.geometries)


def zone_feature_collection(zones: pd.DataFrame, geometries: dict[str, dict]) -> str:
    """GeoJSON text of zone polygons (EPSG:3067), in the order of ``geometries``.

    Parameters
    ----------
    zones : DataFrame
        The zones (``zone_id``, ``name``), as in ``zones.csv``.
    geometries : dict of str to dict
        Zone id -> GeoJSON ``Polygon`` or ``MultiPolygon`` geometry in EPSG:3067 metres.

    Returns
    -------
    str
        A ``FeatureCollection`` with a ``crs`` member, one feature per zone with
        properties ``zone_id`` and ``name``, on one line.
    """
    names = dict(zip(zones.zone_id, zones.name, strict=True))
    feats = [
        {"type": "Feature", "properties": {"zone_id": z, "name": names[z]}, "geometry": g}
        for z, g in geometries.items()
    ]
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3067"}},
        "features": feats,
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"


def _plain(value: float) -> float | int:
    """Return a whole number as an int (so capacities read ``107``, not ``107.0``)."""
    return int(value) if float(value).is_integer() else value


def world_files(world: BuiltWorld) -> dict[str, str]:
    """File name -> text of every file of the world folder."""
    ids = list(world.zones.zone_id)
    return {
        "world.yaml": yaml.safe_dump(world.meta, sort_keys=False, allow_unicode=True),
        "zones.csv": world.zones.to_csv(index=False),
        "zones.geojson": zones_geojson(world),
        "travel.csv": travel_table(world.travel, ids).to_csv(index=False),
        "facilities.csv": world.facilities.to_csv(index=False),
        "facility_services.csv": world.links.assign(
            capacity_per_month=world.links.capacity_per_month.map(_plain)
        ).to_csv(index=False),
        "residents.csv": residents_table(world.residents, ids).to_csv(index=False),
        "seasonal_residences.csv": pd.DataFrame(
            {"zone_id": ids, "residences": world.residences}
        ).to_csv(index=False),
        "population_history.csv": world.history.to_csv(index=False),
        **world.defaults,
        "README.md": world.readme,
    }
