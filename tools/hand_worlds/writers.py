"""Write a world folder in the format of ``docs/world-format.md``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import service_norms
import yaml

from forecasting.vocabulary import SEXES
from hand_worlds.inputs import AGES, WorldData
from scenarios.worlds.build.world import zone_feature_collection


class _NoAliasDumper(yaml.SafeDumper):
    """YAML dumper that writes repeated lists in full (no anchors)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def dump(doc: object) -> str:
    """YAML text of ``doc``: keys in order, Unicode kept, no anchors."""
    return yaml.dump(doc, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True)


def write_world(world: WorldData, folder: Path, readme: str) -> None:
    """Write all files of ``docs/world-format.md`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = world.zones.zone_id.to_numpy()
    (folder / "world.yaml").write_text(dump(world.meta), encoding="utf-8")
    (folder / "services.yaml").write_text(dump(world.services), encoding="utf-8")
    (folder / "standards.yaml").write_text(dump(service_norms.STANDARDS), encoding="utf-8")
    pd.DataFrame(service_norms.digital_rows()).to_csv(folder / "digital_channels.csv", index=False)
    world.zones.to_csv(folder / "zones.csv", index=False)
    if world.geometries:
        text = zone_feature_collection(world.zones, world.geometries)
        (folder / "zones.geojson").write_text(text, encoding="utf-8")
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
