"""Make the README screenshot: `python -m tests.screenshot [OUT.png]`.

Serves the app with real gunicorn on the bundled catalogue, opens its first screen at
1600×1000 in Debian Chromium with GPT-3's stats card open, and saves a PNG."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.support import CHROMIUM, REPO, free_port, wait_for_http

DEFAULT_OUT = REPO / "assets" / "readme-screenshot.png"
VIEW = "/?model=gpt-3-175b"


def main(out: Path = DEFAULT_OUT) -> None:
    port = free_port()
    log = open(os.devnull, "w")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn_conf.py", "app:server"],
                              cwd=REPO, env={**os.environ, "SCALEMAP_PORT": str(port)},
                              stdout=log, stderr=subprocess.STDOUT)
    server.log_path = os.devnull
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_http(url + "/", server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(url + VIEW)
            expect(page.locator(".stats-card-name")).to_have_text("GPT-3 175B", timeout=30_000)
            expect(page.locator("#graph-compute-vs-date .scatterlayer .point").first).to_be_attached()
            expect(page.locator("#title-compute-vs-date")).to_contain_text("grew ×")
            page.wait_for_function("() => document.querySelector('#chart-legend .legend-item')")
            page.screenshot(path=str(out))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT)
