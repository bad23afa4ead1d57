"""Expected monthly demand: the means of the simulation's own draws, for planning.

Strategies plan with the demand the model would draw on average. This module asks the
same code as the monthly step for everything (:func:`simulation.serve.cell_plan`,
:func:`simulation.serve.network`, :func:`simulation.serve.month_demand`) and takes the
means from :func:`simulation.demand.expected_visits` and
:func:`simulation.demand.expected_places`, which sit beside the draws they average.
Only the van overflow is approximated: a route's expected requests above its
capacity spill to in person pro rata (the mean of the overflow would need the whole
distribution of requests).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation import demand, serve
from simulation.channels import IN_PERSON, MOBILE
from simulation.types import AGE_GROUPS, AGES, KINDS, FloatArray, IntArray, age_group_index

if TYPE_CHECKING:
    from simulation.model import ServiceModel


def expected_cells(model: ServiceModel, month: int, by_channel: bool = True) -> FloatArray:
    """Return the expected demand of calendar ``month`` by (service, zone, kind, age group).

    Parameters
    ----------
    model : ServiceModel
        Gives this year's cells, segment parameters, presence profiles and the network
        now (facilities open that month, mobile routes, digital channels).
    month : int
        Calendar month, 1-12.
    by_channel : bool
        True: only the demand that needs in-person capacity (in person, plus what full
        vans leave); False: all demand whatever the channel.

    Returns
    -------
    ndarray of float, shape (service, zone, kind, age_group)
        Visits (or places) per month.
    """
    world = model.world
    plan = serve.cell_plan(model)
    inputs = serve.month_demand(model, plan, month, serve.network(model, month))
    table = plan.table
    kind = table.group_kind
    n_s, n_z = len(world.services), len(world.zones)
    out = np.zeros((n_s, n_z, len(KINDS), len(AGE_GROUPS)))
    mobile = np.zeros_like(out)
    for s in range(n_s):
        if inputs.probs[s] is None:
            places = demand.expected_places(plan, s, inputs)  # zone, pool, age group
            out[s, :, 0] = places[:, 0]
            out[s, :, 1] = places[:, 1:].sum(axis=1)
            continue
        per_channel = demand.expected_visits(table, s, inputs, model.segment_params["demand"])
        by_kind = np.stack([per_channel[:, kind == k].sum(axis=1) for k in range(len(KINDS))], 1)
        if not by_channel:
            out[s] = by_kind.sum(axis=-1)
            continue
        out[s] = by_kind[..., IN_PERSON]
        mobile[s] = by_kind[..., MOBILE]
    if by_channel:
        out += van_spill(model.mobile_routes, inputs.owner, mobile)
    return out


def van_spill(routes, owner: IntArray, mobile: FloatArray) -> FloatArray:
    """Return the expected mobile visits that a route's monthly capacity leaves to in person.

    Parameters
    ----------
    routes : sequence of MobileRoute
        Routes in the network now.
    owner : ndarray of int, shape (zone, service)
        Route serving each zone and service this month (-1: none).
    mobile : ndarray of float, shape (service, zone, ...)
        Expected visits choosing the van.

    Returns
    -------
    ndarray of float, same shape as ``mobile``
        The share of each route's requests over its capacity, spread pro rata.
    """
    spill = np.zeros_like(mobile)
    for r, route in enumerate(routes):
        mine = (owner == r).T  # (service, zone)
        wanted = mobile[mine].sum()
        if wanted <= 0:
            continue
        left = max(0.0, 1.0 - np.floor(route.capacity_per_month) / wanted)
        spill[mine] = mobile[mine] * left
    return spill


def age_group_members() -> FloatArray:
    """Membership of each single age in its age group, shape (age, age_group)."""
    member = np.zeros((len(AGES), len(AGE_GROUPS)))
    member[np.arange(len(AGES)), age_group_index()] = 1.0
    return member


def expected_demand(
    model: ServiceModel,
    permanent: FloatArray,
    by_channel: bool = True,
    seasonal_factor: float | FloatArray = 1.0,
) -> FloatArray:
    """Return the expected demand by (…, zone, service, month) of given permanent residents.

    The permanent residents' demand per person (multipliers, channel shares) is taken
    from this year's persons of the same zone, service and age group, and applied to
    ``permanent`` (the service's rate by single age x that ratio); where a zone has no
    such persons now, the ratio over all zones is used. Seasonal residents are at
    their current stock x ``seasonal_factor``.

    Parameters
    ----------
    model : ServiceModel
        The running model.
    permanent : ndarray of float, shape (..., zone, age)
        Permanent residents (e.g. per sample and year).
    by_channel : bool
        Only demand needing in-person capacity (True) or all demand (False).
    seasonal_factor : float or ndarray of float, shape (...)
        Seasonal residents relative to the current stock (e.g. per sample and year).

    Returns
    -------
    ndarray of float, shape (..., zone, service, month)
    """
    table = serve.cell_plan(model).table
    monthly = np.stack([expected_cells(model, m, by_channel) for m in range(1, 13)])
    p = table.n_permanent_groups
    perm_now = monthly[:, :, :, 0]  # (month, service, zone, age_group)
    seasonal = monthly[:, :, :, 1].sum(axis=3).transpose(2, 1, 0)  # (zone, s, month)
    plain = table.rate_any[:, :, :p].sum(axis=(2, 4, 5))  # (service, zone, age_group)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = perm_now / plain[None]
        overall = perm_now.sum(axis=2) / plain.sum(axis=1)[None]  # (month, service, ag)
    ratio = np.where(plain[None] > 0, ratio, np.nan_to_num(overall)[:, :, None, :])
    rate = np.stack([s.rate[0] for s in model.world.services])  # (service, age)
    by_group = np.einsum("...za,sa,ag->...zsg", permanent, rate, age_group_members())
    perm = np.einsum("...zsg,mszg->...zsm", by_group, ratio, optimize=True)
    factor = np.asarray(seasonal_factor, dtype=float)[..., None, None, None]
    return perm + factor * seasonal
