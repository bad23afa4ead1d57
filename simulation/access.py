"""Access and equity: travel time by group, 20-minute coverage, Gini and Palma.

Accessibility of a person is the travel time, by their own mode, to the nearest open
facility offering the service (lower is better). Demand and outcomes are known per
origin row (zone x car); group means weight each row's mean travel time per served
visit by the group's share of the row's in-person demand.
"""

from __future__ import annotations

import numpy as np

from simulation.types import FloatArray

#: Groups of ``mean_travel_minutes``.
GROUPS: tuple[str, ...] = (
    "all",
    "car",
    "no_car",
    "age_75_plus",
    "age_under_75",
    "digital_low",
    "digital_high",
    "seasonal",
    "permanent",
)
#: Comparisons of ``equity_gap``: (name, disadvantaged group, advantaged group).
COMPARISONS: tuple[tuple[str, str, str], ...] = (
    ("no_car_vs_car", "no_car", "car"),
    ("age_75_plus_vs_rest", "age_75_plus", "age_under_75"),
    ("digital_low_vs_high", "digital_low", "digital_high"),
    ("seasonal_vs_permanent", "seasonal", "permanent"),
)
WITHIN_MINUTES = 20.0


def group_masks() -> np.ndarray:
    """Membership of each group over (kind, 75+, car, digital), shape (group, 2, 2, 2, 2).

    Examples
    --------
    >>> m = group_masks()
    >>> int(m[0].sum()), int(m[GROUPS.index("no_car")][:, :, 0, :].sum())
    (16, 8)
    """
    k, y, c, d = np.meshgrid([0, 1], [0, 1], [0, 1], [0, 1], indexing="ij")
    rules = {
        "all": np.ones_like(k, dtype=bool),
        "car": c == 1,
        "no_car": c == 0,
        "age_75_plus": y == 1,
        "age_under_75": y == 0,
        "digital_low": d == 0,
        "digital_high": d == 1,
        "seasonal": k == 1,
        "permanent": k == 0,
    }
    return np.stack([rules[g] for g in GROUPS])


_MASKS = group_masks()


def mean_travel_by_group(
    in_person: np.ndarray,
    row_demand: np.ndarray,
    row_served: np.ndarray,
    row_travel: np.ndarray,
) -> FloatArray:
    """Mean travel minutes per served in-person visit, by group (NaN for no visits).

    Parameters
    ----------
    in_person : ndarray, shape (zone, kind, 75+, car, digital)
        In-person demand by cell.
    row_demand, row_served, row_travel : ndarray, shape (zone, car)
        Demand, served demand and summed travel minutes of each origin row.

    Examples
    --------
    >>> ip = np.zeros((1, 2, 2, 2, 2)); ip[0, 0, 0, 1, 1] = 4; ip[0, 0, 1, 0, 0] = 2
    >>> m = mean_travel_by_group(ip, np.array([[2, 4]]), np.array([[2, 4]]),
    ...                          np.array([[60.0, 40.0]]))
    >>> [float(m[GROUPS.index(g)]) for g in ("all", "car", "no_car", "seasonal")]
    [16.666666666666668, 10.0, 30.0, nan]
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        served_share = np.nan_to_num(row_served / row_demand)
        per_visit = np.nan_to_num(row_travel / row_served)
    weight = in_person * served_share[:, None, None, :, None]
    minutes = weight * per_visit[:, None, None, :, None]
    masks = _MASKS.reshape(len(GROUPS), -1).astype(float)
    w = masks @ weight.reshape(weight.shape[0], -1).sum(axis=0)
    m = masks @ minutes.reshape(minutes.shape[0], -1).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(w > 0, m / np.where(w > 0, w, 1.0), np.nan)


def equity_gaps(group_means: FloatArray) -> FloatArray:
    """Disadvantaged minus advantaged mean travel minutes, per :data:`COMPARISONS`."""
    return np.array(
        [group_means[GROUPS.index(a)] - group_means[GROUPS.index(b)] for _, a, b in COMPARISONS]
    )


def share_within(eligible: np.ndarray, nearest: np.ndarray, minutes: float = WITHIN_MINUTES):
    """Share of eligible present persons whose nearest facility is within ``minutes``.

    Parameters
    ----------
    eligible : ndarray, shape (zone, car)
        Eligible persons present.
    nearest : ndarray, shape (zone, car)
        Minutes to the nearest open facility offering the service (inf: none).

    Examples
    --------
    >>> share_within(np.array([[1.0, 3.0]]), np.array([[30.0, 10.0]]))
    0.75
    """
    total = float(eligible.sum())
    return float(eligible[nearest <= minutes].sum()) / total if total > 0 else float("nan")


def gini_palma(values: FloatArray, weights: FloatArray) -> tuple[float, float]:
    """Gini and Palma ratio of ``values`` over persons (``weights``: persons per value).

    Palma: share of the total held by the 10 % with the highest values, divided by the
    share held by the 40 % with the lowest (Lorenz curve interpolated between groups).

    Examples
    --------
    >>> g, p = gini_palma(np.array([10.0, 10.0]), np.array([5.0, 5.0]))
    >>> round(g, 12), round(p, 12)
    (0.0, 0.25)
    """
    ok = (weights > 0) & np.isfinite(values)
    x, w = values[ok].ravel(), weights[ok].ravel()
    if w.sum() <= 0 or (x * w).sum() <= 0:
        return float("nan"), float("nan")
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    p = np.concatenate([[0.0], np.cumsum(w) / w.sum()])
    lorenz = np.concatenate([[0.0], np.cumsum(x * w) / (x * w).sum()])
    gini = 1.0 - float(np.sum((p[1:] - p[:-1]) * (lorenz[1:] + lorenz[:-1])))
    low = float(np.interp(0.4, p, lorenz))
    top = 1.0 - float(np.interp(0.9, p, lorenz))
    return max(gini, 0.0), top / low if low > 0 else float("nan")
