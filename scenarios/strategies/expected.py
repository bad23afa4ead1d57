"""Expected monthly demand by the simulation's own demand model, without drawing.

The model draws each month's visits per cell as Poisson counts with mean = the cell's
summed rates x the share of its persons present x the month factor x the segment's
demand multiplier, split over channels by the channel probabilities (preferred
channel, segment weights, vans where a route runs, digital channels by adoption,
phone where the service lists it); visits choosing a full van spill to in person.
Enrolment is in person: eligible persons present x the mean place probability x the
month factor. This module computes the same means (no draws) from the model's cell
table and network now, so a strategy's outlook counts only the demand that needs
in-person capacity (see :func:`scenarios.strategies.outlook.expected_zone_demand`).
"""

from __future__ import annotations

import numpy as np

from simulation import cells, channels
from simulation.channels import IN_PERSON, MOBILE
from simulation.model import ServiceModel
from simulation.types import AGE_GROUPS, AGES, FloatArray, age_group_index


def expected_cells(model: ServiceModel, month: int, by_channel: bool = True) -> FloatArray:
    """Return the expected demand of calendar ``month`` by (service, zone, group, age group).

    Parameters
    ----------
    model : ServiceModel
        Gives the cell table (this year's persons), segment parameters, presence
        profiles, mobile routes and digital channels now in the network.
    month : int
        Calendar month, 1-12.
    by_channel : bool
        True: only the demand that needs in-person capacity (in person, plus what full
        vans leave); False: all demand whatever the channel.

    Returns
    -------
    ndarray of float, shape (service, zone, group, age_group)
        Visits (or places) per month.
    """
    world, params, table = model.world, model.params, model.cells
    seg = model.segment_params
    share = cells.presence_shares(
        table, world.seasonal.presence, month, params.choice.remote_presence_factor
    )
    owner = channels.route_owner(model.mobile_routes, month, world.zones.ids, world.service_ids)
    n_s, n_z, n_g = len(world.services), len(world.zones), table.group_kind.size
    out = np.zeros((n_s, n_z, n_g, len(AGE_GROUPS)))
    mobile = np.zeros_like(out)
    for s, service in enumerate(world.services):
        factor = service.month_factors[month - 1]
        if service.demand_type != "visits":
            out[s] = table.rate_any[s].sum(axis=(3, 4)) * share[None, :, None] * factor
            continue
        weight = share * factor * seg["demand"]
        mean = table.rate_sum[s] * weight[None, :, None, None, None, None]
        if not by_channel:
            out[s] = mean.sum(axis=(3, 4, 5))
            continue
        probs = channel_probabilities(model, s, owner, month)
        # (zone, group, [car,] digital, preferred, channel): with a car axis when the
        # channel weights depend on the trip to the nearest facility.
        spec = "zgacdp,zgcdpk->zgak" if probs.ndim == 6 else "zgacdp,zgdpk->zgak"
        per_channel = np.einsum(spec, mean, probs, optimize=True)
        out[s] = per_channel[..., IN_PERSON]
        mobile[s] = per_channel[..., MOBILE]
    if by_channel:
        out += van_spill(model, owner, mobile)
    return out


def channel_probabilities(model: ServiceModel, s: int, owner: np.ndarray, month: int) -> FloatArray:
    """Channel probabilities of service ``s`` in calendar ``month``, as the model uses them.

    Availability from the network now (vans where ``owner`` >= 0, the digital channel,
    phone); when the simulation scales channel weights by the trip to the nearest
    facility (``choice.distance_elasticity``), the factors are computed from the
    facilities open that month.
    """
    world, choice_params = model.world, model.params.choice
    service = world.services[s]
    avail = channels.availability(service, owner[:, s] >= 0, model.digital_channels.get(service.id))
    weights, loyalty = model.segment_params["channels"], choice_params.channel_loyalty
    elasticity = tuple(getattr(choice_params, "distance_elasticity", ()))
    if not any(elasticity) or not hasattr(channels, "distance_factors"):
        return channels.channel_probabilities(avail, weights, loyalty)
    factors = channels.distance_factors(
        nearest_minutes(model, s, month),
        elasticity,
        choice_params.distance_reference_minutes,
        choice_params.distance_cap_minutes,
    )
    return channels.channel_probabilities(avail, weights, loyalty, factors)


def nearest_minutes(model: ServiceModel, s: int, month: int) -> FloatArray:
    """Minutes to the nearest facility open in ``month`` offering service ``s``.

    Returns
    -------
    ndarray of float, shape (zone, car)
        Without a car by ``minutes_nocar``, with one by ``minutes_car``; inf if none.
    """
    travel = model.world.travel
    zones = [f.zone for f in model.facilities if f.offers()[s] and f.open_months[month - 1]]
    out = np.full((len(model.world.zones), 2), np.inf)
    if zones:
        out[:, 0] = travel.minutes_nocar[:, zones].min(axis=1)
        out[:, 1] = travel.minutes_car[:, zones].min(axis=1)
    return out


def van_spill(model: ServiceModel, owner: np.ndarray, mobile: FloatArray) -> FloatArray:
    """Return the expected mobile visits that a route's monthly capacity leaves to in person.

    Parameters
    ----------
    model : ServiceModel
        Gives the routes.
    owner : ndarray of int, shape (zone, service)
        Route serving each zone and service this month (-1: none).
    mobile : ndarray of float, shape (service, zone, group, age_group)
        Expected visits choosing the van.

    Returns
    -------
    ndarray of float, same shape as ``mobile``
        The share of each route's requests over its capacity, spread pro rata.
    """
    spill = np.zeros_like(mobile)
    for r, route in enumerate(model.mobile_routes):
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
    table = model.cells
    monthly = np.stack([expected_cells(model, m, by_channel) for m in range(1, 13)])
    p = table.n_permanent_groups
    perm_now = monthly[:, :, :, :p].sum(axis=3)  # (month, service, zone, age_group)
    seasonal = monthly[:, :, :, p:].sum(axis=(3, 4)).transpose(2, 1, 0)  # (zone, s, month)
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
