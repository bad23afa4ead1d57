"""Run metrics, the combined comparison and the report, on small synthetic runs."""

import re

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from experiments.aggregate import combine_runs, reduce_run
from experiments.output import write_atomic
from experiments.report import render_report, write_report
from experiments.report_figures import FIGURES
from experiments.report_tables import stats
from experiments.summary import METRICS, run_metrics


def fake_run(scenario="a", strategy="s", seed=0, unmet=1, capacity=10, extra=False):
    """A tiny results dataset with the variables a real run has (2 years, 2 zones)."""
    time = pd.date_range("2024-01-01", periods=24, freq="MS")
    zones, services, facilities = ["z1", "z2"], ["library", "health"], ["f1", "f2"]
    rng = np.random.default_rng(seed)
    demand = rng.integers(5, 10, (24, 2, 2))
    unmet_zone = np.minimum(demand, unmet)
    ds = xr.Dataset(
        {
            "demand_zone": (("time", "zone", "service"), demand),
            "unmet_zone": (("time", "zone", "service"), unmet_zone),
            "served_zone": (("time", "zone", "service"), demand - unmet_zone),
            "travel_minutes": (("time", "zone", "service"), 10.0 * (demand - unmet_zone)),
            "demand": (("time", "facility", "service"), demand),
            "load": (("time", "facility", "service"), demand - unmet_zone),
            "capacity": (("time", "facility", "service"), np.full((24, 2, 2), capacity)),
            "cost": (("time", "facility"), np.full((24, 2), 1000.0)),
            "facility_open": (("time", "facility"), np.ones((24, 2), int)),
            "population": (
                ("time", "zone", "age_group", "kind"),
                rng.integers(0, 50, (24, 2, 2, 2)),
            ),
            "zone_x": ("zone", [0.0, 3000.0]),
            "zone_y": ("zone", [0.0, 4000.0]),
            "zone_name": ("zone", ["One", "Two"]),
            "facility_name": ("facility", ["F1", "F2"]),
            "facility_zone": ("facility", ["z1", "z2"]),
        },
        coords={
            "time": time,
            "zone": zones,
            "service": services,
            "facility": facilities,
            "age_group": ["0-6", "7-15"],
            "kind": ["permanent", "seasonal"],
        },
        attrs={"scenario": scenario, "strategy": strategy, "seed": seed, "world": "toy"},
    )
    if extra:
        comparison = ["no_car_vs_car", "age_75_plus_vs_rest"]
        ds["equity_gap"] = (("time", "service", "comparison"), np.full((24, 2, 2), 4.0))
        ds = ds.assign_coords(comparison=comparison)
        ds["share_within_20min"] = (("time", "service"), np.full((24, 2), 0.8), {"units": "1"})
        ds["npv_cost"] = ((), 123.0)
    return ds


def test_run_metrics_computes_present_and_nan_for_absent():
    m = run_metrics(fake_run(unmet=0))
    assert set(m) == set(METRICS)
    assert m["unmet_share"] == 0.0 and m["mean_travel_minutes"] == pytest.approx(10.0)
    assert m["cost_per_year"] == pytest.approx(24_000.0)
    for name in ("npv_cost", "share_within_20min", "equity_gap_no_car_vs_car", "n_changes"):
        assert np.isnan(m[name]), name
    full = run_metrics(fake_run(unmet=2, extra=True))
    assert 0 < full["unmet_share"] < 100
    assert full["share_within_20min"] == pytest.approx(80.0)  # share in 1 shown as %
    assert full["equity_gap_no_car_vs_car"] == 4.0 and full["npv_cost"] == 123.0
    assert np.isnan(full["equity_gap_digital_low_vs_high"])


def test_combine_fills_missing_combinations_with_nan(tmp_path):
    runs = [("a", "s", 0), ("a", "s", 1), ("b", "s", 0), ("a", "t", 0)]
    files = []
    for s, k, n in runs:
        files.append(write_atomic(fake_run(s, k, n), tmp_path / f"{s}{k}{n}" / "results.nc"))
    ds = combine_runs(files)
    assert dict(ds.sizes)["scenario"] == 2 and ds.sizes["strategy"] == 2 and ds.sizes["seed"] == 2
    cost = ds["metric_cost_per_year"]
    assert int(cost.notnull().sum()) == 4
    assert np.isnan(float(cost.sel(scenario="b", strategy="t", seed=0)))
    assert np.isnan(float(cost.sel(scenario="b", strategy="s", seed=1)))
    one = reduce_run(fake_run("a", "s", 1))
    xr.testing.assert_equal(
        ds["demand_service"].sel(scenario="a", strategy="s", seed=1, drop=True),
        one["demand_service"],
    )
    assert ds["metric_unmet_share"].attrs["units"] == "%"  # CF units; display unit in long_name
    assert ds["metric_unmet_share"].attrs["long_name"] == "unmet demand (% of demand)"


LABELS = ["zone_x", "zone_y", "zone_name", "facility_name", "facility_zone"]


@pytest.mark.parametrize("labels_as_coords", [False, True])
def test_facilities_of_every_scenario_keep_their_zone_and_the_map_draws(tmp_path, labels_as_coords):
    """Real runs carry the labels as auxiliary coordinates (CF); they stay per facility."""
    base = fake_run("a", "s", 0)
    annex = fake_run("b", "s", 0).rename(facility="old").assign_coords(old=["f1", "f3"])
    annex = annex.rename(old="facility")
    annex["facility_zone"] = ("facility", ["z1", "z2"])
    annex["facility_name"] = ("facility", ["F1", "Summer annex"])
    if labels_as_coords:
        base, annex = base.set_coords(LABELS), annex.set_coords(LABELS)
    files = [
        write_atomic(base, tmp_path / "a" / "results.nc"),
        write_atomic(annex, tmp_path / "b" / "results.nc"),
    ]
    ds = combine_runs(files)
    assert list(ds["facility"].values) == ["f1", "f2", "f3"]
    assert ds["facility_zone"].dims == ("facility",)
    assert list(ds["facility_zone"].values) == ["z1", "z2", "z2"]
    assert list(ds["facility_name"].values) == ["F1", "F2", "Summer annex"]
    page, _ = render_report(ds, "en")  # the maps of a world without polygons are left out
    assert 'data-omitted="maps"' in page


def test_best_value_per_column_is_marked(tmp_path):
    files = [
        write_atomic(fake_run("a", "s", 0, unmet=0), tmp_path / "1" / "results.nc"),
        write_atomic(fake_run("a", "t", 0, unmet=3), tmp_path / "2" / "results.nc"),
    ]
    ds = combine_runs(files)
    assert stats(ds, "unmet_share", "a", "s")[0] == 0.0 < stats(ds, "unmet_share", "a", "t")[0]
    page, _ = render_report(ds, "en")
    compact = page.split('<table id="summary"')[1].split("</table>")[0]
    rows = re.split(r"<tr[ >]", compact)[3:]  # header, scenario group, one row per strategy
    assert len(rows) == 2 and "★" not in compact  # cost ties: a tie has no best
    details = page.split('<table class="details"')[1].split("</table>")[0]
    unmet = next(r for r in details.split("<tr>") if "Unmet demand" in r and "share of" in r)
    cells = unmet.split("<td")[2:]
    assert 'class="best">★ 0.0%' in cells[0] and "★" not in cells[1]
    travel = next(r for r in details.split("<tr>") if "Travel time per visit" in r)
    assert "★" not in travel  # same travel time in both runs: no best


def test_report_omits_figures_without_data_and_embeds_the_rest(tmp_path):
    files = [
        write_atomic(fake_run("a", "s", n), tmp_path / str(n) / "results.nc") for n in range(3)
    ]
    ds = combine_runs(files)
    page, pngs = render_report(ds, "en")
    assert "equity" not in pngs and 'data-omitted="equity"' in page
    for key in FIGURES:
        if key != "equity":
            assert f'data-figure="{key}"' in page and pngs[key].startswith(b"\x89PNG")
    assert "http://" not in page and "https://" not in page
    target = write_report(ds, tmp_path, "en")
    assert target.read_text() == page
    assert sorted(p.stem for p in (tmp_path / "figures").glob("*.png")) == sorted(pngs)
