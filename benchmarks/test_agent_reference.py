"""The person-agent reference implements the same monthly logic (checked in CI, fast)."""

import dataclasses

import numpy as np

from benchmarks.agent_reference import AgentServiceModel
from benchmarks.worlds import ageing_path
from simulation import DigitalChannel, MobileRoute, ServiceModel
from tests.factories import small_world


def test_agents_and_columns_draw_the_same_demand_by_channel():
    world = small_world(n_zones=3, residents_per_cell=12, residences=150, capacity=400.0)
    route = MobileRoute("van", ("primary_health_care",), ("Z2",), (True,) * 12, 4, 50.0, 0.0)
    world = dataclasses.replace(
        world,
        mobile_routes=(route,),
        digital_channels=(DigitalChannel("primary_health_care", 0.8),),
    )
    months = 3
    columnar = ServiceModel(world, ageing_path(world, 1), 1, seed=3)
    agents = AgentServiceModel(ServiceModel(world, ageing_path(world, 1), 1, seed=3), seed=3)
    columnar.run_for(months)
    for _ in range(months):
        agents.step()
    rec = columnar.recorder.data
    col_demand = rec["demand_zone"][:months].sum(axis=(0, 1))
    col_served = rec["served_zone"][:months].sum(axis=(0, 1))
    agent_demand = agents.totals[:, 0]
    agent_served = agents.totals[:, 0] - agents.totals[:, 2]  # not lost (served or waiting)
    assert col_demand.sum() > 1000 and agent_demand.sum() > 1000
    # Same expected values; the draws differ, so compare within sampling noise.
    assert np.all(np.abs(agent_demand - col_demand) <= 4 * np.sqrt(col_demand) + 5)
    assert np.all(np.abs(agent_served - col_served) <= 4 * np.sqrt(col_demand) + 5)


def test_agents_and_columns_queue_and_lose_alike_under_congestion():
    from simulation.queues import WaitingRule

    world = small_world(n_zones=3, residents_per_cell=12, residences=150, capacity=40.0)
    rule = WaitingRule("lost", 7.0)
    services = tuple(
        dataclasses.replace(s, waiting=rule) if s.demand_type == "visits" else s
        for s in world.services
    )
    world = dataclasses.replace(world, services=services)
    months = 4
    columnar = ServiceModel(world, ageing_path(world, 1), 1, seed=5)
    agents = AgentServiceModel(ServiceModel(world, ageing_path(world, 1), 1, seed=5), seed=5)
    columnar.run_for(months)
    for _ in range(months):
        agents.step()
    col_lost = columnar.recorder.data["unmet_zone"][:months].sum(axis=(0, 1))
    col_demand = columnar.recorder.data["demand_zone"][:months].sum(axis=(0, 1))
    health = [s.id for s in world.services].index("primary_health_care")
    assert col_lost[health] > 50  # congested: the queue overflows its patience
    tolerance = 4 * np.sqrt(col_demand) + 5
    assert np.all(np.abs(agents.totals[:, 2] - col_lost) <= tolerance)
