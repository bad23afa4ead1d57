"""Road distances and travel times between zones (estimates)."""

from __future__ import annotations

import numpy as np
import pandas as pd

DETOUR = 1.3  # road km per straight-line km (estimate)
CAR_KMH, CAR_ACCESS_MIN = 60.0, 2.0  # rural car speed and access time (estimate)
NOCAR_KMH, NOCAR_WAIT_MIN = 25.0, 15.0  # bus/taxi/walk mean speed and wait (estimate)
MIN_INTRA_KM = 1.0


def travel(zones: pd.DataFrame) -> dict[str, np.ndarray]:
    """Road km and minutes by car and without a car between all zone pairs."""
    x, y = zones.x_m.to_numpy(float), zones.y_m.to_numpy(float)
    km = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]) / 1000 * DETOUR
    off = km + np.diag(np.full(len(km), np.inf))
    intra = np.maximum(off.min(axis=1) / 2, MIN_INTRA_KM) if len(km) > 1 else [MIN_INTRA_KM]
    km[np.diag_indices(len(km))] = intra
    km = np.round(km, 3)
    car = np.round(km / CAR_KMH * 60 + CAR_ACCESS_MIN, 2)
    nocar = np.round(km / NOCAR_KMH * 60 + NOCAR_WAIT_MIN, 2)
    return {"km": km, "minutes_car": car, "minutes_nocar": nocar}
