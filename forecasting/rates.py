"""Rate assumptions for a cohort-component projection of a set of areas.

:func:`assume_rates` gives the first, deterministic assumptions; every output
already has a leading ``sample`` dimension (identical samples here), so that
statsmodels sample paths can later fill it without changing the projection.

Method (everything fitted only on data up to the base year ``T``, the year of
the base population; base period = the ``base_period`` years ``T-k+1 .. T``):

- **Mortality.** The age *schedule* is Statistics Finland's 2019-projection
  death probabilities (``death_probabilities.csv``, KUUMA aggregate) of the
  projected year, clamped to the table's years (2020-2040); age 99 (99 and over)
  also serves the open age 100. Per sex, one constant factor ``k`` (solved with
  :func:`scipy.optimize.brentq`, see :func:`forecasting.lifetable.mortality_factor`)
  scales the whole schedule, infant probability included, so that the life
  expectancy of the first projected year equals the region's latest observed
  e0 (year <= T). Later years keep ``k``, so the schedule's projected
  improvement carries on.
- **Fertility.** The region's mean TFR over the base period times the latest
  (<= T) proportional age-specific fertility, ages 15-49 renormalised to 100 %.
  Constant over the projection. Births per woman per year.
- **Net migration.** The region's mean rate by sex and 5-year age group over the
  base period, given to every single age of the group (by age at the end of
  the year), plus one additive level ``L`` per area (per person per year, all
  ages and sexes, all years). ``L`` is solved in closed form so that the area's
  total change in the first projected year equals its mean annual change over
  the base period in ``history``: with ``N`` the first-year start cohorts
  (newborns included), ``M`` the regional-rate migration, ``B`` births and ``D``
  deaths (which do not depend on ``L``),
  ``L = (observed mean change - (B - D) - M) / N``. Clipping at zero population,
  which does not occur at realistic rates, would make the match inexact.
- **Options** (off by default, chosen for the age-structured backtest, see the
  README): ``e0_trend`` moves e0 on by its mean yearly gain over the base period
  and solves the factor per year; ``age_history`` fits the death probabilities
  at 80+ to the areas' observed cohort attrition (:mod:`forecasting.mortality`);
  ``tfr_period`` averages the TFR over fewer years (1 = the base year's);
  ``level_profile="migration"`` spreads ``L`` over ages like migration itself;
  the jump-off (``recent_period``, ``reference``, ``recent_age_years``,
  ``recent_target``) is described in :mod:`forecasting.jump_off`.
- **Sex ratio at birth.** 1.05 males per female, the conventional value
  (Finland 1990-2023 stayed within about 1.04-1.06); stored as an attribute.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr

from forecasting import jump_off
from forecasting.cohort import advance
from forecasting.errors import CalibrationError, ProjectionError
from forecasting.inputs import RateTables
from forecasting.lifetable import mortality_factor
from forecasting.mortality import e0_drift, fitted_old_age_shape
from forecasting.options import JUMP_OFF_TARGETS
from forecasting.rate_dataset import rates_dataset
from forecasting.schedules import (
    death_schedule,
    fertility_schedule,
    jump_off_levels,
    latest_e0,
    level_profile_shape,
    migration_schedule,
    tfr_trend_factor,
)
from forecasting.shrinkage import shrink_toward_region
from forecasting.types import (
    AGE,
    AGES,
    AREA,
    SAMPLE,
    SEX,
    SEXES,
    YEAR,
    FloatArray,
)

__all__ = ["assume_rates", "rates_dataset"]

SOURCES = (
    "Source: Statistics Finland (CC BY 4.0). Death-probability schedule: 2019 population "
    "projection, KUUMA aggregate; e0: 12ak (abridged life tables); TFR: 12du; age pattern "
    "of fertility: 12dq; net migration by age and sex: 11a2 + 11a7 over population 11re"
)


def assume_rates(
    tables: RateTables,
    region_code: str | int,
    areas: Sequence[str],
    history: pd.DataFrame,
    base_population: xr.DataArray,
    years: Sequence[int] | np.ndarray,
    n_samples: int = 1,
    base_period: int = 10,
    migration_shrinkage: bool = False,
    *,
    e0_trend: bool = False,
    age_history: xr.DataArray | None = None,
    tfr_period: int | None = None,
    level_profile: str = "uniform",
    recent_period: int | None = None,
    recent_damping: float = 0.5,
    recent_decay: float | None = None,
    recent_target: str = "base",
    reference: pd.Series | None = None,
    recent_age_years: int | None = None,
    tfr_trend_years: int | None = None,
    tfr_damping: float = 0.8,
) -> xr.Dataset:
    """Deterministic rate assumptions for the areas of one region.

    See the module docstring for the method.

    Parameters
    ----------
    tables : RateTables
        From :func:`forecasting.inputs.read_rate_tables`.
    region_code : str or int
        Region whose vital rates apply (e.g. ``"7"`` = Päijät-Häme).
    areas : sequence of str
        Areas to project; each must be in ``base_population`` and ``history``.
    history : pandas.DataFrame
        Columns ``area, year, population`` (persons on 31.12).
    base_population : xarray.DataArray
        Dims (area, sex, age), persons on 31.12 of the base year. The base year
        is its ``year`` coordinate (scalar or last value) if present, else
        ``years[0] - 1``.
    years : sequence of int
        Consecutive projected years, starting the year after the base year.
    n_samples : int, default 1
        Size of the ``sample`` dimension (identical samples).
    base_period : int, default 10
        Number of years up to the base year over which rates are averaged.
    migration_shrinkage : bool, default False
        Shrink each area's migration level toward the region (level 0) with
        empirical-Bayes weights from its yearly levels over the base period
        (:func:`forecasting.shrinkage.shrink_toward_region`); the history must
        then hold every year of the base period. The weights are returned as
        ``migration_shrinkage_weight`` (area).
    e0_trend : bool, default False
        Move the target e0 of every projected year on by the region's mean yearly
        e0 gain over the base period (:func:`forecasting.mortality.e0_drift`) and
        solve the schedule's factor per year; otherwise one factor (first year).
    age_history : xarray.DataArray, optional
        Population (area, year, sex, age) of the areas up to the base year; if
        given, the death probabilities at 80+ are scaled to the areas' observed
        cohort attrition (:func:`forecasting.mortality.old_age_factors`), returned
        as ``old_age_factor`` (sex, old_age_band).
    tfr_period : int, optional
        Number of years up to the base year whose TFR is averaged (default:
        ``base_period``).
    level_profile : {"uniform", "migration"}, default "uniform"
        Age-sex profile of the area level ``L``: ``uniform`` adds ``L`` to every
        age; ``migration`` adds ``L * p(sex, age)`` with ``p`` proportional to
        the size of the regional net migration rate (people move mostly as young
        adults and with their children, hardly at 85+), scaled to a mean of 1
        over the first-year cohorts.
    recent_period : int, optional
        Jump-off migration: the first projected year's level ``L_1`` is solved
        like ``L`` but from the mean change over the last ``recent_period`` years,
        and later years move back toward the base-period level,
        ``L_t = L + (L_1 - L) * recent_damping ** (t - 1)``. ``None``: ``L`` in
        every year.
    recent_damping : float, default 0.5
        Share of the recent level's deviation kept each further year, 0..1.
    recent_decay : float, optional
        Weights of the recent years' changes: the latest year 1, each year before
        it ``recent_decay`` times the next (normalised); ``None``: equal weights
        (the mean change).
    recent_target : {"base", "ar1"}, default "base"
        What the level after the first year moves back toward
        (:mod:`forecasting.jump_off`): ``base``, the base-period level ``L`` at the
        rate ``recent_damping``; ``ar1``, the mean of an AR(1) fitted to the area's
        yearly levels over the base period, at its fitted coefficient (the history
        must then hold every year of the base period).
    reference : pandas.Series, optional
        Population by year of the whole the areas belong to (the country); with
        ``recent_period``, each area's first-year change gets its base population
        times :func:`forecasting.jump_off.national_shift` (the reference's latest
        growth rate minus its weighted recent mean) added. ``None``: no shift.
    recent_age_years : int, optional
        The first year's regional net migration schedule is the mean of the last
        so many years' (not the base period's), moving back at ``recent_damping``;
        the level ``L_1`` is solved with it. ``None``: the base period's schedule.
    tfr_trend_years : int, optional
        Move the TFR on by its mean yearly change over the last so many years,
        damped by ``tfr_damping`` per year ahead (``TFR_T + slope * (phi + ... +
        phi^h)``, floored at half of ``TFR_T``); ``None``: the TFR held.
    tfr_damping : float, default 0.8
        ``phi`` of the TFR trend, 0..1.

    Returns
    -------
    xarray.Dataset
        ``death_probability`` (sample, area, year, sex, age),
        ``infant_death_probability`` (sample, area, year, sex), ``fertility_rate``
        (sample, area, year, age), ``net_migration_rate`` (sample, area, year,
        sex, age), ``net_migration_level`` (sample, area) and ``mortality_factor``
        (sample, sex); provenance and ``sex_ratio_at_birth`` in ``attrs``.

    Raises
    ------
    ProjectionError
        If the areas, years or history do not fit.
    CalibrationError
        If a target cannot be reached or the region lacks data up to the base year.
    """
    region = str(region_code)
    years = np.asarray(years, dtype=np.int64)
    base_year = _base_year(base_population, years)
    if years.size == 0 or years[0] != base_year + 1 or np.any(np.diff(years) != 1):
        raise ProjectionError(f"years must run consecutively from {base_year + 1}")
    if base_period < 1:
        raise ProjectionError(f"base_period must be >= 1, got {base_period}")
    areas = [str(a) for a in areas]
    window = (base_year - base_period + 1, base_year)

    q, q_infant = death_schedule(tables, years)  # (year, sex, age), (year, sex)
    targets, e0_year = latest_e0(tables, region, base_year)
    migration = migration_schedule(tables, region, window)  # (sex, age)
    shape, old_factors = fitted_old_age_shape(q[0], q_infant[0], targets, migration, age_history)
    q = q * shape[None]
    e0_targets = targets[None, :] + np.zeros((len(years), 1))
    if e0_trend:
        e0_targets = e0_targets + e0_drift(tables, region, window)[None, :] * (
            years[:, None] - e0_year
        )
    solve = range(len(years)) if e0_trend else range(1)
    factors = np.array(
        [[mortality_factor(q[t, s], q_infant[t, s], e0_targets[t, s]) for s in range(2)]
         for t in solve]
    )  # fmt: skip
    factors = np.broadcast_to(factors, (len(years), len(SEXES)))
    q = np.minimum(q * factors[..., None], 1.0)
    q_infant = np.minimum(q_infant * factors, 1.0)
    tfr_window = window if tfr_period is None else (base_year - tfr_period + 1, base_year)
    fertility, tfr, pasfr_year = fertility_schedule(tables, region, tfr_window)
    fertility_path = (
        fertility[None, :]
        * tfr_trend_factor(
            tables, region, base_year, len(years), tfr, tfr_trend_years, tfr_damping
        )[:, None]
    )

    base = _base_values(base_population, areas, base_year)
    first = advance(base, q[0], q_infant[0], fertility, migration)
    observed = _observed_change(history, areas, window)
    natural = first.births.sum(axis=-1) - first.deaths.sum(axis=(-2, -1))
    regional = (migration * first.aged).sum(axis=(-2, -1))
    profile = level_profile_shape(level_profile, migration, first.aged)
    exposed = (profile * first.aged).sum(axis=(-2, -1))
    level = (observed - natural - regional) / exposed
    if migration_shrinkage:
        yearly = jump_off.yearly_levels(history, areas, window, natural + regional, exposed)
        level, weights = shrink_toward_region(yearly)
    path = np.broadcast_to(level[:, None], (len(areas), len(years)))
    schedule = migration[None]
    if recent_period is not None:
        recent_window = (base_year - recent_period + 1, base_year)
        recent = 0.0
        if recent_period >= 1:
            mean = _observed_change(history, areas, recent_window)
            recent = jump_off.recent_change(history, areas, recent_window, recent_decay, mean)
        if reference is not None and recent_period >= 1:
            shift = jump_off.national_shift(reference, base_year, recent_period, recent_decay)
            recent = recent + shift * base.sum(axis=(-2, -1))
        first_level = (recent - natural - regional) / exposed
        if recent_age_years is not None:
            age_window = (base_year - recent_age_years + 1, base_year)
            latest = migration_schedule(tables, region, age_window)
            schedule = jump_off.damped_schedules(migration, latest, len(years), recent_damping)
            jump = advance(base, q[0], q_infant[0], fertility, latest)
            moved = recent - jump_off.jump_off_change(jump, latest)
            first_level = moved / (profile * jump.aged).sum(axis=(-2, -1))
        path = jump_off_levels(level, first_level, len(years), recent_period, recent_damping)
        if recent_target == "ar1":
            levels = jump_off.yearly_levels(history, areas, window, natural + regional, exposed)
            mu, phi = jump_off.ar1_parameters(levels)
            path = jump_off.damped_levels(mu, first_level, len(years), phi)
        elif recent_target not in JUMP_OFF_TARGETS:
            raise ProjectionError(f"recent_target={recent_target!r}: allowed {JUMP_OFF_TARGETS}")

    attrs = {
        "region_code": region,
        "base_year": int(base_year),
        "base_period": int(base_period),
        "base_period_years": f"{window[0]}-{window[1]}",
        "e0_target_year": int(e0_year),
        "e0_target_female": float(targets[0]),
        "e0_target_male": float(targets[1]),
        "tfr_assumed": float(tfr),
        "pasfr_year": int(pasfr_year),
        "rate_tables": tables.source,
        "sources": SOURCES,
        "method": "forecasting.rates.assume_rates (deterministic, identical samples)",
        "e0_trend": int(e0_trend),
        "old_age_mortality": int(age_history is not None),
        "tfr_period_years": f"{tfr_window[0]}-{tfr_window[1]}",
        "recent_period": 0 if recent_period is None else int(recent_period),
        "recent_damping": float(recent_damping),
        "recent_decay": "equal weights" if recent_decay is None else float(recent_decay),
        "recent_target": recent_target,
        "recent_age_years": 0 if recent_age_years is None else int(recent_age_years),
        "recent_national_shift": int(reference is not None and recent_period is not None),
    }
    ds = rates_dataset(
        areas,
        years,
        death_probability=q,
        infant_death_probability=q_infant,
        fertility_rate=fertility_path,
        net_migration_rate=schedule[None] + path[:, :, None, None] * profile[None],
        n_samples=n_samples,
        attrs=attrs,
    )
    ds["net_migration_level"] = xr.Variable(
        (SAMPLE, AREA),
        np.broadcast_to(level, (n_samples, len(areas))).copy(),
        {"units": "1/year", "long_name": "area level added to the regional net migration rate"},
    )
    if migration_shrinkage:
        ds["migration_shrinkage_weight"] = xr.Variable(
            (AREA,), weights, {"units": "1", "long_name": "weight of the area's own level"}
        )
    ds["mortality_factor"] = xr.Variable(
        (SAMPLE, SEX),
        np.broadcast_to(factors[0], (n_samples, len(SEXES))).copy(),
        {"units": "1", "long_name": "factor on the death-probability schedule calibrating e0"},
    )
    if age_history is not None:
        ds["old_age_factor"] = xr.Variable(
            (SEX, "old_age_band"),
            old_factors,
            {"units": "1", "long_name": "factor on death probabilities at 80+ (bands from 80, "
             "85, 90, 95) fitted to observed cohort attrition"},
        )  # fmt: skip
    return ds


def _base_year(base_population: xr.DataArray, years: np.ndarray) -> int:
    """Return the launch year: the population's year coordinate, else ``years[0] - 1``."""
    if YEAR in base_population.coords:
        return int(np.atleast_1d(base_population[YEAR].values)[-1])
    if years.size == 0:
        raise ProjectionError("years must not be empty")
    return int(years[0]) - 1


def _base_values(base_population: xr.DataArray, areas: list[str], base_year: int) -> np.ndarray:
    """Return the base population as an array (area, sex, age) for the given areas."""
    pop = base_population
    if YEAR in pop.dims:
        pop = pop.sel({YEAR: base_year})
    if set(pop.dims) != {AREA, SEX, AGE}:
        raise ProjectionError(f"base_population must have dims (area, sex, age), got {pop.dims}")
    pop = pop.assign_coords({AREA: [str(a) for a in pop[AREA].values]})
    missing = [a for a in areas if a not in set(pop[AREA].values.tolist())]
    if missing:
        raise ProjectionError(f"base_population lacks the areas {missing}")
    pop = pop.sel({AREA: areas, SEX: list(SEXES), AGE: list(AGES)})
    return pop.transpose(AREA, SEX, AGE).values.astype(float)


def _observed_change(
    history: pd.DataFrame, areas: list[str], window: tuple[int, int]
) -> FloatArray:
    """Mean annual change (persons/year) of each area over the base period."""
    missing_cols = {"area", "year", "population"} - set(history.columns)
    if missing_cols:
        raise ProjectionError(f"history lacks the columns {sorted(missing_cols)}")
    hist = history.assign(area=history["area"].astype(str), year=history["year"].astype(int))
    out = []
    for area in areas:
        rows = hist[(hist["area"] == area) & hist["year"].between(window[0] - 1, window[1])]
        series = rows.set_index("year")["population"].sort_index()
        if len(series) < 2 or series.index[-1] != window[1]:
            raise CalibrationError(
                f"history of area {area!r} needs the base year {window[1]} and an earlier year "
                f"from {window[0] - 1}; it has {series.index.tolist()}"
            )
        span = series.index[-1] - series.index[0]
        out.append((float(series.iloc[-1]) - float(series.iloc[0])) / span)
    return np.array(out)
