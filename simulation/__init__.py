"""The agent-based model: residents in columns, facilities as Mesa agents, monthly steps."""

from simulation.demography import DemographicPath, path_from_forecast
from simulation.facilities import Facility
from simulation.model import STREAMS, ServiceModel, spawn_streams
from simulation.population import Population
from simulation.world import FacilitySpec, SeasonalResidents, Service, Travel, World, Zones

__all__ = [
    "STREAMS",
    "DemographicPath",
    "Facility",
    "FacilitySpec",
    "Population",
    "SeasonalResidents",
    "Service",
    "ServiceModel",
    "Travel",
    "World",
    "Zones",
    "path_from_forecast",
    "spawn_streams",
]
