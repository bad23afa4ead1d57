"""Writing results: a temporary file in the target folder, then an atomic rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import xarray as xr


def write_atomic(ds: xr.Dataset, target: Path) -> Path:
    """Write ``ds`` as NetCDF to ``target`` so that no half-written file is ever visible.

    The data go to a temporary file beside ``target`` that is renamed into place only
    when complete; on any error the temporary file is removed.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        ds.to_netcdf(tmp, engine="h5netcdf")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
