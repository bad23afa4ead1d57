"""The Dataset of rates that :func:`forecasting.cohort.project` takes, built from arrays."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

from forecasting.errors import ProjectionError
from forecasting.types import (
    AGE,
    AGES,
    AREA,
    DEFAULT_SEX_RATIO_AT_BIRTH,
    SAMPLE,
    SEX,
    SEXES,
    YEAR,
    FloatArray,
)

__all__ = ["RATE_ATTRS", "SHAPES", "rates_dataset"]

RATE_ATTRS = {
    "death_probability": {
        "units": "1",
        "long_name": "probability of dying during the year by age at the start of the year",
    },
    "infant_death_probability": {
        "units": "1",
        "long_name": "probability of dying during the calendar year of birth",
    },
    "fertility_rate": {
        "units": "births/woman/year",
        "long_name": "fertility rate by age of the mother (mean of ages a-1 and a at the start)",
    },
    "net_migration_rate": {
        "units": "1/year",
        "long_name": "net migrants per person per year by age at the end of the year",
    },
}
SHAPES = {
    "death_probability": (YEAR, SEX, AGE),
    "infant_death_probability": (YEAR, SEX),
    "fertility_rate": (YEAR, AGE),
    "net_migration_rate": (YEAR, SEX, AGE),
}


def rates_dataset(
    areas: Sequence[str],
    years: Sequence[int] | np.ndarray,
    *,
    death_probability: FloatArray | float,
    infant_death_probability: FloatArray | float,
    fertility_rate: FloatArray | float,
    net_migration_rate: FloatArray | float,
    n_samples: int = 1,
    sex_ratio_at_birth: float = DEFAULT_SEX_RATIO_AT_BIRTH,
    attrs: dict | None = None,
) -> xr.Dataset:
    """Wrap rate arrays into the Dataset that :func:`forecasting.cohort.project` takes.

    Each rate is broadcast (NumPy rules, trailing dims) to its full shape without
    the sample dim, then repeated over ``n_samples`` identical samples.

    Parameters
    ----------
    areas : sequence of str
        Area codes.
    years : sequence of int
        Projected years.
    death_probability : float or array, broadcastable to (area, year, sex, age)
        Per person, by age at the start of the year.
    infant_death_probability : float or array, broadcastable to (area, year, sex)
        Probability of dying in the year of birth.
    fertility_rate : float or array, broadcastable to (area, year, age)
        Births per woman per year.
    net_migration_rate : float or array, broadcastable to (area, year, sex, age)
        Net migrants per person per year, by age at the end of the year.
    n_samples : int, default 1
        Size of the ``sample`` dimension.
    sex_ratio_at_birth : float, default 1.05
        Males born per female.
    attrs : dict, optional
        Extra provenance attributes.

    Returns
    -------
    xarray.Dataset
        The four rates with dims (sample, area, year, [sex], [age]).

    Examples
    --------
    >>> ds = rates_dataset(["781"], [2024], death_probability=0.01,
    ...     infant_death_probability=0.002, fertility_rate=0.0, net_migration_rate=0.0)
    >>> dict(ds["death_probability"].sizes)
    {'sample': 1, 'area': 1, 'year': 1, 'sex': 2, 'age': 101}
    >>> ds.attrs["sex_ratio_at_birth"]
    1.05
    """
    if n_samples < 1:
        raise ProjectionError(f"n_samples must be >= 1, got {n_samples}")
    coords = {
        SAMPLE: np.arange(n_samples),
        AREA: [str(a) for a in areas],
        YEAR: np.asarray(years, dtype=np.int64),
        SEX: list(SEXES),
        AGE: list(AGES),
    }
    given = {
        "death_probability": death_probability,
        "infant_death_probability": infant_death_probability,
        "fertility_rate": fertility_rate,
        "net_migration_rate": net_migration_rate,
    }
    data = {}
    for name, value in given.items():
        dims = (AREA, *SHAPES[name])
        shape = tuple(len(coords[d]) for d in dims)
        try:
            array = np.broadcast_to(np.asarray(value, dtype=float), shape)
        except ValueError as exc:
            raise ProjectionError(
                f"{name}: cannot broadcast to {dict(zip(dims, shape, strict=True))}"
            ) from exc
        full = np.broadcast_to(array, (n_samples, *shape)).copy()
        data[name] = xr.Variable((SAMPLE, *dims), full, RATE_ATTRS[name])
    meta = {"sex_ratio_at_birth": float(sex_ratio_at_birth), **(attrs or {})}
    return xr.Dataset(data, coords=coords, attrs=meta)
