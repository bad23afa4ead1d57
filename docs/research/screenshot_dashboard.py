"""Save a PNG of the workshop dashboard in a given language (for the docs).

Starts ``python -m experiments.dashboard`` on a free port (offline, telemetry off),
opens it in Debian's headless chromium (Selenium + chromedriver), optionally closes a
facility so the previous plan shows beside the current one, and saves a screenshot.

    PYTHONPATH=. python docs/research/screenshot_dashboard.py --lang fi \\
        --close sysma_school_nuoramoinen --out docs/dashboard-fi.png
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run")
FIGURES = "return document.querySelectorAll('table.dash-key-figures td[data-plan=\"{}\"]').length"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait(check, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.5)
    raise SystemExit(f"timed out waiting for {what}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", default="fi", choices=["fi", "sv", "en"])
    parser.add_argument("--world", help="a world folder (default: Sysmä)")
    parser.add_argument("--close", help="facility id to close before the screenshot")
    parser.add_argument("--out", type=Path, default=Path("dashboard.png"))
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=2600)
    args = parser.parse_args()
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "experiments.dashboard",
        "--port",
        str(port),
        "--no-open",
        "--host",
        "127.0.0.1",
        "--lang",
        args.lang,
        "--save-dir",
        tempfile.mkdtemp(),
    ]
    if args.world:
        cmd += ["--world", args.world]
    server = subprocess.Popen(cmd, env=dict(os.environ))
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (*FLAGS, f"--window-size={args.width},{args.height}"):
        options.add_argument(flag)
    driver = None
    try:
        wait(lambda: listening(port), 120, "the server")
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        driver.get(f"http://127.0.0.1:{port}/")
        wait(lambda: driver.execute_script(FIGURES.format("current")), 180, "the first run")
        if args.close:
            css = f"div.dash-facility-{args.close} button.dash-close"
            driver.find_element("css selector", css).click()
            wait(lambda: driver.execute_script(FIGURES.format("previous")), 120, "the update")
        time.sleep(2)  # let the figures' images load
        args.out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(args.out))
        print(f"saved {args.out}")
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
