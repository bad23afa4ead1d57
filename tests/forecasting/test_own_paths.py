"""Sample paths of an area's own schedules (forecasting.own_paths) on the synthetic country."""

from __future__ import annotations

import numpy as np
import pytest

from forecasting.cohort import project
from forecasting.errors import CalibrationError
from forecasting.own_paths import own_series, simulate_own_rates
from forecasting.own_rates import own_rates
from forecasting.population_inputs import read_population
from forecasting.synthetic import country
from forecasting.vital_inputs import births_array, births_table, deaths_array, deaths_table

AREA = "Lake Side"
LAUNCH = 2010
YEARS = np.arange(LAUNCH + 1, LAUNCH + 11)


@pytest.fixture(scope="module")
def lake_side():
    pop, births, deaths = country()
    history = read_population(pop, "area").sel(area=AREA, year=slice(None, LAUNCH))
    b = births_array(births_table(births, "area")[1], by_sex=True).sel(area=AREA, drop=True)
    d = deaths_array(deaths_table(deaths, "area")[1]).sel(area=AREA, drop=True)
    rates = own_rates(AREA, history, b, d, YEARS, base_period=15)
    return history, b, d, rates


def _paths(lake_side, seed, n=40):
    history, b, d, rates = lake_side
    return simulate_own_rates(rates, history, b, d, n, np.random.default_rng(seed), 1990)


def test_series_follow_the_generating_process(lake_side):
    history, b, d, rates = lake_side
    tfr, level, years = own_series(history, b.sum("sex"), d, 1990, 1.05)
    assert years == list(range(1990, LAUNCH + 1))
    # the generator's TFR falls by 0.01 a year from 1.9 in 1975; Lake Side has level 0
    np.testing.assert_allclose(tfr, 1.9 - 0.01 * (np.array(years) - 1975), atol=0.03)
    assert np.abs(level).max() < 0.003


def test_samples_differ_and_their_median_is_the_deterministic_path(lake_side):
    history, _, _, rates = lake_side
    paths = _paths(lake_side, seed=1)
    assert paths.sizes["sample"] == 40
    base = history.sel(year=LAUNCH).expand_dims(area=[AREA])
    det = project(base, rates, YEARS)["population"].isel(sample=0).sum(("sex", "age"))
    sto = project(base, paths, YEARS)["population"].sum(("sex", "age"))
    end = sto.sel(year=YEARS[-1], area=AREA)
    assert float(end.std()) > 0  # the samples differ
    assert len(np.unique(end.values)) == 40
    median = float(end.median())
    assert median == pytest.approx(float(det.sel(year=YEARS[-1], area=AREA)), rel=0.01)
    # each sample's rates moved: TFR, mortality and migration
    for name in ("fertility_rate", "death_probability", "net_migration_rate"):
        values = paths[name].values
        assert np.ptp(values, axis=0).max() > 0, name
    assert float(paths["death_probability"].max()) <= 1.0
    assert np.all(paths["tfr"].values > 0)


def test_same_seed_same_paths_other_seed_other_paths(lake_side):
    first, again, other = (_paths(lake_side, seed) for seed in (7, 7, 8))
    for name in ("fertility_rate", "death_probability", "net_migration_rate"):
        np.testing.assert_array_equal(first[name].values, again[name].values)
        assert not np.array_equal(first[name].values, other[name].values)


def test_too_short_a_history_is_refused_with_a_clear_message(lake_side):
    history, b, d, rates = lake_side
    with pytest.raises(CalibrationError, match="at least 8 years.*forecast.method=deterministic"):
        simulate_own_rates(rates, history, b, d, 5, np.random.default_rng(0), fit_start=2005)
