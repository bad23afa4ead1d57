"""The network rule a workshop edit must keep: every service keeps a facility offering it.

The scenario checks (:func:`scenarios.changes.build_scenario`) refuse malformed
changes; a well-formed plan can still leave a service with no facility at all, for
example when the only school (or both of Sysmä's) is closed. The model would run it and
count every pupil unmet; in a workshop that is a slip of the mouse, so the dashboard
refuses it with a message and keeps the last valid plan.

The changes are followed in the order they take effect (as the model applies them):
``close``, the source of ``merge``/``relocate`` and the listed facilities of
``co_locate`` leave the network; the target of ``merge``/``co_locate`` and the new
site of ``relocate`` take over their services; ``resize`` to 0 stops one service and
above 0 starts it; ``open`` adds a facility. Mobile routes and digital channels do not
count: they complement a facility, they do not replace a school or a health station.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scenarios.changes.operations import (
    CoLocate,
    Merge,
    NetworkChange,
    Open,
    Relocate,
    Resize,
)
from scenarios.changes.sequence import closed_by
from simulation.world import World

__all__ = ["Gap", "service_gaps"]


@dataclass(frozen=True)
class Gap:
    """A service left without any facility.

    Attributes
    ----------
    service : str
        The service id.
    month : str
        Month (``YYYY-MM``) from which no facility offers it.
    change : NetworkChange
        The change that took its last facility away.
    """

    service: str
    month: str
    change: NetworkChange


def _network(world: World) -> dict[str, set[str]]:
    return {f.id: {s for s, c in f.capacity.items() if c > 0} for f in world.facilities}


def _apply(network: dict[str, set[str]], change: NetworkChange) -> None:
    gone = {fid: network.pop(fid, set()) for fid in closed_by(change)}
    if isinstance(change, Merge | CoLocate):
        if change.capacity_share > 0:
            network.setdefault(change.into, set()).update(*gone.values())
    elif isinstance(change, Relocate):
        network[change.relocated_id] = gone.get(change.facility, set())
    elif isinstance(change, Resize) and change.facility in network:
        services = network[change.facility]
        (services.add if change.capacity > 0 else services.discard)(change.service)
    elif isinstance(change, Open):
        network[change.id] = {s for s, c in change.capacity.items() if c > 0}


def service_gaps(world: World, changes: Sequence[NetworkChange]) -> list[Gap]:
    """Services that lose their last facility, in the order the changes take effect.

    Parameters
    ----------
    world : World
        The world before any change.
    changes : sequence of NetworkChange
        The scenario's changes (as :func:`scenarios.changes.build_scenario` builds them).

    Returns
    -------
    list of Gap
        One per service that no facility offers after some change (first such change).

    Examples
    --------
    >>> from scenarios.worlds.loader import embedded_world_path, load_world
    >>> from scenarios.changes.operations import Close
    >>> world = load_world(embedded_world_path("sysma"))
    >>> service_gaps(world, [Close(facility="sysma_school_nuoramoinen", decided="2024-01")])
    []
    >>> gaps = service_gaps(world, [Close(facility="sysma_school_nuoramoinen", decided="2024-01"),
    ...                             Close(facility="sysma_school_centre", decided="2025-08")])
    >>> [(g.service, g.month, g.change.facility) for g in gaps]
    [('basic_education', '2025-08', 'sysma_school_centre')]
    """
    network = _network(world)
    offered = set().union(*network.values()) if network else set()
    gaps: dict[str, Gap] = {}
    order = sorted(range(len(changes)), key=lambda i: (changes[i].effective, i))
    for i in order:
        _apply(network, changes[i])
        still = set().union(*network.values()) if network else set()
        for service in sorted(offered - still):
            gaps.setdefault(service, Gap(service, changes[i].effective, changes[i]))
    return list(gaps.values())
