"""Jump-off migration: the first years follow the recent change, then the base period's."""

from __future__ import annotations

import numpy as np
import pytest

from forecasting import ProjectionError, assume_rates, project


def _first_changes(tables, sysma, **kwargs):
    base, history, years = sysma
    rates = assume_rates(tables, 7, ["781"], history, base, years, **kwargs)
    out = project(base, rates, years)["population"].isel(sample=0, area=0).sum(("sex", "age"))
    return rates, np.diff(out.values)


def test_first_year_change_is_the_recent_mean_change(tables, sysma):
    _, history, _ = sysma
    series = history.set_index("year")["population"].astype(float)
    rates, changes = _first_changes(tables, sysma, base_period=15, recent_period=3)
    recent = (series[2023] - series[2020]) / 3
    base_mean = (series[2023] - series[2008]) / 15
    assert changes[0] == pytest.approx(recent, abs=0.5)
    assert rates.attrs["recent_period"] == 3 and rates.attrs["recent_damping"] == 0.5
    _, plain = _first_changes(tables, sysma, base_period=15)
    assert plain[0] == pytest.approx(base_mean, abs=0.5)
    # the level moves back toward the base period's: half the gap is left a year later
    level = rates["net_migration_rate"].isel(sample=0, area=0, sex=0, age=50).values
    steps = -np.diff(level)  # (L1 - L) * 0.5**t * 0.5
    assert steps[1] == pytest.approx(0.5 * steps[0], rel=1e-9)
    assert abs(steps[-1]) < 1e-5 * abs(steps[0])


def test_bad_jump_off_values_are_refused(tables, sysma):
    base, history, years = sysma
    with pytest.raises(ProjectionError, match="recent_damping"):
        assume_rates(tables, 7, ["781"], history, base, years, recent_period=3, recent_damping=2)
    with pytest.raises(ProjectionError, match="recent_period"):
        assume_rates(tables, 7, ["781"], history, base, years, recent_period=0)


def test_decayed_weights_favour_the_latest_years(tables, sysma):
    _, history, _ = sysma
    series = history.set_index("year")["population"].astype(float)
    yearly = np.diff(series.loc[2018:2023].to_numpy())  # 2019 ... 2023
    weights = 0.5 ** np.arange(5)[::-1]
    expected = yearly @ weights / weights.sum()
    rates, changes = _first_changes(tables, sysma, base_period=15, recent_period=5,
                                    recent_decay=0.5)  # fmt: skip
    assert changes[0] == pytest.approx(expected, abs=0.5)
    assert rates.attrs["recent_decay"] == 0.5
    assert abs(expected - yearly.mean()) > 2  # the weights matter for Sysmä's history
    _, mean = _first_changes(tables, sysma, base_period=15, recent_period=5, recent_decay=1.0)
    assert mean[0] == pytest.approx(yearly.mean(), abs=0.5)
