"""The ``servicesim`` command: one run of world x scenario x strategy x seed.

A thin layer: the composed config becomes a :class:`scenarios.spec.RunSpec`, the
spec is run (:func:`scenarios.compose.run`), ``results.nc`` is written atomically
with the spec in its attributes, and a summary is printed. In a multirun each job
goes through :func:`experiments.sweep.sweep_job`, the engine ``servicesim.sweep``
uses too. Every input error ends with exit status 2 and a message, never a
traceback, and nothing written.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import OverrideParseException
from hydra.types import RunMode
from omegaconf import DictConfig

from experiments.runfolder import RunFolderError, hydra_files, run_in_folder
from experiments.settings import (
    ConfigError,
    config_dir,
    report_language,
    results_file,
    spec_from_config,
)
from experiments.summary import summary_table
from forecasting.errors import ForecastingError
from scenarios.compose import run
from scenarios.errors import ScenarioError, WorldFileError
from simulation.errors import SimulationError

__all__ = ["INPUT_ERRORS", "check_groups", "main"]

#: Errors caused by the input (options, world files, scenario, rate tables): exit 2.
INPUT_ERRORS = (ConfigError, WorldFileError, ScenarioError, ForecastingError, SimulationError)
#: Config groups a plain ``GROUP=NAME`` override picks a file of.
GROUPS = ("world", "scenario", "strategy", "forecast", "simulation", "costs", "sweep")


def fail(message: str) -> None:
    """Print ``servicesim: error: MESSAGE`` on stderr and exit with status 2."""
    print(f"servicesim: error: {message}", file=sys.stderr)
    sys.exit(2)


def _search_path(parsed: list) -> list[Path]:
    """Config folders added by ``hydra.searchpath=[file://DIR, ...]`` (other schemes skipped)."""
    folders = []
    for override in parsed:
        if override.get_key_element() == "hydra.searchpath" and not override.is_delete():
            value = override.value()
            for entry in value if isinstance(value, list) else [value]:
                if isinstance(entry, str) and entry.startswith("file://"):
                    folders.append(Path(entry.removeprefix("file://")))
    return folders


def check_groups(args: list[str]) -> list[str]:
    """Problems with ``GROUP=NAME`` overrides that name no shipped config of the group.

    Examples
    --------
    >>> check_groups(["strategy=reactive", "seed=1"])
    []
    >>> check_groups(["world=atlantis"])
    ["world='atlantis': allowed values are ['paijat_hame', 'sysma']"]

    A config folder on ``hydra.searchpath`` adds its files to the allowed names:

    >>> import tempfile
    >>> conf = Path(tempfile.mkdtemp())
    >>> (conf / "scenario").mkdir()
    >>> _ = (conf / "scenario" / "mine.yaml").write_text("name: mine")
    >>> check_groups([f"hydra.searchpath=[file://{conf}]", "scenario=mine"])
    []
    """
    overrides = [a for a in args if "=" in a and not a.startswith("-")]
    try:
        parsed = OverridesParser.create().parse_overrides(overrides)
    except OverrideParseException:
        return []  # Hydra reports the syntax error itself
    problems = []
    folders = _search_path(parsed)
    for override in parsed:
        key = override.get_key_element()
        if key not in GROUPS or override.is_sweep_override() or override.is_delete():
            continue
        found = [config_dir(key), *(folder / key for folder in folders)]
        allowed = sorted({p.stem for folder in found for p in folder.glob("*.yaml")})
        value = override.get_value_element_as_str()
        if value not in allowed:
            problems.append(f"{key}={value!r}: allowed values are {allowed}")
    return problems


def main() -> None:
    """Entry point of ``servicesim``: check the group overrides, then start the Hydra app.

    A multirun (``-m``) checks every run in its start callback
    (:class:`experiments.callbacks.SweepCallback`) instead.
    """
    args = sys.argv[1:]
    if not {"-m", "--multirun"} & set(args):
        problems = check_groups(args)
        if problems:
            fail("; ".join(problems))
    app()


@hydra.main(version_base="1.3", config_path="conf", config_name="config")
def app(cfg: DictConfig) -> float | None:
    """Run once from the composed config, write ``results.nc`` and print a summary.

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
        report_language(cfg)  # used only by a multirun's report, but checked here too
        spec = spec_from_config(cfg)
        target = out_dir / results_file(cfg)
        # locked folder; results of another config refused, unreadable ones moved aside
        files = hydra_files(cfg)
        ds, status = run_in_folder(target, spec.to_mapping(), lambda: run(spec), files)
        if status == "skipped":
            print(f"skipped: {target} already exists")
            return None
    except (*INPUT_ERRORS, RunFolderError) as exc:
        fail(str(exc))
    print(summary_table(ds))
    print(f"\nresults written to {target}")
    return None


if __name__ == "__main__":
    main()
