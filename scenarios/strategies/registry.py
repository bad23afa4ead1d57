"""The strategy registry: every planning strategy by its config name, with typed parameters."""

from __future__ import annotations

import dataclasses
from typing import Any

from scenarios.errors import ScenarioError
from scenarios.strategies.capacity import PerfectForesight, Proactive, Reactive, StatusQuo
from scenarios.strategies.channel_shift import ChannelShift
from scenarios.strategies.optimise import Optimised
from scenarios.strategies.season import SeasonAware

#: Strategies that plan on the realised future: benchmarks for regret, not plans a
#: municipality can adopt (never named the cheapest feasible plan).
FORESIGHT_STRATEGIES: tuple[str, ...] = ("perfect_foresight",)

STRATEGIES: dict[str, type] = {
    "status_quo": StatusQuo,
    "reactive": Reactive,
    "proactive": Proactive,
    "perfect_foresight": PerfectForesight,
    "optimised": Optimised,
    "season_aware": SeasonAware,
    "channel_shift": ChannelShift,
}

#: Inputs the experiments layer passes (not parameters from the config).
INPUTS = ("forecast", "realised", "seasonal_forecast")


def build_strategy(name: str, **params: object):
    """Instantiate a strategy by name with its typed parameters.

    Numbers are converted to the parameter's type (an int for a float parameter);
    a list becomes a tuple.

    Raises
    ------
    ScenarioError
        If ``name`` is unknown (the message lists the allowed names), or a parameter
        does not belong to the strategy or has the wrong type.
    """
    if name not in STRATEGIES:
        raise ScenarioError(f"strategy {name!r} is not one of {sorted(STRATEGIES)}")
    cls = STRATEGIES[name]
    fields = {f.name: f for f in dataclasses.fields(cls) if f.name not in ("name", *INPUTS)}
    typed: dict[str, Any] = {}
    for key, value in params.items():
        if key == "horizon_years" and "lookahead_years" in fields:
            raise ScenarioError(
                f"strategy {name!r}: parameter 'horizon_years' is now 'lookahead_years' "
                "(horizon_years is the run length only)"
            )
        if key not in fields:
            raise ScenarioError(
                f"strategy {name!r}: parameter {key!r} is not one of {sorted(fields)}"
            )
        typed[key] = _typed(name, key, value, fields[key].default)
    return cls(**typed)


def _typed(name: str, key: str, value: Any, default: Any) -> Any:
    if isinstance(default, tuple):
        return tuple(value) if isinstance(value, list | tuple) else (value,)
    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if expected in (int, float, str) and not (
        isinstance(value, expected) and not isinstance(value, bool)
    ):
        raise ScenarioError(
            f"strategy {name!r}: parameter {key!r}={value!r} must be {expected.__name__}"
        )
    return value


def with_inputs(strategy: Any, **inputs: Any) -> Any:
    """Return the strategy with the inputs it takes (see :data:`INPUTS`) set."""
    names = {f.name for f in dataclasses.fields(strategy)}
    given = {k: v for k, v in inputs.items() if k in names and v is not None}
    return dataclasses.replace(strategy, **given) if given else strategy
