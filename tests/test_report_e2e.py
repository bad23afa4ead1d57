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
CLOSE_SCHOOL = """name: close_village_school_test
description: Close the Nuoramoinen village school from August 2024.
changes:
  - {op: close, facility: sysma_school_nuoramoinen, effective: "2024-08"}
"""


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    conf = root / "conf" / "scenario"
    conf.mkdir(parents=True)
    (conf / "close_village_school_test.yaml").write_text(CLOSE_SCHOOL)
    sweep_dir = root / "sweep"
    proc = servicesim(
        "-m",
        *SHORT,
        "scenario=status_quo,close_village_school_test",
        "seed=0,1",
        f"hydra.searchpath=[file://{root / 'conf'}]",
        f"hydra.sweep.dir={sweep_dir}",
        cwd=root,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return sweep_dir


def test_sweep_end_writes_comparison_and_report(sweep, tmp_path):
    comparison = load(sweep / "comparison.nc")
    assert list(comparison["scenario"].values) == ["close_village_school_test", "status_quo"]
    assert comparison.sizes["strategy"] == 1 and list(comparison["seed"].values) == [0, 1]
    assert int(comparison["metric_cost_per_year"].notnull().sum()) == 4
    closed = comparison["facility_open_end"].sel(
        scenario="close_village_school_test", facility="sysma_school_nuoramoinen"
    )
    assert (closed == 0).all()
    report = (sweep / "report.html").read_text()
    assert "close_village_school_test" in report and 'id="summary"' in report
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
