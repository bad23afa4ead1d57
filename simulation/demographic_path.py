"""One forecast sample path as the arrays the yearly demography aligns to."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from simulation.errors import AlignmentError
from simulation.types import FloatArray, IntArray


@dataclass(frozen=True)
class DemographicPath:
    """One forecast sample path as arrays: targets and rates by area, year, sex, age.

    Parameters
    ----------
    years : tuple of int
        Projected years (population on 31.12 of each).
    population : ndarray of int, shape (area, year, sex, age)
        Target population on 31.12, rounded to whole persons.
    death_probability : ndarray of float, shape (area, year, sex, age)
        Probability of dying during the year, by age at its start.
    infant_death_probability : ndarray of float, shape (area, year, sex)
        Probability of dying in the year of birth.
    fertility_rate : ndarray of float, shape (area, year, age)
        Births per woman per year by the mother's age at the start of the year.
    sex_ratio_at_birth : float
        Male births per female birth.
    """

    years: tuple[int, ...]
    population: IntArray
    death_probability: FloatArray
    infant_death_probability: FloatArray
    fertility_rate: FloatArray
    sex_ratio_at_birth: float

    def year_index(self, year: int) -> int:
        """Position of ``year`` in :attr:`years`."""
        try:
            return self.years.index(year)
        except ValueError:
            raise AlignmentError(
                f"forecast has no year {year}; it covers {self.years[0]}-{self.years[-1]}"
            ) from None


def path_from_forecast(
    forecast: xr.Dataset, sample: int, areas: tuple[str, ...], years: tuple[int, ...]
) -> DemographicPath:
    """Take one sample path of a forecast for the given areas and years.

    Raises
    ------
    AlignmentError
        If the forecast lacks an area, a year or a variable the model needs.
    """
    missing_areas = set(areas) - {str(a) for a in forecast["area"].values}
    missing_years = set(years) - {int(y) for y in forecast["year"].values}
    if missing_areas or missing_years:
        raise AlignmentError(
            f"forecast lacks areas {sorted(missing_areas)} or years {sorted(missing_years)}"
        )
    ds = forecast.isel(sample=sample).sel(area=list(areas), year=list(years))
    ds = ds.transpose("area", "year", ...)
    return DemographicPath(
        years=tuple(years),
        population=np.rint(ds["population"].transpose("area", "year", "sex", "age").values)
        .clip(0)
        .astype(np.int64),
        death_probability=ds["death_probability"].transpose("area", "year", "sex", "age").values,
        infant_death_probability=ds["infant_death_probability"]
        .transpose("area", "year", "sex")
        .values,
        fertility_rate=ds["fertility_rate"].transpose("area", "year", "age").values,
        sex_ratio_at_birth=float(forecast.attrs.get("sex_ratio_at_birth", 1.05)),
    )
