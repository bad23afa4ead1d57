"""Waiting rules and service standards in a world folder: read, switched by date, refused."""

import shutil
from pathlib import Path

import pytest
import yaml

import scenarios
from scenarios.errors import WorldFileError
from scenarios.worlds.loader import load_world
from simulation.standards import StandardsTable
from tests.test_cli import servicesim

SYSMA = Path(scenarios.__file__).parent / "worlds" / "sysma"


@pytest.fixture
def world(tmp_path):
    folder = tmp_path / "world"
    shutil.copytree(SYSMA, folder)
    return folder


def _edit_yaml(path, edit):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")


def test_sysma_has_waiting_rules_and_dated_standards():
    w = load_world(SYSMA)
    rules = {s.id: s.waiting.rule for s in w.services}
    assert rules["primary_health_care"] == "switch" and rules["library"] == "lost"
    assert {rules[s] for s in ("early_childhood_education", "basic_education", "elderly_care")} == {
        "waitlist"
    }
    table = StandardsTable(w.standards, w.service_ids)
    phc = w.service_ids.index("primary_health_care")
    # The law switches by date: 3 months until 8/2023, 14 days from 9/2023, and from
    # 2025 the strictest age band (14 days, under 23).
    assert [table.limit(phc, m).limit for m in ("2023-08", "2023-09", "2025-01")] == [90, 14, 14]
    assert {s.status for s in w.standards} == {"statutory", "local"}
    assert all(s.source for s in w.standards)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: d[2].update(limit=-3), ["standards.yaml (standard 3", "limit", "-3"]),
        (lambda d: d[0].pop("limit"), ["standards.yaml (standard 1", "limit", "is missing"]),
        (
            lambda d: d[5].update(valid_from="1.9.2023"),
            ["service early_childhood_education", "valid_from", "'1.9.2023'"],
        ),
    ],
)
def test_bad_standards_name_file_service_and_value(world, edit, expected):
    _edit_yaml(world / "standards.yaml", edit)
    with pytest.raises(WorldFileError) as err:
        load_world(world)
    text = str(err.value)
    assert all(part in text for part in expected), text
    assert "primary_health_care" in text or "early_childhood_education" in text


@pytest.mark.parametrize(
    ("waiting", "expected"),
    [
        ({"rule": "switch", "patience_days": -2}, ["waiting.patience_days", "-2"]),
        ({"rule": "queue_forever"}, ["waiting.rule", "'queue_forever'", "'waitlist'"]),
        ({"rule": "lost", "patience": 3}, ["waiting", "unknown keys ['patience']"]),
    ],
)
def test_bad_waiting_rules_name_file_service_and_value(world, waiting, expected):
    def edit(doc):
        doc[2]["waiting"] = waiting

    _edit_yaml(world / "services.yaml", edit)
    with pytest.raises(WorldFileError) as err:
        load_world(world)
    text = str(err.value)
    assert "services.yaml (service primary_health_care)" in text
    assert all(part in text for part in expected), text


def _set_waiting(waiting):
    def edit(doc):
        doc[2]["waiting"] = waiting

    return edit


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "edit", "expected"),
    [
        (
            "standards.yaml",
            lambda d: d[0].update(limit=-1),
            ["standards.yaml (standard 1, service primary_health_care)", "limit", "-1"],
        ),
        (
            "standards.yaml",
            lambda d: d[0].pop("limit"),
            ["standards.yaml (standard 1, service primary_health_care)", "limit", "is missing"],
        ),
        (
            "services.yaml",
            _set_waiting({"rule": "switch", "patience_days": -0.5}),
            ["services.yaml (service primary_health_care)", "patience_days", "-0.5"],
        ),
        (
            "services.yaml",
            _set_waiting({"rule": "queue_forever"}),
            ["services.yaml (service primary_health_care)", "'queue_forever'", "'waitlist'"],
        ),
    ],
)
def test_bad_standard_or_waiting_rule_fails_the_command_and_writes_nothing(
    world, tmp_path, name, edit, expected
):
    _edit_yaml(world / name, edit)
    out = tmp_path / "out"
    proc = servicesim(
        f"world.path={world}", "horizon_years=1", f"hydra.run.dir={out}", cwd=tmp_path
    )
    assert proc.returncode == 2, proc.stderr
    assert all(part in proc.stderr for part in expected), proc.stderr
    assert "Traceback" not in proc.stderr
    assert not list(out.glob("*.nc*"))
    assert not list(out.rglob("results*"))


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("services.yaml", b"true\n", "services.yaml: must be a list of services, not bool"),
        ("services.yaml", "- id: kirjasto_ä\n".encode("latin-1"), "services.yaml: is not UTF-8"),
        ("standards.yaml", "- service: ä\n".encode("latin-1"), "standards.yaml: is not UTF-8"),
        ("standards.yaml", b"", "standards.yaml: is empty"),
    ],
)
def test_an_unreadable_services_or_standards_file_is_one_clear_problem(world, name, data, expected):
    (world / name).write_bytes(data)
    with pytest.raises(WorldFileError) as err:
        load_world(world)
    assert expected in str(err.value)
