"""RunSpec: every bad value refused when built; YAML round trip; a run rebuilt from its file."""

from dataclasses import replace
from pathlib import Path

import pytest
import xarray as xr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import servicesim
from scenarios.spec import ConfigError, RunSpec
from scenarios.strategies import STRATEGIES
from tests.sweeps import load

SHORT = {"horizon_years": 2, "forecast": {"n_samples": 5}}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"seed": "abc"}, "seed='abc': must be an integer"),
        ({"seed": -1}, "seed=-1: must be between 0 and"),
        ({"horizon_years": 61}, "horizon_years=61: must be between 1 and 60"),
        ({"horizon_years": 2.5}, "horizon_years=2.5: must be an integer"),
        ({"regret": "maybe"}, "regret='maybe': must be true or false"),
        ({"regret": "no"}, "regret='no': must be true or false"),
        ({"progress": 1}, "progress=1: must be true or false"),
        ({"oracle": {"lead_time_months": [-1]}}, "oracle.lead_time_months=[-1]: allowed values"),
        ({"oracle": {"lead_time_months": [1.5]}}, "oracle.lead_time_months=[1.5]: allowed"),
        ({"oracle": {"noise_z": 1.0}}, "oracle.noise_z=1.0: allowed values are a non-empty list"),
        ({"oracle": {"slack": []}}, "oracle.slack=[]: allowed values are a non-empty list"),
        ({"oracle": {"strategies": ["reactive"]}}, "['optimised', 'proactive', 'season_aware']"),
        ({"oracle": {"colour": 1}}, "oracle.colour: not an option"),
        ({"world": "atlantis"}, "world='atlantis': neither an embedded world"),
        ({"world": {"name": "atlantis"}}, "world.name='atlantis': not an embedded world"),
        ({"strategy": "clairvoyant"}, "strategy='clairvoyant': allowed values are"),
        (
            {"strategy": {"name": "reactive", "params": {"colour": 1}}},
            "parameter 'colour' is not one of",
        ),
        (
            {"strategy": {"name": "reactive", "params": {"upper": "high"}}},
            "parameter 'upper'='high' must be float",
        ),
        ({"scenario": "atlantis"}, "scenario='atlantis': allowed values are ['close_village"),
        ({"scenario": {"name": "x", "changes": [{"facility": "a"}]}}, "must be a mapping with"),
        ({"forecast": {"method": "bogus"}}, "forecast.method='bogus'"),
        ({"forecast": {"n_samples": 3, "sample": 7}}, "forecast.sample=7: must be between 0 and 2"),
        ({"forecast": {"e0_trend": "no"}}, "forecast.e0_trend='no': must be true or false"),
        ({"forecast": {"bogus": 1}}, "forecast.bogus: not an option"),
        ({"costs": {"discount_rate": -0.1}}, "costs.discount_rate=-0.1: must be a number >= 0"),
        ({"costs": {"colour": 1}}, "costs.colour: not an option"),
        ({"simulation": {"foo": 1}}, "simulation.foo: not an option"),
        ({"simulation": {"school_transport_km": -1}}, "simulation.school_transport_km=-1"),
        ({"simulation": {"choice": {"colour": 1}}}, "simulation.choice: unknown keys ['colour']"),
    ],
)
def test_bad_values_are_refused_at_construction(values, message):
    with pytest.raises(ConfigError) as info:
        RunSpec(**values)
    assert message in str(info.value)


def test_unknown_key_of_a_mapping_is_refused_by_name():
    with pytest.raises(ConfigError, match="^foo: not an option"):
        RunSpec.from_mapping({"foo": 1})
    with pytest.raises(ConfigError, match="world.colour: not an option"):
        RunSpec(world={"name": "sysma", "colour": "red"})


def test_named_scenario_is_resolved_at_construction():
    spec = RunSpec(scenario="close_village_school")
    assert spec.scenario.changes[0]["op"] == "merge"
    assert "Nuoramoinen" in spec.scenario.description["en"]  # and "fi", "sv"


def test_world_folder_is_taken_by_path(tmp_path):
    spec = RunSpec(world=tmp_path)
    assert spec.world.path == tmp_path.resolve()


def test_sample_follows_the_seed_unless_set():
    assert RunSpec(seed=7, forecast={"n_samples": 5}).sample == 2
    assert RunSpec(seed=7, forecast={"n_samples": 5, "sample": 4}).sample == 4


numbers = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
changes = st.lists(
    st.fixed_dictionaries(
        {
            "op": st.sampled_from(["resize", "close", "open"]),
            "facility": st.text(min_size=1, max_size=12),
            "decided": st.sampled_from(["2024-06", "2030-01"]),
            "capacity": st.integers(0, 10_000) | numbers,
            "services": st.lists(st.text(max_size=8), max_size=3),
        }
    ),
    max_size=3,
)
specs = st.builds(
    RunSpec,
    world=st.sampled_from(["sysma", "paijat_hame", {"name": "sysma", "path": "/tmp/w"}]),
    scenario=st.builds(
        dict, name=st.text(min_size=1, max_size=20), description=st.text(), changes=changes
    ),
    strategy=st.sampled_from(sorted(STRATEGIES)),
    forecast=st.fixed_dictionaries(
        {
            "method": st.sampled_from(["stochastic", "deterministic"]),
            "n_samples": st.integers(1, 10_000),
            "seed": st.integers(0, 2**63 - 1),
            "migration_shrinkage": st.booleans(),
            "tfr_period": st.none() | st.integers(1, 15),
        }
    ),
    costs=st.fixed_dictionaries(
        {"discount_rate": numbers, "unmet_penalty_eur": st.dictionaries(st.text(), numbers)}
    ),
    simulation=st.fixed_dictionaries({"school_transport_km": numbers}),
    seed=st.integers(0, 2**63 - 1),
    horizon_years=st.integers(1, 60),
    regret=st.booleans(),
    progress=st.booleans(),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs)
def test_yaml_round_trip_is_exact(spec):
    again = RunSpec.from_yaml(spec.to_yaml())
    assert again == spec
    assert again.to_yaml() == spec.to_yaml()


def test_round_trip_keeps_every_default_and_simulation_segment():
    spec = RunSpec()
    again = RunSpec.from_yaml(spec.to_yaml())
    assert again == spec and again.simulation.segments == spec.simulation.segments


@pytest.fixture(scope="module")
def short_run():
    spec = RunSpec(**SHORT, strategy="reactive", scenario="close_village_school", seed=3)
    return spec, servicesim.run(spec)


def test_run_stores_its_spec_and_from_dataset_reproduces_it_exactly(short_run):
    spec, ds = short_run
    assert ds.attrs["config"] and RunSpec.from_dataset(ds) == spec
    again = servicesim.run(RunSpec.from_dataset(ds))
    xr.testing.assert_identical(ds, again)


def test_spec_survives_the_results_file(short_run, tmp_path):
    from experiments.output import write_atomic

    spec, ds = short_run
    stored = load(write_atomic(ds, tmp_path / "results.nc"))
    assert RunSpec.from_dataset(stored) == spec


def test_progress_bar_changes_nothing_in_the_results(short_run):
    spec, ds = short_run
    xr.testing.assert_identical(ds, servicesim.run(replace(spec, progress=True)))


def test_dataset_without_spec_is_refused():
    with pytest.raises(ConfigError, match="no run spec"):
        RunSpec.from_dataset(xr.Dataset())


def test_sweep_in_memory_matches_the_single_runs_on_one_and_two_workers():
    from experiments.aggregate import combine_reduced, reduced_run

    specs = [
        RunSpec(**SHORT, seed=seed, strategy=strategy)
        for seed in (0, 1)
        for strategy in ("status_quo", "reactive")
    ]
    one = servicesim.sweep(specs)
    two = servicesim.sweep(specs, n_jobs=2)
    assert dict(one["metric_cost_per_year"].sizes) == {"scenario": 1, "strategy": 2, "seed": 2}
    singles = combine_reduced([reduced_run(servicesim.run(s)) for s in specs])
    for name in ("metric_cost_per_year", "metric_objective", "population_age", "unmet_zone_end"):
        xr.testing.assert_identical(one[name], singles[name])
        xr.testing.assert_identical(two[name], singles[name])
    assert one.attrs["failed"] == ""


def test_sweep_reports_a_failed_run_and_keeps_the_others(tmp_path):
    bad = RunSpec(horizon_years=2, seed=1, forecast={"n_samples": 5, "rates_dir": tmp_path})
    cmp = servicesim.sweep([RunSpec(**SHORT), bad])
    assert "death_probabilities.csv" in cmp.attrs["failed"]
    assert int(cmp["metric_cost_per_year"].notnull().sum()) == 1


def test_library_face_exports_what_it_documents():
    assert set(servicesim.__all__) >= {"RunSpec", "run", "sweep", "forecast", "backtest"}
    assert {"load_world", "__version__"} <= set(servicesim.__all__)
    for name in ("run", "sweep", "forecast", "backtest", "load_world"):
        assert ">>>" in getattr(servicesim, name).__doc__, name
    assert Path(servicesim.__file__).parent.name == "servicesim"
