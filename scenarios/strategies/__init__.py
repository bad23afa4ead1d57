"""Planning strategies: policies that look at the model each planning period.

One module per strategy family (:mod:`~scenarios.strategies.capacity`,
:mod:`~scenarios.strategies.season`, :mod:`~scenarios.strategies.channel_shift`,
:mod:`~scenarios.strategies.optimise`), the decision rule they share
(:mod:`~scenarios.strategies.planner`), what they plan with
(:mod:`~scenarios.strategies.outlook`, with the simulation's expected demand from
:mod:`simulation.expected`) and the registry by config name
(:mod:`~scenarios.strategies.registry`).
"""

from scenarios.strategies.capacity import PerfectForesight, Proactive, Reactive, StatusQuo
from scenarios.strategies.channel_shift import ChannelShift
from scenarios.strategies.optimise import Optimised
from scenarios.strategies.registry import INPUTS, STRATEGIES, build_strategy, with_inputs
from scenarios.strategies.season import SeasonAware

__all__ = [
    "INPUTS",
    "STRATEGIES",
    "ChannelShift",
    "Optimised",
    "PerfectForesight",
    "Proactive",
    "Reactive",
    "SeasonAware",
    "StatusQuo",
    "build_strategy",
    "with_inputs",
]
