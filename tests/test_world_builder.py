"""The world builder: exact municipal totals, 2022 zone shares, area lookup, README."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.worlds.build import BuildError, BuildOptions, build_world, load_sources
from scenarios.worlds.build.areas import area_table, resolve_area
from scenarios.worlds.build.residents import age_forward, expand_bands, synthesise_municipality
from scenarios.worlds.build.sources import BAND_COLUMNS

#: Rural, city, capital, single-zone Åland town, Swedish-named, a municipality with a
#: zone whose bands are suppressed in 2017 (Sysmä 19730) and one merged in 2021.
SAMPLE = ("781", "297", "091", "478", "599", "005", "214")


@pytest.fixture(scope="module")
def sources():
    return load_sources()


@pytest.mark.parametrize("code", SAMPLE)
def test_totals_are_the_municipal_totals_and_zone_shares_the_2022_shares(sources, code):
    area = resolve_area([code], None, sources)
    world = build_world(area, sources, BuildOptions())
    p = sources.municipal_population
    total = int(p.population[(p.municipality_code == code) & (p.year == sources.base_year)].iloc[0])
    assert int(world.residents.sum()) == total
    zones = area_table(area, sources)
    paavo = zones.population_2022.to_numpy(float)
    target = total * paavo / paavo.sum()
    per_zone = world.residents.sum(axis=(1, 2))
    assert np.all(np.abs(per_zone - target) < 1.0)  # largest remainder: within rounding
    count = sources.municipalities.set_index("municipality_code").free_time_residences[code]
    assert int(world.residences.sum()) == int(count)
    assert (world.residents >= 0).all()


def test_a_region_world_is_exact_per_municipality(sources):
    area = resolve_area([], "Päijät-Häme", sources)
    world = build_world(area, sources, BuildOptions())
    assert len(area.codes) == 10 and area.rates_region == 7
    p = sources.municipal_population
    last = p[p.year == sources.base_year].set_index("municipality_code").population
    areas = world.zones.area_id.to_numpy()
    for code in area.codes:
        assert int(world.residents[areas == code].sum()) == int(last[code])


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("781", "781"),
        ("SYSMÄ", "781"),
        ("sysma", "781"),
        ("Helsingfors", "091"),
        ("ÅBO", "853"),
        ("Pedersöre", "599"),
        ("Mariehamn", "478"),
        ("5", "005"),
    ],
)
def test_municipalities_by_code_or_finnish_or_swedish_name_in_any_case(sources, query, code):
    assert resolve_area([query], None, sources).codes == (code,)


def test_several_municipalities_and_the_rates_region_of_the_largest(sources):
    area = resolve_area(["Sysmä,Luhanka", "Hartola"], None, sources)
    assert area.codes == ("081", "435", "781")
    assert area.rates_region == 7  # Sysmä (Päijät-Häme) is the most populous, not Luhanka (13)


def test_an_unknown_municipality_suggests_the_closest_names(sources):
    with pytest.raises(BuildError) as err:
        resolve_area(["Sysmaa", "Kuopo"], "99", sources)
    text = str(err.value)
    assert "'Sysmaa'; closest names: Sysmä" in text
    assert "'Kuopo'; closest names: Kuopio" in text
    assert "unknown region '99'" in text


def test_ageing_keeps_people_when_the_region_does_not_change():
    region = np.full((2, 101), 10.0)
    seed = expand_bands(np.full((1, 20), 5.0), region)
    aged = age_forward(seed, region, region, 6)
    assert aged.shape == (1, 2, 101)
    assert np.allclose(aged[0, :, 6:100], seed[0, :, :94])
    assert (aged >= 0).all()


def test_the_readme_names_every_source_licence_and_estimate(sources):
    world = build_world(resolve_area(["781"], None, sources), sources, BuildOptions())
    for text in (
        "CC BY 4.0",
        "11re",
        "116j",
        "Paavo",
        "MIT",
        "BSD-2-Clause",
        "GPL-3.0",
        "Apache-2.0",
        "EUPL-1.2",
        "**estimate**",
        "PLACEHOLDER NETWORK",
    ):
        assert text in world.readme, text


@settings(max_examples=60, deadline=None)
@given(
    total=st.integers(0, 200_000),
    pop22=st.lists(st.integers(0, 20_000), min_size=1, max_size=12),
    suppressed=st.lists(st.booleans(), min_size=12, max_size=12),
    seed=st.integers(0, 2**32 - 1),
)
def test_synthesis_conserves_the_municipal_total_exactly(total, pop22, suppressed, seed):
    """Any zone data: the integer residents sum to the total, zone by zone within 1 of share."""
    rng = np.random.default_rng(seed)
    n = len(pop22)
    bands = rng.integers(0, 500, size=(n, len(BAND_COLUMNS))).astype(float)
    bands[np.array(suppressed[:n])] = np.nan
    zones = pd.DataFrame(bands, columns=list(BAND_COLUMNS))
    zones["population_2022"] = pop22
    zones["population_2017"] = np.nan_to_num(bands).sum(axis=1)
    region = rng.integers(1, 5000, size=(2, 101)).astype(float)
    residents, _ = synthesise_municipality(zones, total, region, region * 1.01, 6)
    assert residents.sum() == total and (residents >= 0).all()
    if sum(pop22) > 0:
        target = total * np.array(pop22) / sum(pop22)
        assert np.all(np.abs(residents.sum(axis=(1, 2)) - target) < 1.0)
