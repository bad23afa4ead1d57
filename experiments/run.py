"""The ``servicesim`` command: one run of world x scenario x strategy x seed.

``main`` is the thin Hydra entry that validates the config, runs
:func:`experiments.compose.run_one`, writes ``results.nc`` atomically and prints a
summary; in a multirun each job goes through :func:`experiments.sweep.sweep_job`.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from experiments.compose import run_one
from experiments.output import write_atomic
from experiments.settings import ConfigError, settings_from_config
from experiments.summary import summary_table
from forecasting.errors import InputError
from scenarios.errors import ScenarioError, WorldFileError
from simulation.errors import SimulationError

__all__ = ["main", "run_one"]


@hydra.main(version_base="1.3", config_path="conf", config_name="config")
def main(cfg: DictConfig) -> float | None:
    """Validate the config, run once, write ``results.nc`` and print a summary.

    In a multirun, each job goes through :func:`experiments.sweep.sweep_job` instead,
    which records the job's status and returns its objective to the sweeper.
    """
    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    hydra_cfg = HydraConfig.get()
    out_dir = Path(hydra_cfg.runtime.output_dir)
    if hydra_cfg.mode == RunMode.MULTIRUN:
        from experiments.sweep import sweep_job

        return sweep_job(cfg, out_dir, Path(hydra_cfg.sweep.dir).resolve())
    try:
        settings = settings_from_config(cfg)
        target = out_dir / settings.results_file
        if target.exists():
            print(f"skipped: {target} already exists")
            return
        ds = run_one(settings)
    except (ConfigError, WorldFileError, ScenarioError, InputError, SimulationError) as exc:
        print(f"servicesim: error: {exc}", file=sys.stderr)
        sys.exit(2)
    write_atomic(ds, target)
    print(summary_table(ds))
    print(f"\nresults written to {target}")


if __name__ == "__main__":
    main()
