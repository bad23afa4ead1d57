"""Keep the number of seasonal residents on the forecast path.

Seasonal residents are persons of kind 1 in the columnar store, grouped into the
households that own a free-time residence. When the forecast stock of free-time
residences grows, whole households are copied (same cottage zone, ages and
attributes, a new household id); when it shrinks, whole households leave. The last
household added or removed may be split so that the count hits the target exactly.
"""

from __future__ import annotations

import numpy as np

from simulation.population import COLUMNS, Population

SEASONAL = 1


def follow_stock(pop: Population, target: int, rng: np.random.Generator) -> int:
    """Add or remove seasonal residents so that exactly ``target`` remain.

    Parameters
    ----------
    pop : Population
        The store; changed in place.
    target : int
        Number of seasonal residents wanted (>= 0).
    rng : numpy.random.Generator
        The run's ``seasonal_stock`` stream.

    Returns
    -------
    int
        Persons added (positive) or removed (negative).

    Examples
    --------
    >>> pop = Population()
    >>> _ = pop.add(4, kind=1, household=pop.new_households(2).repeat(2), age=30)
    >>> follow_stock(pop, 7, np.random.default_rng(0)), int((pop["kind"][pop.ids()] == 1).sum())
    (3, 7)
    >>> follow_stock(pop, 2, np.random.default_rng(0)), int((pop["kind"][pop.ids()] == 1).sum())
    (-5, 2)
    """
    if target < 0:
        raise ValueError(f"target must be >= 0, got {target}")
    ids = pop.ids()
    ids = ids[pop["kind"][ids] == SEASONAL]
    gap = target - ids.size
    if gap == 0:
        return 0
    if ids.size == 0:
        raise ValueError("cannot grow a seasonal population that has no households to copy")
    # Members in household order, households in a random order.
    members = ids[np.argsort(pop["household"][ids], kind="stable")]
    keys, starts, sizes = np.unique(
        pop["household"][members], return_index=True, return_counts=True
    )
    order = rng.permutation(keys.size)
    need = abs(gap)
    # Households in that order (repeated when growing past the whole stock), up to the
    # one that reaches ``need``; that last one is cut short.
    passes = -(-need // members.size)
    picked = np.tile(order, passes)
    picked = picked[: np.searchsorted(np.cumsum(sizes[picked]), need) + 1]
    block_of = np.repeat(np.arange(picked.size), sizes[picked])[:need]
    within = (
        np.arange(block_of.size)
        - np.repeat(np.cumsum(sizes[picked]) - sizes[picked], sizes[picked])[:need]
    )
    chosen = members[starts[picked][block_of] + within]
    if gap < 0:
        pop.remove(chosen)
        return gap
    # Copies: each copied block becomes a new household.
    new_ids = pop.new_households(picked.size)
    values = {
        name: pop[name][chosen].copy() for name in (c.name for c in COLUMNS) if name != "household"
    }
    pop.add(chosen.size, household=new_ids[block_of], **values)
    return gap
