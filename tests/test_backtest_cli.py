"""The ``servicesim-backtest`` command end to end on a small synthetic totals file."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

pytestmark = pytest.mark.slow


def backtest(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).parent / "servicesim-backtest"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "experiments.backtest_cli"]
    return subprocess.run(
        [*cmd, *args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture
def totals(tmp_path):
    rng = np.random.default_rng(0)
    rows = []
    for k, start in enumerate((1500, 3000, 12000, 50000)):
        growth = rng.normal(0, 0.01, 30).cumsum()
        for i, year in enumerate(range(1990, 2020)):
            rows.append(
                {"code": f"{k:03d}", "year": year, "population": int(start * np.exp(growth[i]))}
            )
    path = tmp_path / "totals.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_backtest_writes_dataset_summary_and_plot(tmp_path, totals):
    out = tmp_path / "out"
    proc = backtest(
        f"data={totals}",
        "area_column=code",
        "horizons=[1,5]",
        "methods=[trend_share,constant]",
        "n_samples=50",
        f"hydra.run.dir={out}",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    summary = pd.read_csv(out / "backtest.csv")
    assert set(summary["method"]) == {"trend_share", "constant"}
    assert set(summary["horizon"]) == {1, 5}
    scores = {"mape", "medape", "p90ape", "malpe", "coverage50", "coverage80", "coverage95"}
    assert scores <= set(summary.columns)
    with xr.open_dataset(out / "backtest.nc") as ds:
        # default launches: 2000 (1990 + base period) .. 2014 (2019 - longest horizon)
        assert ds["launch_year"].values.tolist() == list(range(2000, 2015))
    assert (out / "backtest_error_by_horizon.png").stat().st_size > 1000
    assert "mape" in proc.stdout


def test_unknown_method_and_missing_data_fail_clearly(tmp_path, totals):
    proc = backtest(f"data={totals}", "area_column=code", "methods=[oracle]", cwd=tmp_path)
    assert proc.returncode != 0 and "methods=['oracle']: allowed values are" in proc.stderr
    proc = backtest(cwd=tmp_path)
    assert proc.returncode != 0 and "data=PATH is required" in proc.stderr
    proc = backtest(f"data={totals}", cwd=tmp_path)  # default area column is absent
    assert proc.returncode != 0 and "municipality_code" in proc.stderr


def test_age_structured_backtest_reports_service_groups(tmp_path):
    ages = np.arange(101)
    rows = []
    for code, size in (("7", 200000), ("1", 1600000)):
        shape = np.exp(-ages / 45.0)
        for year in range(1990, 2011):
            for sex in ("female", "male"):
                counts = np.round(size * shape / shape.sum() / 2 * 1.002 ** (year - 1990))
                rows += [(code, year, sex, a, int(n)) for a, n in zip(ages, counts, strict=True)]
    path = tmp_path / "ages.csv"
    pd.DataFrame(rows, columns=["region_code", "year", "sex", "age", "population"]).to_csv(
        path, index=False
    )
    out = tmp_path / "out"
    proc = backtest(
        f"data={path}", "area_column=region_code", "horizons=[1,5]", f"hydra.run.dir={out}",
        cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    summary = pd.read_csv(out / "backtest.csv")
    assert set(summary["method"]) == {"cohort_component", "hamilton_perry", "naive"}
    assert {"mape_0_6", "mape_7_15", "mape_75_84", "mape_85plus"} <= set(summary.columns)
    with xr.open_dataset(out / "backtest.nc") as ds:
        # default launches: rate tables from 1990 + base period 10 .. 2010 - shortest horizon
        assert ds["launch_year"].values.tolist() == list(range(2000, 2010))
        assert "age_group" in ds.dims
