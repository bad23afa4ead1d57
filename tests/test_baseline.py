"""The seeded Sysmä run against its stored baseline: integers exact, floats to 1e-9.

A difference means the model's results changed. If that is intended, regenerate with
``python -m tests.update_baseline`` and say why in the commit.
"""

from pathlib import Path

import pytest
import yaml

from tests.baseline import baseline_run, summary_metrics


@pytest.mark.slow
def test_sysma_baseline_is_reproduced():
    expected = yaml.safe_load(Path(__file__).with_name("baseline_sysma.yaml").read_text())
    got = summary_metrics(baseline_run())
    assert set(got) == set(expected)
    for key, value in expected.items():
        if key.startswith("utilisation_mean") and value is not None:
            assert got[key] == pytest.approx(value, rel=1e-9, abs=1e-9), key
        else:
            assert got[key] == value, key
