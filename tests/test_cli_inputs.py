"""The ``servicesim`` command refuses bad input with exit 2, a message and no file.

Each test starts the command (slow). Also: the Python path reproduces the command's
``results.nc`` bit for bit.
"""

import pytest
import xarray as xr

import servicesim
from experiments.output import write_atomic
from tests.sweeps import SHORT, load
from tests.sweeps import servicesim as command

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("strategy=clairvoyant", "strategy='clairvoyant': allowed values are ['channel_shift'"),
        ("scenario=atlantis", "scenario='atlantis': allowed values are ['close_village_school'"),
        ("world=atlantis", "world='atlantis': allowed values are ['paijat_hame', 'sysma']"),
        ("regret=maybe", "regret='maybe': must be true or false"),
        ("regret=no", "regret='no': must be true or false"),
        ("simulation.progress=1", "simulation.progress=1: must be true or false"),
        ("forecast.e0_trend=no", "forecast.e0_trend='no'"),
        ("+foo=1", "foo: not an option; allowed:"),
        ("+simulation.foo=1", "simulation.foo: not an option; allowed:"),
        ("results_file=../x.nc", "results_file='../x.nc': must be a plain file name"),
        ("results_file=/tmp/x.nc", "results_file='/tmp/x.nc': must be a plain file name"),
        # the rate models need 8 years of history: a CalibrationError, not a traceback
        ("forecast.fit_start=2020", "tfr: needs at least 8 years in 2020-"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_writes_nothing(tmp_path, override, message):
    out = tmp_path / "out"
    proc = command(*SHORT, override, f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    assert "servicesim: error:" in proc.stderr and "Traceback" not in proc.stderr
    assert not list(tmp_path.rglob("*.nc")) and not (tmp_path / "x.nc").exists()


def test_python_run_reproduces_the_command_line_bit_for_bit(tmp_path):
    out = tmp_path / "out"
    args = (*SHORT, "seed=5", "strategy=reactive", "scenario=close_village_school")
    proc = command(*args, f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    cli = load(out / "results.nc")
    spec = servicesim.RunSpec.from_dataset(cli)
    assert (spec.seed, spec.strategy.name, spec.horizon_years) == (5, "reactive", 2)
    assert spec.scenario.name == "close_village_school" and spec.forecast.n_samples == 20
    python = load(write_atomic(servicesim.run(spec), tmp_path / "python.nc"))
    xr.testing.assert_identical(cli, python)
    # Named, not located: an installed package and a source tree give the same file.
    assert cli.attrs["world_path"] == "embedded:sysma"
