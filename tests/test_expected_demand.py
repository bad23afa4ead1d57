"""One demand model: the expected demand strategies plan with is the mean of the draws.

The expectation (:mod:`simulation.expected`) and the monthly draws
(:mod:`simulation.demand`) take the same monthly inputs from
:func:`simulation.serve.month_demand`. Here the draws of one month are repeated with
many independent generators (presence, then demand, exactly as the step draws them)
and their mean is compared with the expectation, cell total by cell total, within
five standard errors of the mean of the draws (a false alarm about once in 1.7
million checks per total).
"""

import dataclasses
import inspect

import numpy as np
import pytest

import scenarios.strategies.capacity as capacity
import scenarios.strategies.channel_shift as channel_shift
import scenarios.strategies.optimise as optimise
import scenarios.strategies.outlook as outlook
import scenarios.strategies.season as season
from simulation import DigitalChannel, ServiceModel, SimulationParams, cellplan, demand, serve
from simulation.channels import IN_PERSON
from simulation.expected import expected_cells
from simulation.params import ChoiceParams, Segment
from tests.factories import drifting_path, small_world

N_DRAWS = 4000


def model_with_everything() -> ServiceModel:
    """Seasonal residents (weekday factor 0.56 off season), remote workers, a digital channel."""
    world = small_world(n_zones=3, residents_per_cell=4, residences=400)
    segments = (
        Segment("families", "permanent", (1, 0, 0, 0), 1.2, (0.5, 0.1, 0.3, 0.1)),
        Segment("settled", "permanent", (0, 1, 1, 1), 0.9, (0.7, 0.0, 0.2, 0.1)),
        Segment("leisure", "seasonal", remote_work_share=0.4, weekend_share=0.6),
    )
    params = SimulationParams(
        segments=segments,
        choice=ChoiceParams(distance_elasticity=(0.0, 0.0, 0.5, 0.3)),
    )
    model = ServiceModel(world, drifting_path(world, 1), 1, seed=3, params=params)
    model.digital_channels["primary_health_care"] = DigitalChannel("primary_health_care", 0.7)
    return model


def mean_of_draws(model: ServiceModel, month: int):
    """Mean and standard error of the drawn demand by (service, zone, kind, channel)."""
    plan = serve.cell_plan(model)
    inputs = serve.month_demand(model, plan, month, serve.network(model, month))
    children = np.random.SeedSequence(2026).spawn(N_DRAWS)
    draws = []
    for child in children:
        rng = np.random.default_rng(child)
        present = cellplan.draw_presence(plan, inputs.share, rng)
        one = [
            demand.draw(plan, s, inputs, present, rng, rng)
            for s in range(len(model.world.services))
        ]
        draws.append(np.stack(one).sum(axis=(3, 4, 5)))  # service, zone, kind, channel
    draws = np.array(draws, dtype=float)
    return draws.mean(axis=0), draws.std(axis=0, ddof=1) / np.sqrt(N_DRAWS)


@pytest.mark.parametrize("month", [2, 7])  # off season (weekday factor) and holiday
def test_expected_demand_is_the_mean_of_the_draws(month):
    model = model_with_everything()
    mean, se = mean_of_draws(model, month)
    everything = expected_cells(model, month, by_channel=False).sum(axis=3)
    in_person = expected_cells(model, month, by_channel=True).sum(axis=3)  # no vans here
    assert everything.sum() > 100 and everything[:, :, 1].sum() > 10  # seasonal demand too
    tolerance = 5 * np.hypot(se.sum(axis=-1), 1e-9)
    assert np.all(np.abs(everything - mean.sum(axis=-1)) <= tolerance)
    tolerance = 5 * np.hypot(se[..., IN_PERSON], 1e-9)
    assert np.all(np.abs(in_person - mean[..., IN_PERSON]) <= tolerance)
    # The in-person share is really smaller (digital and phone absorb visits).
    assert in_person[0].sum() < 0.95 * everything[0].sum()


def test_a_wrong_factor_would_be_caught():
    """The test above has power: the old expectation (no weekday factor) fails it."""
    model = model_with_everything()
    mean, se = mean_of_draws(model, 2)
    plan = serve.cell_plan(model)
    inputs = serve.month_demand(model, plan, 2, serve.network(model, 2))
    assert inputs.weekday.min() < 0.6  # the seasonal residents' off-season factor
    old = dataclasses.replace(inputs, weekday=np.ones_like(inputs.weekday))
    per_cell = demand.expected_visits(plan.table, 0, old, model.segment_params["demand"])
    seasonal = per_cell[:, plan.table.group_kind == 1].sum(axis=(1, 2, 3))  # by zone
    drawn, error = mean[0, :, 1].sum(axis=-1), se[0, :, 1].sum(axis=-1)
    assert np.any(np.abs(seasonal - drawn) > 5 * error)


def test_strategies_no_longer_recompute_the_demand_model():
    """The strategies take expected demand from the simulation, not a copy or a wrapper."""
    users = (capacity, channel_shift, optimise, season)
    for module in (outlook, *users):
        source = inspect.getsource(module)
        if module in users:
            assert "from simulation.expected import expected_demand" in source, module
        for name in ("channel_probabilities", "presence_shares", "rate_sum", "month_factors"):
            assert name not in source, (module, name)
    assert not hasattr(outlook, "expected_zone_demand")
    with pytest.raises(ModuleNotFoundError):
        __import__("scenarios.strategies.expected")
