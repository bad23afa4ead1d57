"""Planning strategies: policies that look at the model each planning period."""

from __future__ import annotations

from dataclasses import dataclass

from scenarios.errors import ScenarioError
from simulation.model import ServiceModel
from simulation.protocols import NetworkChange


@dataclass(frozen=True)
class StatusQuo:
    """Only the scenario's own changes: the strategy never schedules anything."""

    name: str = "status_quo"

    def plan(self, model: ServiceModel) -> list[NetworkChange]:
        """Schedule nothing."""
        return []


STRATEGIES: dict[str, type] = {"status_quo": StatusQuo}


def build_strategy(name: str, **params: object):
    """Instantiate a strategy by name with its typed parameters.

    Raises
    ------
    ScenarioError
        If ``name`` is unknown (the message lists the allowed names) or a parameter
        does not belong to the strategy.
    """
    if name not in STRATEGIES:
        raise ScenarioError(f"strategy {name!r} is not one of {sorted(STRATEGIES)}")
    try:
        return STRATEGIES[name](**params)
    except TypeError as exc:
        raise ScenarioError(f"strategy {name!r}: {exc}") from None
