"""Scale the seasonal residents of a cell table by a forecast factor."""

from __future__ import annotations

import numpy as np

from simulation.cells import CellTable
from simulation.synthesis import largest_remainder


def scale_seasonal(table: CellTable, factor: float) -> CellTable:
    """Seasonal residents times ``factor``; each cell keeps its per-person rates.

    The seasonal persons of all cells are rescaled to ``round(total * factor)`` by
    largest remainder (so one-person cells can change too); each cell's rate sums and
    eligible persons follow its own change in persons. Permanent cells are untouched.

    Parameters
    ----------
    table : CellTable
        Cells of one year (see :func:`simulation.cells.build_cells`).
    factor : float
        Seasonal residents of the year relative to the base year, >= 0.

    Returns
    -------
    CellTable
        A new table; ``table`` is not modified.

    Examples
    --------
    >>> from simulation.cells import CellTable
    >>> counts = np.array([[3, 2, 2]])  # one zone; group 0 permanent, 1-2 seasonal
    >>> t = CellTable(counts, counts[None] * 0.5, counts[None], np.array([0, 1, 1]), 1,
    ...               (counts[None] * 0.5).sum(-1), counts[None].sum(-1))
    >>> s = scale_seasonal(t, 0.5)
    >>> s.counts.tolist(), s.rate_sum.tolist()
    ([[3, 1, 1]], [[[1.5, 0.5, 0.5]]])
    """
    if factor < 0:
        raise ValueError(f"seasonal factor must be >= 0, got {factor}")
    p = table.n_permanent_groups
    old = table.counts[:, p:]
    if old.size == 0:
        return table
    new = largest_remainder(old.ravel() * float(factor), round(old.sum() * factor))
    new = new.reshape(old.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(old > 0, new / old, 0.0)
    counts = table.counts.copy()
    counts[:, p:] = new
    rate_sum = table.rate_sum.copy()
    rate_sum[:, :, p:] *= ratio[None]
    eligible = table.eligible.copy()
    eligible[:, :, p:] = np.rint(table.eligible[:, :, p:] * ratio[None]).astype(np.int64)
    return CellTable(
        counts,
        rate_sum,
        eligible,
        table.group_kind,
        p,
        rate_sum.sum(axis=-1),
        eligible.sum(axis=-1),
    )
