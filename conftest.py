"""Root pytest configuration: names available in every doctest."""

import numpy as np
import pytest
import xarray as xr

#: Research scripts under docs/ are run by hand (see docs/research/README.md), not collected.
collect_ignore_glob = ["docs/research/*"]


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace):
    doctest_namespace["np"] = np
    doctest_namespace["xr"] = xr
