"""The workshop dashboard in a real browser, offline: load, close a facility, save, run the plan.

Starts ``python -m experiments.dashboard`` (the ``servicesim-dashboard`` command) on a
free port with every proxy pointing nowhere, so a request to a CDN would fail, and
drives Debian's chromium through chromedriver (Selenium). It skips only where Chromium
is not installed, and fails instead when CI is set (``.ci/run`` installs chromium and
chromium-driver).
"""

import os
import re
import shlex
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys

from experiments.dashboard.texts import format_meur
from tests.sweeps import command as cli_command
from tests.sweeps import load

pytestmark = pytest.mark.slow

NOWHERE = "http://127.0.0.1:9"  # the discard port: nothing answers
REPO = Path(__file__).resolve().parents[1]


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--proxy-server={NOWHERE}")  # fmt: skip


def browser_or_skip(user_data_dir: Path):
    """Chromium through chromedriver; skip without it, but fail when CI is set."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        reason = f"no Chromium here ({CHROMIUM}, {CHROMEDRIVER})"
        reason += ": apt-get install chromium chromium-driver"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser test: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={user_data_dir}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(find, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = find()
        if found:
            return found
        time.sleep(0.25)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("dashboard")
    port = free_port()
    env = dict(os.environ)
    env.update(
        HTTP_PROXY=NOWHERE,
        HTTPS_PROXY=NOWHERE,
        http_proxy=NOWHERE,
        https_proxy=NOWHERE,
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
        PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]),
    )
    args = ["--port", str(port), "--host", "127.0.0.1", "--no-open", "--lang", "en"]
    log = (root / "server.log").open("w")
    proc = subprocess.Popen(
        [*cli_command("servicesim-dashboard"), *args, "--save-dir", str(root / "conf")],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"

    def up():
        if proc.poll() is not None:
            pytest.fail(f"dashboard server exited: {(root / 'server.log').read_text()}")
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0

    try:
        wait_for(up, 120, "the dashboard server")
        yield url, root
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    # the command is the server (no orphan left listening once it is stopped)
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


def click_until(driver, css: str, done, timeout: float, what: str):
    """Click ``css`` until ``done()`` holds: a click on a button being redrawn is lost."""
    from selenium.common.exceptions import StaleElementReferenceException

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            for button in driver.find_elements("css selector", css)[:1]:
                button.click()
        except StaleElementReferenceException:
            pass
        click_end = time.monotonic() + 30  # an update takes a few seconds: no double click
        while time.monotonic() < click_end:
            found = done()
            if found:
                return found
            time.sleep(0.25)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def key_figures(driver) -> dict[tuple[str, str], str]:
    cells = driver.execute_script(  # one read: the table is redrawn after each run
        "return Array.from(document.querySelectorAll('table.dash-key-figures td[data-metric]'))"
        ".map(c => [c.dataset.metric, c.dataset.plan, c.textContent])"
    )
    return {(metric, plan): text for metric, plan, text in cells}


def set_input(driver, label: str, value: str) -> None:
    xpath = (
        f"//div[contains(@class, 'v-text-field__slot')][label[normalize-space()='{label}']]/input"
    )
    field = driver.find_element("xpath", xpath)
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(value, Keys.ENTER)  # the field updates on Enter (or focus out)


def save(driver, folder: Path) -> str:
    """Fill the name and folder, click Save; the text shown once the plan is saved there."""
    set_input(driver, "Name of the plan", "e2e_plan")
    set_input(driver, "Folder", str(folder))
    time.sleep(0.5)
    driver.find_element("css selector", "button.dash-save").click()
    time.sleep(1.0)
    shown = driver.execute_script(
        "const e = document.querySelector('.dash-saved'); return e ? e.textContent : ''"
    )
    return shown if f"{folder}/scenario/e2e_plan.yaml" in shown else ""


def test_dashboard_offline_close_a_facility_save_and_run(server, tmp_path):
    url, root = server
    driver = browser_or_skip(tmp_path / "profile")
    try:
        driver.set_window_size(1400, 2400)
        driver.get(url)
        wait_for(lambda: key_figures(driver), 180, "the key figures of the first run")
        before = key_figures(driver)
        assert ("access", "previous") not in before
        close = "div.dash-facility-sysma_school_nuoramoinen button.dash-close"
        click_until(
            driver, close, lambda: ("access", "previous") in key_figures(driver), 120, "the run"
        )
        after = key_figures(driver)
        # closing the other school too would leave basic education without a school
        centre = "div.dash-facility-sysma_school_centre button.dash-close"
        message = click_until(
            driver,
            centre,
            lambda: driver.execute_script(
                "const e = document.querySelector('.dash-message');return e ? e.textContent : ''"
            ),
            60,
            "the refusal message",
        )
        kept = key_figures(driver)
        saved = wait_for(lambda: save(driver, tmp_path / "conf"), 90, "the plan saved")
        resources = driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
        )
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    finally:
        driver.quit()
    assert errors == []
    outside = [r for r in resources if not r.startswith((url, "data:", "blob:", "ws:"))]
    assert outside == [] and not any("jsdelivr" in r for r in resources)
    # closing the village school: the pupils there travel farther, the building's cost goes
    assert after[("access", "previous")] == before[("access", "current")]
    assert after[("access", "current")] != after[("access", "previous")]
    assert after[("npv", "current")] != after[("npv", "previous")]
    assert after[("cost_year", "current")] != after[("cost_year", "previous")]
    assert "Basic education" in message and "last valid plan" in message
    assert kept == after  # the refused edit changed nothing
    path = tmp_path / "conf" / "scenario" / "e2e_plan.yaml"
    assert path.exists() and str(path) in saved
    argv = shlex.split(saved.strip().splitlines()[-1])
    assert argv[0] == "servicesim" and "scenario=e2e_plan" in argv
    run_dir = tmp_path / "run"
    proc = subprocess.run(
        [*cli_command(), *argv[1:], f"hydra.run.dir={run_dir}", "simulation.progress=false"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    ran = load(run_dir / "results.nc")
    assert int(ran["n_changes"]) == 1 and str(ran["change_target"].values[0]).endswith(
        "nuoramoinen"
    )
    assert format_meur(float(ran["npv_cost"]), "en", 2) == after[("npv", "current")]
    assert re.search(r"\d", after[("access", "current")])
