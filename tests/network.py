"""Helpers to run small worlds with scenarios and strategies (no files, no Hydra)."""

from __future__ import annotations

from scenarios.changes.costs import CostSettings, run_results
from scenarios.changes.scenario import build_scenario, dormant_ids, extend_world
from simulation import ServiceModel
from tests.factories import drifting_path, small_world


def run_network(
    changes=(),
    world=None,
    years=2,
    seed=1,
    strategy=None,
    path=None,
    costs=None,
    unit_costs=None,
    extra_facilities=(),
    seasonal_path=None,
):
    """Run a (small) world with plain change descriptions; return (dataset, model)."""
    world = world or small_world(n_zones=3, residents_per_cell=3)
    first = f"{world.base_year + 1}-01"
    last = f"{world.base_year + years}-12"
    scenario = build_scenario("test", list(changes), world, first, last, unit_costs=unit_costs)
    full = extend_world(world, scenario.new_facilities + tuple(extra_facilities))
    path = path or drifting_path(full, years, seed=seed)
    model = ServiceModel(
        full,
        path,
        years,
        seed=seed,
        changes=scenario.changes,
        strategy=strategy,
        seasonal_path=seasonal_path,
        capacity_unit_cost_eur_per_year=unit_costs,
        dormant=dormant_ids(full, world),
    )
    model.run()
    return run_results(model, costs or CostSettings()), model
