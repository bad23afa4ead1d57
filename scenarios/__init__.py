"""What-ifs: the validated world loader, embedded worlds, network changes and strategies."""

from scenarios.errors import Problem, ScenarioError, WorldFileError
from scenarios.loader import embedded_world_path, embedded_worlds, load_world

__all__ = [
    "Problem",
    "ScenarioError",
    "WorldFileError",
    "embedded_world_path",
    "embedded_worlds",
    "load_world",
]
