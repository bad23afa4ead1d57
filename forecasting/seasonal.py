"""Seasonal residents: the stock of free-time residences and its users, with presence.

**Stock.** The number of free-time residences by area is observed in irregular
years (the Finnish series: 1970, 1980, 1990, 1995, 2000, 2005, 2010, 2015,
2020-2022). Per area, the log stock is placed on an annual grid from
``fit_start`` to the launch year ``T`` (the last observed year not after the
requested launch), the unobserved years left missing, and statsmodels
``ARIMA(1, 1, 0)`` without a constant is fitted by the Kalman filter, which
handles the gaps: its yearly growth is an AR(1) that decays towards zero, a
damped trend. The AR coefficient is capped at :data:`PHI_MAX` (0.9): five-yearly
observations make the growth look nearly persistent (estimates up to 0.99),
which would extrapolate the 1990s cottage boom for decades. Sample paths come
from ``simulate(anchor="end")``. Only years ``<= T`` are used.

**Users.** Seasonal residents = residences x users per residence: 4.7 users
per cottage in 2021 (~4 in 2016; mmm.fi 18.6.2021, ``domain.md`` section 2),
held constant, a documented figure rather than a forecast.

**Presence.** The monthly presence shares (share of seasonal residents present
in each calendar month) are passed through from the world (e.g. Sysmä's
estimated profile, 103 days per year on average).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from statsmodels.tsa.arima.model import ARIMA

from forecasting.errors import ProjectionError
from forecasting.inputs import Column
from forecasting.totals_inputs import read_counts
from forecasting.types import AREA, SAMPLE, YEAR, FloatArray

__all__ = [
    "USERS_PER_RESIDENCE",
    "read_free_time_residences",
    "seasonal_forecast",
    "stock_paths",
]

USERS_PER_RESIDENCE = 4.7
"""Users per free-time residence in 2021 (mmm.fi 18.6.2021, ``domain.md`` section 2)."""

PHI_MAX = 0.9
"""Largest AR coefficient of the yearly log growth (damping: growth halves in <= 6.6 years)."""

_RESIDENCES = Column("free_time_residences", "int", 0, 1e8)


def read_free_time_residences(
    path: str | Path, area_column: str = "municipality_code"
) -> pd.DataFrame:
    r"""Read a tidy CSV of free-time residences by area and year.

    Parameters
    ----------
    path : str or pathlib.Path
        Columns ``<area_column>``, ``year`` (31.12.) and ``free_time_residences``
        (count); extra columns are ignored. The shared Finnish file
        ``finland_free_time_residences_by_municipality.csv`` has this layout.
    area_column : str, default "municipality_code"
        Name of the area column; returned as ``area``.

    Returns
    -------
    pandas.DataFrame
        Columns ``area`` (str), ``year`` and ``free_time_residences`` (int64).

    Raises
    ------
    InputError
        Listing every problem, each with file, row and column.

    Examples
    --------
    >>> import tempfile
    >>> from forecasting.errors import InputError
    >>> bad = Path(tempfile.mkdtemp()) / "cottages.csv"
    >>> _ = bad.write_text("municipality_code,year,free_time_residences\n781,2020,-4\n")
    >>> try:
    ...     read_free_time_residences(bad)
    ... except InputError as err:
    ...     print(*err.problems)
    cottages.csv row 1 column 'free_time_residences': -4 outside [0, 1e+08]
    """
    return read_counts(path, area_column, _RESIDENCES)


def _annual_log(series: pd.Series, fit_start: int, launch: int) -> FloatArray:
    """Log stock on the annual grid ``fit_start..launch``, NaN where unobserved."""
    grid = pd.Series(np.nan, index=np.arange(fit_start, launch + 1))
    observed = series[(series.index >= fit_start) & (series.index <= launch)]
    with np.errstate(divide="ignore"):
        grid[observed.index] = np.log(observed.to_numpy(dtype=float))
    return grid.to_numpy()


def _fit_damped(log_stock: FloatArray):
    """ARIMA(1, 1, 0) on the annual log stock with gaps; AR coefficient capped at PHI_MAX."""
    observed = np.flatnonzero(np.isfinite(log_stock))
    growth = np.diff(log_stock[observed]) / np.diff(observed)
    variance = max(float(np.var(growth)), 1e-6)
    model = ARIMA(log_stock, order=(1, 1, 0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = model.fit(start_params=[0.5, variance])
        if not np.isfinite(fitted.params).all() or fitted.params[0] > PHI_MAX:
            fitted = model.fit_constrained({"ar.L1": PHI_MAX}, start_params=[variance])
    return fitted


def stock_paths(
    history: pd.DataFrame,
    areas: list[str],
    launch_year: int,
    years: np.ndarray,
    n_samples: int,
    rng: np.random.Generator,
    fit_start: int = 1990,
) -> xr.DataArray:
    """Sample paths of the free-time residence stock (see the module docstring).

    Parameters
    ----------
    history : pandas.DataFrame
        Columns ``area``, ``year``, ``free_time_residences`` (as read by
        :func:`read_free_time_residences`); rows after ``launch_year`` are ignored.
    areas : list of str
        Areas to forecast.
    launch_year : int
        Latest year whose data may be used; the forecast starts from the last
        observation at or before it, ``T``.
    years : numpy.ndarray of int
        Years wanted, each ``>= T``.
    n_samples : int
        Sample paths.
    rng : numpy.random.Generator
        Source of the simulated errors (one draw sequence per area, in order).
    fit_start : int, default 1990
        First year of the fitted series.

    Returns
    -------
    xarray.DataArray
        Dims (sample, area, year), residences on 31.12.; year ``T`` is observed.

    Raises
    ------
    ProjectionError
        For an area with fewer than 3 positive observations in
        ``fit_start..launch_year``, or a wanted year before ``T``.
    """
    years = np.asarray(years, dtype=np.int64)
    out = np.empty((n_samples, len(areas), len(years)))
    for i, area in enumerate(areas):
        rows = history[(history["area"] == area) & (history["year"] <= launch_year)]
        series = rows.set_index("year")["free_time_residences"].sort_index()
        usable = series[(series.index >= fit_start) & (series > 0)]
        if len(usable) < 3:
            raise ProjectionError(
                f"free-time residences of area {area}: need >= 3 positive observations in "
                f"{fit_start}-{launch_year}, have {len(usable)}"
            )
        last = int(usable.index[-1])
        if years.min() < last:
            raise ProjectionError(f"area {area}: years must be >= {last}, got {years.min()}")
        fitted = _fit_damped(_annual_log(usable, fit_start, last))
        horizon = int(years.max()) - last
        logs = np.full((n_samples, horizon + 1), np.log(float(usable.iloc[-1])))
        if horizon:
            sims = fitted.simulate(horizon, repetitions=n_samples, anchor="end", rng=rng)
            logs[:, 1:] = np.asarray(sims, dtype=float).reshape(horizon, n_samples).T
        stock = np.exp(logs)
        stock[:, 0] = float(usable.iloc[-1])  # exactly the observation
        out[:, i] = stock[:, years - last]
    coords = {SAMPLE: np.arange(n_samples), AREA: list(areas), YEAR: years}
    attrs = {"units": "residences", "long_name": "free-time residences on 31.12."}
    return xr.DataArray(out, dims=(SAMPLE, AREA, YEAR), coords=coords, attrs=attrs)


def seasonal_forecast(
    history: pd.DataFrame,
    areas: list[str],
    launch_year: int,
    years: np.ndarray,
    n_samples: int,
    rng: np.random.Generator,
    presence: FloatArray,
    users_per_residence: float = USERS_PER_RESIDENCE,
    fit_start: int = 1990,
) -> xr.Dataset:
    """Forecast seasonal residents by area and year, with their monthly presence.

    Parameters
    ----------
    history, areas, launch_year, years, n_samples, rng, fit_start
        As in :func:`stock_paths`.
    presence : numpy.ndarray, shape (12,)
        Share of seasonal residents present in each month, January first, in [0, 1].
    users_per_residence : float, default :data:`USERS_PER_RESIDENCE`
        Persons per free-time residence.

    Returns
    -------
    xarray.Dataset
        ``free_time_residences`` and ``seasonal_residents`` (sample, area, year;
        residences, persons) and ``presence_share`` (month 1..12; 1).

    Examples
    --------
    >>> hist = pd.DataFrame({"area": "781", "year": [1990, 1995, 2000, 2005, 2010, 2015],
    ...                      "free_time_residences": [2578, 2966, 3278, 3545, 3720, 3791]})
    >>> ds = seasonal_forecast(hist, ["781"], 2015, np.arange(2015, 2021), 50,
    ...                        np.random.default_rng(0), presence=np.full(12, 0.25))
    >>> dict(ds["seasonal_residents"].sizes)
    {'sample': 50, 'area': 1, 'year': 6}
    >>> float(ds["seasonal_residents"].sel(year=2015)[0, 0]) == 3791 * 4.7
    True
    """
    shares = np.asarray(presence, dtype=float)
    if shares.shape != (12,) or np.any(~np.isfinite(shares)) or np.any((shares < 0) | (shares > 1)):
        raise ProjectionError(f"presence must be 12 shares in [0, 1], got {presence!r}")
    if not users_per_residence > 0:
        raise ProjectionError(f"users_per_residence must be > 0, got {users_per_residence}")
    stock = stock_paths(history, areas, launch_year, years, n_samples, rng, fit_start)
    residents = (stock * users_per_residence).assign_attrs(
        units="persons", long_name="seasonal residents (users of free-time residences)"
    )
    month = xr.DataArray(
        shares,
        dims="month",
        coords={"month": np.arange(1, 13)},
        attrs={"units": "1", "long_name": "share of seasonal residents present in the month"},
    )
    return xr.Dataset(
        {"free_time_residences": stock, "seasonal_residents": residents, "presence_share": month},
        attrs={"users_per_residence": float(users_per_residence), "launch_year": int(launch_year)},
    )
