"""CPU cost of the zone and group records on a 10-year Sysmä run (with its results).

``PYTHONPATH=. python docs/research/zone_records_cost.py [repetitions]``

Alternates runs with the records switched off (``record_queue``, ``record_access`` and
``eligible_cells`` replaced by no-ops) and on, in one process, and prints the minimum CPU time of each and their ratio.
Quoted in docs/explanation/zones-and-groups.md.
"""

from __future__ import annotations

import logging
import sys
import time

import servicesim
from scenarios.compose import prepare_run
from simulation import zone_records
from simulation.results import run_dataset


def main(repetitions: int = 8) -> dict[str, float]:
    logging.getLogger("MESA").setLevel(logging.WARNING)
    records = zone_records.ZoneRecords
    real = (records.record_queue, records.record_access, zone_records.eligible_cells)
    run = prepare_run(servicesim.RunSpec(world="sysma", horizon_years=10))
    best = {"without": float("inf"), "with": float("inf")}
    try:
        for i in range(2 * repetitions):
            mode = "with" if i % 2 else "without"
            if mode == "with":
                records.record_queue, records.record_access, zone_records.eligible_cells = real
            else:
                records.record_queue = records.record_access = lambda *a, **k: None
                zone_records.eligible_cells = lambda *a, **k: None
            model = run.model()
            start = time.process_time()
            model.run()
            run_dataset(model)
            best[mode] = min(best[mode], time.process_time() - start)
    finally:
        records.record_queue, records.record_access, zone_records.eligible_cells = real
    print(
        f"without {best['without']:.3f} s, with {best['with']:.3f} s CPU (min of "
        f"{repetitions}); ratio {best['with'] / best['without']:.2f}"
    )
    return best


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8)
