"""Exceptions of the simulation package; messages name the field and sizes involved."""


class SimulationError(Exception):
    """Base class of simulation errors."""


class WorldError(SimulationError, ValueError):
    """A world description is inconsistent (shapes, unknown ids, out-of-range values)."""


class PopulationError(SimulationError, ValueError):
    """A column or id array does not fit the population store."""


class AlignmentError(SimulationError, ValueError):
    """Forecast targets do not fit the micro population (areas, sexes or ages)."""
