"""Statistical population forecasts: rate assumptions and cohort-component projection.

Reads rate tables (:func:`read_rate_tables`), turns them into rate assumptions
for a set of areas (:func:`assume_rates`) and projects a base population
(:func:`project`). Imports nothing else of the project, never Hydra or Mesa.
"""

from forecasting.cohort import Step, advance, project
from forecasting.errors import CalibrationError, ForecastingError, InputError, ProjectionError
from forecasting.inputs import RateTables, read_rate_tables
from forecasting.lifetable import life_expectancy, mortality_factor
from forecasting.rates import assume_rates, rates_dataset
from forecasting.types import AGES, FERTILE_AGES, OPEN_AGE, SEXES

__all__ = [
    "AGES",
    "FERTILE_AGES",
    "OPEN_AGE",
    "SEXES",
    "CalibrationError",
    "ForecastingError",
    "InputError",
    "ProjectionError",
    "RateTables",
    "Step",
    "advance",
    "assume_rates",
    "life_expectancy",
    "mortality_factor",
    "project",
    "rates_dataset",
    "read_rate_tables",
]
