"""Time from a click in the dashboard to new key figures in the browser (Sysmä, 10 years).

Starts ``python -m experiments.dashboard`` on a free port, opens it in headless
Chromium (Selenium + Debian's chromedriver) and alternately closes and reopens the
Nuoramoinen village school, timing each click until the key-figure table changes.

    PYTHONPATH=. python docs/research/dashboard_click_time.py --clicks 6
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROW = "div.dash-facility-sysma_school_nuoramoinen button"
TABLE = "const t = document.querySelector('table.dash-key-figures'); return t ? t.textContent : ''"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clicks", type=int, default=6)
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "experiments.dashboard", "--port", str(port), "--no-open",
         "--host", "127.0.0.1", "--lang", "fi", "--save-dir", tempfile.mkdtemp()],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,2400"):
        options.add_argument(flag)
    driver = None
    try:
        while not listening(port):
            time.sleep(0.5)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        tic = time.perf_counter()
        driver.get(f"http://127.0.0.1:{port}/")
        while not driver.execute_script(TABLE):
            time.sleep(0.1)
        print(f"first page with key figures: {time.perf_counter() - tic:.1f} s")
        times = []
        for _ in range(args.clicks):
            before = driver.execute_script(TABLE)
            tic = time.perf_counter()
            driver.find_element("css selector", ROW).click()  # Close, then Reopen, ...
            while driver.execute_script(TABLE) == before:
                time.sleep(0.05)
            times.append(time.perf_counter() - tic)
            time.sleep(2)  # let the figures load before the next click
        print("click -> new key figures (s): " + ", ".join(f"{t:.2f}" for t in times))
        print(f"median {statistics.median(times):.2f} s, max {max(times):.2f} s")
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
