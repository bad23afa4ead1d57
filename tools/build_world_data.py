"""Build the data shipped for ``servicesim-world`` from ``../shared/data``.

Run from the repository root::

    python tools/build_world_data.py --shared ../shared

Writes ``scenarios/worlds/data/`` (see its README): municipalities with their region
and names, regions, municipal population totals, regional age x sex structures,
postal-code areas (Paavo 2013-2017 and 2022), their polygons and the public health
facility list. Deterministic; every check that fails raises ``ValueError``.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from world_names import REGION_MEMBERS, REGION_NAMES, SWEDISH_NAMES

CODES = {"municipality_code": str, "postal_code": str}
#: Municipal mergers after the 2020 Paavo key (absorbed code -> new code).
MERGERS = {"099": "214"}  # Honkajoki -> Kankaanpää, 1.1.2021
#: Postal areas missing from the 2020 key: code -> (name, municipality code).
EXTRA_AREAS = {"97770": ("Petäjäjärvi", "683")}
BAND_YEARS = (2017, 2016, 2015, 2014, 2013)
RESIDENCES_YEAR = 2022
AGE_YEARS = (2017, 2023)


def read_shared(data: Path) -> dict[str, pd.DataFrame]:
    """Read the shared tables this builder needs."""
    files = {
        "totals": "finland_municipal_population_totals.csv",
        "regional": "finland_regional_population_age_sex.csv",
        "residences": "finland_free_time_residences_by_municipality.csv",
        "postal": "finland_postal_code_areas.csv",
        "bands": "finland_postal_code_population_age_bands.csv",
        "households": "finland_postal_code_households_dwellings.csv",
        "totals2022": "finland_postal_code_population_totals_2022.csv",
        "health": "finland_health_facilities.csv",
    }
    return {k: pd.read_csv(data / f, dtype=CODES) for k, f in files.items()}


def municipalities(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per municipality (1.1.2024): names, region and free-time residences.

    Raises
    ------
    ValueError
        If a region list names an unknown municipality, misses one, or its summed
        municipal totals differ from the regional total in any year.
    """
    last = t["totals"][t["totals"].year == t["totals"].year.max()]
    code_of = dict(zip(last.municipality_name, last.municipality_code, strict=True))
    region_of = {}
    for region, names in REGION_MEMBERS.items():
        for name in (n.replace("_", " ") for n in names.split()):
            if name not in code_of:
                raise ValueError(f"region {region}: unknown municipality {name!r}")
            region_of[code_of[name]] = region
    missing = sorted(set(code_of.values()) - set(region_of))
    if missing:
        raise ValueError(f"municipalities in no region: {missing}")
    check_regions(t, region_of)
    res = t["residences"][t["residences"].year == RESIDENCES_YEAR]
    res = dict(zip(res.municipality_code, res.free_time_residences, strict=True))
    out = pd.DataFrame(
        {
            "municipality_code": last.municipality_code,
            "name_fi": last.municipality_name,
            "name_sv": [SWEDISH_NAMES.get(n, "") for n in last.municipality_name],
            "region_code": [region_of[c] for c in last.municipality_code],
            "free_time_residences": [res[c] for c in last.municipality_code],
        }
    )
    return out.sort_values("municipality_code").reset_index(drop=True)


def check_regions(t: dict[str, pd.DataFrame], region_of: dict[str, int]) -> None:
    """Raise unless municipal totals sum to the regional totals in every year."""
    tot = t["totals"].assign(region=t["totals"].municipality_code.map(region_of))
    summed = tot.groupby(["region", "year"]).population.sum()
    reg = t["regional"][t["regional"].region_code != 246]
    official = reg.groupby(["region_code", "year"]).population.sum()
    official.index.names = ["region", "year"]
    diff = (summed - official).abs()
    if diff.isna().any() or diff.max() != 0:
        raise ValueError(f"region lists disagree with 11re: {diff[diff != 0].head()}")


def regions() -> pd.DataFrame:
    """Region codes and names (English, Finnish, Swedish)."""
    rows = [(k, *v) for k, v in REGION_NAMES.items()]
    return pd.DataFrame(rows, columns=["region_code", "name_en", "name_fi", "name_sv"])


def region_age_sex(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Regional population by sex and single age in the years the builder uses."""
    r = t["regional"]
    r = r[r.year.isin(AGE_YEARS)]
    return r[["region_code", "year", "sex", "age", "population"]].reset_index(drop=True)


def latest_bands(bands: pd.DataFrame) -> pd.DataFrame:
    """Each area's latest year (2013-2017) with unsuppressed bands, wide by band."""
    ok = bands.groupby(["postal_code", "year"]).population.transform(lambda s: s.notna().all())
    b = bands[ok]
    wide = b.pivot_table(
        index=["postal_code", "year"], columns="age_from", values="population", aggfunc="sum"
    )
    wide = wide.reset_index().sort_values(["postal_code", "year"])
    wide = wide.groupby("postal_code").tail(1).set_index("postal_code")
    wide.columns = ["band_year"] + [f"age_{int(a)}" for a in wide.columns[1:]]
    return wide


def postal_areas(t: dict[str, pd.DataFrame], polygons: dict[str, object]) -> pd.DataFrame:
    """The 3,026 postal-code areas of the 2019 polygons with their figures.

    Columns: postal_code, name, municipality_code (1.1.2024 division), x_m, y_m
    (Paavo point, EPSG:3067), area_km2, population_2017, households_2017,
    free_time_residences_2017, population_2022, band_year and the 20 Paavo bands
    ``age_0`` ... ``age_85`` (empty where suppressed in every year).
    """
    p = t["postal"].set_index("postal_code")
    rows = []
    for code, geom in sorted(polygons.items()):
        if code in p.index:
            name, muni = p.at[code, "area_name"], p.at[code, "municipality_code"]
            x, y = float(p.at[code, "x_m"]), float(p.at[code, "y_m"])
        else:
            name, muni = EXTRA_AREAS[code]
            pt = shapely.point_on_surface(geom)
            x, y = round(pt.x), round(pt.y)
        rows.append((code, name, MERGERS.get(muni, muni), x, y, round(geom.area / 1e6, 3)))
    cols = ["postal_code", "name", "municipality_code", "x_m", "y_m", "area_km2"]
    out = pd.DataFrame(rows, columns=cols).set_index("postal_code")
    hh = t["households"][t["households"].year == 2017].set_index("postal_code")
    out["population_2017"] = hh.population.reindex(out.index).fillna(0).astype(int)
    out["households_2017"] = hh.households.reindex(out.index).fillna(0).astype(int)
    out["free_time_residences_2017"] = hh.free_time_residences.reindex(out.index).astype(int)
    t22 = t["totals2022"].set_index("postal_code").population
    out["population_2022"] = t22.reindex(out.index).fillna(0).astype(int)
    bands = latest_bands(t["bands"]).reindex(out.index)
    out = out.join(bands.astype("Int64"))
    return out.reset_index()


def read_polygons(path: Path) -> dict[str, object]:
    """Postal code -> shapely geometry (EPSG:3067) from the shared GeoJSON."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {
        f["properties"]["postal_code"]: shapely.geometry.shape(f["geometry"])
        for f in doc["features"]
    }


def health_facilities(
    t: dict[str, pd.DataFrame], areas: pd.DataFrame, polygons: dict[str, object]
) -> pd.DataFrame:
    """The shared health facility list with the postal area each point falls in."""
    h = t["health"].copy()
    codes = list(polygons)
    tree = shapely.STRtree([polygons[c] for c in codes])
    pts = shapely.points(h.x_m.to_numpy(float), h.y_m.to_numpy(float))
    pairs = tree.query(pts, predicate="within")
    zone = np.full(len(h), "", dtype=object)
    zone[pairs[0]] = np.array(codes, dtype=object)[pairs[1]]
    muni = dict(zip(areas.postal_code, areas.municipality_code, strict=True))
    h["area_postal_code"] = zone
    h["municipality_code"] = [muni.get(z, "") for z in zone]
    keep = [
        "source",
        "facility_name",
        "facility_type",
        "municipality_code",
        "area_postal_code",
        "x_m",
        "y_m",
        "reference_year",
    ]
    return h[keep]


def polygons_geojson(polygons: dict[str, object]) -> str:
    """The polygons as GeoJSON text in EPSG:3067 (one feature per line)."""
    lines = [
        json.dumps(
            {
                "type": "Feature",
                "properties": {"postal_code": code},
                "geometry": shapely.geometry.mapping(geom),
            },
            separators=(",", ":"),
        )
        for code, geom in sorted(polygons.items())
    ]
    head = (
        '{"type":"FeatureCollection","crs":{"type":"name","properties":'
        '{"name":"urn:ogc:def:crs:EPSG::3067"}},"features":[\n'
    )
    return head + ",\n".join(lines) + "\n]}\n"


def _gz(path: Path, text: str) -> None:
    """Write gzip text without a timestamp, so rebuilds are byte-identical."""
    with open(path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as f:
        f.write(text.encode("utf-8"))


def build(shared: Path, out: Path) -> dict[str, int]:
    """Write every shipped file into ``out``; return row counts for the README check."""
    t = read_shared(shared / "data")
    polygons = read_polygons(shared / "data" / "finland_postal_code_areas_2019.geojson")
    out.mkdir(parents=True, exist_ok=True)
    munis = municipalities(t)
    areas = postal_areas(t, polygons)
    unknown = sorted(set(areas.municipality_code) - set(munis.municipality_code))
    if unknown:
        raise ValueError(f"postal areas in unknown municipalities: {unknown}")
    munis.to_csv(out / "municipalities.csv", index=False)
    regions().to_csv(out / "regions.csv", index=False)
    totals = t["totals"][["municipality_code", "year", "population"]]
    _gz(out / "municipal_population.csv.gz", totals.to_csv(index=False))
    _gz(out / "region_age_sex.csv.gz", region_age_sex(t).to_csv(index=False))
    _gz(out / "postal_areas.csv.gz", areas.to_csv(index=False))
    _gz(out / "postal_areas.geojson.gz", polygons_geojson(polygons))
    health_facilities(t, areas, polygons).to_csv(out / "health_facilities.csv", index=False)
    return {"municipalities": len(munis), "postal_areas": len(areas)}


def main(argv: list[str] | None = None) -> None:
    """Command line (``argv`` for tests)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=Path("scenarios/worlds/data"))
    args = parser.parse_args(argv)
    print(build(args.shared, args.out))


if __name__ == "__main__":
    main()
