"""Composing a run: worlds (loader, embedded worlds), network changes and strategies."""

from scenarios.errors import Problem, ScenarioError, WorldFileError
from scenarios.worlds.loader import embedded_world_path, embedded_worlds, load_world

__all__ = [
    "Problem",
    "ScenarioError",
    "WorldFileError",
    "embedded_world_path",
    "embedded_worlds",
    "load_world",
]
