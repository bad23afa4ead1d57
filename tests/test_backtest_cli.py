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
    path = _ages_file(tmp_path)
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


def _ages_file(tmp_path: Path) -> Path:
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
    return path


def test_births_and_deaths_files_change_the_cohort_component_forecast(tmp_path):
    data = _ages_file(tmp_path)
    pop = pd.read_csv(data)
    women = pop[pop["sex"] == "female"]
    births = women[women["age"].between(20, 39)].assign(
        mother_age=lambda d: d["age"], births=lambda d: (d["population"] * 0.2).round().astype(int)
    )[["region_code", "year", "mother_age", "births"]]  # TFR 4: twice and more the tables'
    births.to_csv(tmp_path / "births.csv", index=False)
    deaths = pop.assign(deaths=lambda d: (d["population"] * 0.3 * (d["age"] >= 85)).round())
    deaths = deaths.astype({"deaths": int})[["region_code", "year", "sex", "age", "deaths"]]
    deaths.to_csv(tmp_path / "deaths.csv", index=False)
    common = ("area_column=region_code", "horizons=[5]", "launch_years=[2003]",
              "age_methods=[cohort_component]")  # fmt: skip
    results = {}
    for name, extra in (
        ("plain", ()),
        ("births", (f"births={tmp_path / 'births.csv'}",)),
        ("deaths", (f"deaths={tmp_path / 'deaths.csv'}",)),
    ):
        out = tmp_path / name
        proc = backtest(f"data={data}", *common, *extra, f"hydra.run.dir={out}", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        with xr.open_dataset(out / "backtest.nc") as ds:
            results[name] = ds["forecast"].sel({"method": "cohort_component", "horizon": 5}).load()
    # TFR 4 instead of ~1.8: far more children aged 0-6 after 5 years
    ratio = results["births"].sel(age_group="0_6") / results["plain"].sel(age_group="0_6")
    assert float(ratio.min()) > 1.5
    # 30 % of 85+ dying each year (Lee-Carter on flat rates): fewer very old persons
    ratio = results["deaths"].sel(age_group="85plus") / results["plain"].sel(age_group="85plus")
    assert float(ratio.max()) < 0.97


def test_bad_births_file_fails_and_writes_nothing(tmp_path):
    data = _ages_file(tmp_path)
    bad = tmp_path / "births.csv"
    bad.write_text("region_code,year,mother_age,births\n7,2000,30,ten\n")
    out = tmp_path / "out"
    proc = backtest(
        f"data={data}", "area_column=region_code", f"births={bad}", f"hydra.run.dir={out}",
        cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode != 0
    assert "births.csv row 1 column 'births': not a number ('ten')" in proc.stderr
    assert not (out / "backtest.nc").exists() and not (out / "backtest.csv").exists()
    totals = tmp_path / "totals.csv"
    pd.read_csv(data).groupby(["region_code", "year"], as_index=False)["population"].sum().to_csv(
        totals, index=False
    )
    proc = backtest(
        f"data={totals}", "area_column=region_code", f"births={bad}", f"hydra.run.dir={out}",
        cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode != 0 and "need age-structured data" in proc.stderr


def test_naive_methods_get_empirical_intervals_unless_switched_off():
    from experiments.backtest_cli import method_specs
    from forecasting.empirical import EmpiricalIntervals
    from forecasting.totals import DampedETS, LinearExponentialAverage

    names = ["trend_share", "linear_exponential_average", "damped_ets"]
    specs = method_specs(names, 10)
    assert isinstance(specs["linear_exponential_average"], EmpiricalIntervals)
    assert isinstance(specs["linear_exponential_average"].method, LinearExponentialAverage)
    assert isinstance(specs["damped_ets"], DampedETS)  # too slow to refit inside
    plain = method_specs(names, 10, empirical_intervals=False)
    assert isinstance(plain["linear_exponential_average"], LinearExponentialAverage)
    assert isinstance(plain["trend_share"], EmpiricalIntervals)


def test_recent_launches_reaches_every_empirical_method_and_is_validated():
    from experiments.backtest_cli import method_specs

    specs = method_specs(["trend_share", "linear"], 10, recent_launches=4)
    assert specs["trend_share"].recent_launches == 4 and specs["linear"].recent_launches == 4
    assert method_specs(["trend_share"], 10)["trend_share"].recent_launches is None
    for bad in (0, "abc", True):
        with pytest.raises(ValueError, match="recent_launches"):
            method_specs(["trend_share"], 10, recent_launches=bad)
