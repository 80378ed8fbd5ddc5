"""How the map feels in use, measured against a naive Dash app and against the floor.

    python -m benchmarks.interaction [--sizes bundled,notable,3k,100k] [--toggles 12]

For each size it serves the app and the naive baseline (benchmarks/naive_app.py) with real
gunicorn, and the floor (benchmarks/floor.html: the same points in bare Plotly, no Dash)
from a static server, then drives headless Chromium through all three in turn, one
interaction each before moving on (interleaved, so a busy spell on this shared machine hits
all three alike). It prints, per size: filter→redraw (click a domain until every chart has
drawn: plotly_afterplot on each graph, then a painted frame), search→highlight, bytes on
the wire per filter change, first paint after navigation (fresh browser context, cold
cache), memory per gunicorn worker, and the ratios. Sizes: the bundled catalogue; bundled +
Epoch's Notable file; ~3,000 and ~100,000 models generated from it (benchmarks/datasets.py).
Needs ../shared/data/epoch for all but the first. Not a test: numbers, not verdicts."""
from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import plotly
from playwright.sync_api import sync_playwright

from benchmarks.datasets import EPOCH_CSV, generated_csv
from scalemap.dataset.build import build_dataset
from scalemap.features.charts import CHARTS, WEBGL_FROM_POINTS, plotted_rows
from scalemap.settings import settings_from_env
from tests.support import CHROMIUM, REPO, free_port, wait_for_http

SIZES = {
    "bundled": lambda: {},
    "notable": lambda: {"SCALEMAP_EPOCH_CSV": str(EPOCH_CSV)},
    "3k": lambda: {"SCALEMAP_EPOCH_CSV": str(generated_csv(3000)), "SCALEMAP_EPOCH_ONLY": "1"},
    "100k": lambda: {"SCALEMAP_EPOCH_CSV": str(generated_csv(100_000)), "SCALEMAP_EPOCH_ONLY": "1"},
}
DOMAIN_CYCLE = ("Language", "Vision", "Games")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows"]

# In the page: time one change until every chart has drawn (plotly_afterplot each) and painted.
TIMED_CHANGE = """async ([kind, target, value]) => {
  const graphs = [...document.querySelectorAll(".js-plotly-plot")];   // the app has a fourth, custom chart
  const drawn = Promise.all(graphs.map((gd) => new Promise((done) => {
    const handler = () => { gd.removeListener('plotly_afterplot', handler); done(); };
    gd.on('plotly_afterplot', handler);
  })));
  const start = performance.now();
  if (kind === 'toggle') {
    const label = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === target);
    label.querySelector('input').click();
  } else {
    const input = document.querySelector(target);
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }
  await drawn;
  await new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted)));
  return performance.now() - start;
}"""
# In the page: every chart has points on it (SVG or WebGL).
ALL_CHARTS_HAVE_POINTS = """() => {
  const graphs = [...document.querySelectorAll(".js-plotly-plot")];   // the app has a fourth, custom chart
  return graphs.length >= 3 && graphs.every((gd) => gd._fullData && gd._fullData.some(
    (t) => (t.type === 'scatter' || t.type === 'scattergl') && t.mode && t.mode.includes('markers')
           && t.visible === true && t._length > 0));
}"""


@dataclass
class Target:
    name: str
    url: str
    search_box: str
    process: subprocess.Popen | None = None
    toggles: list[float] = field(default_factory=list)
    searches: list[float] = field(default_factory=list)
    first_paints: list[float] = field(default_factory=list)
    change_bytes: list[int] = field(default_factory=list)
    memory: tuple[float, float] = (0.0, 0.0)


def serve_gunicorn(module: str, env: dict, log: Path) -> tuple[str, subprocess.Popen]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn_conf.py", "--timeout", "300", module],
        cwd=REPO, env={**os.environ, **env, "SCALEMAP_PORT": str(port), "WEB_CONCURRENCY": "2"},
        stdout=open(log, "w"), stderr=subprocess.STDOUT)
    process.log_path = log
    url = f"http://127.0.0.1:{port}"
    wait_for_http(url + "/", process, timeout=600)
    return url, process


def floor_points(frame) -> dict:
    """The points of the three charts, for the floor page."""
    domains = sorted({d for ds in frame["domains"] for d in ds})
    bit = {d: i for i, d in enumerate(domains)}
    charts = []
    for chart in CHARTS:
        points = plotted_rows(frame, chart)
        x = (points["date"].astype("int64") // 10**6) if chart.x_is_date else points[chart.x]
        charts.append({"title": chart.title, "xIsDate": chart.x_is_date, "x": x.tolist(),
                       "y": points[chart.y].tolist(), "names": points["name"].tolist(),
                       "primary": points["primary_domain"].map(bit).tolist(),
                       "domains": [sum(1 << bit[d] for d in ds) for ds in points["domains"]]})
    return {"domains": domains, "charts": charts, "webglFrom": WEBGL_FROM_POINTS}


@contextlib.contextmanager
def floor_server(frame):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "index.html").write_text((REPO / "benchmarks" / "floor.html").read_text())
        (root / "plotly.min.js").write_bytes(
            (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes())
        (root / "points.json").write_text(json.dumps(floor_points(frame)))
        handler = functools.partial(QuietHandler, directory=folder)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
        finally:
            server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def worker_memory(master: subprocess.Popen) -> tuple[float, float]:
    """(largest resident memory, largest proportional share) among the gunicorn workers, in
    MB. Workers fork from a master that loaded the dataset: the pages they share count in
    full in RSS, and split between the processes in PSS."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    rss, pss = [], []
    for pid in children:
        rollup = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
        rss.append(int(rollup["Rss"].split()[0]) / 1024)
        pss.append(int(rollup["Pss"].split()[0]) / 1024)
    return max(rss), max(pss)


def first_paint(browser, target: Target) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(target.url)
    page.wait_for_function(ALL_CHARTS_HAVE_POINTS, polling="raf", timeout=600_000)
    elapsed = page.evaluate("performance.now()")
    context.close()
    return elapsed


class Wire:
    """Bytes that cross the network for a page (Chrome DevTools protocol): request headers and
    bodies sent, and responses as transferred (compressed), not what the cache answers."""

    def __init__(self, page):
        self.total = 0
        self._sent: dict[str, int] = {}
        self._cached: set[str] = set()
        session = page.context.new_cdp_session(page)
        session.send("Network.enable")
        session.on("Network.requestWillBeSent", self._will_send)
        session.on("Network.requestServedFromCache", lambda event: self._cached.add(event["requestId"]))
        session.on("Network.responseReceived", self._received)
        session.on("Network.loadingFinished", self._finished)

    def _will_send(self, event):
        request = event["request"]
        headers = sum(len(k) + len(str(v)) + 4 for k, v in request.get("headers", {}).items())
        body = sum(len(entry.get("bytes", "")) for entry in request.get("postDataEntries", []))
        self._sent[event["requestId"]] = len(request["url"]) + headers + body

    def _received(self, event):
        if event["response"].get("fromDiskCache") or event["response"].get("fromPrefetchCache"):
            self._cached.add(event["requestId"])

    def _finished(self, event):
        sent = self._sent.pop(event["requestId"], 0)
        if event["requestId"] not in self._cached:
            self.total += sent + int(event["encodedDataLength"])


def open_target(browser, target: Target):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(600_000)
    page.goto(target.url)
    page.wait_for_function(ALL_CHARTS_HAVE_POINTS, polling="raf", timeout=600_000)
    page.wait_for_load_state("networkidle")
    return page, Wire(page)


def measure_size(size: str, browser, toggles: int, searches: int, paints: int, logs: Path) -> dict:
    env = SIZES[size]()
    settings = settings_from_env({**os.environ, **env})
    started = time.perf_counter()
    dataset = build_dataset(list(settings.catalogue), list(settings.epoch), settings.prefer,
                            bundled=not settings.epoch_only)
    load_seconds = time.perf_counter() - started
    frame = dataset.frame
    print(f"\n[{size}] {len(frame)} models, loaded in {load_seconds:.1f} s; starting servers", flush=True)
    ours_url, ours = serve_gunicorn("app:server", env, logs / f"{size}-app.log")
    naive_url, naive = serve_gunicorn("benchmarks.naive_app:server", env, logs / f"{size}-naive.log")
    with floor_server(frame) as floor_url:
        targets = [Target("app", ours_url, "#name-search", ours),
                   Target("naive", naive_url, "#search", naive),
                   Target("floor", floor_url + "?renderer=auto", "#search"),
                   Target("floor-svg", floor_url + "?renderer=svg", "#search"),
                   Target("floor-webgl", floor_url + "?renderer=webgl", "#search")]
        if size == "100k":   # SVG at 100,000 points takes seconds a redraw: measured, not repeated
            targets[3].name = "floor-svg (3 toggles)"
        for _ in range(paints):
            for target in targets:
                target.first_paints.append(first_paint(browser, target))
        pages = {target.name: open_target(browser, target) for target in targets}
        for i in range(toggles):
            domain = DOMAIN_CYCLE[(i // 2) % len(DOMAIN_CYCLE)]
            for target in targets:
                if "3 toggles" in target.name and i >= 3:
                    continue
                page, wire = pages[target.name]
                page.bring_to_front()
                before = wire.total
                target.toggles.append(page.evaluate(TIMED_CHANGE, ["toggle", domain, None]))
                page.wait_for_load_state("networkidle")
                target.change_bytes.append(wire.total - before)
        for i in range(searches):
            for target in targets:
                if "3 toggles" in target.name and i >= 1:
                    continue
                page, _ = pages[target.name]
                page.bring_to_front()
                target.searches.append(page.evaluate(TIMED_CHANGE, ["search", target.search_box, "GPT"]))
                page.evaluate(TIMED_CHANGE, ["search", target.search_box, ""])
        for target in targets:
            if target.process:
                target.memory = worker_memory(target.process)
        for page, _ in pages.values():
            page.context.close()
    for process in (ours, naive):
        process.terminate()
        process.wait(timeout=30)
    return {"size": size, "models": len(frame), "load_seconds": load_seconds, "targets": targets,
            "webgl_charts": sum(len(plotted_rows(frame, c)) > WEBGL_FROM_POINTS for c in CHARTS)}


def crossover(browser, toggles: int) -> None:
    """Where WebGL starts to pay: the floor page redrawn in SVG and in WebGL at growing sizes
    (models drawn from the 100,000-model file), to choose figures.WEBGL_FROM_POINTS."""
    settings = settings_from_env({**os.environ, **SIZES["100k"]()})
    whole = build_dataset(epoch_paths=list(settings.epoch), bundled=False).frame
    print("\n## SVG or WebGL: the floor's filter→redraw (median ms) by points on the largest chart")
    print(f"{'models':>8} {'points':>8} {'SVG':>8} {'WebGL':>8}")
    for models in (500, 1000, 2000, 3000, 5000):
        frame = whole.sample(models, random_state=0).sort_values("date")
        points = max(len(plotted_rows(frame, chart)) for chart in CHARTS)
        with floor_server(frame) as url:
            medians = []
            for renderer in ("svg", "webgl"):
                page, _ = open_target(browser, Target(renderer, f"{url}?renderer={renderer}", "#search"))
                times = [page.evaluate(TIMED_CHANGE, ["toggle", DOMAIN_CYCLE[(i // 2) % 3], None])
                         for i in range(toggles)]
                medians.append(statistics.median(times))
                page.context.close()
        print(f"{models:>8} {points:>8} {medians[0]:>8.0f} {medians[1]:>8.0f}", flush=True)


def summary(values: list[float]) -> str:
    if not values:
        return "—"
    return f"{statistics.median(values):7.0f} ({min(values):.0f}–{max(values):.0f})"


def report(result: dict) -> None:
    targets = {t.name.split(" ")[0]: t for t in result["targets"]}
    app, naive, floor = targets["app"], targets["naive"], targets["floor"]
    median = lambda values: statistics.median(values) if values else float("nan")  # noqa: E731
    print(f"\n## {result['size']}: {result['models']} models (dataset built in "
          f"{result['load_seconds']:.1f} s; {result['webgl_charts']} of 3 charts in WebGL)")
    print(f"{'':24} {'filter→redraw ms':>24} {'search→highlight ms':>24} {'first paint ms':>24} "
          f"{'bytes/change':>12} {'worker RSS/PSS MB':>18}")
    for target in result["targets"]:
        memory = f"{target.memory[0]:.0f}/{target.memory[1]:.0f}" if target.process else "—"
        per_change = f"{median(target.change_bytes):.0f}" if target.change_bytes else "—"
        print(f"{target.name:24} {summary(target.toggles):>24} {summary(target.searches):>24} "
              f"{summary(target.first_paints):>24} {per_change:>12} {memory:>18}")
    print(f"ratios (medians): naive/app filter {median(naive.toggles) / median(app.toggles):.2f}×, "
          f"search {median(naive.searches) / median(app.searches):.2f}×; "
          f"app/floor filter {median(app.toggles) / median(floor.toggles):.2f}×, "
          f"search {median(app.searches) / median(floor.searches):.2f}×, "
          f"first paint {median(app.first_paints) / median(floor.first_paints):.2f}×", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="bundled,notable,3k,100k")
    parser.add_argument("--toggles", type=int, default=12)
    parser.add_argument("--searches", type=int, default=6)
    parser.add_argument("--paints", type=int, default=3)
    parser.add_argument("--crossover", action="store_true",
                        help="also time SVG against WebGL on the floor page at growing sizes")
    args = parser.parse_args(argv)
    logs = Path(tempfile.mkdtemp(prefix="scalemap-bench-"))
    print(f"server logs in {logs}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        for size in filter(None, args.sizes.split(",")):
            report(measure_size(size, browser, args.toggles, args.searches, args.paints, logs))
        if args.crossover:
            crossover(browser, args.toggles)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
