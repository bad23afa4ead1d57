"""The agent-based model: residents in columns, facilities as Mesa agents, monthly steps."""

from simulation.demographic_path import DemographicPath, path_from_forecast
from simulation.facilities import Facility
from simulation.model import STREAMS, ServiceModel, spawn_streams
from simulation.params import SimulationParams
from simulation.population import Population
from simulation.world import (
    DigitalChannel,
    FacilitySpec,
    MobileRoute,
    SeasonalResidents,
    Service,
    Travel,
    World,
    Zones,
)

__all__ = [
    "STREAMS",
    "DemographicPath",
    "DigitalChannel",
    "Facility",
    "FacilitySpec",
    "MobileRoute",
    "Population",
    "SeasonalResidents",
    "Service",
    "ServiceModel",
    "SimulationParams",
    "Travel",
    "World",
    "Zones",
    "path_from_forecast",
    "spawn_streams",
]
