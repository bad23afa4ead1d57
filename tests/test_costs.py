import numpy as np
import pytest

from experiments.summary import run_metrics
from scenarios.changes.costs import CostSettings, discount_factors
from tests.network import run_network


def test_npv_and_objective_follow_their_definitions():
    costs = CostSettings(discount_rate=0.05, unmet_penalty_eur={"primary_health_care": 50.0})
    changes = [{"op": "close", "facility": "F0", "decided": "2024-02", "one_off_cost_eur": 7000}]
    ds, _ = run_network(changes, costs=costs)
    months = np.arange(ds.sizes["time"])
    factors = 1.05 ** (-months / 12)
    assert float(ds["npv_cost"]) == pytest.approx(float((ds["total_cost"] * factors).sum()))
    unmet = ds["unmet_zone"].sel(service="primary_health_care").sum("zone").values
    assert float(ds["objective"]) == pytest.approx(
        float(ds["npv_cost"]) + float((50.0 * unmet * factors).sum())
    )
    assert float(ds["change_cost"][1]) == 7000 and float(ds["change_cost"].sum()) == 7000
    assert np.allclose(discount_factors(24, 0.05), factors)


def test_fixed_cost_follows_capacity_at_the_unit_cost():
    unit = {"primary_health_care": 240.0}
    resize = {"op": "resize", "facility": "F1", "service": "primary_health_care"}
    base, _ = run_network([resize | {"capacity": 200, "decided": "2024-01"}], unit_costs=unit)
    ds, _ = run_network([resize | {"capacity": 260, "decided": "2024-01"}], unit_costs=unit)
    extra = ds["cost"].sel(facility="F1") - base["cost"].sel(facility="F1")
    served_extra = (ds["load"] - base["load"]).sel(facility="F1").sum("service") * 10.0
    # 60 more units of capacity cost 60 x 240 EUR/year on top of the per-visit cost.
    assert np.allclose(extra - served_extra, 60 * 240.0 / 12)


def test_run_metrics_report_the_scenario_metrics():
    changes = [{"op": "close", "facility": "F0", "decided": "2024-02"}]
    ds, _ = run_network(changes)
    ds["regret_eur"] = ((), 123.0, {"units": "EUR", "long_name": "regret"})
    m = run_metrics(ds)
    assert m["n_changes"] == 1 and m["npv_cost"] == float(ds["npv_cost"])
    assert m["objective"] == float(ds["objective"]) and m["regret"] == 123.0
    assert m["cost_per_year"] == pytest.approx(float(ds["total_cost"].sum()) / 2)
