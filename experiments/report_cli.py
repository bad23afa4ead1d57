"""The ``servicesim-report SWEEP_DIR`` command: rebuild comparison.nc and the report."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from experiments.aggregate import find_runs, write_comparison_and_report
from experiments.i18n import LANGUAGES
from experiments.locks import FolderLock, RunFolderError
from experiments.runfolder import UnreadableFileError

#: As a sweep's log lines (Hydra's default format).
LOG_FORMAT = "[%(asctime)s][%(name)s][%(levelname)s] - %(message)s"


def show_progress() -> logging.Handler:
    """Print the ``servicesim`` loggers' INFO lines on stderr; return the handler added."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logger = logging.getLogger("servicesim")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler


def main(argv: list[str] | None = None) -> int:
    """Combine every ``results.nc`` under SWEEP_DIR and write the comparison and report.

    Progress (runs read, then the report) is logged on stderr as a sweep logs it.

    Returns
    -------
    int
        0 on success, 2 if SWEEP_DIR is not a folder, holds no results or a results
        file that cannot be read (named in the message), or a sweep is running there
        (it holds the sweep folder's lock; the message names it), or ``--language`` is
        not one of fi, sv, en (nothing is written then).
    """
    parser = argparse.ArgumentParser(
        prog="servicesim-report",
        description="Combine the runs of a sweep into comparison.nc and write report.html.",
    )
    parser.add_argument("sweep_dir", type=Path, help="folder of a servicesim multirun")
    parser.add_argument(
        "--language",
        choices=LANGUAGES,
        default=None,
        help=(
            "language of the report and comparison.xlsx "
            "(default: the world's, language in its world.yaml)"
        ),
    )
    args = parser.parse_args(argv)
    sweep_dir: Path = args.sweep_dir.expanduser().resolve()
    if not sweep_dir.is_dir():
        print(f"servicesim-report: error: {sweep_dir} is not a folder", file=sys.stderr)
        return 2
    runs = find_runs(sweep_dir)
    if not runs:
        print(f"servicesim-report: error: no results.nc under {sweep_dir}", file=sys.stderr)
        return 2
    logger = logging.getLogger("servicesim")
    level, handler = logger.level, show_progress()
    try:
        with FolderLock(sweep_dir, "sweep"):  # not while a sweep writes there
            comparison, report = write_comparison_and_report(sweep_dir, args.language)
    except RunFolderError as exc:
        print(f"servicesim-report: error: {exc}", file=sys.stderr)
        return 2
    except UnreadableFileError as exc:
        print(
            f"servicesim-report: error: {exc}; rerun the sweep's command: it moves "
            "unreadable results aside and computes those runs again",
            file=sys.stderr,
        )
        return 2
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    print(f"{len(runs)} runs combined into {comparison}\nreport: {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
