"""comparison.xlsx and its CSV files hold the numbers of comparison.nc.

A small Sysmä sweep (two plans, three seeds, six years: two plan periods) is written
as run folders; ``servicesim-report`` combines it. The workbook is opened with
openpyxl and its numbers are checked against comparison.nc, recomputed here with
NumPy from the per-run variables (not by the code that wrote the sheets).
"""

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from openpyxl import load_workbook

import servicesim
from experiments.output import write_atomic
from experiments.report_cli import main as report_main
from experiments.spreadsheet import XLSX_FILE, Sheet, build_sheets, write_tables, write_xlsx
from experiments.tables import COLUMNS

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "experiments" / "conf" / "scenario"
PLANS = (("status_quo", "status_quo"), ("close_village_school", "reactive"))
SEEDS = (0, 1, 2)
SHEETS = ["readme", "summary", "periods", "standards", "decisions", "assumptions"]


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep")
    i = 0
    for scenario, strategy in PLANS:
        for seed in SEEDS:
            spec = servicesim.RunSpec(
                world="sysma",
                horizon_years=6,
                scenario=scenario,
                strategy=strategy,
                seed=seed,
                forecast={"n_samples": 5},
            )
            write_atomic(servicesim.run(spec), folder / str(i) / "results.nc")
            i += 1
    assert report_main([str(folder), "--language", "en"]) == 0  # Sysmä speaks fi by default
    return folder


@pytest.fixture(scope="module")
def comparison(sweep_dir):
    with xr.open_dataset(sweep_dir / "comparison.nc", engine="h5netcdf") as ds:
        return ds.load()


@pytest.fixture(scope="module")
def book(sweep_dir):
    return load_workbook(sweep_dir / XLSX_FILE)


def rows(ws):
    values = list(ws.iter_rows(values_only=True))
    header = values[0]
    return [dict(zip(header, r, strict=True)) for r in values[1:]]


def q(values, p):
    return float(np.nanquantile(np.asarray(values, dtype=float), p))


def test_workbook_has_every_sheet_with_frozen_headers(book):
    assert book.sheetnames == SHEETS
    for ws in book.worksheets:
        assert len(ws.title) <= 31
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref, ws.title
        assert ws.max_row > 1, f"{ws.title} is empty"


def test_summary_numbers_equal_the_comparison(book, comparison):
    table = rows(book["summary"])
    assert {(r["scenario"], r["strategy"]) for r in table} == set(PLANS)
    best = dict(comparison["cheapest_feasible"].to_series())
    for r in table:
        at = {"scenario": r["scenario"], "strategy": r["strategy"]}
        npv = comparison["metric_npv_cost"].sel(at).values
        assert r["runs"] == np.isfinite(npv).sum() == len(SEEDS)
        for p, key in ((0.05, "p05"), (0.5, "p50"), (0.95, "p95")):
            assert r[f"npv_cost_eur_{key}"] == pytest.approx(q(npv, p), rel=1e-12)
            cost = comparison["metric_cost_per_year"].sel(at).values
            assert r[f"cost_per_year_eur_{key}"] == pytest.approx(q(cost, p), rel=1e-12)
            access = comparison["metric_share_within_20min"].sel(at).values / 100
            assert r[f"within_20min_share_{key}"] == pytest.approx(q(access, p), rel=1e-12)
            wait = comparison["metric_wait_p90_days"].sel(at).values
            assert r[f"wait_p90_days_{key}"] == pytest.approx(q(wait, p), rel=1e-12)
        holds = comparison["standard_holds"].sel(at).values  # seed x service, 1/0/NaN
        held = [np.nansum(h) for h in holds]
        assert r["standards_held_p50"] == pytest.approx(q(held, 0.5))
        assert r["standards_held_p05"] == pytest.approx(q(held, 0.05))
        assert r["standards_assessed"] == np.isfinite(holds[0]).sum() == 6  # basic ed: daily trip
        feasible = comparison["metric_feasible"].sel(at).values
        assert r["feasible_share"] == pytest.approx(np.nanmean(feasible))
        assert r["recommended"] == int(best[r["scenario"]] == r["strategy"])
    # Titles: the scenario config's English title (the runs carry it in their config).
    config = yaml.safe_load((SCENARIO_DIR / "close_village_school.yaml").read_text())
    titles = {r["scenario"]: r["scenario_title"] for r in table}
    assert titles["close_village_school"] == config["title"]["en"]


def test_summary_cells_are_numbers_with_formats(book):
    ws = book["summary"]
    header = [c.value for c in ws[1]]
    npv = ws.cell(row=2, column=header.index("npv_cost_eur_p50") + 1)
    assert npv.data_type == "n" and isinstance(npv.value, float)
    assert "#,##0" in npv.number_format
    share = ws.cell(row=2, column=header.index("within_20min_share_p50") + 1)
    assert share.number_format == "0.0%" and 0 <= share.value <= 1
    for row in ws.iter_rows(min_row=2, min_col=header.index("runs") + 1):
        for cell in row:
            assert cell.value is None or isinstance(cell.value, int | float), cell.coordinate


def test_periods_are_five_year_quantiles_of_the_runs(book, comparison):
    table = rows(book["periods"])
    assert {r["period"] for r in table} == {"2024-2028", "2029-2029"}
    for r in table:
        at = {"scenario": r["scenario"], "strategy": r["strategy"]}
        years = list(range(r["first_year"], r["last_year"] + 1))
        if r["measure"] == "cost_eur":
            per_seed = comparison["cost_year"].sel({**at, "year": years}).sum("year").values
        elif r["measure"] == "residents":
            source = comparison["residents_year"].sel(
                {**at, "year": years[0], "age_group": r["item"]}
            )
            per_seed = source.values
        elif r["measure"] == "demand_per_year":
            source = comparison["demand_year"].sel({**at, "year": years, "service": r["item"]})
            per_seed = source.mean("year").values
        else:
            continue
        for p, key in ((0.05, "p05"), (0.5, "p50"), (0.95, "p95")):
            assert r[key] == pytest.approx(q(per_seed, p), rel=1e-12), (r["measure"], key)
    measures = {r["measure"] for r in table}
    assert {"residents", "demand_per_year", "within_standard_share", "cost_eur"} <= measures
    shares = [r["p50"] for r in table if r["measure"] == "within_standard_share"]
    assert shares and all(0 <= s <= 1 for s in shares)


def test_standards_and_decisions_equal_the_comparison(book, comparison):
    for r in rows(book["standards"]):
        at = {"scenario": r["scenario"], "strategy": r["strategy"], "service": r["service"]}
        met = comparison["standard_months_met"].sel(at).values
        assert r["months_met_p50"] == pytest.approx(q(met, 0.5), rel=1e-12)
    sheet = rows(book["decisions"])
    ops = comparison["decision_op"].to_series()
    expected = {k for k, v in ops.items() if v}
    assert len(sheet) == len(expected) > 0
    by_key = comparison["decision_target"].to_series()
    for r in sheet:
        matches = [
            k for k in expected if k[:3] == (r["scenario"], r["strategy"], r["seed"])
            and by_key[k] == r["target"] and ops[k] == r["op"]
        ]  # fmt: skip
        assert matches, r


def test_assumptions_and_readme_sheets(book):
    table = {r["key"]: r for r in rows(book["assumptions"])}
    assert table["capacity.primary_health_care"]["value"] == 1465
    assert isinstance(table["run.discount_rate"]["value"], float)
    readme = rows(book["readme"])
    described = {(r["sheet"], r["column"]) for r in readme}
    for name, columns in COLUMNS.items():
        assert {(name, c.key) for c in columns} <= described
    assert any(r["sheet"] == "config" and r["column"] == "costs.discount_rate" for r in readme)


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def same(cell, text):
    if cell is None:
        return text == ""
    if isinstance(cell, str):
        return text == cell or (text.startswith("'") and text[1:] == cell)
    return float(text) == float(cell)


def test_csv_files_equal_the_sheets(sweep_dir, book):
    for ws in book.worksheets:
        lines = read_csv(sweep_dir / f"comparison_{ws.title}.csv")
        cells = list(ws.iter_rows(values_only=True))
        assert len(lines) == len(cells), ws.title
        for line, row in zip(lines, cells, strict=True):
            assert len(line) == len(row)
            for text, cell in zip(line, row, strict=True):
                assert same(cell, text), (ws.title, text, cell)


def test_formula_like_text_stays_text(comparison, tmp_path):
    evil = comparison.assign_coords(strategy=["=1+2", "@SUM(A1)"])
    write_tables(evil, tmp_path, "en")
    ws = load_workbook(tmp_path / XLSX_FILE)["summary"]
    labels = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=2) for r in (2, 3, 4, 5)}
    assert labels["=1+2"].data_type == "s"
    text = (tmp_path / "comparison_summary.csv").read_text(encoding="utf-8-sig")
    assert "'=1+2" in text and "'@SUM(A1)" in text


def test_an_unreadable_world_leaves_the_other_sheets(comparison, tmp_path):
    moved = comparison.copy()
    moved.attrs["world_path"] = str(tmp_path / "no-such-world")
    sheets = {s.name: s for s in build_sheets(moved)}
    assert sheets["assumptions"].frame["key"].tolist() == ["unavailable"]
    assert "no-such-world" in sheets["assumptions"].frame["source"].iloc[0]
    assert len(sheets["summary"].frame) == len(PLANS)


def test_a_sheet_name_excel_refuses_is_an_error(tmp_path):
    bad = Sheet("x" * 32, pd.DataFrame(), ())
    with pytest.raises(ValueError, match="31"):
        write_xlsx([bad], tmp_path / "bad.xlsx")
    assert not (tmp_path / "bad.xlsx").exists()


def test_the_recommended_plan_is_marked_in_summary_and_decisions(comparison):
    chosen = comparison.copy()
    names = [
        "reactive" if s == "close_village_school" else "none" for s in chosen["scenario"].values
    ]
    chosen["cheapest_feasible"] = ("scenario", np.array(names, dtype=object))
    sheets = {s.name: s.frame for s in build_sheets(chosen)}
    marked = sheets["summary"].query("recommended == 1")
    assert marked[["scenario", "strategy"]].values.tolist() == [
        ["close_village_school", "reactive"]
    ]
    decisions = sheets["decisions"]
    plan = (decisions["scenario"] == "close_village_school") & (decisions["strategy"] == "reactive")
    assert plan.any()
    assert (decisions["recommended"] == plan.astype(int)).all()
    # What to decide by when: the recommended rows in decide-by order within each seed.
    for _, rows_of_seed in decisions[plan].groupby("seed"):
        assert rows_of_seed["decide_by"].tolist() == sorted(rows_of_seed["decide_by"])
