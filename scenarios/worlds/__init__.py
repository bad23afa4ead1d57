"""Worlds: the validated loader and the embedded worlds (one data folder each)."""

from scenarios.worlds.loader import embedded_world_path, embedded_worlds, load_world

__all__ = ["embedded_world_path", "embedded_worlds", "load_world"]
