"""Same overrides and seed: identical results whichever Hydra launcher ran them.

joblib and submitit_local run in CI (their launchers are in the ``test`` extra); the
Ray launcher and the Optuna sweeper are marked ``ray`` and ``optuna`` and run only
with ``pytest -m ray`` / ``pytest -m optuna`` after ``pip install ".[cluster]"``.
"""

import json

import pytest
import xarray as xr

from tests.sweeps import SHORT, load, servicesim

pytestmark = pytest.mark.slow

SWEEP = (*SHORT, "seed=0,1", "sweep.report=false")


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    sweep = tmp_path_factory.mktemp("basic")
    proc = servicesim("-m", *SWEEP, f"hydra.sweep.dir={sweep}", cwd=sweep)
    assert proc.returncode == 0, proc.stderr
    results = {p.relative_to(sweep): load(p) for p in sweep.glob("*/results.nc")}
    assert len(results) == 2
    return results


def assert_same_as_basic(basic, sweep):
    other = {p.relative_to(sweep): load(p) for p in sweep.glob("*/results.nc")}
    assert other.keys() == basic.keys()
    for name, ds in basic.items():
        xr.testing.assert_identical(ds, other[name])


@pytest.mark.parametrize(
    "launcher",
    [
        ("hydra/launcher=joblib", "hydra.launcher.n_jobs=2"),
        ("hydra/launcher=submitit_local", "hydra.launcher.timeout_min=10"),
    ],
    ids=["joblib", "submitit_local"],
)
def test_launcher_gives_identical_results(basic, tmp_path, launcher):
    sweep = tmp_path / "sweep"
    proc = servicesim("-m", *launcher, *SWEEP, f"hydra.sweep.dir={sweep}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "2 runs: 2 done" in proc.stdout + proc.stderr
    assert_same_as_basic(basic, sweep)


@pytest.mark.ray
def test_ray_launcher_gives_identical_results(basic, tmp_path):
    pytest.importorskip("hydra_plugins.hydra_ray_launcher", reason='needs ".[cluster]"')
    sweep = tmp_path / "sweep"
    proc = servicesim(
        "-m",
        "hydra/launcher=ray",
        "+hydra.launcher.ray.init.num_cpus=2",
        *SWEEP,
        f"hydra.sweep.dir={sweep}",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert_same_as_basic(basic, sweep)


@pytest.mark.optuna
def test_optuna_sweeper_minimises_the_configured_objective(tmp_path):
    pytest.importorskip("hydra_plugins.hydra_optuna_sweeper", reason='needs ".[cluster]"')
    sweep = tmp_path / "sweep"
    proc = servicesim(
        "-m",
        "hydra/sweeper=optuna",
        "hydra.sweeper.n_trials=3",
        "hydra.sweeper.direction=minimize",
        "hydra.sweeper.sampler.seed=1",
        "forecast.sample=int(interval(0,19))",
        *SHORT,
        "sweep.objective=unmet_share",
        f"hydra.sweep.dir={sweep}",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    best = float(
        next(
            line.split(":", 1)[1]
            for line in (sweep / "optimization_results.yaml").read_text().splitlines()
            if line.startswith("best_value")
        )
    )
    objectives = [json.loads(p.read_text())["objective"] for p in sweep.glob("*/status.json")]
    assert len(objectives) >= 1 and best == pytest.approx(min(objectives))
    assert (sweep / "comparison.nc").exists() and (sweep / "report.html").exists()
