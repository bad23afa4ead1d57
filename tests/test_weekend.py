"""Seasonal residents' weekend presence: fewer weekday visits outside the holiday months."""

import numpy as np
import pytest

from simulation import ServiceModel, SimulationParams
from simulation.params import ParameterError, Segment
from simulation.results import run_dataset
from tests.factories import drifting_path, small_world


def run(weekend_share, remote=0.0):
    world = small_world(n_zones=2, residents_per_cell=2, residences=400, capacity=1e6)
    seg = (
        Segment("all", "permanent"),
        Segment("leisure", "seasonal", remote_work_share=remote, weekend_share=weekend_share),
    )
    model = ServiceModel(
        world, drifting_path(world, 1), 1, seed=4, params=SimulationParams(segments=seg)
    )
    model.run()
    return run_dataset(model)


def seasonal_demand(ds, months):
    kind = ds["demand_kind"].sel(kind="seasonal", service="primary_health_care")
    return int(kind.isel(time=[m - 1 for m in months]).sum())


def test_weekend_presence_cuts_off_season_visits_only():
    even, weekends = run(2 / 7), run(0.9)
    off, summer = [1, 2, 3, 4, 5, 9, 10, 11, 12], [6, 7, 8]
    # presence itself is unchanged (same draws): only weekday service use falls
    assert (even["population"] == weekends["population"]).all()
    ratio = seasonal_demand(weekends, off) / seasonal_demand(even, off)
    assert abs(ratio - 0.1 * 7 / 5) < 0.05  # expected 0.14
    s_even, s_weekends = seasonal_demand(even, summer), seasonal_demand(weekends, summer)
    assert abs(s_weekends - s_even) < 4 * np.sqrt(s_even)  # holiday months: factor 1
    assert (weekends["demand"] == weekends["served"] + weekends["unmet"]).all()


def test_remote_workers_keep_their_weekday_visits():
    # Everyone of working age works remotely: their visits are not cut.
    remote = run(0.9, remote=1.0)
    base = run(2 / 7, remote=1.0)
    off = [1, 2, 3, 4, 5, 9, 10, 11, 12]
    assert seasonal_demand(remote, off) > 0.3 * seasonal_demand(base, off)


def test_weekday_factors_by_month():
    seg = Segment("leisure", "seasonal", weekend_share=0.6)
    f = seg.weekday_factors()
    assert np.allclose(f[[5, 6, 7]], 1.0) and np.allclose(np.delete(f, [5, 6, 7]), 0.56)
    assert (Segment("all", "permanent", weekend_share=0.9).weekday_factors() == 1.0).all()


@pytest.mark.parametrize("kwargs", [{"weekend_share": 1.5}, {"holiday_months": (0, 7)}])
def test_bad_weekend_parameters_are_named(kwargs):
    with pytest.raises(ParameterError, match="segment 'leisure'"):
        Segment("leisure", "seasonal", **kwargs)
