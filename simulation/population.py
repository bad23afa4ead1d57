"""Columnar store of residents and seasonal residents.

Every person is a row across a fixed set of NumPy columns, declared once in
:data:`COLUMNS`. Adding persons extends every column together; removing marks rows
inactive; only :meth:`Population.compact` reorders rows. Rows are addressed by
integer index arrays (``ids``), never by Python objects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.errors import PopulationError
from simulation.types import BoolArray, IntArray


@dataclass(frozen=True)
class Column:
    """Declaration of one population column: name, dtype, meaning and default."""

    name: str
    dtype: type
    meaning: str
    default: int


COLUMNS: tuple[Column, ...] = (
    Column("age", np.uint8, "completed years, 100 = 100 and over", 0),
    Column("sex", np.int8, "index into SEXES (0 female, 1 male)", 0),
    Column("zone", np.int16, "index of home zone (permanent) or cottage zone (seasonal)", 0),
    Column("kind", np.int8, "index into KINDS (0 permanent, 1 seasonal)", 0),
    Column("profile", np.int8, "index into the profiles of the person's kind", 0),
    Column("household", np.int32, "household id, unique within the run", -1),
    Column("car", np.int8, "1 if the person's household has a car (travels by car)", 0),
    Column("digital", np.int8, "1 if digitally able (used the internet recently)", 0),
    Column("channel", np.int8, "preferred channel, index into CHANNELS", 0),
    Column("remote", np.int8, "1 if a seasonal resident working remotely from the cottage", 0),
)


class Population:
    """Residents as columns.

    Parameters
    ----------
    capacity : int, default 1024
        Initial number of rows allocated; grows geometrically.

    Examples
    --------
    >>> pop = Population()
    >>> ids = pop.add(3, age=[30, 31, 5], sex=[0, 1, 0], zone=[0, 0, 1])
    >>> pop.size, pop["age"][ids].tolist()
    (3, [30, 31, 5])
    >>> pop.remove(ids[:1]); pop.size
    2
    >>> pop.add(1, age=[300])
    Traceback (most recent call last):
    ...
    simulation.errors.PopulationError: column 'age': value 300 does not fit uint8
    """

    def __init__(self, capacity: int = 1024) -> None:
        self._n = 0
        self._cols = {c.name: np.full(capacity, c.default, dtype=c.dtype) for c in COLUMNS}
        self._active = np.zeros(capacity, dtype=bool)
        self._next_household = 0

    def __getitem__(self, name: str) -> np.ndarray:
        """View of a column over all rows in use (active and inactive)."""
        return self._cols[name][: self._n]

    @property
    def active(self) -> BoolArray:
        """Mask of active rows."""
        return self._active[: self._n]

    @property
    def size(self) -> int:
        """Number of active persons."""
        return int(np.count_nonzero(self.active))

    @property
    def rows(self) -> int:
        """Number of rows in use, active or not."""
        return self._n

    def new_households(self, n: int) -> IntArray:
        """Reserve ``n`` fresh household ids."""
        ids = np.arange(self._next_household, self._next_household + n, dtype=np.int32)
        self._next_household += n
        return ids

    def add(self, n: int, **values: np.ndarray | list[int] | int) -> IntArray:
        """Append ``n`` active persons; columns not given take their default.

        Returns
        -------
        ndarray of int
            Row ids of the new persons.
        """
        unknown = set(values) - set(self._cols)
        if unknown:
            raise PopulationError(f"unknown columns {sorted(unknown)}")
        self._reserve(self._n + n)
        rows = np.arange(self._n, self._n + n)
        for name, value in values.items():
            arr = np.broadcast_to(np.asarray(value), (n,))
            dtype = self._cols[name].dtype
            info = np.iinfo(dtype)
            if n and (arr.min() < info.min or arr.max() > info.max):
                bad = arr.max() if arr.max() > info.max else arr.min()
                raise PopulationError(f"column {name!r}: value {bad} does not fit {dtype.name}")
            self._cols[name][rows] = arr
        self._active[rows] = True
        self._n += n
        return rows

    def remove(self, ids: IntArray) -> None:
        """Mark persons inactive (death, out-migration); rows stay until compaction."""
        ids = np.asarray(ids)
        if ids.size and (ids.min() < 0 or ids.max() >= self._n):
            raise PopulationError(f"ids outside 0..{self._n - 1}")
        if ids.size and not self._active[ids].all():
            raise PopulationError("removing persons that are already inactive")
        self._active[ids] = False

    def compact(self) -> None:
        """Drop inactive rows; ids of remaining persons change (order is kept).

        Each column is compacted in place with one boolean selection (no index array,
        no new column); nothing is done when every row is active.
        """
        active = self.active
        n_keep = int(np.count_nonzero(active))
        if n_keep == self._n:
            return
        for c in COLUMNS:
            col = self._cols[c.name]
            col[:n_keep] = col[: self._n][active]
            col[n_keep : self._n] = c.default
        self._active[:n_keep] = True
        self._active[n_keep : self._n] = False
        self._n = n_keep

    def active_values(self, name: str) -> np.ndarray:
        """Values of column ``name`` for active persons, in row order.

        A view (no copy) when every row is active, as after :meth:`compact`; else a
        new array. Read only: writing into the result may or may not reach the store.

        Examples
        --------
        >>> pop = Population()
        >>> ids = pop.add(3, age=[30, 31, 5])
        >>> pop.remove(ids[1:2]); pop.active_values("age").tolist()
        [30, 5]
        """
        col = self._cols[name][: self._n]
        return col if self._n == self.size else col[self.active]

    def ids(self, mask: BoolArray | None = None) -> IntArray:
        """Row ids of active persons, optionally restricted by a mask over rows."""
        m = self.active if mask is None else self.active & mask
        return np.flatnonzero(m)

    def nbytes(self) -> int:
        """Bytes held by the columns (allocated capacity)."""
        return sum(c.nbytes for c in self._cols.values()) + self._active.nbytes

    def _reserve(self, needed: int) -> None:
        cap = self._active.size
        if needed <= cap:
            return
        new_cap = max(needed, int(cap * 1.5) + 1)
        for c in COLUMNS:
            grown = np.full(new_cap, c.default, dtype=c.dtype)
            grown[: self._n] = self._cols[c.name][: self._n]
            self._cols[c.name] = grown
        active = np.zeros(new_cap, dtype=bool)
        active[: self._n] = self._active[: self._n]
        self._active = active


def household_sizes(pop: Population, ids: IntArray) -> IntArray:
    """Count the active members of the household of each person in ``ids``.

    Examples
    --------
    >>> pop = Population()
    >>> ids = pop.add(3, household=[0, 0, 1])
    >>> household_sizes(pop, ids).tolist()
    [2, 2, 1]
    """
    hh = pop["household"]
    sizes = count_by(hh[pop.ids()].astype(np.int64), int(hh.max(initial=-1)) + 1)
    return sizes[hh[ids]]


def count_by(keys: IntArray, size: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Count (or sum ``weights``) over integer cell keys; the one aggregation helper.

    Examples
    --------
    >>> count_by(np.array([0, 2, 2]), 4).tolist()
    [1, 0, 2, 0]
    """
    return np.bincount(keys, weights=weights, minlength=size)[:size]
