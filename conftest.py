"""Root pytest configuration: names available in every doctest."""

import numpy as np
import pytest
import xarray as xr


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace):
    doctest_namespace["np"] = np
    doctest_namespace["xr"] = xr
