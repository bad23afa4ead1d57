"""Rolling-origin backtest of total-population forecasters, and its scores.

:func:`rolling_origin` fits every method on the history up to each launch year
``T`` only (years ``<= T``), forecasts ``T + h`` and stores the forecast, the
observed total (``NaN`` where ``T + h`` is after the last observed year) and
50 %, 80 % and 95 % sample-quantile intervals. :func:`summarise` scores it by method,
horizon and size class (population at launch), as in ``forecasting.md``
section 4. Launch years overlap, so the errors of different launches are
correlated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import xarray as xr

from forecasting.errors import ProjectionError
from forecasting.totals import as_history
from forecasting.types import AREA, SAMPLE, YEAR

__all__ = ["interval", "rolling_origin", "summarise"]

LEVELS = {"50": 0.5, "80": 0.8, "95": 0.95}


def interval(samples: xr.DataArray, level: float) -> tuple[xr.DataArray, xr.DataArray]:
    """Central prediction interval from sample quantiles.

    Parameters
    ----------
    samples : xarray.DataArray
        Paths with a ``sample`` dimension.
    level : float
        Coverage as a fraction in (0, 1), e.g. 0.8.

    Returns
    -------
    lower, upper : xarray.DataArray
        The ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles over ``sample``.

    Examples
    --------
    >>> s = xr.DataArray(np.arange(101.0), dims="sample")
    >>> [round(float(b), 6) for b in interval(s, 0.8)]
    [10.0, 90.0]
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    q = samples.quantile([(1 - level) / 2, (1 + level) / 2], dim=SAMPLE)
    return q.isel(quantile=0, drop=True), q.isel(quantile=1, drop=True)


def rolling_origin(
    history: pd.DataFrame | xr.DataArray,
    methods: Mapping[str, object],
    launch_years: Sequence[int],
    horizons: Sequence[int],
    n_samples: int,
    rng: np.random.Generator,
) -> xr.Dataset:
    """Fit each method at each launch year on data up to it, and forecast.

    Parameters
    ----------
    history : pandas.DataFrame or xarray.DataArray
        Totals (area, year) in persons; see :func:`forecasting.totals.as_history`.
    methods : mapping of str to specification
        Name -> object with ``fit(history)`` returning a
        :class:`~forecasting.totals.TotalsResults`.
    launch_years : sequence of int
        Launch years ``T``; each must be in ``history``, after its first year.
    horizons : sequence of int
        Years ahead, >= 1.
    n_samples : int
        Sample paths per fit, for the intervals.
    rng : numpy.random.Generator
        Source of every draw; one child stream per (method, launch year) is
        spawned from it, in that order.

    Returns
    -------
    xarray.Dataset
        Dims (method, launch_year, horizon, area): ``forecast``, ``observed``,
        ``lower50``, ``upper50``, ``lower80``, ``upper80``, ``lower95``,
        ``upper95`` (persons), and
        ``launch_population`` (launch_year, area) (persons).

    Examples
    --------
    >>> from forecasting.totals import Linear
    >>> hist = xr.DataArray([[10.0, 11, 12, 13, 14]], dims=("area", "year"),
    ...                     coords={"area": ["a"], "year": np.arange(2000, 2005)})
    >>> ds = rolling_origin(hist, {"lin": Linear(2)}, [2002, 2003], [1, 2], 50,
    ...                     np.random.default_rng(0))
    >>> ds["forecast"].sel({"method": "lin", "area": "a"}).values.tolist()
    [[13.0, 14.0], [14.0, 15.0]]
    >>> ds["observed"].sel({"method": "lin", "area": "a"}).values.tolist()
    [[13.0, 14.0], [14.0, nan]]
    """
    array = as_history(history)
    years = array[YEAR].to_numpy()
    launches = np.asarray(launch_years, dtype=np.int64)
    steps = np.asarray(horizons, dtype=np.int64)
    if np.any(~np.isin(launches, years[1:])):
        raise ProjectionError(f"launch years must lie in {years[1]}..{years[-1]}: {launches}")
    streams = iter(rng.spawn(len(methods) * len(launches)))
    names = list(methods)
    shape = (len(names), len(launches), len(steps), array.sizes[AREA])
    bounds = [f"{side}{key}" for key in LEVELS for side in ("lower", "upper")]
    out = {k: np.full(shape, np.nan) for k in ("forecast", *bounds)}
    for i, name in enumerate(names):
        for j, launch in enumerate(launches):
            results = methods[name].fit(array.sel({YEAR: slice(None, launch)}))
            out["forecast"][i, j] = results.forecast(steps).transpose(YEAR, AREA).to_numpy()
            paths = results.simulate(steps, n_samples, next(streams))
            for key, level in LEVELS.items():
                lower, upper = interval(paths, level)
                out[f"lower{key}"][i, j] = lower.transpose(YEAR, AREA).to_numpy()
                out[f"upper{key}"][i, j] = upper.transpose(YEAR, AREA).to_numpy()
    target = launches[:, None] + steps[None, :]
    observed = array.reindex({YEAR: target.ravel()}).to_numpy()
    observed = observed.reshape(-1, len(launches), len(steps)).transpose(1, 2, 0)
    dims = ("method", "launch_year", "horizon", AREA)
    coords = {"method": names, "launch_year": launches, "horizon": steps, AREA: array[AREA].values}
    data = {k: (dims, v, _attrs(k)) for k, v in out.items()}
    data["observed"] = (dims[1:], observed, _attrs("observed"))
    launch_pop = array.sel({YEAR: launches}).transpose(YEAR, AREA).to_numpy()
    data["launch_population"] = (("launch_year", AREA), launch_pop, _attrs("launch_population"))
    ds = xr.Dataset(data, coords=coords)
    ds["observed"] = ds["observed"].broadcast_like(ds["forecast"])
    return ds


def _attrs(name: str) -> dict[str, str]:
    long = {
        "forecast": "point forecast of total population",
        "observed": "observed total population in launch_year + horizon",
        "launch_population": "observed total population in the launch year",
    }
    if name in long:
        return {"units": "persons", "long_name": long[name]}
    side, level = name[:5], name[5:]
    return {"units": "persons", "long_name": f"{side} bound of the {level} % prediction interval"}


def _p90(values: pd.Series) -> float:
    """90th percentile of the defined values (NaN if none)."""
    defined = values.dropna()
    return float(np.quantile(defined, 0.9)) if len(defined) else float("nan")


def summarise(
    ds: xr.Dataset,
    size_bins: Sequence[float] = (0, 2000, 5000, 20000, 100000, np.inf),
) -> pd.DataFrame:
    """Score a backtest by method, horizon and size class.

    Only (launch year, horizon, area) cells with an observed outcome count.
    Errors are in percent of the observed total: APE = ``100 |F - O| / O``,
    ALPE = ``100 (F - O) / O`` (positive: forecast too high). A cell whose outcome
    is 0 persons has no percentage error: it is left out of ``mape``, ``medape``,
    ``p90ape`` and ``malpe`` (NaN if no cell is left) and counted in
    ``n_zero_outcome``; it still counts in ``n`` and the coverages.

    Parameters
    ----------
    ds : xarray.Dataset
        Output of :func:`rolling_origin`.
    size_bins : sequence of float
        Edges of the size classes (persons at launch), left-closed:
        ``[2000, 5000)`` is labelled ``"2000-5000"``.

    Returns
    -------
    pandas.DataFrame
        One row per method, horizon and size class, with ``n`` (cells),
        ``mape``, ``medape``, ``p90ape``, ``malpe`` (mean signed error, bias),
        and ``coverage50``, ``coverage80``, ``coverage95`` (share of
        observations inside the interval; only the levels whose bounds are in
        ``ds``), all in %, and ``n_zero_outcome`` (cells with an outcome of 0,
        left out of the percentage errors).

    Examples
    --------
    >>> ds = xr.Dataset(
    ...     {"forecast": (("method", "launch_year", "horizon", "area"), [[[[110.0, 90.0]]]]),
    ...      "observed": (("method", "launch_year", "horizon", "area"), [[[[100.0, 100.0]]]]),
    ...      "lower80": (("method", "launch_year", "horizon", "area"), [[[[95.0, 80.0]]]]),
    ...      "upper80": (("method", "launch_year", "horizon", "area"), [[[[120.0, 95.0]]]]),
    ...      "lower95": (("method", "launch_year", "horizon", "area"), [[[[90.0, 70.0]]]]),
    ...      "upper95": (("method", "launch_year", "horizon", "area"), [[[[130.0, 110.0]]]]),
    ...      "launch_population": (("launch_year", "area"), [[100.0, 100.0]])},
    ...     coords={"method": ["m"], "launch_year": [2000], "horizon": [5], "area": ["a", "b"]})
    >>> summarise(ds, size_bins=(0, 1000)).iloc[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'method': 'm', 'horizon': 5, 'size_class': '0-1000', 'n': 2, 'mape': 10.0,
     'medape': 10.0, 'p90ape': 10.0, 'malpe': 0.0, 'coverage80': 50.0, 'coverage95': 100.0,
     'n_zero_outcome': 0}
    """
    levels = [key for key in LEVELS if f"lower{key}" in ds and f"upper{key}" in ds]
    names = ["forecast", "observed", *[f"{s}{k}" for k in levels for s in ("lower", "upper")]]
    frame = ds[names].to_dataframe().reset_index()
    launch = ds["launch_population"].to_dataframe().reset_index()
    frame = frame.merge(launch, on=["launch_year", AREA]).dropna(subset=["observed"])
    edges = list(size_bins)
    labels = [f"{lo:g}-{hi:g}" for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    frame["size_class"] = pd.cut(frame["launch_population"], edges, right=False, labels=labels)
    observed = frame["observed"].where(frame["observed"] > 0)  # no percentage error at 0
    frame["alpe"] = 100 * (frame["forecast"] - observed) / observed
    frame["ape"] = frame["alpe"].abs()
    frame["zero_outcome"] = (frame["observed"] == 0).astype(int)
    for key in levels:
        inside = frame["observed"].between(frame[f"lower{key}"], frame[f"upper{key}"])
        frame[f"inside{key}"] = 100 * inside.astype(float)
    grouped = frame.groupby(["method", "horizon", "size_class"], observed=True, sort=True)
    table = grouped.agg(
        n=("ape", "size"),
        mape=("ape", "mean"),
        medape=("ape", "median"),
        p90ape=("ape", _p90),
        malpe=("alpe", "mean"),
        **{f"coverage{key}": (f"inside{key}", "mean") for key in levels},
        n_zero_outcome=("zero_outcome", "sum"),
    )
    table = table.reset_index()
    table["size_class"] = table["size_class"].astype(str)
    return table
