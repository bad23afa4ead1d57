"""Monthly and yearly records of a run: what is recorded, in which units, and where.

:data:`VARIABLES` declares every recorded variable once (dims, dtype and CF
attributes); :class:`Recorder` preallocates them. The run's ``Dataset`` is assembled
from the recorder by :func:`simulation.results.run_dataset`.

Units follow CF 1.8 / UDUNITS (see docs/reference/results.md): counts of persons,
visits or places are ``1`` with what is counted in ``long_name``; money is ``1`` with
``currency = "EUR"``; travel time ``min``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from simulation.access import COMPARISONS, GROUPS
from simulation.types import AGE_GROUPS, CHANNELS, KINDS, age_group_index
from simulation.world import World

#: Attributes of money variables: CF has no currency unit (our convention, documented).
EUR: dict[str, str] = {"units": "1", "currency": "EUR"}
#: Attributes of monthly totals (counts or money summed over the month).
MONTHLY_SUM: dict[str, str] = {"cell_methods": "time: sum"}


class Record(NamedTuple):
    """One recorded variable: its dims, dtype and CF attributes.

    Attributes
    ----------
    dims : tuple of str
        Dimension names (glossary names).
    dtype : type
        Array dtype (``np.int64`` for whole counts, ``float`` otherwise).
    units : str
        UDUNITS string (``1`` for counts, shares and money).
    long_name : str
        What the values are, naming what is counted.
    extra : dict of str to str
        Further CF attributes (``currency``, ``cell_methods``).
    """

    dims: tuple[str, ...]
    dtype: type
    units: str
    long_name: str
    extra: dict[str, str] = {}

    @property
    def attrs(self) -> dict[str, str]:
        """CF attributes of the variable."""
        return {"units": self.units, "long_name": self.long_name, **self.extra}


_TFS = ("time", "facility", "service")
_TZS = ("time", "zone", "service")
_YZ = ("year", "zone")
_INT, _FLOAT = np.int64, float

#: Every recorded variable.
VARIABLES: dict[str, Record] = {
    "population": Record(
        ("time", "zone", "age_group", "kind"),
        _INT,
        "1",
        "persons present (permanent residents; seasonal residents present that month)",
    ),
    "demand": Record(
        _TFS,
        _INT,
        "1",
        "demand in the month (visits or places) attributed to its first-choice facility "
        "(nearest in the network)",
        MONTHLY_SUM,
    ),
    "served": Record(
        _TFS,
        _INT,
        "1",
        "demand in the month (visits or places) attributed to the facility that was served "
        "(there or elsewhere)",
        MONTHLY_SUM,
    ),
    "unmet": Record(
        _TFS,
        _INT,
        "1",
        "demand in the month (visits or places) attributed to the facility that no facility "
        "could serve",
        MONTHLY_SUM,
    ),
    "load": Record(
        _TFS,
        _INT,
        "1",
        "demand served at the facility in the month (visits or places)",
        MONTHLY_SUM,
    ),
    "capacity": Record(
        _TFS,
        _INT,
        "1",
        "capacity available in the month (visits or places; 0 when closed or not offered)",
    ),
    "demand_zone": Record(
        _TZS, _INT, "1", "demand in the month (visits or places) by home zone", MONTHLY_SUM
    ),
    "served_zone": Record(
        _TZS, _INT, "1", "served demand in the month (visits or places) by home zone", MONTHLY_SUM
    ),
    "unmet_zone": Record(
        _TZS, _INT, "1", "unmet demand in the month (visits or places) by home zone", MONTHLY_SUM
    ),
    "demand_kind": Record(
        ("time", "kind", "service"),
        _INT,
        "1",
        "demand in the month (visits or places) by resident kind",
        MONTHLY_SUM,
    ),
    "travel_minutes": Record(
        _TZS,
        _FLOAT,
        "min",
        "total travel time of served in-person demand by home zone (own mode)",
        MONTHLY_SUM,
    ),
    "facility_open": Record(
        ("time", "facility"), _FLOAT, "1", "facility open in the month (1) or not (0)"
    ),
    "cost": Record(
        ("time", "facility"),
        _FLOAT,
        "1",
        "running cost in the month (EUR): fixed share plus cost per unit served",
        {**EUR, **MONTHLY_SUM},
    ),
    "residents_start": Record(_YZ, _INT, "1", "permanent residents (persons) on 1 January"),
    "births": Record(_YZ, _INT, "1", "live births during the year (persons)"),
    "deaths": Record(_YZ, _INT, "1", "deaths during the year (persons; infant deaths included)"),
    "in_migration": Record(
        _YZ, _INT, "1", "moves into the zone (persons; from other zones and from outside the area)"
    ),
    "out_migration": Record(
        _YZ, _INT, "1", "moves out of the zone (persons; to other zones and out of the area)"
    ),
    "residents_end": Record(_YZ, _INT, "1", "permanent residents (persons) on 31 December"),
    "visits_channel": Record(
        ("time", "service", "channel"),
        _INT,
        "1",
        "served demand in the month (visits or places) by the channel it was served through "
        "(in person includes van overflow)",
        MONTHLY_SUM,
    ),
    "share_within_20min": Record(
        ("time", "service"),
        _FLOAT,
        "1",
        "share of eligible present persons within 20 travel minutes (own mode) of an open "
        "facility offering the service",
    ),
    "mean_travel_minutes": Record(
        ("time", "service", "group"),
        _FLOAT,
        "min",
        "mean travel time per served in-person visit, by group",
    ),
    "equity_gap": Record(
        ("time", "service", "comparison"),
        _FLOAT,
        "min",
        "mean travel minutes per in-person visit: disadvantaged minus advantaged group",
    ),
    "gini_access": Record(
        ("time", "service"),
        _FLOAT,
        "1",
        "Gini coefficient of travel minutes to the nearest facility over eligible persons",
    ),
    "palma_access": Record(
        ("time", "service"),
        _FLOAT,
        "1",
        "Palma ratio of travel minutes to the nearest facility: top 10 % share / bottom 40 %",
    ),
    "pupils_over_transport_km": Record(
        ("time",),
        _INT,
        "1",
        "pupils (persons) whose school is farther than the school-transport distance (road km)",
    ),
}


class Recorder:
    """Preallocated arrays for every variable of :data:`VARIABLES`.

    Attributes
    ----------
    sizes : dict of str to int
        Length of each dimension.
    data : dict of str to ndarray
        One array per variable, shaped by its dims.
    """

    def __init__(self, world: World, n_months: int, years: tuple[int, ...]) -> None:
        sizes = {
            "time": n_months,
            "year": len(years),
            "zone": len(world.zones),
            "facility": len(world.facilities),
            "service": len(world.services),
            "age_group": len(AGE_GROUPS),
            "kind": len(KINDS),
            "channel": len(CHANNELS),
            "group": len(GROUPS),
            "comparison": len(COMPARISONS),
        }
        self.sizes = sizes
        self.data = {
            name: np.zeros(tuple(sizes[d] for d in rec.dims), dtype=rec.dtype)
            for name, rec in VARIABLES.items()
        }
        self._groups = age_group_index()

    def population(self, t: int, present_cells: np.ndarray) -> None:
        """Record persons present by (zone, kind, age) grouped to age groups."""
        n_groups = len(AGE_GROUPS)
        grouped = np.zeros((present_cells.shape[0], n_groups, present_cells.shape[1]), np.int64)
        for g in range(n_groups):
            grouped[:, g, :] = present_cells[:, :, self._groups == g].sum(axis=2)
        self.data["population"][t] = grouped
