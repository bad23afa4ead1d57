"""tools/build_world_data.py: its checks, and it rebuilds the shipped data byte for byte."""

from __future__ import annotations

import gzip

import build_world_data as bwd
import numpy as np
import pandas as pd
import pytest

from scenarios.worlds.build import load_sources
from tests.tools.conftest import REPO

SHIPPED = REPO / "scenarios" / "worlds" / "data"


def _bands(code: str, year: int, values: list[float | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {"postal_code": code, "year": year, "age_from": [0, 3], "population": values}
    )


def test_latest_bands_take_the_latest_unsuppressed_year():
    bands = pd.concat(
        [
            _bands("00100", 2016, [1.0, 2.0]),
            _bands("00100", 2017, [3.0, 4.0]),
            _bands("19730", 2014, [5.0, 6.0]),
            _bands("19730", 2017, [None, None]),
        ]
    )
    wide = bwd.latest_bands(bands)
    assert wide.loc["00100"].tolist() == [2017, 3.0, 4.0]
    assert wide.loc["19730"].tolist() == [2014, 5.0, 6.0]


def test_region_lists_that_disagree_with_the_totals_are_refused():
    totals = pd.DataFrame({"municipality_code": ["001", "002"], "year": 2000, "population": [5, 7]})
    regional = pd.DataFrame({"region_code": [1, 2], "year": 2000, "population": [5, 7]})
    tables = {"totals": totals, "regional": regional}
    bwd.check_regions(tables, {"001": 1, "002": 2})
    with pytest.raises(ValueError, match="disagree"):
        bwd.check_regions(tables, {"001": 1, "002": 1})


def test_gzip_output_is_byte_identical(tmp_path):
    a, b = tmp_path / "a.gz", tmp_path / "b.gz"
    bwd._gz(a, "x,y\n1,2\n")
    bwd._gz(b, "x,y\n1,2\n")
    assert a.read_bytes() == b.read_bytes()
    assert gzip.decompress(a.read_bytes()).decode() == "x,y\n1,2\n"


def test_the_shipped_data_cover_every_municipality_and_region():
    s = load_sources()
    assert len(s.municipalities) == 309
    assert set(s.postal_areas.municipality_code) == set(s.municipalities.municipality_code)
    assert set(s.municipalities.region_code) == set(s.regions.region_code)
    last = s.municipal_population[s.municipal_population.year == s.base_year]
    for region in s.regions.region_code:
        members = s.municipalities.municipality_code[s.municipalities.region_code == region]
        summed = last.population[last.municipality_code.isin(members)].sum()
        assert summed == s.region_age_sex[int(region), s.base_year].sum()
    assert np.isclose(s.postal_areas.area_km2.sum(), 337_454, rtol=1e-3)


def test_rebuilt_world_data_equal_the_shipped_files(shared, tmp_path, capsys):
    bwd.main(["--shared", str(shared), "--out", str(tmp_path)])
    built = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    shipped = {p.name for p in SHIPPED.iterdir() if p.is_file()}
    assert set(built) <= shipped
    for name in built:
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes(), name
    assert "'municipalities': 309" in capsys.readouterr().out
