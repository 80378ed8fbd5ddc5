"""Load and fault test: many visitors at once, and a worker killed under load (locust).

    python -m benchmarks.load [--users 50] [--seconds 60] [--kill-users 20]

Serves the app with gunicorn (gunicorn_conf.py, 2 workers) on the bundled catalogue, then:
1. `--users` simulated visitors for `--seconds`: each opens the page (page, layout, callback
   graph, the dataset), then clicks models (stats cards), opens trend fits for random filters
   and now and then downloads a CSV, 1–3 s apart: what a browser asks the server for, now that
   filtering and drawing happen in the browser. Prints requests, failures and p50/p95/p99.
2. `--kill-users` visitors; after 10 s one worker gets SIGKILL; prints the failed requests and
   how long until a new worker answers. Not a test: numbers, not verdicts."""
from __future__ import annotations

import gevent.monkey  # locust runs on gevent, which must patch the standard library first

gevent.monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from locust import HttpUser, between, task  # noqa: E402
from locust.env import Environment  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DOMAINS = ("language", "vision", "games", "biology", "speech", "multimodal", "robotics")


def callback(output: str, outputs, inputs: list[tuple[str, str, object]], state=()) -> dict:
    """A request in Dash's shape for one callback."""
    return {"output": output, "outputs": outputs,
            "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
            "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
            "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"]}


class Visitor(HttpUser):
    wait_time = between(1, 3)
    model_ids: list[str] = []
    dataset_url = "/"

    def on_start(self):
        self.open_page()

    @task(1)
    def open_page(self):
        page = self.client.get("/", name="page").text
        Visitor.dataset_url = re.search(r'rel="preload" href="([^"]+)"', page).group(1)
        self.client.get("/_dash-layout", name="layout")
        self.client.get("/_dash-dependencies", name="dependencies")
        with self.client.get(Visitor.dataset_url, name="dataset", headers={"Accept-Encoding": "gzip, br, zstd"},
                             catch_response=True) as response:
            if not Visitor.model_ids and response.ok:
                Visitor.model_ids = json.loads(response.content)["columns"]["id"]

    @task(5)
    def open_a_card(self):
        model = random.choice(Visitor.model_ids or ["gpt-3-175b"])
        self.client.post("/_dash-update-component", name="stats card", json=callback(
            "..stats-card.children...stats-card.is_open..",
            [{"id": "stats-card", "property": "children"}, {"id": "stats-card", "property": "is_open"}],
            [("selected-model", "data", model)]))

    @task(2)
    def fit_trends(self):
        domains = random.sample(DOMAINS, random.randint(0, 2))
        query = "?" + "&".join(f"domain={d}" for d in domains) if domains else ""
        self.client.post("/_dash-update-component", name="trend fits", json=callback(
            "..trend-fits.data...trends-summary.children..",
            [{"id": "trend-fits", "property": "data"}, {"id": "trends-summary", "property": "children"}],
            [("trend-request", "data", {"key": query})]))

    @task(1)
    def download_csv(self):
        domains = random.sample(DOMAINS, random.randint(0, 2))
        self.client.post("/_dash-update-component", name="csv", json=callback(
            "download-csv.data", {"id": "download-csv", "property": "data"},
            [("download-csv-button", "n_clicks", 1)],
            [("domain-filter", "value", domains), ("year-filter", "value", [1950, 2025]),
             ("organization-filter", "value", []), ("name-search", "value", ""),
             ("overlay-toggles", "value", ["chinchilla", "parameter-gap"]),
             ("era-deep-learning-from", "value", "2010-01"), ("era-large-scale-from", "value", "2015-09")]))


def serve(log: Path) -> tuple[str, subprocess.Popen]:
    port = 8700 + random.randrange(200)
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn_conf.py", "app:server"],
                               cwd=REPO, env={**os.environ, "SCALEMAP_PORT": str(port), "WEB_CONCURRENCY": "2"},
                               stdout=open(log, "w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            return url, process
        except OSError:
            time.sleep(0.1)   # the server is still starting
    raise SystemExit(f"the server did not start: {log.read_text()[-500:]}")


def workers(master: subprocess.Popen) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()]


def run(url: str, users: int, seconds: float, during=None) -> Environment:
    environment = Environment(user_classes=[Visitor], host=url)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=max(1, users // 5))
    if during:
        gevent.spawn(during)
    gevent.sleep(seconds)
    runner.quit()
    return environment


def report(environment: Environment, title: str) -> None:
    print(f"\n## {title}")
    print(f"{'request':>16} {'count':>7} {'failed':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    rows = sorted(environment.stats.entries.values(), key=lambda e: e.name) + [environment.stats.total]
    for entry in rows:
        print(f"{entry.name:>16} {entry.num_requests:>7} {entry.num_failures:>7} "
              f"{entry.get_response_time_percentile(0.5):>8.0f} {entry.get_response_time_percentile(0.95):>8.0f} "
              f"{entry.get_response_time_percentile(0.99):>8.0f}")
    total = environment.stats.total
    print(f"{total.total_rps:.1f} requests/s; {total.num_failures} of {total.num_requests} failed "
          f"({100 * total.num_failures / max(1, total.num_requests):.2f}%)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kill-users", type=int, default=20)
    args = parser.parse_args(argv)
    log = Path(tempfile.mkdtemp(prefix="scalemap-load-")) / "server.log"
    url, master = serve(log)
    try:
        report(run(url, args.users, args.seconds), f"{args.users} visitors for {args.seconds:.0f} s, 2 workers")
        recovery = {}

        def kill_a_worker():
            gevent.sleep(10)
            before = set(workers(master))
            victim = min(before)
            os.kill(victim, signal.SIGKILL)
            killed = time.perf_counter()
            while True:   # a new worker: its pid among the master's children, and it answers
                fresh = set(workers(master)) - before
                if fresh and urllib.request.urlopen(url + "/_dash-dependencies", timeout=2).status == 200:
                    recovery["seconds"] = time.perf_counter() - killed
                    return
                gevent.sleep(0.05)

        environment = run(url, args.kill_users, 30, during=kill_a_worker)
        report(environment, f"{args.kill_users} visitors, one worker killed (SIGKILL) after 10 s")
        print(f"a new worker answered {recovery.get('seconds', float('nan')):.2f} s after the kill")
    finally:
        master.terminate()
        master.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
