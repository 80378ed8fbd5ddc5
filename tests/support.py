"""What tests (and benchmarks) share that is not a fixture: where things are, a free port,
the app served by real gunicorn, a checked browser page, the app opened and drawn."""
from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EPOCH_CSV = REPO.parent / "shared" / "data" / "epoch" / "notable_ai_models.csv"
CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
FIXTURES = REPO / "tests" / "fixtures"
SMALL_CATALOGUE = FIXTURES / "small-catalogue.yaml"
EPOCH_SAMPLE = FIXTURES / "epoch-sample.csv"   # an Epoch-format export written for the tests
COUNT = re.compile(r"^(\d+) of (\d+) models")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: "
                               f"{Path(process.log_path).read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)   # polling a port that is not open yet
    raise TimeoutError(f"{url} did not answer within {timeout}s")


@contextlib.contextmanager
def served_app(log_dir: Path, env: dict | None = None):
    """The app served by real gunicorn (2 workers); yields its URL. `env`: SCALEMAP_* settings."""
    port = free_port()
    env = {**os.environ, **(env or {}), "SCALEMAP_PORT": str(port), "WEB_CONCURRENCY": "2"}
    log_path = log_dir / "server.log"
    log = open(log_path, "w")   # a file, not a pipe: an unread pipe fills up and blocks the server
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn_conf.py", "app:server"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    process.log_path = log_path
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/", process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


VIEWPORT = {"width": 1400, "height": 1000}


@contextlib.contextmanager
def page_on(chromium, base_url: str):
    """A new page on `base_url`; fails the test on any server or page error it meets, and on
    anything the Content-Security-Policy blocks. `chromium`: a Browser (the page gets a fresh
    context, closed after) or a BrowserContext (a new page in it; after, the pages opened
    meanwhile are closed and the permissions granted are taken back)."""
    from playwright.sync_api import Browser
    fresh = isinstance(chromium, Browser)
    context = chromium.new_context(viewport=VIEWPORT, accept_downloads=True) if fresh else chromium
    before = set(context.pages)
    page = context.new_page()
    page.set_viewport_size(VIEWPORT)
    page.set_default_timeout(20_000)
    errors = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    # What the Content-Security-Policy blocks does not raise: it must be listened for.
    page.add_init_script("document.addEventListener('securitypolicyviolation', (e) => console.error("
                         "`CSP violation: ${e.violatedDirective} ${e.sourceFile || e.blockedURI}:${e.lineNumber}`))")
    page.on("console", lambda m: errors.append(m.text) if m.text.startswith("CSP violation") else None)
    page.base_url = base_url
    page.errors = errors   # (for a page that serves several tests: each can check what it met)
    try:
        yield page
    finally:
        if fresh:
            context.close()
        else:
            for opened in set(context.pages) - before:
                opened.close()
            context.clear_permissions()
            context.clear_cookies()
    assert not errors, errors


# A chart drawn for the view the page shows, with points (SVG or WebGL): the painter
# (assets/components/painter.js) draws a chart when it is near the screen and marks one that
# shows an older view aria-busy.
DRAWN_CHART = """key => {
  const el = document.getElementById(`graph-${key}`);
  const gd = el && !el.hasAttribute('aria-busy') && el.querySelector('.js-plotly-plot');
  return Boolean(gd && gd._fullData && gd._fullData.some((t) => t.visible === true && t._length > 0));
}"""
# In the page: every chart on the screen is drawn for the view (charts off it wait to be seen).
SCREEN_DRAWN = """() => {
  const charts = [...document.querySelectorAll('[id^="graph-"]')].filter((el) => {
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.bottom > 0 && r.top < innerHeight;
  });
  return charts.length > 0 && charts.every((el) => !el.hasAttribute('aria-busy') &&
    el.querySelector('.js-plotly-plot') && el.querySelector('.js-plotly-plot')._fullLayout);
}"""


def show_tab(page, key: str):
    """Open a tab of the main area (components/tabs.py) unless it is open."""
    tab = page.locator(f"#tab-{key}")
    if tab.get_attribute("aria-selected") != "true":
        tab.click()
    page.wait_for_function("key => document.getElementById(`panel-${key}`).offsetParent !== null", arg=key)


# No Dash callback pending: the renderer's loading state counts every callback requested, running,
# or waiting on another (window.dash_stores: the renderer's Redux stores).
DASH_IDLE = """() => (window.dash_stores || []).length > 0 &&
  window.dash_stores.every((store) => !store.getState().isLoading)"""


def settle(page) -> None:
    """Wait until the page has done what the last action set off: no Dash callback pending, the
    work the app leaves for idle time (writing the URL, assets/core/view.js) done, and Dash idle
    again after it. What a test then finds not sent or not written will not be."""
    page.wait_for_function(DASH_IDLE)
    page.evaluate("() => new Promise((done) => requestIdleCallback(() => done(), {timeout: 2000}))")
    page.wait_for_function(DASH_IDLE)


def chart_drawn(page, key: str):
    """Open the Charts tab (and on a phone that chart), scroll to the chart and wait until it is
    drawn for the view the page shows (a chart in a hidden tab or off the screen waits to be
    seen); its graph div."""
    show_tab(page, "charts")
    if not page.locator(f"#graph-{key}").is_visible():   # a phone: one chart at a time
        page.locator(f'#chart-switcher [data-chart="{key}"]').click()
    page.locator(f"#graph-{key}").scroll_into_view_if_needed()
    page.wait_for_function(DRAWN_CHART, arg=key)
    return page.locator(f"#graph-{key} .js-plotly-plot")


def show_table(page):
    """Open the Table tab, scroll to the models table and wait until it shows the view (it
    filters while near the screen; away from it or in a hidden tab, it waits, marked
    aria-busy); its element."""
    from playwright.sync_api import expect
    show_tab(page, "table")
    table = page.locator("#models-table")
    table.scroll_into_view_if_needed()
    expect(table).not_to_have_attribute("aria-busy", "true")
    return table


def open_app(page, query=""):
    """The app at `query`, every chart the tab shows drawn (each scrolled to: a chart off the
    screen waits until it comes near; a phone shows one), then back at the top."""
    from scalemap.features.charts import CHARTS
    page.goto(page.base_url + "/" + query)
    # The first draw (after the link set the controls, the tab among them) fills the summary.
    page.wait_for_function("() => /models match the filters/.test("
                           "document.getElementById('filter-summary')?.textContent || '')")
    for chart in CHARTS:
        if page.locator(f"#graph-{chart.key}").is_visible():
            page.locator(f"#graph-{chart.key}").scroll_into_view_if_needed()
            page.wait_for_function(DRAWN_CHART, arg=chart.key)
    page.evaluate("window.scrollTo(0, 0)")
    return page
