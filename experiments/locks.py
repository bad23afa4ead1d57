"""Folder locks: at most one writer in a run folder or a sweep folder at a time.

A lock is a small file in the folder (``.servicesim-run.lock``,
``.servicesim-sweep.lock``) held with an exclusive ``flock`` while the run or sweep
writes there; it records the holder's pid, host and start time so that whoever is
turned away learns who holds it. The operating system drops a ``flock`` when its
holder dies, however it dies, so a lock left by a killed process is stale by
construction: the next writer takes it over and says so (:attr:`FolderLock.recovered`).
A clean release removes the file. ``flock`` works on local file systems and, on Linux,
on NFS (emulated with byte-range locks).

Hand-written rather than taken from ``filelock``: that library truncates the lock file
when it tries the lock, which would erase the holder's pid and host that the message
names.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import socket
import sys
import time
from pathlib import Path
from types import TracebackType

from experiments.output import file_mode

log = logging.getLogger("servicesim.folders")

LOCK_FILES = {"run": ".servicesim-run.lock", "sweep": ".servicesim-sweep.lock"}
FOLDER_OPTIONS = {"run": "hydra.run.dir", "sweep": "hydra.sweep.dir"}


class RunFolderError(ValueError):
    """A run or sweep folder cannot be used: busy, unwritable or holding other results."""


class FolderBusyError(RunFolderError):
    """Another process holds the folder's lock."""


def make_folder(folder: Path, kind: str = "run") -> Path:
    """Create ``folder`` (and its parents) or raise a :class:`RunFolderError` naming it.

    Examples
    --------
    >>> make_folder(Path("/dev/null/x"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    experiments.locks.RunFolderError: cannot create the run folder /dev/null/x ...
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise RunFolderError(
            f"cannot create the {kind} folder {folder} ({FOLDER_OPTIONS[kind]}): {reason}"
        ) from None
    return folder


def _holder_text(holder: dict) -> str:
    if not holder:
        return "holder unknown"
    since = holder.get("since", "?")
    return f"pid {holder.get('pid', '?')} on {holder.get('host', '?')}, since {since}"


def _read_holder(fd: int) -> dict:
    os.lseek(fd, 0, os.SEEK_SET)
    raw = os.read(fd, 4096)
    try:
        holder = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except ValueError:
        return {}
    return holder if isinstance(holder, dict) else {}


def _wait_for_holder(fd: int, seconds: float = 1.0) -> dict:
    """Read the holder's record, waiting up to ``seconds`` for it to be written.

    A holder takes the lock first and writes its record just after; one turned away
    in between waits for the record, so that the message names the holder.
    """
    deadline = time.monotonic() + seconds
    holder = _read_holder(fd)
    while not holder and time.monotonic() < deadline:
        time.sleep(0.02)
        holder = _read_holder(fd)
    return holder


class FolderLock:
    """Exclusive lock of one run or sweep folder (a context manager).

    Parameters
    ----------
    folder : Path
        The folder to lock; created if missing.
    kind : {"run", "sweep"}
        Which lock (a sweep folder's lock does not block its run folders' locks).

    Attributes
    ----------
    recovered : dict or None
        The previous holder (pid, host, since) when its lock was stale.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with FolderLock(folder) as lock:
    ...     FolderLock(folder).acquire()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    experiments.locks.FolderBusyError: ...
    >>> with FolderLock(folder):  # released: free again
    ...     pass
    """

    def __init__(self, folder: Path, kind: str = "run") -> None:
        if kind not in LOCK_FILES:
            raise ValueError(f"kind={kind!r}: must be one of {sorted(LOCK_FILES)}")
        self.folder = Path(folder)
        self.kind = kind
        self.path = self.folder / LOCK_FILES[kind]
        self.recovered: dict | None = None
        self._fd: int | None = None

    def acquire(self) -> FolderLock:
        """Take the lock at once or raise :class:`FolderBusyError` naming the holder.

        Raises
        ------
        FolderBusyError
            If another process holds it.
        RunFolderError
            If the folder cannot be created or the lock file not written.
        """
        make_folder(self.folder, self.kind)
        while self._fd is None:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, file_mode())
            except OSError as exc:
                raise RunFolderError(
                    f"cannot lock the {self.kind} folder {self.folder}: {exc.strerror or exc}"
                ) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                holder = _wait_for_holder(fd)
                os.close(fd)
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
                raise FolderBusyError(
                    f"the {self.kind} folder {self.folder} is in use by another servicesim "
                    f"({_holder_text(holder)}); wait until it ends, or choose another "
                    f"folder with {FOLDER_OPTIONS[self.kind]}=..."
                ) from None
            if self._same_file(fd):
                self._take(fd)
            else:  # a releasing holder removed the file we opened: try the new one
                os.close(fd)
        return self

    def _same_file(self, fd: int) -> bool:
        try:
            on_disk = os.stat(self.path)
        except FileNotFoundError:
            return False
        mine = os.fstat(fd)
        return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)

    def _take(self, fd: int) -> None:
        previous = _read_holder(fd)
        if previous:  # a clean release removes the file: its holder died
            self.recovered = previous
            log.warning(
                "%s: took over the stale lock of a servicesim that ended without releasing it (%s)",
                self.folder,
                _holder_text(previous),
            )
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "command": " ".join(sys.argv)[:500],
        }
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(holder).encode("utf-8"))
        self._fd = fd

    @property
    def held(self) -> bool:
        """Whether this object holds the lock now."""
        return self._fd is not None

    def release(self) -> None:
        """Remove the lock file and drop the lock (no-op when not held)."""
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)  # while still held: no one else has it
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
