"""The service side of the world data comes out of the builders, byte for byte.

``tools/service_defaults.py`` writes the builder's default services, standards and
channels and Sysmä's norm-sized facility register; ``servicesim-world build`` then
writes the embedded Sysmä world. Rebuilding must give the shipped files unchanged.
"""

from __future__ import annotations

import math

import service_defaults as sd
import yaml

from scenarios.worlds.build import load_sources
from scenarios.worlds.build.areas import resolve_area
from scenarios.worlds.build.facilities import SIZING
from scenarios.worlds.build.world import BuildOptions, build_world, world_files
from scenarios.worlds.loader import load_world
from tests.tools.conftest import REPO

DATA = REPO / "scenarios" / "worlds" / "data"
SYSMA = REPO / "scenarios" / "worlds" / "sysma"


def test_every_default_service_has_a_waiting_rule_and_the_defaults_have_standards():
    services = yaml.safe_load((DATA / "defaults" / "services.yaml").read_text(encoding="utf-8"))
    assert {s["id"] for s in services if "waiting" in s} == {s["id"] for s in services}
    health = next(s for s in services if s["id"] == "primary_health_care")
    assert {"phone", "digital"} <= set(health["channels"])
    assert all(b["seasonal"] < b["permanent"] for b in health["rates"])
    standards = yaml.safe_load((DATA / "defaults" / "standards.yaml").read_text(encoding="utf-8"))
    assert {s["service"] for s in standards} == {s["id"] for s in services}


def test_sysma_register_is_rebuilt_unchanged():
    assert sd.register_text() == (DATA / "sysma_facilities.csv").read_text(encoding="utf-8")


def test_embedded_sysma_is_the_builders_output_byte_for_byte():
    sources = load_sources()
    opts = BuildOptions(facilities=DATA / "sysma_facilities.csv")
    files = world_files(build_world(resolve_area(["781"], None, sources), sources, opts))
    shipped = {p.name for p in SYSMA.iterdir() if p.is_file()}
    assert set(files) == shipped
    for name, text in files.items():
        assert text == (SYSMA / name).read_text(encoding="utf-8"), name
    world = load_world(SYSMA)
    assert len(world.standards) > 0
    digital = {d.service for d in world.digital_channels}
    assert digital == {"primary_health_care", "one_stop_service"}


def test_rebuilt_defaults_equal_the_shipped_files(shared, tmp_path):
    written = sd.write_defaults(shared, tmp_path)
    assert len(written) == 5
    for path in written:
        assert path.read_bytes() == (DATA / "defaults" / path.name).read_bytes(), path.name


def test_a_placeholder_network_is_sized_by_the_norms():
    sources = load_sources()
    world = build_world(resolve_area(["781"], None, sources), sources, BuildOptions())
    links = world.links.set_index("service_id").capacity_per_month
    basis, per_resident = SIZING["primary_health_care"]
    assert basis == "per_resident"
    assert links["primary_health_care"] == math.ceil(world.residents.sum() * per_resident)
    assert links["primary_health_care"] == 1465  # same norm as Sysmä's register
