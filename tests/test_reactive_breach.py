"""The reactive strategy sees service-standard breaches of the past year."""

import dataclasses

import numpy as np

from scenarios.strategies import build_strategy
from scenarios.strategies.outlook import observed_breaches
from simulation import ServiceModel
from simulation.queues import WaitingRule
from simulation.sizing import meets
from simulation.standards import Standard
from tests.factories import drifting_path, small_world

HEALTH = "primary_health_care"


def congested_world(capacity):
    world = small_world(n_zones=2, residents_per_cell=3, capacity=capacity)
    wait = WaitingRule("switch", 60.0)
    services = tuple(
        dataclasses.replace(s, waiting=wait) if s.id == HEALTH else s for s in world.services
    )
    std = Standard(HEALTH, "waiting_days", 14.0, "2000-01-01", target_share=0.9)
    return dataclasses.replace(world, services=services, standards=(std,))


def year_run(world):
    model = ServiceModel(world, drifting_path(world, 2, seed=1), 2, seed=1)
    model.run_for(12)
    return model


def test_breaches_are_seen_and_the_work_offered_includes_the_backlog():
    model = year_run(congested_world(capacity=20.0))
    breached, offered = observed_breaches(model)
    s = model.world.service_ids.index(HEALTH)
    rec = model.queue_records.data
    assert breached[:, s].any()
    assert (offered[:, s] >= rec["arrivals"][:12, :, s].max(axis=0)).all()
    ample = year_run(congested_world(capacity=1e6))
    assert not observed_breaches(ample)[0].any()


def test_reactive_sizes_breached_facilities_for_the_work_offered():
    model = year_run(congested_world(capacity=20.0))
    s = model.world.service_ids.index(HEALTH)
    breached, offered = observed_breaches(model)
    plan = build_strategy("reactive", services=[HEALTH], sizing="utilisation").plan(model)
    sized = {c.facility: c.capacity for c in plan if getattr(c, "service", "") == HEALTH}
    for fac in model.facilities:
        if breached[fac.index, s]:
            assert sized[fac.facility_id] >= offered[fac.index, s] / 0.75 - 1


def test_reactive_sizes_breached_facilities_for_the_standard_by_default():
    """The capacity that would have met the standard last year, not work offered / target."""
    model = year_run(congested_world(capacity=20.0))
    s = model.world.service_ids.index(HEALTH)
    breached, offered = observed_breaches(model)
    plan = build_strategy("reactive", services=[HEALTH], noise_z=0.0).plan(model)
    sized = {c.facility: c.capacity for c in plan if getattr(c, "service", "") == HEALTH}
    rec = model.queue_records.data
    rule = model.world.services[s].waiting
    assert breached[:, s].any()
    for fac in model.facilities:
        if not breached[fac.index, s]:
            continue
        cap = sized[fac.facility_id]
        seen = rec["arrivals"][:12, fac.index, s].astype(float)
        assert meets(seen, np.full(12, cap), 14.0, 0.9, rule)
        assert not meets(seen, np.full(12, cap - 1), 14.0, 0.9, rule)
        assert cap < offered[fac.index, s] / 0.75
