"""Monthly records of the queues and service standards, and their ``Dataset``.

The model keeps one :class:`QueueRecords`; :func:`queue_dataset` turns it into the
variables merged into a run's results (see ``docs/explanation/service-model.md``).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from simulation.queues import QueueMonth

#: (dims, units, long_name) of every queue variable.
QUEUE_VARIABLES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "arrivals": (
        ("time", "facility", "service"),
        "1",
        "new in-person demand joining the facility (enrolment: net new need); "
        "arrivals = queue_served + balked + change in backlog",
    ),
    "queue_served": (
        ("time", "facility", "service"),
        "1",
        "demand served at the facility, backlog first (first come, first served)",
    ),
    "backlog": (
        ("time", "facility", "service"),
        "1",
        "demand waiting at the end of the month (enrolment: persons on the waiting list)",
    ),
    "balked": (
        ("time", "facility", "service"),
        "1",
        "demand that left the queue after its patience ran out (switched or lost)",
    ),
    "switched": (
        ("time", "facility", "service"),
        "1",
        "balked demand served by phone instead (switch rule)",
    ),
    "waiting_time_mean": (
        ("time", "facility", "service"),
        "d",
        "mean waiting time of the month's arrivals (fluid FIFO queue)",
    ),
    "waiting_time_p90": (
        ("time", "facility", "service"),
        "d",
        "90th percentile waiting time of the month's arrivals (fluid FIFO queue)",
    ),
    "within_standard": (
        ("time", "facility", "service"),
        "1",
        "share of the month's arrivals served within the service standard in force "
        "(NaN: no standard on waiting time, or no demand)",
    ),
}


#: Variables recorded as floats (the rest are whole service units: visits or places).
FLOATS = ("waiting_time_mean", "waiting_time_p90", "within_standard")


class QueueRecords:
    """Preallocated arrays of :data:`QUEUE_VARIABLES`.

    Parameters
    ----------
    n_months, n_facilities, n_services : int
    """

    def __init__(self, n_months: int, n_facilities: int, n_services: int) -> None:
        shape = (n_months, n_facilities, n_services)
        self.data = {
            name: np.full(shape, np.nan) if name in FLOATS else np.zeros(shape, dtype=np.int64)
            for name in QUEUE_VARIABLES
        }

    def record(self, t: int, s: int, q: QueueMonth, within: np.ndarray) -> None:
        """Store service ``s``'s queue month ``t`` and its share within the standard."""
        d = self.data
        d["arrivals"][t, :, s] = q.arrivals
        d["queue_served"][t, :, s] = q.served
        d["backlog"][t, :, s] = q.backlog
        d["balked"][t, :, s] = q.balked
        d["switched"][t, :, s] = q.switched
        d["waiting_time_mean"][t, :, s] = q.wait_mean
        d["waiting_time_p90"][t, :, s] = q.wait_p90
        d["within_standard"][t, :, s] = within


def queue_dataset(records: QueueRecords, coords: dict) -> xr.Dataset:
    """Return the queue variables as a ``Dataset`` over ``coords`` (time, facility, service).

    Returns
    -------
    xarray.Dataset
        Every variable of :data:`QUEUE_VARIABLES`, with ``units`` and ``long_name``.
    """
    return xr.Dataset(
        {
            name: (dims, records.data[name], {"units": units, "long_name": long_name})
            for name, (dims, units, long_name) in QUEUE_VARIABLES.items()
        },
        coords={k: coords[k] for k in ("time", "facility", "service")},
    )
