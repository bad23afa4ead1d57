"""End-year zone maps in comparison.nc and the plans' small multiples (plan_maps)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PatchCollection

import servicesim
from experiments.aggregate import combine_reduced, reduced_run
from experiments.i18n import translator
from experiments.maps import load_zone_polygons, plan_maps
from experiments.zone_maps import MEASURES, plan_markers, plan_order, plan_values

SCENARIOS = ("status_quo", "close_village_school")
STRATEGIES = ("status_quo", "reactive")
VILLAGE_SCHOOL = "sysma_school_nuoramoinen"


@pytest.fixture(scope="module")
def runs():
    return {
        (scenario, strategy, seed): servicesim.run(
            servicesim.RunSpec(
                world="sysma", horizon_years=2, scenario=scenario, strategy=strategy, seed=seed
            )
        )
        for scenario in SCENARIOS
        for strategy in STRATEGIES
        for seed in (0, 1)
    }


@pytest.fixture(scope="module")
def comparison(runs):
    return combine_reduced([reduced_run(ds) for ds in runs.values()])


def test_comparison_holds_the_zone_maps_once_per_run(comparison):
    for name in (
        "access_20min_zone_end",
        "waiting_days_zone_end",
        "within_standard_zone_end",
        "demand_zone_service_end",
        "unmet_zone_service_end",
    ):
        assert comparison[name].dims == ("scenario", "strategy", "seed", "zone", "service")
        assert comparison[name].attrs["units"] in ("1", "d")
    assert comparison["facility_offers"].dims == (
        "scenario",
        "strategy",
        "seed",
        "facility",
        "service",
    )
    assert comparison["zone_name"].dims == ("zone",)  # labels kept once (d44a5a2)
    assert comparison["facility_zone"].dims == ("facility",)


def test_end_year_values_come_from_the_run(comparison, runs):
    ds = runs[("status_quo", "status_quo", 0)]
    end = ds["time"].dt.year == int(ds["time"].dt.year.max())
    share = ds["share_within_20min_zone"].sel(time=end, service="library")
    weight = ds["eligible_present_zone"].sel(time=end, service="library")
    expected = (share * weight).sum("time") / weight.sum("time")
    got = comparison["access_20min_zone_end"].sel(
        scenario="status_quo", strategy="status_quo", seed=0, service="library"
    )
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    total = comparison["unmet_zone_service_end"].sum("service")
    np.testing.assert_array_equal(total, comparison["unmet_zone_end"])
    demand = comparison["demand_zone_service_end"].sum("service")
    np.testing.assert_array_equal(demand, comparison["demand_zone_end"])


def test_plan_values_are_percent_and_days(comparison):
    access = plan_values(comparison, "status_quo", "status_quo", "access", "library")
    assert access and all(0 <= v <= 100 for v in access.values())
    waits = plan_values(comparison, "status_quo", "status_quo", "waiting", "primary_health_care")
    assert waits and all(v >= 0 for v in waits.values())
    unmet = plan_values(comparison, "status_quo", "status_quo", "unmet", None)
    assert set(unmet) == set(str(z) for z in comparison["zone"].values)


def test_a_closed_facility_is_marked_closed(comparison):
    def state(scenario):
        markers = plan_markers(comparison, scenario, "status_quo")
        return {m.is_open for m in markers if m.name == "Nuoramoinen village school"}

    assert state("status_quo") == {True}
    assert state("close_village_school") == {False}


def test_plan_maps_draw_sysmas_real_outline(comparison):
    polygons = load_zone_polygons("sysma")
    comparison = comparison.copy()
    best = ["reactive" if s == "status_quo" else "none" for s in comparison["scenario"].values]
    comparison["cheapest_feasible"] = ("scenario", np.array(best, dtype=object))
    assert plan_order(comparison, "status_quo") == ["status_quo", "reactive"]
    fig = plan_maps(comparison, "sysma", "en")
    try:
        maps = [ax for ax in fig.axes if ax.get_title()]
        assert len(maps) == 3 * len(STRATEGIES)
        assert {ax.get_title() for ax in maps} == {"status_quo", "reactive (recommended)"}
        for ax in maps:
            zones = next(c for c in ax.collections if isinstance(c, PatchCollection))
            paths = zones.get_paths()
            assert len(paths) == len(polygons)
            for path, polygon in zip(paths, polygons.values(), strict=True):
                exterior = np.asarray(polygon.exterior.coords)
                ring = path.vertices[: len(exterior)]
                assert {tuple(p) for p in ring} == {tuple(p) for p in exterior}
        labels = [ax.get_ylabel() for ax in fig.axes if not ax.get_title() and ax.get_ylabel()]
        assert labels == [
            "share of eligible persons within 20 min (%)",
            "mean waiting time (days)",
            "unmet demand (% of the zone's demand)",
        ]
        assert "primary health care" in fig.get_suptitle()
    finally:
        plt.close(fig)


def test_plan_maps_refuse_unknown_names_and_old_files(comparison):
    with pytest.raises(ValueError, match=r"unknown scenario 'x'; allowed: \["):
        plan_maps(comparison, "sysma", scenario="x")
    with pytest.raises(ValueError, match="unknown service"):
        plan_maps(comparison, "sysma", service="dentistry")
    with pytest.raises(ValueError, match="zone-map variables"):
        plan_maps(comparison.drop_vars("facility_offers"), "sysma")


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_plan_maps_speak_finnish_and_swedish(comparison, lang):
    comparison = comparison.copy()
    best = ["reactive" if s == "status_quo" else "none" for s in comparison["scenario"].values]
    comparison["cheapest_feasible"] = ("scenario", np.array(best, dtype=object))
    fig = plan_maps(comparison, "sysma", lang)
    _ = translator(lang, "maps").gettext
    try:
        labels = [ax.get_ylabel() for ax in fig.axes if not ax.get_title() and ax.get_ylabel()]
        english = [MEASURES[m][1] for m in ("access", "waiting", "unmet")]
        assert labels == [_(text) for text in english]
        assert not set(labels) & set(english)
        titles = {ax.get_title() for ax in fig.axes if ax.get_title()}
        assert f"reactive ({_('recommended')})" in titles and _("recommended") != "recommended"
        assert _("end year") in fig.get_suptitle()
    finally:
        plt.close(fig)


def test_a_unit_open_only_in_summer_counts_as_open(comparison):
    months = comparison["facility_months_open_end"]
    assert months.sel(scenario="status_quo", strategy="status_quo").max() == 12
    summer = comparison.copy(deep=True)  # the fixture is shared
    village = {"facility": VILLAGE_SCHOOL, "scenario": "status_quo", "strategy": "status_quo"}
    summer["facility_open_end"].loc[village] = 0.0  # closed in December
    summer["facility_months_open_end"].loc[village] = 3.0  # open June-August
    markers = plan_markers(summer, "status_quo", "status_quo")
    assert {m.is_open for m in markers if m.name == "Nuoramoinen village school"} == {True}
    summer["facility_months_open_end"].loc[village] = 0.0
    markers = plan_markers(summer, "status_quo", "status_quo")
    assert {m.is_open for m in markers if m.name == "Nuoramoinen village school"} == {False}
