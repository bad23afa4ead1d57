"""CPU time of one run with its results: ``python docs/research/run_cpu_time.py WORLD YEARS N``.

Prints the minimum over ``N`` repetitions of the CPU time (and of the wall time) of
``model.run()`` plus ``run_dataset(model)``, the model built once per repetition.
Run it in two checkouts (before and after a change) alternately to compare them on a
shared machine; CPU time is far less disturbed by other processes than wall time.
Quoted in docs/explanation/zones-and-groups.md.
"""

from __future__ import annotations

import logging
import sys
import time

import servicesim
from scenarios.compose import prepare_run
from simulation.results import run_dataset


def main(world: str = "sysma", years: int = 10, repetitions: int = 8) -> tuple[float, float]:
    logging.getLogger("MESA").setLevel(logging.WARNING)
    run = prepare_run(servicesim.RunSpec(world=world, horizon_years=years))
    cpu, wall = float("inf"), float("inf")
    for _ in range(repetitions):
        model = run.model()
        c, w = time.process_time(), time.perf_counter()
        model.run()
        run_dataset(model)
        cpu, wall = min(cpu, time.process_time() - c), min(wall, time.perf_counter() - w)
    print(f"{world} {years} years: CPU {cpu:.3f} s, wall {wall:.3f} s (min of {repetitions})")
    return cpu, wall


if __name__ == "__main__":
    args = sys.argv[1:]
    main(
        args[0] if args else "sysma",
        int(args[1]) if len(args) > 1 else 10,
        int(args[2]) if len(args) > 2 else 8,
    )
