"""``servicesim-world``: build, template, bad input refused with exit 2 and nothing written."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.world_cli import main
from scenarios.worlds.loader import load_world
from tests.sweeps import command, servicesim

HEADER = (
    "facility_id,name,zone_id,x_m,y_m,services,open_months,"
    "fixed_cost_eur_per_year,cost_per_visit_eur"
)
GOOD = "hs,Health station,19700,,,primary_health_care=3000;library=500,1-12,800000,67.5"


def _register(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "register.csv"
    path.write_text("\n".join(["# a comment line", HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_build_writes_a_world_the_loader_accepts_with_a_register(tmp_path):
    reg = _register(tmp_path, GOOD, "lib,Library,,427700,6823800,library=100,1-12,1000,5")
    out = tmp_path / "sysma"
    assert main(["build", "-m", "Sysmä", "--facilities", str(reg), "--out", str(out)]) == 0
    world = load_world(out)
    assert world.placeholder_network is False
    assert [f.id for f in world.facilities] == ["hs", "lib"]
    assert world.zones.ids[world.facilities[1].zone] == "19700"  # located by its polygon
    assert set(world.zone_geometries) == set(world.zones.ids)
    assert "facility register" in (out / "README.md").read_text(encoding="utf-8")


def test_bad_facility_register_is_refused_with_file_row_field_value(tmp_path, capsys):
    reg = _register(
        tmp_path,
        GOOD,
        "hs,Duplicate,19700,,,library=1,1-12,0,0",
        "x1,Unknown zone,00100,,,library=1,1-12,0,0",
        "x2,Outside,,385000,6672000,library=1,1-12,0,0",
        "x3,Bad service,19700,,,surgery=10,1-12,0,0",
        "x4,Bad capacities,19700,,,library=nan;one_stop_service=-1;elderly_care=abc,1-12,0,0",
        "x5,Bad cost,19700,,,library=1,1-12,inf,0",
    )
    out = tmp_path / "world"
    before = _listing(tmp_path)
    assert main(["build", "-m", "781", "--facilities", str(reg), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    name = str(reg)
    for expected in (
        f"{name}, line 4, field 'facility_id': missing or duplicate id 'hs'",
        f"{name}, line 5, field 'zone_id': '00100' is not a zone of the world",
        f"{name}, line 6, field 'x_m': coordinates (385000, 6672000) are outside the area",
        f"{name}, line 7, field 'services': service 'surgery' is not defined by the world",
        f"{name}, line 8, field 'services': capacity 'nan' of 'library' is not a finite",
        f"{name}, line 8, field 'services': capacity '-1' of 'one_stop_service'",
        f"{name}, line 8, field 'services': capacity 'abc' of 'elderly_care'",
        f"{name}, line 9, field 'fixed_cost_eur_per_year': 'inf' is not a finite",
    ):
        assert expected in err, expected
    assert _listing(tmp_path) == before  # nothing written, no temporary folder left


def test_unknown_municipality_exits_2_with_closest_names(tmp_path):
    out = tmp_path / "w"
    proc = subprocess.run(
        [*command("servicesim-world"), "build", "-m", "Kuopo", "--out", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "unknown municipality 'Kuopo'; closest names: Kuopio" in proc.stderr
    assert not out.exists()


def test_help_lists_the_sub_commands():
    proc = subprocess.run(
        [*command("servicesim-world"), "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0 and "build" in proc.stdout and "template" in proc.stdout


def test_an_existing_folder_is_kept_without_force(tmp_path):
    out = tmp_path / "w"
    out.mkdir()
    assert main(["build", "-m", "781", "--out", str(out)]) == 2
    assert _listing(out) == []


def test_a_travel_matrix_with_missing_pairs_is_refused(tmp_path, capsys):
    bad = tmp_path / "travel.csv"
    bad.write_text("from_zone,to_zone,km,minutes_car,minutes_nocar\n19700,19700,1,2,x\n")
    assert main(["build", "-m", "781", "--travel", str(bad), "--out", str(tmp_path / "w")]) == 2
    assert (
        f"{bad}, line 2, field 'minutes_nocar': 'x' is not a finite number"
        in capsys.readouterr().err
    )


def test_template_is_a_valid_register_with_suggestions(tmp_path):
    reg = tmp_path / "template.csv"
    assert main(["template", "-m", "781", "--out", str(reg)]) == 0
    text = reg.read_text(encoding="utf-8")
    assert "#   19700 Sysmä Keskus" in text and "# health_1," in text
    out = tmp_path / "w"
    assert main(["build", "-m", "781", "--facilities", str(reg), "--out", str(out)]) == 0
    assert len(pd.read_csv(out / "facilities.csv")) == 6


@pytest.mark.slow
def test_a_built_world_runs_two_years(tmp_path):
    out = tmp_path / "hartola"
    assert main(["build", "-m", "Hartola", "--out", str(out)]) == 0
    proc = servicesim(f"world.path={out}", "horizon_years=2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "PLACEHOLDER NETWORK" in proc.stdout


def test_a_user_travel_matrix_replaces_the_rule(tmp_path):
    first = tmp_path / "rule"
    assert main(["build", "-m", "781", "--out", str(first)]) == 0
    matrix = pd.read_csv(first / "travel.csv", dtype={"from_zone": str, "to_zone": str})
    matrix["minutes_car"] += 5.0
    path = tmp_path / "matrix.csv"
    matrix.to_csv(path, index=False)
    second = tmp_path / "routed"
    assert main(["build", "-m", "781", "--travel", str(path), "--out", str(second)]) == 0
    a, b = load_world(first).travel, load_world(second).travel
    assert np.allclose(b.minutes_car, a.minutes_car + 5.0)
    assert np.allclose(b.km, a.km) and np.allclose(b.minutes_nocar, a.minutes_nocar)
    assert "matrix.csv" in (second / "README.md").read_text(encoding="utf-8")
