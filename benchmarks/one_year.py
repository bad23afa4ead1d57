"""One simulated year of a generated world: ``python benchmarks/one_year.py [scale] [rounds]``.

Prints the best of ``rounds`` (default 3) fresh runs of 12 months (presence, demand,
channels, choice, metrics, year-end demography) of ``finland_world(scale)`` (default
1/8, about 1 M persons), as person-months per second of wall time and of CPU time.
Run as a script, it times whichever ``simulation`` package is first on ``PYTHONPATH``,
so two versions of the code can be measured side by side in one session, e.g.
``git archive <commit> | tar -x -C /tmp/before`` then
``PYTHONPATH=/tmp/before python benchmarks/one_year.py`` and
``PYTHONPATH=. python benchmarks/one_year.py``.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import simulation
from benchmarks.worlds import ageing_path, finland_world
from simulation import ServiceModel


def main(scale: float = 1 / 8, rounds: int = 3) -> tuple[float, float]:
    """Return the best wall and CPU seconds of one simulated year over ``rounds`` runs."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
    world = finland_world(scale)
    best_wall, best_cpu, persons = float("inf"), float("inf"), 0
    for _ in range(rounds):
        model = ServiceModel(world, ageing_path(world, 1), 1, seed=1)
        persons = model.population.size
        wall, cpu = time.perf_counter(), time.process_time()
        model.run_for(12)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    code = Path(simulation.__file__).resolve().parents[1]
    print(
        f"{code}: {persons:,} persons, best of {rounds}: {best_wall:.3f} s wall, "
        f"{best_cpu:.3f} s CPU -> {persons * 12 / best_wall / 1e6:.1f} M person-months/s "
        f"wall, {persons * 12 / best_cpu / 1e6:.1f} M per CPU second"
    )
    return best_wall, best_cpu


if __name__ == "__main__":
    args = sys.argv[1:]
    main(float(args[0]) if args else 1 / 8, int(args[1]) if len(args) > 1 else 3)
