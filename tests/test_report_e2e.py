"""A real sweep ends with comparison.nc and a report that a real browser shows.

The browser test drives Debian's chromium through /usr/bin/chromedriver (Selenium).
It skips only where Chromium is not installed, and fails instead when CI is set
(``.ci/run`` installs chromium and chromium-driver).
"""

import os
import shutil
from pathlib import Path

import pytest
import xarray as xr

from experiments.report_figures import FIGURES
from tests.sweeps import SHORT, load, servicesim

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
BROWSER_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# A second scenario label with the same (empty) change list as status_quo: it does not
# depend on the change-operation format, and its runs must equal status_quo's.
SAME_AS_STATUS_QUO = """name: unchanged_copy
description: The current network under a second name.
changes: []
"""


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    conf = root / "conf" / "scenario"
    conf.mkdir(parents=True)
    (conf / "unchanged_copy.yaml").write_text(SAME_AS_STATUS_QUO)
    sweep_dir = root / "sweep"
    proc = servicesim(
        "-m",
        *SHORT,
        "scenario=status_quo,unchanged_copy",
        "seed=0,1",
        f"hydra.searchpath=[file://{root / 'conf'}]",
        f"hydra.sweep.dir={sweep_dir}",
        cwd=root,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return sweep_dir


def test_sweep_end_writes_comparison_and_report(sweep, tmp_path):
    comparison = load(sweep / "comparison.nc")
    assert list(comparison["scenario"].values) == ["status_quo", "unchanged_copy"]
    assert comparison.sizes["strategy"] == 1 and list(comparison["seed"].values) == [0, 1]
    assert int(comparison["metric_cost_per_year"].notnull().sum()) == 4
    a, b = (comparison.sel(scenario=s, drop=True) for s in ("status_quo", "unchanged_copy"))
    xr.testing.assert_identical(a, b)  # same network and seeds: same results
    seeds = comparison["metric_cost_per_year"].sel(scenario="status_quo").values.ravel()
    assert seeds[0] != seeds[1]  # seeds differ
    report = (sweep / "report.html").read_text()
    assert "unchanged_copy" in report and 'id="summary"' in report
    copy = tmp_path / "copy"
    shutil.copytree(sweep, copy)
    (copy / "comparison.nc").unlink()
    (copy / "report.html").unlink()
    proc = servicesim(str(copy), cwd=tmp_path, name="servicesim-report")
    assert proc.returncode == 0, proc.stderr
    rebuilt = load(copy / "comparison.nc")
    xr.testing.assert_identical(comparison.drop_attrs(deep=False), rebuilt.drop_attrs(deep=False))
    assert (copy / "report.html").exists()


def test_report_command_rejects_an_empty_folder(tmp_path):
    proc = servicesim(str(tmp_path), cwd=tmp_path, name="servicesim-report")
    assert proc.returncode == 2 and "no results.nc" in proc.stderr


def browser_or_skip(user_data_dir: Path):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        reason = (
            f"no Chromium here ({CHROMIUM}, {CHROMEDRIVER}): "
            "apt-get install chromium chromium-driver"
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser test: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in BROWSER_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={user_data_dir}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def test_report_opens_in_headless_chromium_with_every_figure(sweep, tmp_path):
    driver = browser_or_skip(tmp_path / "profile")
    try:
        driver.get((sweep / "report.html").as_uri())
        images = driver.execute_script(
            "return Array.from(document.images).map("
            "i => [i.dataset.figure, i.complete, i.naturalWidth, i.naturalHeight])"
        )
        omitted = driver.execute_script(
            "return Array.from(document.querySelectorAll('[data-omitted]'))"
            ".map(e => e.dataset.omitted)"
        )
        rows = driver.execute_script("return document.querySelectorAll('#summary tr').length")
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    finally:
        driver.quit()
    assert errors == []
    shown = {name for name, *_ in images}
    assert shown | set(omitted) == set(FIGURES) and not shown & set(omitted)
    assert set(omitted) <= {"equity"}  # only what the results cannot give yet
    assert all(complete and width > 0 and height > 0 for _, complete, width, height in images)
    assert shown == {p.stem for p in (sweep / "figures").glob("*.png")}
    assert rows == 1 + 2  # header + one row per scenario x strategy
