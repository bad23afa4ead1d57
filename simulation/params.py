"""Typed parameters of the simulation that come from configuration, not from the world.

The Hydra config group ``simulation`` (``experiments/conf/simulation/default.yaml``)
is validated into these dataclasses by ``experiments/settings.py``; the model receives
plain values only.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulation.errors import SimulationError


class ParameterError(SimulationError, ValueError):
    """A simulation parameter is outside its allowed range; the message names it."""


@dataclass(frozen=True)
class SimulationParams:
    """Behavioural parameters of a run.

    Parameters
    ----------
    school_transport_km : float, default 5.0
        Pupils living farther than this from their school (road km) are entitled to
        school transport (Basic Education Act section 32: 5 km).

    Examples
    --------
    >>> SimulationParams().school_transport_km
    5.0
    >>> SimulationParams(school_transport_km=-1)
    Traceback (most recent call last):
    ...
    simulation.params.ParameterError: simulation.school_transport_km=-1: must be >= 0 km
    """

    school_transport_km: float = 5.0

    def __post_init__(self) -> None:
        if not self.school_transport_km >= 0:
            raise ParameterError(
                f"simulation.school_transport_km={self.school_transport_km}: must be >= 0 km"
            )
