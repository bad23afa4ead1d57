"""Upper bounds on world inputs, and whether a world fits in this machine's memory.

The bounds keep every figure finite and inside the integer types of the simulation
(capacity is floored to int64 units per month, zone indices are int16, household ids
int32); ``docs/world-format.md`` lists them.
"""

from __future__ import annotations

import os

import numpy as np

from simulation.world import CAPACITY_LIMIT

__all__ = [
    "BYTES_PER_PERSON",
    "CAPACITY_LIMIT",
    "COUNT_LIMIT",
    "EUR_LIMIT",
    "HISTORY_TOLERANCE",
    "HISTORY_TOLERANCE_PERSONS",
    "PERSON_LIMIT",
    "ZONE_LIMIT",
    "memory_problem",
]

#: Largest count in one row of ``residents.csv``, ``seasonal_residences.csv`` or
#: ``population_history.csv`` (persons or residences): 32,767 zones x 202 cells of it
#: still sum inside int64. Worlds this big are refused by :func:`memory_problem`.
COUNT_LIMIT = 10**12
#: Largest cost in EUR (per year or per visit) of a facility, route or change.
EUR_LIMIT = 1e12
#: Most zones a world may have (zone indices are int16 in the population store).
ZONE_LIMIT = int(np.iinfo(np.int16).max)
#: Most persons (residents plus seasonal residents) a run can hold: household ids are int32.
PERSON_LIMIT = int(np.iinfo(np.int32).max)
#: Memory per simulated person, bytes: peak RSS growth building the Päijät-Häme model
#: (317,424 persons) was 173 B/person on 2026-11-30 (``/tmp`` probe, see
#: docs/world-format.md); rounded up to leave room for the run's records.
BYTES_PER_PERSON = 200
#: Largest relative gap between an area's base-year total in ``population_history.csv``
#: and its ``residents.csv`` total (both count residents on 31.12 of the base year) ...
HISTORY_TOLERANCE = 0.05
#: ... unless the gap is at most this many persons (tiny areas).
HISTORY_TOLERANCE_PERSONS = 10


def physical_memory() -> int | None:
    """Return the physical memory in bytes, or None where the OS does not say."""
    try:
        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return None


def memory_problem(residents: int, seasonal: int, available: int | None = None) -> str | None:
    """Why a world of ``residents`` and ``seasonal`` persons cannot run here, or None.

    Parameters
    ----------
    residents, seasonal : int
        Permanent residents and seasonal residents (residences x users per residence).
    available : int, optional
        Bytes of memory; default: the machine's physical memory.

    Examples
    --------
    >>> memory_problem(3_500, 17_000, available=8 * 2**30) is None
    True
    >>> print(memory_problem(10**12, 0, available=8 * 2**30))  # doctest: +NORMALIZE_WHITESPACE
    the world has 1,000,000,000,000 persons (1,000,000,000,000 residents and 0 seasonal residents);
    a run holds at most 2,147,483,647 (int32 household ids) and would need about 200 TB
    of memory, more than the 8.59 GB here
    """
    persons = int(residents) + int(seasonal)
    need = persons * BYTES_PER_PERSON
    have = physical_memory() if available is None else available
    too_many = persons > PERSON_LIMIT
    too_big = have is not None and need > have
    if not (too_many or too_big):
        return None
    head = (
        f"the world has {persons:,} persons ({int(residents):,} residents and "
        f"{int(seasonal):,} seasonal residents); "
    )
    limit = f"a run holds at most {PERSON_LIMIT:,} (int32 household ids) and " if too_many else ""
    room = f", more than the {_bytes(have)} here" if have is not None else ""
    return f"{head}{limit}would need about {_bytes(need)} of memory{room}"


def _bytes(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n:.3g} {unit}"
        n /= 1000
    raise AssertionError("unreachable")  # pragma: no cover
