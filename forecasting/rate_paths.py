"""Sample paths of the rates, forecast with statsmodels, around the rate assumptions.

:func:`simulate_rates` takes the deterministic assumptions of
:func:`forecasting.rates.assume_rates` and gives each sample its own future:

- **fertility**: the region's log TFR forecast with a damped-trend ``ETSModel``
  (additive error and trend, damping bounded to [0.8, 0.9], fitted on
  ``fit_start``..base year; ``tfr_model="ets"``), or a random walk from the base
  year's TFR whose yearly step is pooled over every region of the table
  (``tfr_model="random_walk"``, :mod:`forecasting.fertility`); each sample's
  age schedule is the assumed schedule scaled to that sample's TFR path;
- **mortality**: the region's life expectancy at birth by sex forecast as a random
  walk with drift (``ARIMA(0, 1, 0)`` with trend); each sample's death
  probabilities are the Statistics Finland 2019 schedule scaled, year by year, so
  that the life table reproduces the sample's e0;
- **net migration**: the mean of the region's age-sex net migration rates forecast
  with a mean-reverting ``ARIMA(1, 0, 0)`` with a constant; each sample adds its
  deviation from the mean forecast to every age and area (the area levels of the
  assumptions stay the centre; no shrinkage between areas yet).

Every draw comes from the ``rng`` passed in. Fitting uses data up to the base year
only.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import xarray as xr
from statsmodels.tsa.arima.model import ARIMA
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from forecasting.errors import CalibrationError
from forecasting.fertility import pooled_step_sd, walk_paths
from forecasting.inputs import RateTables
from forecasting.lifetable import life_expectancy
from forecasting.types import SAMPLE, SEXES, FloatArray

__all__ = ["TFR_MODELS", "simulate_rates", "tfr_walk_paths"]

#: The models of the TFR paths (``forecast.tfr_model``).
TFR_MODELS = ("ets", "random_walk")

#: Plausibility bounds applied to simulated paths (children per woman; years).
TFR_BOUNDS = (0.6, 3.0)
E0_BOUNDS = (50.0, 100.0)
#: Damping of the TFR trend: at most 0.9, so a recent trend fades within about a decade
#: (unbounded, the 2010-2023 fall extrapolates to a median TFR of 0.9 in 2043).
DAMPING_BOUNDS = (0.8, 0.9)
_TFR_LABEL = {"ets": "ETS damped", "random_walk": "pooled random-walk"}
#: Factors on the death-probability schedule among which e0 targets are looked up.
FACTOR_GRID = np.geomspace(0.05, 20.0, 2001)


def _series(df: pd.DataFrame, column: str, fit_start: int, base_year: int) -> pd.Series:
    rows = df[df["year"].between(fit_start, base_year)].sort_values("year")
    series = rows.set_index(rows["year"].astype(int))[column].astype(float)
    if len(series) < 8:
        raise CalibrationError(
            f"{column}: needs at least 8 years in {fit_start}-{base_year}, has {len(series)}"
        )
    return series


def quiet_fit(model):
    """Fit a statsmodels model without its convergence warnings (short series warn often)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(disp=False) if isinstance(model, ETSModel) else model.fit()


def simulated_paths(results, horizon: int, n_samples: int, rng: np.random.Generator) -> FloatArray:
    """Simulate ``n_samples`` paths of ``horizon`` steps after the last observation."""
    sims = results.simulate(nsimulations=horizon, repetitions=n_samples, anchor="end", rng=rng)
    return np.asarray(sims, dtype=float).reshape(horizon, n_samples).T  # (sample, year)


def tfr_paths(
    tables: RateTables, region: str, fit_start: int, base_year: int, horizon: int, n: int, rng
) -> FloatArray:
    """Total fertility paths, shape (sample, year), from a damped-trend ETS on log TFR."""
    tfr = tables.tfr[tables.tfr["region_code"] == region]
    series = _series(tfr, "tfr", fit_start, base_year)
    return ets_tfr_paths(np.log(series.values), horizon, n, rng)


def ets_tfr_paths(log_tfr: FloatArray, horizon: int, n: int, rng) -> FloatArray:
    """TFR paths (sample, year) of a damped-trend ETS fitted on a log TFR series."""
    model = ETSModel(
        np.asarray(log_tfr, dtype=float),
        error="add",
        trend="add",
        damped_trend=True,
        bounds={"damping_trend": DAMPING_BOUNDS},
    )
    return np.clip(np.exp(simulated_paths(quiet_fit(model), horizon, n, rng)), *TFR_BOUNDS)


def walk_tfr_paths(last_log: float, step_sd: float, horizon: int, n: int, rng) -> FloatArray:
    """TFR paths (sample, year) of a random walk on log TFR from ``last_log``."""
    return np.clip(np.exp(walk_paths(last_log, step_sd, horizon, n, rng)), *TFR_BOUNDS)


def tfr_walk_paths(
    tables: RateTables,
    region: str,
    fit_start: int,
    base_year: int,
    horizon: int,
    n: int,
    rng,
    scale: float = 1.0,
) -> FloatArray:
    """Total fertility paths, shape (sample, year): a random walk on log TFR from the base year.

    The yearly step's standard deviation is that of the yearly changes of log TFR
    pooled over every region of ``tables`` (``fit_start``..``base_year``), times
    ``scale``. The paths' median is the base year's TFR.
    """
    tfr = tables.tfr[tables.tfr["year"].between(fit_start, base_year)]
    wide = np.log(tfr.pivot_table(index="year", columns="region_code", values="tfr"))
    last = np.log(_series(tables.tfr[tables.tfr["region_code"] == region], "tfr", fit_start,
                          base_year).iloc[-1])  # fmt: skip
    return walk_tfr_paths(last, scale * pooled_step_sd(wide), horizon, n, rng)


def e0_paths(
    tables: RateTables, region: str, fit_start: int, base_year: int, horizon: int, n: int, rng
) -> FloatArray:
    """Life-expectancy paths, shape (sample, sex, year), random walk with drift."""
    out = np.empty((n, len(SEXES), horizon))
    for s, sex in enumerate(SEXES):
        e0 = tables.e0[(tables.e0["region_code"] == region) & (tables.e0["sex"] == sex)]
        series = _series(e0, "e0", fit_start, base_year)
        out[:, s] = drift_walk_paths(series.values, horizon, n, rng)
    return np.clip(out, *E0_BOUNDS)


def drift_walk_paths(series: FloatArray, horizon: int, n: int, rng) -> FloatArray:
    """Paths (sample, year) of a random walk with drift (``ARIMA(0, 1, 0)`` with trend)."""
    model = ARIMA(np.asarray(series, dtype=float), order=(0, 1, 0), trend="t")
    return simulated_paths(quiet_fit(model), horizon, n, rng)


def migration_deviations(
    tables: RateTables, region: str, fit_start: int, base_year: int, horizon: int, n: int, rng
) -> FloatArray:
    """Deviation of the net migration rate from its mean forecast, shape (sample, year)."""
    mig = tables.net_migration_rates[tables.net_migration_rates["region_code"] == region]
    index = mig.groupby("year", as_index=False)["rate"].mean()
    series = _series(index, "rate", fit_start, base_year)
    return reverting_deviations(series.values, horizon, n, rng)


def reverting_deviations(series: FloatArray, horizon: int, n: int, rng) -> FloatArray:
    """Deviations (sample, year) of ``ARIMA(1, 0, 0)`` paths from their mean forecast."""
    results = quiet_fit(ARIMA(np.asarray(series, dtype=float), order=(1, 0, 0), trend="c"))
    mean = np.asarray(results.forecast(horizon), dtype=float)
    return simulated_paths(results, horizon, n, rng) - mean[None, :]


#: The widening grows with the horizon only as far as it was backtested (5 and 10 years
#: ahead); beyond, the factor stays at its 10-year value instead of growing without
#: evidence (uncapped, Sysmä's 2043 early-childhood demand spanned 357-1,779 places,
#: 5-95 % over 30 seeds, against 834 in 2024).
WIDEN_UNTIL_YEARS = 10


def widen(tfr: FloatArray, spread: float) -> FloatArray:
    """TFR paths (sample, year) spread ``1 + (spread - 1) h / 5`` times as far from the median.

    ``h`` is the years ahead, at most :data:`WIDEN_UNTIL_YEARS`.

    The ETS model's own 80 % interval covered the observed regional TFR 5 years
    ahead in 27 % of the launches 2000-2011 (``docs/explanation/forecast-accuracy.md``).

    Examples
    --------
    >>> widen(np.array([[1.2, 1.2], [1.6, 1.6]]), 2.0).round(3).tolist()  # median 1.386
    [[1.166, 1.133], [1.647, 1.695]]
    """
    if spread == 1.0:
        return tfr
    log = np.log(tfr)
    median = np.median(log, axis=0, keepdims=True)
    horizon = np.minimum(np.arange(1, tfr.shape[1] + 1), WIDEN_UNTIL_YEARS)
    factor = 1.0 + (spread - 1.0) * horizon / 5.0
    return np.clip(np.exp(median + factor[None, :] * (log - median)), *TFR_BOUNDS)


def _factor_lookup(q: FloatArray, q_infant: FloatArray, targets: FloatArray) -> FloatArray:
    """Mortality factors reaching each target e0, by year, read off a factor grid.

    ``q`` (year, age), ``q_infant`` (year,), ``targets`` (sample, year). Life
    expectancy falls monotonically with the factor, so the e0 of a fine geometric
    grid of factors is inverted by linear interpolation.
    """
    grid = FACTOR_GRID
    e0 = life_expectancy(
        np.minimum(q[:, None, :] * grid[None, :, None], 1.0),
        np.minimum(q_infant[:, None] * grid[None, :], 1.0),
    )  # (year, grid), decreasing along grid
    out = np.empty_like(targets)
    for t in range(q.shape[0]):
        out[:, t] = np.interp(targets[:, t], e0[t, ::-1], grid[::-1])
    return out


def simulate_rates(
    rates: xr.Dataset,
    tables: RateTables,
    n_samples: int,
    rng: np.random.Generator,
    fit_start: int = 1990,
    tfr_spread: float = 1.0,
    tfr_model: str = "ets",
) -> xr.Dataset:
    """Give each of ``n_samples`` samples its own statsmodels-forecast rate path.

    Parameters
    ----------
    rates : xarray.Dataset
        Deterministic assumptions from :func:`forecasting.rates.assume_rates`
        (``attrs`` carry ``region_code``, ``base_year`` and ``tfr_assumed``).
    tables : RateTables
        The rate tables the assumptions were made from.
    n_samples : int
        Number of sample paths.
    rng : numpy.random.Generator
        Source of every draw.
    fit_start : int, default 1990
        First year of the series the time-series models are fitted on.
    tfr_spread : float, default 1.0
        Widening of the TFR paths around their median (:func:`widen`): the log
        deviations are multiplied by ``1 + (tfr_spread - 1) * h / 5`` at ``h`` years
        ahead (``tfr_spread`` at 5 years); 1 = the ETS model's own spread. With
        ``tfr_model="random_walk"``: the factor on the pooled yearly step.
    tfr_model : {"ets", "random_walk"}, default "ets"
        Model of the TFR paths (:data:`TFR_MODELS`).

    Returns
    -------
    xarray.Dataset
        Same variables and dims as ``rates``, with ``sample`` of size ``n_samples``,
        plus ``tfr`` (sample, year), ``e0`` (sample, year, sex) and
        ``net_migration_deviation`` (sample, year).

    Raises
    ------
    ValueError
        If ``tfr_model`` is not one of :data:`TFR_MODELS`.
    """
    if tfr_model not in TFR_MODELS:
        raise ValueError(f"tfr_model={tfr_model!r}: must be one of {', '.join(TFR_MODELS)}")
    region, base_year = str(rates.attrs["region_code"]), int(rates.attrs["base_year"])
    years = rates["year"].values
    horizon = years.size
    args = (tables, region, fit_start, base_year, horizon, n_samples, rng)
    if tfr_model == "random_walk":
        tfr = tfr_walk_paths(*args, scale=tfr_spread)
    else:
        tfr = widen(tfr_paths(*args), tfr_spread)
    e0, dev = e0_paths(*args), migration_deviations(*args)

    first = rates.isel({SAMPLE: 0}, drop=True)
    factor = first["mortality_factor"].values  # (sex,)
    q_raw = first["death_probability"].isel(area=0).values / factor[None, :, None]
    qi_raw = first["infant_death_probability"].isel(area=0).values / factor[None, :]
    q = np.empty((n_samples, horizon, len(SEXES), q_raw.shape[-1]))
    qi = np.empty((n_samples, horizon, len(SEXES)))
    for s in range(len(SEXES)):
        f = _factor_lookup(q_raw[:, s], qi_raw[:, s], e0[:, s])  # (sample, year)
        q[:, :, s] = np.minimum(q_raw[None, :, s] * f[..., None], 1.0)
        qi[:, :, s] = np.minimum(qi_raw[None, :, s] * f, 1.0)

    n_areas = rates.sizes["area"]
    out = rates.isel({SAMPLE: [0] * n_samples}).assign_coords({SAMPLE: np.arange(n_samples)})
    out = out.copy(deep=True)
    dims = ("sample", "area", "year", "sex", "age")
    out["death_probability"].values = np.broadcast_to(q[:, None], out["death_probability"].shape)
    out["infant_death_probability"].values = np.broadcast_to(
        qi[:, None], out["infant_death_probability"].shape
    )
    scale = tfr / float(rates.attrs["tfr_assumed"])  # (sample, year)
    out["fertility_rate"] = first["fertility_rate"] * xr.DataArray(scale, dims=("sample", "year"))
    out["fertility_rate"] = out["fertility_rate"].transpose("sample", "area", "year", "age")
    out["net_migration_rate"] = (
        out["net_migration_rate"] + xr.DataArray(dev, dims=("sample", "year"))
    ).transpose(*dims)
    for name in ("fertility_rate", "net_migration_rate"):
        out[name].attrs = rates[name].attrs
    out["tfr"] = (("sample", "year"), tfr, {"units": "children/woman", "long_name": "TFR path"})
    out["e0"] = (
        ("sample", "year", "sex"),
        e0.transpose(0, 2, 1),
        {"units": "years", "long_name": "life expectancy at birth path"},
    )
    out["net_migration_deviation"] = (
        ("sample", "year"),
        dev,
        {"units": "1/year", "long_name": "sample deviation added to net migration rates"},
    )
    out.attrs.update(
        method=f"forecasting.rate_paths.simulate_rates: {_TFR_LABEL[tfr_model]} TFR, "
        "ARIMA(0,1,0)+drift e0, "
        "ARIMA(1,0,0) net migration",
        fit_start=int(fit_start),
        tfr_spread=float(tfr_spread),
        tfr_model=tfr_model,
        n_areas=int(n_areas),
    )
    return out
