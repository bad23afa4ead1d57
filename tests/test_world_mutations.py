"""Property: a spoiled world either loads and runs with its identities, or fails cleanly.

Hypothesis spoils one file of a tiny valid world folder (drops, duplicates, blanks or
corrupts a cell, swaps a type, writes an extreme number, mangles a YAML value or the
bytes of a file). Every outcome must be either a :class:`WorldFileError` whose
message names a file of the folder, or a world that loads and runs a year with
demand = served + unmet per facility and month and the population balance per zone
and year, and never any other exception (issue 16).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from scenarios.errors import WorldFileError
from scenarios.worlds.loader import load_world
from scenarios.worlds.tables import REQUIRED_COLUMNS
from simulation import ServiceModel
from simulation.results import run_dataset
from tests.factories import drifting_path, small_world
from tests.world_files import write_world_folder

TABLES = sorted(set(REQUIRED_COLUMNS) - {"mobile_routes.csv", "digital_channels.csv"})
FILES = (*TABLES, "world.yaml", "services.yaml")
BAD_CELLS = (
    "", "x", "-1", "0", "1.5", "1e300", "1e12", "-1e300", "inf", "-inf", "nan", "1;2", "ä",
    "None", "[1, 2]", "9" * 30, " ", "Z0", "Z9", "female", "2023", "1-12", "13-14",
)  # fmt: skip
YAML_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.lists(st.integers(0, 5), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(0, 3), max_size=2),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    world = small_world(n_zones=2, residents_per_cell=1, residences=3, seed=3)
    return write_world_folder(world, tmp_path_factory.mktemp("tiny") / "w")


def _spoil_table(folder: Path, name: str, data) -> str:
    df = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
    how = data.draw(st.sampled_from(["drop", "duplicate", "blank", "corrupt", "swap", "header"]))
    row = data.draw(st.integers(0, max(0, len(df) - 1)))
    column = data.draw(st.sampled_from(list(df.columns)))
    if how == "drop":
        df = df.drop(index=row) if len(df) else df
    elif how == "duplicate":
        df = pd.concat([df, df.iloc[[row]]], ignore_index=True) if len(df) else df
    elif how == "header":
        df = df.iloc[:0]
    elif len(df):
        value = {
            "blank": "",
            "corrupt": data.draw(st.sampled_from(BAD_CELLS)),
            "swap": df.loc[row, data.draw(st.sampled_from(list(df.columns)))],
        }[how]
        df.loc[row, column] = value
    df.to_csv(folder / name, index=False)
    return f"{how} row {row} column {column}"


def _spoil_yaml(folder: Path, name: str, data) -> str:
    doc = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
    target = data.draw(st.sampled_from(doc)) if isinstance(doc, list) else doc
    if data.draw(st.booleans()) and isinstance(target, dict):
        key = data.draw(st.sampled_from(sorted(target)))
        inner = target[key]
        if isinstance(inner, list) and inner and data.draw(st.booleans()):
            k = data.draw(st.integers(0, len(inner) - 1))
            if isinstance(inner[k], dict) and data.draw(st.booleans()):
                inner[k][data.draw(st.sampled_from(sorted(inner[k])))] = data.draw(YAML_VALUES)
            else:
                inner[k] = data.draw(YAML_VALUES)
        elif isinstance(inner, dict) and inner and data.draw(st.booleans()):
            inner[data.draw(st.sampled_from(sorted(inner)))] = data.draw(YAML_VALUES)
        elif data.draw(st.booleans()):
            del target[key]
        else:
            target[key] = data.draw(YAML_VALUES)
    else:
        doc = data.draw(YAML_VALUES)
    (folder / name).write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return "yaml edit"


def _spoil_bytes(folder: Path, name: str, data) -> str:
    raw = (folder / name).read_bytes()
    at = data.draw(st.integers(0, len(raw)))
    how = data.draw(st.sampled_from(["truncate", "latin-1", "semicolons"]))
    if how == "truncate":
        raw = raw[:at]
    elif how == "latin-1":
        raw = raw[:at] + "ä".encode("latin-1") + raw[at:]
    else:
        raw = raw.replace(b",", b";")
    (folder / name).write_bytes(raw)
    return how


def _check_run(world) -> None:
    model = ServiceModel(world, drifting_path(world, 1, seed=1), 1, seed=1)
    model.run()
    ds = run_dataset(model)
    assert (ds["demand"] == ds["served"] + ds["unmet"]).all()
    change = ds["births"] - ds["deaths"] + ds["in_migration"] - ds["out_migration"]
    assert (ds["residents_end"] == ds["residents_start"] + change).all()
    assert (ds["residents_start"].isel(year=0).values == world.residents.sum(axis=(1, 2))).all()


@given(data=st.data())
@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_a_spoiled_world_loads_and_runs_or_fails_with_a_clear_message(template, data):
    name = data.draw(st.sampled_from(FILES))
    spoil = data.draw(st.sampled_from([_spoil_bytes, _spoil_table, _spoil_yaml]))
    if name.endswith(".yaml") and spoil is _spoil_table or spoil is _spoil_yaml and ".csv" in name:
        spoil = _spoil_bytes
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(template, Path(tmp) / "w"))
        note(f"{name}: {spoil(folder, name, data)}")
        try:
            world = load_world(folder)
        except WorldFileError as err:
            files = (*FILES, "mobile_routes.csv", "digital_channels.csv")
            assert err.problems and all(p.file.startswith(files) for p in err.problems)
            assert str(folder) in str(err)
            event("refused")
            return
        event("loaded and ran")
        assert np.isfinite(world.travel.km).all()
        _check_run(world)
