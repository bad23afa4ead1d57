"""Network changes: the dated operations on facilities, the scenario that holds them, costs.

:mod:`~scenarios.changes.operations` defines :class:`NetworkChange` and its kinds (open,
close, merge, resize, relocate, open seasonally, co-locate, school transport rule, mobile
route, digital channel); :mod:`~scenarios.changes.scenario` validates a scenario's dated
changes; :mod:`~scenarios.changes.costs` accounts for what they cost (a part of the run's
results, which :mod:`simulation.results` assembles with the record of what happened).
"""

from scenarios.changes.operations import NetworkChange
from scenarios.changes.scenario import Scenario, build_scenario

__all__ = ["NetworkChange", "Scenario", "build_scenario"]
