"""Writing files: a temporary file in the target folder, then an atomic rename.

Every file the experiments write goes through :func:`write_atomic` (NetCDF),
:func:`write_bytes_atomic` (text, figures, records) or :func:`write_via` (any
writer): readers never see a half-written file, and the file gets the permissions the
user's umask gives a new file (0644 under the usual umask 022), not the 0600 of
:func:`tempfile.mkstemp`, so colleagues sharing a results folder can read it.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import xarray as xr

_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """Return the process's umask (e.g. ``0o022``) without changing it.

    Examples
    --------
    >>> 0 <= current_umask() <= 0o777
    True
    """
    with _UMASK_LOCK:  # os.umask can only be read by setting it: restore at once
        mask = os.umask(0o077)
        os.umask(mask)
    return mask


def file_mode() -> int:
    """Permissions of a new file under the current umask (``0o666 & ~umask``).

    Examples
    --------
    >>> old = os.umask(0o022)
    >>> oct(file_mode())
    '0o644'
    >>> _ = os.umask(old)
    """
    return 0o666 & ~current_umask()


def write_via(target: Path, write: Callable[[str], None]) -> Path:
    """Create ``target`` atomically through a temporary sibling that ``write(path)`` fills.

    The temporary file's name ends in ``.tmp``, so writers that pick a format from the
    file name need it given (``fig.savefig(tmp, format="png")``). The file's mode
    follows the umask (:func:`file_mode`); on any error it is removed.

    Returns
    -------
    Path
        ``target``.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, file_mode())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_atomic(ds: xr.Dataset, target: Path) -> Path:
    """Write ``ds`` as NetCDF to ``target`` so that no half-written file is ever visible.

    The data go to a temporary file beside ``target`` that is renamed into place only
    when complete; on any error the temporary file is removed. The file's mode follows
    the umask (:func:`file_mode`).

    Returns
    -------
    Path
        ``target``.
    """
    ds = without_text_widths(ds)
    return write_via(target, lambda tmp: ds.to_netcdf(tmp, engine="h5netcdf"))


def without_text_widths(ds: xr.Dataset) -> xr.Dataset:
    """Return ``ds`` without the fixed text widths its variables inherited from files.

    A label read from a file keeps its width as ``encoding["dtype"]`` (``<U24``) through
    ``concat`` and ``merge``, and ``to_netcdf`` would cut longer labels joined later to
    that width: a sweep whose strategies declare facilities with longer ids wrote
    ``candidate_primary_health`` for eight different facilities.
    """
    out = ds.copy(deep=False)
    for var in out.variables.values():
        width = var.encoding.get("dtype")
        if width is not None and np.dtype(width).kind in "US":
            var.encoding = {k: v for k, v in var.encoding.items() if k != "dtype"}
    return out


def write_bytes_atomic(data: bytes | str, target: Path) -> Path:
    """Write ``data`` (text is UTF-8 encoded) to ``target`` atomically, mode from the umask.

    Returns
    -------
    Path
        ``target``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_bytes_atomic("done", folder / "status.txt").read_text()
    'done'
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return write_via(target, lambda tmp: Path(tmp).write_bytes(raw))
