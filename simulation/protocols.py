"""What scenarios implement, and the views of the model they get.

The simulation defines these protocols so that it never imports ``scenarios``.
A network change sees the model through :class:`NetworkView` (the network it may
change); a strategy through :class:`PlanningView` (what a planner can observe).
:class:`~simulation.model.ServiceModel` satisfies both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from simulation.cells import CellTable
    from simulation.facilities import Facility
    from simulation.metrics import Recorder
    from simulation.params import SimulationParams
    from simulation.population import Population
    from simulation.world import DigitalChannel, MobileRoute, World


class NetworkView(Protocol):
    """The part of the model a network change reads and edits.

    Attributes
    ----------
    world : World
        The world (services, zones, facility specs); read only.
    facilities : list of Facility
        Live facility agents; a change edits their capacity, months, costs, network flag.
    mobile_routes : list of MobileRoute
        Routes in the network now; a change may add, remove or replace one.
    digital_channels : dict of str to DigitalChannel
        Digital channels now, by service id; a change may set one.
    school_transport_km : float
        School-transport distance rule now (road km); a change may set it.
    capacity_unit_cost_eur_per_year : dict of str to float
        Yearly fixed cost of one unit of monthly capacity, by service id; read only.
    """

    world: World
    facilities: list[Facility]
    mobile_routes: list[MobileRoute]
    digital_channels: dict[str, DigitalChannel]
    school_transport_km: float
    capacity_unit_cost_eur_per_year: dict[str, float]


class PlanningView(NetworkView, Protocol):
    """What a strategy observes when it plans (it changes the network only by changes).

    Attributes
    ----------
    month_index, start_year : int
        Months stepped so far, and the first simulated year.
    years : tuple of int
        Simulated years.
    params : SimulationParams
        Behavioural parameters.
    population : Population
        The resident store (read only).
    cells : CellTable
        This year's residents by cell.
    segment_params : dict of str to ndarray
        Segment parameters per cell group.
    recorder : Recorder
        Records of the months stepped so far.
    pending : list of NetworkChange
        Changes scheduled, not yet in effect.
    applied_changes : list of (int, NetworkChange)
        Changes applied so far, with the month index.
    seasonal_path : dict of int to float or None
        Seasonal residents per simulated year relative to the base year.
    """

    month_index: int
    start_year: int
    years: tuple[int, ...]
    params: SimulationParams
    population: Population
    cells: CellTable
    segment_params: dict
    recorder: Recorder
    pending: list[NetworkChange]
    applied_changes: list[tuple[int, NetworkChange]]
    seasonal_path: dict[int, float] | None

    @property
    def date(self) -> str:
        """Current month as ``YYYY-MM``."""

    @property
    def year_month(self) -> tuple[int, int]:
        """Current calendar year and month (1-12)."""


@runtime_checkable
class NetworkChange(Protocol):
    """A dated operation on the service network (open, close, resize, ...).

    The results record each applied change by these fields (see
    :func:`simulation.results.change_variables`); a change may lack the optional ones.
    """

    #: First month (``"YYYY-MM"``) in which the change is in effect.
    effective: str

    def apply(self, network: NetworkView) -> None:
        """Change the network; called once, at the start of ``effective``."""


@runtime_checkable
class Strategy(Protocol):
    """A planning policy that looks at the model each planning period."""

    name: str

    def plan(self, model: PlanningView) -> Sequence[NetworkChange]:
        """Return changes to schedule; each takes effect at its own ``effective`` month."""
