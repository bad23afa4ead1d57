"""What scenarios implement: network changes and planning strategies.

The simulation defines these protocols so that it never imports ``scenarios``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from simulation.model import ServiceModel


@runtime_checkable
class NetworkChange(Protocol):
    """A dated operation on the service network (open, close, resize, ...)."""

    #: First month (``"YYYY-MM"``) in which the change is in effect.
    effective: str

    def apply(self, model: ServiceModel) -> None:
        """Change the model's facilities; called once, at the start of ``effective``."""


@runtime_checkable
class Strategy(Protocol):
    """A planning policy that looks at the model each planning period."""

    name: str

    def plan(self, model: ServiceModel) -> list[NetworkChange]:
        """Return changes to schedule; each takes effect at its own ``effective`` month."""
