"""Whole-country run: ``python -m benchmarks.country [years] [scale]``.

Builds Finland's 309 municipalities in memory (``benchmarks/worlds.py``), runs the full
model monthly and prints build time, run time (wall and CPU) and peak memory (resident set size of
this process, from ``resource.getrusage``).
"""

from __future__ import annotations

import logging
import resource
import sys
import time

from benchmarks.worlds import ageing_path, finland_world
from simulation import ServiceModel


def main(years: int = 20, scale: float = 1.0) -> dict[str, float]:
    logging.getLogger("MESA").setLevel(logging.WARNING)
    t0 = time.perf_counter()
    world = finland_world(scale)
    path = ageing_path(world, years)
    model = ServiceModel(world, path, years, seed=1)
    t1 = time.perf_counter()
    cpu1 = time.process_time()
    persons = model.population.size
    permanent = int((model.population["kind"][model.population.ids()] == 0).sum())
    model.run_for(12 * years)
    t2 = time.perf_counter()
    cpu = time.process_time() - cpu1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {
        "persons": persons,
        "permanent": permanent,
        "seasonal": persons - permanent,
        "build_s": t1 - t0,
        "run_s": t2 - t1,
        "run_cpu_s": cpu,
        "months": 12 * years,
        "peak_rss_mb": peak_mb,
        "person_months_per_s": persons * 12 * years / (t2 - t1),
    }
    print(
        f"country x{scale:g}: {permanent:,} permanent + {persons - permanent:,} seasonal "
        f"residents, {len(world.zones)} zones; build {out['build_s']:.1f} s, "
        f"{years} years monthly {out['run_s']:.1f} s wall, {cpu:.1f} s CPU "
        f"({out['person_months_per_s'] / 1e6:.1f} M person-months/s), "
        f"peak RSS {peak_mb:.0f} MB"
    )
    return out


if __name__ == "__main__":
    args = sys.argv[1:]
    main(int(args[0]) if args else 20, float(args[1]) if len(args) > 1 else 1.0)
