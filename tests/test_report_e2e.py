"""A real sweep ends with comparison.nc and a report that a real browser shows.

The browser test drives Debian's chromium through /usr/bin/chromedriver (Selenium).
It skips only where Chromium is not installed, and fails instead when CI is set
(``.ci/run`` installs chromium and chromium-driver).
"""

import os
import re
import shutil
import subprocess
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


def chromium_or_skip(*needed: str) -> None:
    if not all(Path(p).exists() for p in needed):
        reason = f"no Chromium here ({', '.join(needed)}): apt-get install chromium chromium-driver"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser test: {reason}")
        pytest.skip(reason)


def browser_or_skip(user_data_dir: Path):
    chromium_or_skip(CHROMIUM, CHROMEDRIVER)
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
        driver.set_window_size(1280, 1000)
        driver.get((sweep / "report.html").as_uri())
        width = driver.execute_script(
            "const e = document.documentElement; return [e.scrollWidth, e.clientWidth];"
        )
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
    assert width[0] <= width[1], f"horizontal scroll at 1,280 px: {width}"
    shown = {name for name, *_ in images}
    assert set(FIGURES) <= shown | set(omitted) and not shown & set(omitted)
    assert set(omitted) <= {"equity"}  # only what the results cannot give yet
    maps = {k for k in shown if k.startswith("map_") or k == "unmet_zone_end"}
    assert maps, shown  # Sysmä's polygons are drawn
    assert all(complete and w > 0 and h > 0 for _, complete, w, h in images)
    assert shown == {p.stem for p in (sweep / "figures").glob("*.png")}
    assert rows == 1 + 2 + 2  # header, a row per scenario, one per scenario x strategy


def test_the_report_prints_to_a_pdf_of_reasonable_length(sweep, tmp_path):
    """Headless Chromium prints the report on A4 pages (as a council's meeting papers)."""
    chromium_or_skip(CHROMIUM)
    pdf = tmp_path / "report.pdf"
    proc = subprocess.run(
        [
            CHROMIUM,
            *BROWSER_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            (sweep / "report.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0 and pdf.exists(), proc.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    sizes = {m for m in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)}
    assert 6 <= pages <= 40, pages  # a section per page start: six sections at least
    assert sizes and all(abs(float(w) - 595.9) < 2 and abs(float(h) - 842.9) < 2 for w, h in sizes)


@pytest.mark.parametrize("multirun", [True, False])
def test_an_unknown_report_language_stops_before_any_run(tmp_path, multirun):
    args = ["-m", "seed=0,1"] if multirun else []
    proc = servicesim(
        *args,
        *SHORT,
        "report.language=de",
        f"hydra.sweep.dir={tmp_path / 'sweep'}",
        f"hydra.run.dir={tmp_path / 'run'}",
        cwd=tmp_path,
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "report.language='de': allowed values are fi, sv, en" in proc.stderr
    assert not list(tmp_path.rglob("results.nc")) and not list(tmp_path.rglob("report.html"))
