"""Plan for the service standards: the capacity each facility needs to meet them.

The strategies that plan with expected demand (``proactive``, ``season_aware``) size
each facility and service that has a waiting-time standard so that the fluid queue
(:func:`simulation.sizing.capacity_for_standard`) serves the standard's target share of
every month's arrivals within its limit, from the month the change takes effect to
the end of the planning window. The months before it run at the capacity in place
(their backlog is what the change inherits); the limit of each month is the one in
force then (:class:`simulation.standards.StandardsTable`), so a change in the law
within the window is planned for. Services without a waiting-time standard in the
window get NaN and are left to the utilisation band
(:class:`~scenarios.strategies.planner.CapacityPlanner`).
"""

from __future__ import annotations

import numpy as np

from simulation.protocols import PlanningView
from simulation.sizing import capacity_for_standard
from simulation.types import FloatArray


def window_months(model: PlanningView, n_years: int) -> list[str]:
    """Months ``YYYY-MM`` of ``n_years`` calendar years from January of the current year."""
    year = model.year_month[0]
    return [f"{year + k // 12}-{k % 12 + 1:02d}" for k in range(12 * n_years)]


def limits(model: PlanningView, months: list[str]) -> tuple[FloatArray, FloatArray]:
    """Waiting-time limit (days) and target share in force, by (service, month); NaN: none."""
    n_s = len(model.world.services)
    limit, target = np.full((n_s, len(months)), np.nan), np.full((n_s, len(months)), np.nan)
    for s in range(n_s):
        for t, month in enumerate(months):
            std = model.standards.limit(s, month)
            if std is not None:
                limit[s, t], target[s, t] = std.limit, std.target_share
    return limit, target


def start_backlog(model: PlanningView) -> FloatArray:
    """Backlog per (facility, service) at the start of the current month."""
    backlog = model.queue_records.data["backlog"]
    t = model.month_index
    if t == 0:
        return np.zeros(backlog.shape[1:])
    return backlog[t - 1].astype(float)


def required_capacity(
    model: PlanningView,
    monthly: FloatArray,
    lead_time_months: int,
    quantile: float,
    season: np.ndarray | None = None,
    noise_z: float = 0.0,
    season_capacity: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Capacity each facility needs for the standards over the window, units/month.

    Parameters
    ----------
    model : PlanningView
        The running model (standards, current capacity and backlog).
    monthly : ndarray of float, shape (sample, year, facility, service, 12)
        Expected demand needing in-person capacity, per facility (first choice), from
        :func:`simulation.expected.expected_demand`; years from the current one.
    lead_time_months : int
        Months until a change decided now takes effect.
    quantile : float
        Quantile over the samples of the capacity each sample path needs.
    season : ndarray of bool, shape (12,), optional
        Calendar months of the season. Given: the year-round capacity is sized on the
        months outside it (the season's arrivals taken as served by the season's
        capacity), and the second result is the season's extra capacity on top of it.
    noise_z : float
        Month-to-month noise planned for: each month's expected demand ``m`` is raised
        to ``m + noise_z x sqrt(m)`` (the model draws demand as Poisson or binomial
        counts around ``m``, standard deviation at most ``sqrt(m)``; 1.645 covers 95 %
        of months).
    season_capacity : ndarray of float, shape (facility, service), optional
        The season's capacity in place now beside each facility (annex or van), which
        serves in the season months until the change takes effect.

    Returns
    -------
    year_round, season_extra : ndarray of float, shape (facility, service)
        NaN where the service has no waiting-time standard after the change takes
        effect; ``inf`` where none is reachable; ``season_extra`` is 0 without a
        season.
    """
    n_sample, n_year, n_fac, n_s, _ = monthly.shape
    arrivals = np.moveaxis(monthly, 1, 3).reshape(n_sample, n_fac, n_s, 12 * n_year)
    arrivals = arrivals + noise_z * np.sqrt(np.maximum(arrivals, 0.0))
    months = window_months(model, n_year)
    limit, target = limits(model, months)
    later = np.arange(len(months)) >= lead_time_months
    limit[:, ~later] = np.nan
    backlog = start_backlog(model)
    current = np.array([f.capacity for f in model.facilities], dtype=float)  # (fac, service)
    year_round = np.full((n_fac, n_s), np.nan)
    extra = np.zeros((n_fac, n_s))
    in_season = np.tile(season, n_year) if season is not None else np.zeros(len(months), bool)
    offered = np.array([f.in_network for f in model.facilities])[:, None] & (current > 0)
    for s, service in enumerate(model.world.services):
        rows = np.flatnonzero(offered[:, s])
        if np.isnan(limit[s]).all() or not rows.size:
            continue
        rule, stock = service.waiting, service.demand_type == "enrolment"
        a = arrivals[:, rows, s]  # (sample, fac, month)
        base = current[rows, s, None] * ~later  # the capacity in place until the change
        if season_capacity is not None:
            base = base + season_capacity[rows, s, None] * (~later & in_season)
        args = (rule, backlog[None, rows, s], stock)
        off_a = np.where(later & in_season, 0.0, a)  # the backlog before it stays
        off_limit = np.where(in_season, np.nan, limit[s])
        need = capacity_for_standard(off_a, off_limit, target[s], *args, base, later * 1.0)
        year_round[rows, s] = _quantile(need, quantile)
        if season is None:
            continue
        base_y = base + np.nan_to_num(year_round[rows, s, None], posinf=0.0) * later
        more = capacity_for_standard(a, limit[s], target[s], *args, base_y, later & in_season)
        extra[rows, s] = np.nan_to_num(_quantile(more, quantile), posinf=0.0)
    return year_round, extra


def _quantile(values: FloatArray, q: float) -> FloatArray:
    """Quantile over the first axis (samples), whole units up; inf stays inf."""
    return np.ceil(np.quantile(values, q, axis=0, method="higher"))


def observed_requirement(model: PlanningView, noise_z: float = 0.0) -> FloatArray:
    """Capacity that would have met the standards in the last completed year, units/month.

    The reactive strategy's view: the fluid queue (:mod:`simulation.sizing`) replayed on
    each facility's observed arrivals of the last 12 completed months (for enrolment
    services the persons in need, placed plus listed), from the backlog it started
    that year with, with the limits in force then; ``noise_z`` as in
    :func:`required_capacity`.

    Returns
    -------
    ndarray of float, shape (facility, service)
        NaN where no waiting-time standard applied or the year is not complete.
    """
    rec = model.queue_records.data
    n_fac, n_s = rec["arrivals"].shape[1:]
    out = np.full((n_fac, n_s), np.nan)
    done = 12 * (model.month_index // 12)
    if done < 12:
        return out
    t0 = done - 12
    months = [f"{model.start_year + t // 12}-{t % 12 + 1:02d}" for t in range(t0, done)]
    limit, target = limits(model, months)
    start = rec["backlog"][t0 - 1].astype(float) if t0 > 0 else np.zeros((n_fac, n_s))
    for s, service in enumerate(model.world.services):
        if np.isnan(limit[s]).all():
            continue
        stock = service.demand_type == "enrolment"
        key = ("queue_served", "backlog") if stock else ("arrivals",)
        seen = sum(rec[k][t0:done, :, s].astype(float) for k in key).T  # (facility, month)
        seen = seen + noise_z * np.sqrt(np.maximum(seen, 0.0))
        out[:, s] = capacity_for_standard(
            seen, limit[s], target[s], service.waiting, start[:, s], stock
        )
    return out
