"""Hydra callback that guards the output folders before any job starts.

Configured in ``conf/hydra/default.yaml`` under ``hydra.callbacks.folders``, after the
sweep callback (whose checks write nothing). A single run's ``hydra.run.dir`` that
cannot be created ends in a clear error and exit status 2 instead of Hydra's
traceback; a multirun holds the sweep folder's lock
(:class:`experiments.locks.FolderLock`) from its start until the process ends, so a
second sweep into the same folder is refused at once, naming the one that runs.
Both hooks run in the driver process, whichever launcher runs the jobs.
"""

from __future__ import annotations

import atexit
import sys
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from experiments.locks import FolderLock, RunFolderError, make_folder


def _fail(exc: Exception) -> None:
    print(f"servicesim: error: {exc}", file=sys.stderr)
    print("servicesim: no run was started", file=sys.stderr)
    sys.exit(2)


class FolderCallback(Callback):
    """Create the run folder up front; hold the sweep folder's lock during a multirun."""

    def __init__(self) -> None:
        self.lock: FolderLock | None = None

    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Create ``hydra.run.dir`` or exit with status 2 naming it."""
        try:
            make_folder(Path(str(config.hydra.run.dir)), "run")
        except RunFolderError as exc:
            _fail(exc)

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Lock ``hydra.sweep.dir`` (creating it) or exit with status 2 naming the holder.

        The lock is held until the process ends (or the next multirun of this process
        starts): Hydra ends its callbacks in reverse order, so a release in
        ``on_multirun_end`` would come before the sweep callback writes the comparison.
        """
        if self.lock is not None:
            self.lock.release()
        try:
            self.lock = FolderLock(Path(str(config.hydra.sweep.dir)), "sweep").acquire()
        except RunFolderError as exc:
            _fail(exc)
        atexit.register(self.lock.release)
