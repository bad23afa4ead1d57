"""Regenerate tests/baseline_sysma.yaml. Run only on purpose, and say why in the commit.

python -m tests.update_baseline
"""

from pathlib import Path

import yaml

from tests.baseline import baseline_run, summary_metrics

if __name__ == "__main__":
    path = Path(__file__).with_name("baseline_sysma.yaml")
    path.write_text(yaml.safe_dump(summary_metrics(baseline_run()), sort_keys=True))
    print(f"wrote {path}")
