"""A sweep names each scenario's cheapest feasible plan, or says that none is."""

import numpy as np
import xarray as xr

from experiments.aggregate import cheapest_feasible


def comparison(feasible, npv, shortfall):
    dims = ("scenario", "strategy", "seed")
    coords = {"scenario": ["a", "b"], "strategy": ["s1", "s2", "s3"], "seed": [0, 1]}
    return xr.Dataset(
        {
            "metric_feasible": (dims, np.asarray(feasible, dtype=float)),
            "metric_npv_cost": (dims, np.asarray(npv, dtype=float)),
            "metric_standards_shortfall": (dims, np.asarray(shortfall, dtype=float)),
        },
        coords,
    )


def test_the_cheapest_feasible_plan_wins_and_none_is_said():
    feasible = [[[1, 1], [1, 1], [0, 0]], [[0, 0], [0, 1], [0, 0]]]
    npv = [[[10, 12], [8, 9], [1, 1]], [[5, 5], [6, 6], [7, 7]]]
    shortfall = [[[0, 0], [0, 0], [0.5, 0.3]], [[0.2, 0.2], [0.1, 0], [0.4, 0.4]]]
    out = cheapest_feasible(comparison(feasible, npv, shortfall))
    assert out["cheapest_feasible"].values.tolist() == ["s2", "none"]
    np.testing.assert_allclose(out["cheapest_feasible_npv"].sel(scenario="a"), [8.05, 8.5, 8.95])
    assert np.isnan(out["cheapest_feasible_npv"].sel(scenario="b")).all()
    np.testing.assert_allclose(out["shortfall_mean"].sel(scenario="b"), [0.2, 0.05, 0.4])


def test_a_plan_that_knows_the_future_is_never_recommended():
    feasible = [[[1, 1], [1, 1], [1, 1]], [[1, 1], [0, 0], [1, 1]]]
    npv = [[[10, 12], [8, 9], [1, 1]], [[5, 5], [6, 6], [1, 1]]]
    shortfall = [[[0, 0], [0, 0], [0, 0]], [[0, 0], [0.1, 0.1], [0, 0]]]
    ds = comparison(feasible, npv, shortfall).assign_coords(
        strategy=["s1", "s2", "perfect_foresight"]
    )
    out = cheapest_feasible(ds)
    assert out["cheapest_feasible"].values.tolist() == ["s2", "s1"]
