"""Write the service side of the world builder's inputs (issue 12).

Two jobs, both deterministic, run from the repository root::

    python tools/service_defaults.py --shared ../shared defaults
    python tools/service_defaults.py sysma-register

``defaults`` writes ``scenarios/worlds/data/defaults/``: the services every built world
starts from (the embedded worlds' six services with the waiting rules, the seasonal
residents' use rates and the phone/digital channels of ``tools/service_norms.py``),
``standards.yaml`` (the dated service standards), ``digital_channels.csv`` (adoption of
the digital channels) and the seasonal presence profile and age structure; the same
files ``tools/build_worlds.py`` writes into the worlds it builds.

``sysma-register`` rewrites the capacities and costs of Sysmä's facility register
(``scenarios/worlds/data/sysma_facilities.csv``) from the staffing and place norms of
``tools/service_norms.py``, over the Sysmä world the builder makes from the postal-code
data (each unit serves the zones nearest to it by car); ids, names, sites and opening
months are kept. The embedded world is then rebuilt with ``servicesim-world build``
(``docs/world-builder.md``).
"""

from __future__ import annotations

import argparse
import io
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import service_norms  # noqa: E402
from hand_worlds.facilities import facility_rows  # noqa: E402
from hand_worlds.inputs import WorldData, read_inputs  # noqa: E402
from hand_worlds.population import presence_profile, seasonal_shares  # noqa: E402
from hand_worlds.services import expected_demand, services, with_norms  # noqa: E402
from hand_worlds.writers import dump, write_seasonal  # noqa: E402

from forecasting.vocabulary import SEXES  # noqa: E402
from scenarios.worlds.build import load_sources  # noqa: E402
from scenarios.worlds.build.areas import resolve_area  # noqa: E402
from scenarios.worlds.build.world import BuildOptions, build_world, default_texts  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULTS = REPO / "scenarios" / "worlds" / "data" / "defaults"
REGISTER = REPO / "scenarios" / "worlds" / "data" / "sysma_facilities.csv"
SYSMA = "781"

#: Header of Sysmä's register (it becomes the facilities section of the world's README).
REGISTER_NOTES = (
    "Sysmä's facility register (ids, names, sites and opening months kept from the "
    "hand-built embedded world, tools/build_worlds.py, 2026-11).",
    "Sites and names are assumptions where no register was available offline: one daycare, "
    "the centre comprehensive school, a village school in Nuoramoinen 19370 (not verified), "
    "the health station (Päijät-Häme wellbeing services county since 2023), a 24-hour "
    "elderly care unit, the main library and the one-stop service point, all in the centre "
    "19700 unless noted.",
    "Capacities from norms (tools/service_norms.py; written by python "
    "tools/service_defaults.py sysma-register): each unit serves the zones nearest to it by "
    "car; health station: doctors 7 per 10,000 residents (THL 2022) at 8.5 appointments a "
    "day and 2 nurses per doctor at 10 a day (estimate), 21 working days a month; one-stop "
    "point: one clerk per 10,000 residents at 15 customers a day (estimate); library and "
    "places (daycare, schools, elderly care): the catchment's peak month of expected demand "
    "x 1.10 (estimate).",
    "Costs split 25 % fixed / 75 % per visit from unit costs (basic education 12,358 "
    "EUR/pupil-year, Kuntaliitto 2023; the others estimates). Estimates.",
)


def write_defaults(shared: Path, folder: Path = DEFAULTS) -> list[Path]:
    """Write the builder's default services, standards, channels and seasonal tables."""
    inp = read_inputs(shared)
    items = with_norms(services(inp))
    seasonal = WorldData(
        name="defaults", title="", zones=pd.DataFrame(), residents=np.zeros(0),
        residences=np.zeros(0), presence=presence_profile(),
        seasonal_share=seasonal_shares(inp), services=items, travel={},
        facilities=pd.DataFrame(), links=pd.DataFrame(), history=pd.DataFrame(), meta={},
    )  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "services.yaml").write_text(dump(items), encoding="utf-8")
    (folder / "standards.yaml").write_text(dump(service_norms.STANDARDS), encoding="utf-8")
    pd.DataFrame(service_norms.digital_rows()).to_csv(folder / "digital_channels.csv", index=False)
    write_seasonal(seasonal, folder)
    names = ("services.yaml", "standards.yaml", "digital_channels.csv")
    return [folder / n for n in (*names, "seasonal_age_structure.csv", "seasonal_profiles.csv")]


def seasonal_inputs(texts: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Presence share by month and seasonal age x sex shares from the default tables."""
    presence = pd.read_csv(io.StringIO(texts["seasonal_profiles.csv"]))
    share = pd.read_csv(io.StringIO(texts["seasonal_age_structure.csv"]))
    share = share.pivot(index="sex", columns="age", values="share").loc[list(SEXES)]
    return presence.presence_share.to_numpy(float), share.to_numpy(float)


def register_text(register: Path = REGISTER) -> str:
    """Return Sysmä's register with capacities and costs from the norms."""
    sources = load_sources()
    world = build_world(resolve_area([SYSMA], None, sources), sources, BuildOptions())
    texts = default_texts(sources.folder)
    defaults = yaml.safe_load(texts["services.yaml"])
    presence, share = seasonal_inputs(texts)
    rows = pd.read_csv(register, comment="#", dtype=str, keep_default_na=False)
    ids = list(world.zones.zone_id)
    minutes = world.travel["minutes_car"]
    people = world.residents.reshape(len(ids), -1).sum(axis=1)
    sized: dict[str, tuple[int, float, float]] = {}
    for service in defaults:
        sid = service["id"]
        units = rows[rows.services.str.split("=").str[0] == sid]
        units = zip(units.facility_id, units.name, units.zone_id, strict=True)
        sites = [(f, n, ids.index(z)) for f, n, z in units]
        if not sites:
            continue
        demand = expected_demand(service, world.residents, world.residences, presence, share)
        facs, links = facility_rows(service, sites, np.arange(len(ids)), demand, minutes, people)
        for f, link in zip(facs, links, strict=True):
            cap = int(link["capacity_per_month"])
            sized[f["facility_id"]] = (cap, f["fixed_cost_eur_per_year"], f["cost_per_visit_eur"])
    out = rows.copy()
    for i, fid in enumerate(out.facility_id):
        cap, fixed, per = sized[fid]
        out.loc[i, "services"] = f"{out.services[i].split('=')[0]}={cap}"
        out.loc[i, "fixed_cost_eur_per_year"] = repr(float(fixed))
        out.loc[i, "cost_per_visit_eur"] = repr(float(per))
    lines = [w for note in REGISTER_NOTES for w in textwrap.wrap(note, 96)]
    return "".join(f"# {line}\n" for line in lines) + out.to_csv(index=False)


def main(argv: list[str] | None = None) -> None:
    """Command line: ``defaults`` or ``sysma-register``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("job", choices=["defaults", "sysma-register"])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=None, help="folder or file to write")
    args = parser.parse_args(argv)
    if args.job == "defaults":
        for path in write_defaults(args.shared, args.out or DEFAULTS):
            print(f"wrote {path}")
    else:
        target = args.out or REGISTER
        text = register_text(REGISTER)
        target.write_text(text, encoding="utf-8")
        print(text)


if __name__ == "__main__":
    main()
