"""Labels joined from several files keep their full text when written again."""

from __future__ import annotations

import numpy as np
import xarray as xr

from experiments.output import write_atomic


def test_longer_labels_joined_to_a_file_read_are_not_cut(tmp_path):
    short = xr.Dataset(
        {"x": ("facility", [1.0, 2.0])}, coords={"facility": ["sysma_library", "school"]}
    )
    short.to_netcdf(tmp_path / "a.nc", engine="h5netcdf")
    read = xr.open_dataset(tmp_path / "a.nc", engine="h5netcdf").load()
    assert np.dtype(read["facility"].encoding["dtype"]).itemsize > 0  # the width is kept
    ids = ["candidate_primary_health_care_19230", "candidate_primary_health_care_19310"]
    longer = xr.Dataset({"x": ("facility", [3.0, 4.0])}, coords={"facility": ids})
    joined = xr.concat([read, longer], dim="run", join="outer")
    write_atomic(joined, tmp_path / "joined.nc")
    back = xr.open_dataset(tmp_path / "joined.nc", engine="h5netcdf")
    assert sorted(back["facility"].values) == sorted(["school", "sysma_library", *ids])
    assert "dtype" in read["facility"].encoding  # the caller's dataset is left as it was
