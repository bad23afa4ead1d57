"""The rates one area is projected with: from the rate tables or from its own data.

:func:`area_rates` is shared by the age-structured backtest
(:func:`forecasting.age_backtest.cohort_component_method`) and the forecast of any
population (:func:`forecasting.api.forecast`).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from forecasting.errors import CalibrationError
from forecasting.inputs import RateTables
from forecasting.own_paths import simulate_own_rates
from forecasting.own_rates import own_rates
from forecasting.rate_paths import simulate_rates
from forecasting.rates import assume_rates
from forecasting.types import AREA, SEX, YEAR
from forecasting.vital_rates import lee_carter, observed_fertility

__all__ = ["ONLY_POPULATION", "area_rates", "regions_of"]

ONLY_POPULATION = (
    "with population data alone use the methods that need nothing else: "
    "age_methods=[hamilton_perry,naive] or the totals methods (methods=[...])"
)


def regions_of(tables: RateTables | None) -> set[str]:
    """Region codes the rate tables hold (empty without tables)."""
    return set() if tables is None else set(map(str, tables.e0["region_code"]))


def area_rates(
    area: str,
    history: xr.DataArray,
    years: np.ndarray,
    tables: RateTables | None,
    *,
    base_period: int = 10,
    n_samples: int = 0,
    rng: np.random.Generator | None = None,
    fit_start: int = 1990,
    e0_trend: bool = False,
    old_age_mortality: bool = False,
    tfr_period: int | None = None,
    level_profile: str = "uniform",
    recent_period: int | None = None,
    recent_damping: float = 0.5,
    recent_decay: float | None = None,
    recent_national: bool = False,
    recent_target: str = "base",
    recent_age_years: int | None = None,
    tfr_spread: float = 1.0,
    tfr_model: str = "ets",
    births: xr.DataArray | None = None,
    deaths: xr.DataArray | None = None,
) -> xr.Dataset:
    """Rates of one area for the projected ``years``, from data up to the last history year.

    An area that is a region of the rate ``tables`` gets the regional rates of
    :func:`forecasting.rates.assume_rates` (``base_period``, ``e0_trend``,
    ``old_age_mortality`` from the area's own history, ``tfr_period``,
    ``level_profile``, ``recent_period``, ``recent_damping``, ``recent_decay``,
    ``recent_target`` and ``recent_age_years``; with ``recent_national`` the
    reference population of the jump-off is the sum of every area of ``history``,
    taken as the country); with
    ``n_samples > 0`` they follow statsmodels sample paths
    (:func:`forecasting.rate_paths.simulate_rates`, fitted on ``fit_start`` ..
    launch year, TFR paths of ``tfr_model`` spread by ``tfr_spread``). There, ``births`` (area,
    year, [sex,] mother_age) replace the tables' fertility by the area's own
    (:func:`forecasting.vital_rates.observed_fertility` over the last ``tfr_period``
    years, default 1) and ``deaths`` (area, year, sex, age) replace the death
    probabilities by a Lee-Carter forecast, the same in every sample path.

    An area that is not in the tables (or ``tables=None``) gets schedules built
    from its own population, births and deaths alone
    (:func:`forecasting.own_rates.own_rates`); with ``n_samples > 0`` they follow
    sample paths of the area's own TFR, Lee-Carter index and residual migration
    level (:func:`forecasting.own_paths.simulate_own_rates`, series from
    ``fit_start``, TFR widened by ``tfr_spread``).

    Parameters
    ----------
    area : str
        The area; ``history`` must hold it.
    history : xarray.DataArray
        Dims (area, year, sex, age), persons on 31.12, up to the launch year.
    years : numpy.ndarray
        Consecutive projected years from the launch year + 1.
    tables : RateTables or None
        The rate tables, or ``None`` (own schedules for every area).

    Returns
    -------
    xarray.Dataset
        Rates for :func:`forecasting.cohort.project` (sample, area = [area], ...).

    Raises
    ------
    CalibrationError
        If an area outside the tables lacks births or deaths (the message offers
        the methods that need population data only), or whose series are too short
        for sample paths.
    """
    both = births.sum(SEX) if births is not None and SEX in births.dims else births
    own = history.sel({AREA: area})
    if area not in regions_of(tables):
        rates = _own_schedules(area, own, births, deaths, years, base_period, tfr_period)
        if n_samples > 0:
            rates = simulate_own_rates(rates, own, births.sel({AREA: area}, drop=True),
                                       deaths.sel({AREA: area}, drop=True), n_samples, rng,
                                       fit_start, tfr_spread, tfr_model)  # fmt: skip
        return rates
    last = int(history[YEAR][-1])
    totals = history.sel({AREA: [area]}).sum((SEX, "age")).to_dataframe("population")
    rates = assume_rates(
        tables,
        area,
        [area],
        totals.reset_index(),
        history.sel({AREA: [area], YEAR: last}),
        years,
        base_period=base_period,
        e0_trend=e0_trend,
        age_history=history.sel({AREA: [area]}) if old_age_mortality else None,
        tfr_period=tfr_period,
        level_profile=level_profile,
        recent_period=recent_period,
        recent_damping=recent_damping,
        recent_decay=recent_decay,
        recent_target=recent_target,
        recent_age_years=recent_age_years,
        reference=history.sum((AREA, SEX, "age")).to_series() if recent_national else None,
    )
    if n_samples > 0:
        rates = simulate_rates(rates, tables, n_samples, rng, fit_start, tfr_spread, tfr_model)
    return _observed_rates(rates, own, area, both, deaths, tfr_period)


def _own_schedules(
    area: str,
    history: xr.DataArray,
    births: xr.DataArray | None,
    deaths: xr.DataArray | None,
    years: np.ndarray,
    base_period: int,
    tfr_period: int | None,
) -> xr.Dataset:
    """Deterministic rates of an area outside the rate tables, from its own births and deaths."""
    lacking = [
        name
        for name, data in (("births", births), ("deaths", deaths))
        if data is None or area not in set(map(str, data[AREA].values))
    ]
    if lacking:
        raise CalibrationError(
            f"cohort_component: area {area!r} is not in the rate tables and "
            f"{' and '.join(f'{n}=' for n in lacking)} gives no rows for it; give births= "
            f"and deaths= to build its own schedules, or {ONLY_POPULATION}"
        )
    return own_rates(
        area,
        history,
        births.sel({AREA: area}, drop=True),
        deaths.sel({AREA: area}, drop=True),
        years,
        base_period=base_period,
        tfr_period=tfr_period,
    )


def _observed_rates(
    rates: xr.Dataset,
    history: xr.DataArray,
    area: str,
    births: xr.DataArray | None,
    deaths: xr.DataArray | None,
    tfr_period: int | None,
) -> xr.Dataset:
    """Replace fertility and mortality by the area's own births and deaths (years <= T)."""
    if births is None and deaths is None:
        return rates
    last = int(history[YEAR][-1])
    rates = rates.copy(deep=True)
    for name, data in (("births", births), ("deaths", deaths)):
        if data is not None and str(area) not in set(map(str, data[AREA].values)):
            raise CalibrationError(f"{name}: the file has no rows for area {area!r}")
    if births is not None:
        observed = births.sel({AREA: str(area), YEAR: slice(None, last)}, drop=True)
        rate = observed_fertility(observed, history, years=tfr_period or 1)
        rates["fertility_rate"].values[...] = rate
        rates.attrs["fertility_source"] = "births file (observed_fertility)"
    if deaths is not None:
        observed = deaths.sel({AREA: str(area), YEAR: slice(None, last)}, drop=True)
        q, _ = lee_carter(observed, history, rates.sizes[YEAR])
        rates["death_probability"].values[...] = q[None, None]
        rates.attrs["mortality_source"] = "deaths file (Lee-Carter)"
    return rates
