"""The seasonal use-rate sensitivity command."""

import numpy as np

from experiments.seasonal_sensitivity import main, scaled_world
from scenarios.worlds.loader import embedded_world_path, load_world


def test_scaled_world_scales_only_the_seasonal_rates():
    world = load_world(embedded_world_path("sysma"))
    twice = scaled_world(world, 2.0)
    for a, b in zip(world.services, twice.services, strict=True):
        assert np.array_equal(a.rate[0], b.rate[0])
        assert np.allclose(b.rate[1], 2 * a.rate[1])
    assert all((s.rate[1] == 0).all() for s in scaled_world(world, 0.0).services)


def test_bad_multipliers_are_refused(capsys):
    assert main(["--multipliers", "1,-2"]) == 2
    assert "--multipliers='1,-2'" in capsys.readouterr().err


def test_one_short_run_prints_a_row_per_service(capsys):
    assert main(["--multipliers", "0,1", "horizon_years=1"]) == 0
    out = capsys.readouterr().out
    assert out.count("primary_health_care") == 2 and "feasible" in out


def test_the_totals_are_written_for_the_report_with_the_run_they_belong_to(tmp_path, capsys):
    import pandas as pd

    target = tmp_path / "seasonal_sensitivity.csv"
    assert main(["--multipliers", "0,2", "--csv", str(target), "horizon_years=1"]) == 0
    table = pd.read_csv(target)
    assert list(table["seasonal x"]) == [0.0, 2.0]
    assert set(table["scenario"]) == {"status_quo"} and set(table["seed"]) == {0}
    assert table["npv_cost_eur"].iloc[1] > table["npv_cost_eur"].iloc[0]  # more use costs more
    assert (table["NPV of cost M EUR"] == (table["npv_cost_eur"] / 1e6).round(2)).all()
