"""The figures the dashboard shows for a run, read from its results dataset.

Every figure is computed from the variables ``servicesim.run`` returns (see the
results reference); nothing is estimated here.

Examples
--------
>>> import servicesim
>>> ds = servicesim.run(servicesim.RunSpec(horizon_years=1, forecast={"n_samples": 3}))
>>> k = key_figures(ds)
>>> 0 <= k.access_share <= 1 and k.npv_eur > 0 and k.standards_assessed >= k.standards_held
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

__all__ = ["KeyFigures", "ServiceRow", "key_figures", "service_rows", "yearly_cost"]


@dataclass(frozen=True)
class KeyFigures:
    """The headline figures of one run.

    Attributes
    ----------
    access_share : float
        Share (0-1) of eligible present persons within 20 travel minutes of an open
        facility offering the service, mean over services and months.
    npv_eur : float
        Net present value of all costs (EUR).
    cost_per_year_eur : float
        Mean yearly total cost (EUR a year).
    unmet_share : float
        Unmet demand as a share (0-1) of all demand, all services and months.
    standards_held, standards_assessed : int
        Services whose standard holds, and services with an assessed standard.
    worst_p90_wait_days : float
        The largest monthly 90th-percentile waiting time of any facility (days).
    """

    access_share: float
    npv_eur: float
    cost_per_year_eur: float
    unmet_share: float
    standards_held: int
    standards_assessed: int
    worst_p90_wait_days: float


@dataclass(frozen=True)
class ServiceRow:
    """One service's figures: status of its standard, access and waiting."""

    service: str
    status: str
    months_met: float
    access_share: float
    p90_wait_days: float
    unmet_share: float


def _share(num: xr.DataArray, den: xr.DataArray) -> float:
    total = float(den.sum())
    return float(num.sum()) / total if total > 0 else float("nan")


def _max(da: xr.DataArray) -> float:
    values = da.values[np.isfinite(da.values)]
    return float(values.max()) if values.size else float("nan")


def yearly_cost(ds: xr.Dataset) -> xr.DataArray:
    """Total cost per calendar year (EUR), dim ``year``."""
    return ds["total_cost"].groupby("time.year").sum()


def key_figures(ds: xr.Dataset) -> KeyFigures:
    """Compute the headline figures of a run's results."""
    status = ds["standard_status"].values.astype(str)
    return KeyFigures(
        access_share=float(ds["share_within_20min"].mean(skipna=True)),
        npv_eur=float(ds["npv_cost"]),
        cost_per_year_eur=float(yearly_cost(ds).mean()),
        unmet_share=_share(ds["unmet"], ds["demand"]),
        standards_held=int((status == "holds").sum()),
        standards_assessed=int((status != "not assessed").sum()),
        worst_p90_wait_days=_max(ds["waiting_time_p90"]),
    )


def service_rows(ds: xr.Dataset) -> list[ServiceRow]:
    """One row per service of the world, in the results' order."""
    rows = []
    for s in ds["service"].values:
        one = ds.sel(service=s)
        rows.append(
            ServiceRow(
                service=str(s),
                status=str(one["standard_status"].item()),
                months_met=float(one["standard_months_met"]),
                access_share=float(one["share_within_20min"].mean(skipna=True)),
                p90_wait_days=_max(one["waiting_time_p90"]),
                unmet_share=_share(one["unmet"], one["demand"]),
            )
        )
    return rows
