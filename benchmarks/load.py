"""Load and fault test: many visitors at once, and a worker killed under load (locust).

    python -m benchmarks.load [--users 50] [--seconds 60] [--kill-users 20]

Serves the app with gunicorn (gunicorn_conf.py, 2 workers) on the bundled catalogue, on the
loopback only, then:
1. `--users` simulated visitors for `--seconds`: each opens the page (page, layout, callback
   graph, the dataset), then clicks models (stats cards), opens trend fits for random filters,
   now and then downloads a CSV (the button's callback and /data.csv, /api/models.json) and
   checks a file of its own models (an upload of 200 rows; "busy" answers counted apart), 1–3 s apart: what a browser asks
   the server for, now that filtering and drawing happen in the browser. Prints requests,
   failures and p50/p95/p99.
2. `--kill-users` visitors (0: skip); after 10 s one worker gets SIGKILL; prints the failed
   requests and how long until a new worker answers.
The callbacks' requests are built from the app's own /_dash-dependencies, so they follow the
app. Every visitor comes from 127.0.0.1, one address, so the per-address rate limits are raised
for the run (they would refuse most of them). Exits 1 when more than 1% of a run's requests fail."""
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
MAX_FAILED = 0.01   # a run with more failed requests than this share is a failure (exit 1)
# Values for the controls a callback reads as state; any other is sent as None (its default).
CONTROL_VALUES = {
    "year-filter.value": [1950, 2025], "organization-filter.value": [], "name-search.value": "",
    "overlay-toggles.value": ["chinchilla", "parameter-gap"], "era-deep-learning-from.value": "2010-01",
    "era-large-scale-from.value": "2015-09", "pinned-models.data": [], "labels-switch.value": True,
    "time-window.value": "dl", "colour-by.value": "domain", "custom-x.value": "training_compute",
    "custom-y.value": "parameters", "custom-x-scale.value": "log", "custom-y-scale.value": "log",
}
UPLOAD = ("Model,Organization,Publication date,Parameters,Training compute (FLOP),Domain\n" + "".join(
    f"Load model {i},Load Lab,2023-{i % 12 + 1:02d}-01,{i + 1}e6,{i + 1}e18,Language\n" for i in range(200))).encode()


class Callbacks:
    """The app's server-side callbacks, by an id their output names, read from /_dash-dependencies."""
    found: dict[str, dict] = {}

    @classmethod
    def learn(cls, dependencies: list[dict]) -> None:
        cls.found = {d["output"]: d for d in dependencies if not d.get("clientside_function")}

    @classmethod
    def request(cls, names: str, inputs: dict[str, object], state: dict[str, object] | None = None) -> dict:
        """A request in Dash's shape for the callback whose output holds `names` ("download-csv.data")."""
        output, spec = next((o, d) for o, d in cls.found.items() if names in o)
        outputs = [{"id": part.split("@")[0].rsplit(".", 1)[0], "property": part.split("@")[0].rsplit(".", 1)[1]}
                   for part in output.strip(".").split("...")]
        key = lambda item: f"{item['id']}.{item['property']}"  # noqa: E731
        values = {**CONTROL_VALUES, **(state or {})}
        return {"output": output, "outputs": outputs if output.startswith("..") else outputs[0],
                "inputs": [{**i, "value": inputs.get(key(i))} for i in spec["inputs"]],
                "state": [{**s, "value": values.get(key(s))} for s in spec["state"]],
                "changedPropIds": [key(spec["inputs"][0])]}


class Visitor(HttpUser):
    wait_time = between(1, 3)
    model_ids: list[str] = []
    dataset_url = "/"
    busy_uploads = 0   # uploads answered "busy, try again in a moment"
    busy_exports = 0   # exports answered "busy with another export"

    def on_start(self):
        self.open_page()

    @task(1)
    def open_page(self):
        page = self.client.get("/", name="page").text
        Visitor.dataset_url = re.search(r'rel="preload" href="([^"]+)"', page).group(1)
        self.client.get("/_dash-layout", name="layout")
        with self.client.get("/_dash-dependencies", name="dependencies", catch_response=True) as response:
            if not Callbacks.found and response.ok:
                Callbacks.learn(response.json())
        with self.client.get(Visitor.dataset_url, name="dataset", headers={"Accept-Encoding": "gzip, br, zstd"},
                             catch_response=True) as response:
            if not Visitor.model_ids and response.ok:
                Visitor.model_ids = json.loads(response.content)["columns"]["id"]

    def post(self, name: str, body: dict, says: str | None = None):
        with self.client.post("/_dash-update-component", name=name, json=body, catch_response=True) as response:
            if response.ok and says and says not in response.text:   # answered, but not what was asked
                response.failure(f"the answer does not say {says!r}: {response.text[:200]}")

    @task(5)
    def open_a_card(self):
        model = random.choice(Visitor.model_ids or ["gpt-3-175b"])
        self.post("stats card", Callbacks.request("stats-card-body.children", {"card-request.data": {"id": model}}),
                  says="stats-card-name")

    @task(2)
    def fit_trends(self):
        domains = random.sample(DOMAINS, random.randint(0, 2))
        query = "?" + "&".join(f"domain={d}" for d in domains) if domains else ""
        self.post("trend fits", Callbacks.request("trend-fits.data", {"trend-request.data": {"key": query}}))

    @task(1)
    def download_csv(self):
        domains = random.sample(DOMAINS, random.randint(0, 2))
        self.post("csv button", Callbacks.request("download-csv.data", {"download-csv-button.n_clicks": 1},
                                                  {"domain-filter.value": domains}), says="ml-scale-map")

    @task(1)
    def export(self):
        # "Busy" (503: another export being built, one at a time in the whole server) is an
        # answer too, counted apart.
        domain = random.choice(DOMAINS)
        path, name = ((f"/data.csv?domain={domain}", "/data.csv") if random.random() < 0.5 else
                      (f"/api/models.json?domain={domain}&q=a", "/api/models.json"))
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code == 503 and "busy with another export" in response.text:
                Visitor.busy_exports += 1
                response.success()

    @task(1)
    def upload(self):
        # As the page sends it (components/upload.py). "Busy" (503, another file being checked:
        # one at a time in the whole server) is an answer too, counted apart.
        with self.client.post("/api/check-upload?name=mine.csv", data=UPLOAD, name="upload", catch_response=True,
                              headers={"Content-Type": "application/octet-stream", "X-Held-Files": "[]"}) as response:
            if response.status_code == 503 and "server is busy" in response.text:
                Visitor.busy_uploads += 1
                response.success()
            elif response.ok and "200 models added" not in response.text:
                response.failure(f"the answer does not say '200 models added': {response.text[:200]}")


def serve(log: Path) -> tuple[str, subprocess.Popen]:
    port = 8700 + random.randrange(200)
    env = {**os.environ, "SCALEMAP_HOST": "127.0.0.1", "SCALEMAP_PORT": str(port), "WEB_CONCURRENCY": "2",
           # one address for every visitor: the per-address limits would refuse most of them
           "SCALEMAP_UPLOAD_RATE": "100000 per minute", "SCALEMAP_EXPORT_RATE": "100000 per minute"}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn_conf.py", "app:server"],
                               cwd=REPO, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
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


def report(environment: Environment, title: str) -> float:
    """Prints the run's table; returns the share of its requests that failed."""
    print(f"\n## {title}")
    print(f"{'request':>16} {'count':>7} {'failed':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    rows = sorted(environment.stats.entries.values(), key=lambda e: e.name) + [environment.stats.total]
    for entry in rows:
        print(f"{entry.name:>16} {entry.num_requests:>7} {entry.num_failures:>7} "
              f"{entry.get_response_time_percentile(0.5):>8.0f} {entry.get_response_time_percentile(0.95):>8.0f} "
              f"{entry.get_response_time_percentile(0.99):>8.0f}")
    total = environment.stats.total
    failed = total.num_failures / max(1, total.num_requests)
    print(f"{total.total_rps:.1f} requests/s; {total.num_failures} of {total.num_requests} failed "
          f"({100 * failed:.2f}%)")
    uploads = environment.stats.entries.get(("upload", "POST"))
    if uploads is not None:
        print(f"uploads: {uploads.num_requests - uploads.num_failures - Visitor.busy_uploads} checked, "
              f"{Visitor.busy_uploads} answered 'busy, try again in a moment'")
    print(f"exports answered 'busy with another export': {Visitor.busy_exports}")
    Visitor.busy_uploads = Visitor.busy_exports = 0
    for error in list(environment.stats.errors.values())[:5]:
        print(f"  {error.occurrences} × {error.method} {error.name}: {str(error.error)[:160]}")
    return failed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kill-users", type=int, default=20)
    args = parser.parse_args(argv)
    log = Path(tempfile.mkdtemp(prefix="scalemap-load-")) / "server.log"
    url, master = serve(log)
    failed = []
    try:
        failed.append(report(run(url, args.users, args.seconds), f"{args.users} visitors for {args.seconds:.0f} s, "
                             "2 workers"))
        if not args.kill_users:
            return 1 if max(failed) > MAX_FAILED else 0
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
        failed.append(report(environment, f"{args.kill_users} visitors, one worker killed (SIGKILL) after 10 s"))
        print(f"a new worker answered {recovery.get('seconds', float('nan')):.2f} s after the kill")
    finally:
        master.terminate()
        master.wait(timeout=30)
    if max(failed) > MAX_FAILED:
        print(f"more than {MAX_FAILED:.0%} of a run's requests failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
