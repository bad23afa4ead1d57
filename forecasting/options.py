"""One typed set of forecast options, shared by the simulation's forecast and the backtest.

:class:`ForecastOptions` is a frozen dataclass that checks every value when it is
built, so a bad value is refused wherever it comes from (the ``forecast.*`` options
of ``servicesim``, the ``forecast.*`` options of ``servicesim-backtest``, a Python
caller). Messages name the option as the command line spells it.

Examples
--------
>>> ForecastOptions().method, ForecastOptions().base_period
('stochastic', 15)
>>> ForecastOptions.from_mapping({"method": "deterministic", "n_samples": 3}).n_samples
3
>>> ForecastOptions(method="bogus")
Traceback (most recent call last):
...
forecasting.options.OptionError: forecast.method='bogus': must be one of stochastic, deterministic
>>> ForecastOptions(n_samples=3, sample=7)
Traceback (most recent call last):
...
forecasting.options.OptionError: forecast.sample=7: must be between 0 and 2 (forecast.n_samples=3)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Final

import numpy as np

from forecasting.errors import ForecastingError

__all__ = [
    "FORECAST_METHODS",
    "JUMP_OFF_TARGETS",
    "SEASONAL_METHODS",
    "TFR_MODELS",
    "ForecastOptions",
    "OptionError",
]

FORECAST_METHODS: Final = ("stochastic", "deterministic")
"""``forecast.method``: statsmodels sample paths of the rates, or the rates held fixed."""
TFR_MODELS: Final = ("ets", "random_walk")
"""``forecast.tfr_model``: models of the stochastic TFR paths (``forecasting.rate_paths``)."""

SEASONAL_METHODS: Final = ("forecast", "constant")
"""``forecast.seasonal``: seasonal residents scaled by a stock forecast, or held."""

JUMP_OFF_TARGETS: Final = ("base", "ar1")
"""``forecast.recent_migration_target``: what the level after the first year reverts to."""

PREFIX: Final = "forecast"
"""How the command lines spell the options' group."""


class OptionError(ForecastingError, ValueError):
    """A forecast option has a bad value; the message names the option and the rule."""


def _name(option: str) -> str:
    return f"{PREFIX}.{option}"


def _check_int(option: str, value: Any, lo: int, hi: int, note: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise OptionError(f"{_name(option)}={value!r}: must be an integer{note}")
    if not lo <= value <= hi:
        raise OptionError(f"{_name(option)}={value}: must be between {lo} and {hi}{note}")
    return int(value)


def _check_float(option: str, value: Any, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise OptionError(f"{_name(option)}={value!r}: must be a number")
    if not lo <= value <= hi:
        raise OptionError(f"{_name(option)}={value}: must be between {lo:g} and {hi:g}")
    return float(value)


def _check_bool(option: str, value: Any) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise OptionError(f"{_name(option)}={value!r}: must be true or false")
    return bool(value)


def _check_choice(option: str, value: Any, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise OptionError(f"{_name(option)}={value!r}: must be one of {', '.join(allowed)}")
    return value


def _check_path(option: str, value: Any) -> Path | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str | Path):
        raise OptionError(f"{_name(option)}={value!r}: must be a file or folder path or null")
    return Path(value).expanduser().resolve()


@dataclass(frozen=True)
class ForecastOptions:
    """How the population forecast is made, and which sample path a run follows.

    Parameters
    ----------
    method : {"stochastic", "deterministic"}, default "stochastic"
        Rates along statsmodels sample paths (TFR, e0, migration), or held fixed.
    n_samples : int, default 100
        Number of forecast sample paths, 1..10,000.
    sample : int or None, default None
        The sample path a run follows, 0..n_samples-1; ``None``: the run seed
        modulo ``n_samples`` (:meth:`sample_for`).
    seed : int, default 0
        Seed of the forecast's own draws, 0..2**63-1.
    base_period : int, default 15
        Years of history the migration rates, migration level and e0 drift come
        from, 2..50.
    fit_start : int, default 1990
        First year of the series the time-series models are fitted on, 1900..2200.
    rates_dir : Path or None, default None
        Folder of rate tables; ``None``: the tables shipped with the package.
    seasonal : {"forecast", "constant"}, default "forecast"
        Seasonal residents scaled by a forecast of the free-time residence stock,
        or held at the base year.
    free_time_residences : Path or None, default None
        CSV of free-time residences by municipality; ``None``: the shipped file.
    migration_shrinkage : bool, default False
        Shrink each area's migration level toward its region (empirical Bayes).
    e0_trend : bool, default True
        Deterministic path: e0 moves on by its mean yearly gain over the base period.
    old_age_mortality : bool, default True
        Death probabilities at 80+ fitted to the observed cohort attrition.
    age_history : Path or None, default None
        CSV of population by region, year, sex and age for the old-age fit;
        ``None``: the file shipped with the rate tables.
    tfr_period : int or None, default 1
        Deterministic path: years of TFR averaged, 1..base_period; ``None``:
        ``base_period``.
    recent_migration_years : int or None, default 5
        Jump-off migration: the first projected year's migration level follows the
        (weighted) mean change of the last so many years (1..base_period), later years move
        back toward the base-period level; ``None``: the base-period level only.
    recent_migration_damping : float, default 0.5
        Share of the recent level's (and age schedule's) deviation kept each
        further year, 0..1.
    tfr_spread : float, default 1.2
        Stochastic path, 1..10. With ``tfr_model=random_walk``: the factor on the
        standard deviation of the yearly step pooled over the regions (1.2 chosen on
        the launches 2000-2011 for the 80 % coverage of 0-6 and of the TFR). With
        ``tfr_model=ets``: the paths' log deviations from their median are
        multiplied by ``1 + (tfr_spread - 1) * h / 5`` at ``h`` years ahead (1 = the
        ETS model's own spread; ``ets`` with 2.6 was the default before 2026-11-30).
    tfr_model : str, default "random_walk"
        Stochastic path: model of the TFR paths, ``random_walk`` (random walk on log
        TFR from the launch year's, yearly step pooled over the regions;
        ``forecasting.fertility``) or ``ets`` (damped-trend ETS of the region's log TFR).
    recent_migration_decay : float or None, default 0.5
        Weights of the recent years' changes: the latest year 1, each earlier year
        this share of the next, 0..1; ``None``: equal weights (their mean).
    recent_migration_national : bool, default True
        Jump-off migration: shift the first year's weighted recent growth rate by
        the whole country's latest growth rate minus its own weighted recent mean
        (:func:`forecasting.jump_off.national_shift`; the country is the sum of the
        areas forecast together, or in a simulation the ``246`` rows of the age
        history file); chosen with ``recent_migration_age_years=5`` on launches
        2000-2011 / 1990-2005 (second round of 2026-11-30).
    recent_migration_age_years : int or None, default 5
        Jump-off migration: the first year's regional net migration schedule by
        age and sex is the mean of the last so many years (1..base_period) rather
        than the base period's, moving back at ``recent_migration_damping``;
        ``None``: the base period's schedule (before the second round of 2026-11-30).
    recent_migration_target : {"base", "ar1"}, default "base"
        What the level after the first year moves back toward: the base-period
        level at ``recent_migration_damping``, or the mean of an AR(1) fitted to the
        area's yearly levels at its fitted rate (:mod:`forecasting.jump_off`).

    Raises
    ------
    OptionError
        On any bad value, naming the option (``forecast.NAME``) and the rule.
    """

    method: str = "stochastic"
    n_samples: int = 100
    sample: int | None = None
    seed: int = 0
    base_period: int = 15
    fit_start: int = 1990
    rates_dir: Path | None = None
    seasonal: str = "forecast"
    free_time_residences: Path | None = None
    migration_shrinkage: bool = False
    e0_trend: bool = True
    old_age_mortality: bool = True
    age_history: Path | None = None
    tfr_period: int | None = 1
    recent_migration_years: int | None = 5
    recent_migration_damping: float = 0.5
    recent_migration_decay: float | None = 0.5
    tfr_spread: float = 1.2
    tfr_model: str = "random_walk"
    recent_migration_national: bool = True
    recent_migration_target: str = "base"
    recent_migration_age_years: int | None = 5

    def __post_init__(self) -> None:
        """Check every value and normalise paths (``str`` -> absolute ``Path``)."""
        _check_choice("method", self.method, FORECAST_METHODS)
        _check_choice("tfr_model", self.tfr_model, TFR_MODELS)
        _check_choice("seasonal", self.seasonal, SEASONAL_METHODS)
        _check_choice("recent_migration_target", self.recent_migration_target, JUMP_OFF_TARGETS)
        n = _check_int("n_samples", self.n_samples, 1, 10_000)
        if self.sample is not None:
            _check_int("sample", self.sample, 0, n - 1, f" ({_name('n_samples')}={n})")
        _check_int("seed", self.seed, 0, 2**63 - 1)
        base = _check_int("base_period", self.base_period, 2, 50)
        _check_int("fit_start", self.fit_start, 1900, 2200)
        if self.tfr_period is not None:
            note = f" ({_name('base_period')}={base}); null = base_period"
            _check_int("tfr_period", self.tfr_period, 1, base, note)
        if self.recent_migration_years is not None:
            note = f" ({_name('base_period')}={base}); null = off"
            _check_int("recent_migration_years", self.recent_migration_years, 1, base, note)
        if self.recent_migration_age_years is not None:
            note = f" ({_name('base_period')}={base}); null = the base period's schedule"
            _check_int("recent_migration_age_years", self.recent_migration_age_years, 1, base, note)
        damping = _check_float("recent_migration_damping", self.recent_migration_damping, 0, 1)
        object.__setattr__(self, "recent_migration_damping", damping)
        spread = _check_float("tfr_spread", self.tfr_spread, 1, 10)
        object.__setattr__(self, "tfr_spread", spread)
        if self.recent_migration_decay is not None:
            decay = _check_float("recent_migration_decay", self.recent_migration_decay, 0, 1)
            object.__setattr__(self, "recent_migration_decay", decay)
        for option in ("migration_shrinkage", "e0_trend", "old_age_mortality",
                       "recent_migration_national"):  # fmt: skip
            object.__setattr__(self, option, _check_bool(option, getattr(self, option)))
        for option in ("rates_dir", "free_time_residences", "age_history"):
            object.__setattr__(self, option, _check_path(option, getattr(self, option)))
        integers = ("n_samples", "seed", "base_period", "fit_start", "sample", "tfr_period",
                    "recent_migration_years", "recent_migration_age_years")  # fmt: skip
        for option in integers:
            value = getattr(self, option)
            object.__setattr__(self, option, None if value is None else int(value))

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> ForecastOptions:
        """Build from a plain mapping of option names (missing keys keep their defaults).

        Parameters
        ----------
        values : mapping of str to object
            Option name (without the ``forecast.`` prefix) -> value, e.g. a
            config group converted to plain containers.

        Raises
        ------
        OptionError
            On an unknown key (listing the allowed ones) or a bad value.

        Examples
        --------
        >>> ForecastOptions.from_mapping({"tfr_period": None}).tfr_period is None
        True
        >>> ForecastOptions.from_mapping({"e0_trend": "no"})
        Traceback (most recent call last):
        ...
        forecasting.options.OptionError: forecast.e0_trend='no': must be true or false
        >>> ForecastOptions.from_mapping({"bogus": 1})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        forecasting.options.OptionError: forecast.bogus: not an option; allowed: method, ...
        """
        if not isinstance(values, Mapping):
            raise OptionError(f"{PREFIX}={values!r}: must be a mapping of options")
        allowed = [f.name for f in fields(cls)]
        unknown = sorted(set(values) - set(allowed))
        if unknown:
            raise OptionError(
                f"{_name(str(unknown[0]))}: not an option; allowed: {', '.join(allowed)}"
            )
        return cls(**dict(values))

    def to_mapping(self) -> dict[str, Any]:
        """Plain values (paths as strings), such that ``from_mapping`` rebuilds ``self``.

        Examples
        --------
        >>> opts = ForecastOptions(method="deterministic", tfr_period=None)
        >>> ForecastOptions.from_mapping(opts.to_mapping()) == opts
        True
        """
        return {k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()}

    def jump_off(self) -> dict[str, Any]:
        """Return the jump-off options as keywords of :func:`forecasting.area_rates.area_rates`.

        Examples
        --------
        >>> ForecastOptions(recent_migration_years=3).jump_off()["recent_period"]
        3
        """
        return {
            "recent_period": self.recent_migration_years,
            "recent_damping": self.recent_migration_damping,
            "recent_decay": self.recent_migration_decay,
            "recent_national": self.recent_migration_national,
            "recent_target": self.recent_migration_target,
            "recent_age_years": self.recent_migration_age_years,
        }

    def rate_keywords(self) -> dict[str, Any]:
        """Return the rate options as keywords of :func:`forecasting.area_rates.area_rates`.

        The assumptions (e0 trend, old-age mortality, TFR period), the TFR paths'
        model and spread, and :meth:`jump_off`.

        Examples
        --------
        >>> ForecastOptions(tfr_model="ets").rate_keywords()["tfr_model"]
        'ets'
        """
        return {
            "e0_trend": self.e0_trend,
            "old_age_mortality": self.old_age_mortality,
            "tfr_period": self.tfr_period,
            "tfr_spread": self.tfr_spread,
            "tfr_model": self.tfr_model,
            **self.jump_off(),
        }

    def sample_for(self, seed: int) -> int:
        """Return the sample path a run with ``seed`` follows: ``sample`` or seed mod n_samples.

        Examples
        --------
        >>> ForecastOptions(n_samples=4).sample_for(10), ForecastOptions(sample=1).sample_for(10)
        (2, 1)
        """
        return self.sample if self.sample is not None else int(seed) % self.n_samples
