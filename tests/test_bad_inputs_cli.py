"""Bad inputs on the command line: exit status 2, one clear message, no results file.

Slow: each case starts ``servicesim`` (issue 16). The loader and scenario checks
themselves are tested in test_bad_worlds.py and test_bad_scenarios.py.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.bad_inputs import copy_world, header_only, set_cell
from tests.sweeps import servicesim

pytestmark = pytest.mark.slow

CLOSE_WITH_NAN_COST = (
    "scenario.changes=[{op:close,facility:sysma_school_nuoramoinen,decided:'2024-03',"
    "one_off_cost_eur:nan}]"
)


def _latin1_world_yaml(folder):
    text = (folder / "world.yaml").read_text(encoding="utf-8")
    (folder / "world.yaml").write_bytes(text.replace("Sysmä", "Sysmä").encode("latin-1"))


CASES = {
    "capacity 1e300": (
        lambda f: set_cell(f, "facility_services.csv", 0, "capacity_per_month", "1e300"),
        (),
        "facility_services.csv, line 2, field 'capacity_per_month': '1e300' is outside",
    ),
    "Latin-1 world.yaml": (_latin1_world_yaml, (), "world.yaml: is not UTF-8 text"),
    "header-only population_history.csv": (
        lambda f: header_only(f, "population_history.csv"),
        (),
        "population_history.csv: has a header but no rows",
    ),
    "one-off cost nan": (
        lambda f: None,
        (CLOSE_WITH_NAN_COST,),
        "change 1 (close): field 'one_off_cost_eur': nan is not a finite number",
    ),
    "oracle lead time -1": (
        lambda f: None,
        ("regret=true", "oracle.lead_time_months=[6,-1]"),
        "oracle.lead_time_months=[6, -1]: allowed values are a non-empty list of integers >= 0",
    ),
    "oracle strategy reactive": (
        lambda f: None,
        ("regret=true", "oracle.strategies=[reactive]"),
        "oracle.strategies=['reactive']: allowed values are a list of ['optimised', 'proactive'",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_exits_2_with_a_message_and_writes_nothing(tmp_path, case):
    spoil, extra, expected = CASES[case]
    folder = copy_world(tmp_path)
    spoil(folder)
    out = tmp_path / "run"
    proc = servicesim(
        f"world.path={folder}", "horizon_years=1", *extra, f"hydra.run.dir={out}", cwd=tmp_path
    )
    assert proc.returncode == 2, proc.stderr
    assert expected in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not list(out.glob("*.nc"))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("data={tmp}/nope.csv",), "nope.csv: file not found"),
        (("data={tmp}",), "is a folder, not a CSV file"),
        (("data={tmp}/ok.csv", "n_samples=0"), "n_samples=0: must be between 1 and 100000"),
        (("data={tmp}/ok.csv", "base_period=0"), "base_period=0: must be between 2 and 200"),
    ],
    ids=["missing file", "folder", "n_samples=0", "base_period=0"],
)
def test_bad_backtest_input_exits_2_with_a_message_and_writes_nothing(tmp_path, args, expected):
    rows = [{"code": "001", "year": y, "population": 1000 + y} for y in range(1990, 2020)]
    pd.DataFrame(rows).to_csv(tmp_path / "ok.csv", index=False)
    out = tmp_path / "out"
    given = [a.format(tmp=tmp_path) for a in args]
    proc = servicesim(
        *given, "area_column=code", f"hydra.run.dir={out}", cwd=tmp_path, name="servicesim-backtest"
    )
    assert proc.returncode == 2, proc.stderr
    assert expected in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not list(out.glob("backtest.*"))
