"""Valid uploads in bulk: does checking them starve everyone else?

    python -m benchmarks.upload_flood [--clients 20] [--seconds 60]

Serves the app with gunicorn (2 workers, loopback only) and measures a visitor opening the page
(page, layout, dataset) once a second, from a process of its own: first alone, then while
`--clients` threads send a valid 490 KB YAML file of 2,000 models to the upload check
(`POST /api/check-upload`, as the page does) again and again — once sending each file again as
soon as it is answered (a "busy" answer's Retry-After ignored: the worst case), once waiting the
Retry-After as the page does. With the default per-address upload limit, then with it raised
out of reach (20 clients of their own addresses). Prints the page's load times (p50, p95, max)
and what the uploads got: checked, "busy" (another file was being checked), refused by the
limit, failed. Every client comes from 127.0.0.1, one address. Numbers, not verdicts."""
from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ENTRY = """- name: Flood model {i:04d}
  organization: Flood Lab
  date: 2023-{month:02d}-01
  domains: [language]
  links: [https://example.org/flood/{i:04d}]
  parameters: {{value: {i}e6, confidence: likely}}
  notes: {pad}
"""


def flood_file() -> bytes:
    pad = "a valid model among many, sent again and again, a few more words"
    return "".join(ENTRY.format(i=i + 1, month=i % 12 + 1, pad=pad) for i in range(2_000)).encode()


def serve(env: dict, log: Path) -> tuple[str, subprocess.Popen]:
    port = 8900 + random.randrange(90)
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn_conf.py", "app:server"], cwd=REPO,
                               env={**os.environ, **env, "SCALEMAP_HOST": "127.0.0.1", "SCALEMAP_PORT": str(port),
                                    "WEB_CONCURRENCY": "2"}, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            return url, process
        except OSError:
            time.sleep(0.1)   # still starting
    raise SystemExit(f"the server did not start: {log.read_text()[-500:]}")


def page_load(url: str) -> float:
    started = time.perf_counter()
    page = urllib.request.urlopen(url + "/", timeout=120).read().decode()
    urllib.request.urlopen(url + "/_dash-layout", timeout=120).read()
    dataset = page.split('rel="preload" href="', 1)[1].split('"', 1)[0]
    urllib.request.urlopen(url + dataset, timeout=120).read()
    return time.perf_counter() - started


def visitor(url: str, seconds: float, loads) -> None:
    """Opens the page once a second for `seconds`, in a process of its own: the flood's threads
    must not slow the visitor's own client."""
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        loads.put(page_load(url))
        time.sleep(1)   # a visitor's pace, not a wait for anything


def run(url: str, clients: int, seconds: float, data: bytes, honour_retry_after: bool) -> dict:
    stop = time.monotonic() + seconds
    outcomes = {"checked": 0, "busy": 0, "refused": 0, "failed": 0}
    lock = threading.Lock()

    def client():
        while time.monotonic() < stop:
            request = urllib.request.Request(url + "/api/check-upload?name=flood.yaml", data=data, headers={
                "Content-Type": "application/octet-stream", "X-Held-Files": "[]"})
            wait = 0.0
            try:
                text = urllib.request.urlopen(request, timeout=120).read().decode()
                kind = "checked" if "models added" in text else "failed"
            except urllib.error.HTTPError as error:   # 503 busy, 429 over the limit: answers too
                kind = {503: "busy", 429: "refused"}.get(error.code, "failed")
                wait = float(error.headers.get("Retry-After") or 0) if honour_retry_after else 0.0
            except OSError:
                kind = "failed"
            with lock:
                outcomes[kind] += 1
            time.sleep(min(wait, max(0.0, stop - time.monotonic())))

    loads = visited_during(url, seconds, [threading.Thread(target=client) for _ in range(clients)])
    return {**outcomes, "loads": loads}   # (the outcomes once the clients are done)


def visited_during(url: str, seconds: float, threads: list[threading.Thread]) -> list[float]:
    """The page's load times (s) for a visitor of its own process while `threads` run."""
    for thread in threads:
        thread.start()
    loads = multiprocessing.get_context("spawn").Queue()
    page = multiprocessing.get_context("spawn").Process(target=visitor, args=(url, seconds, loads))
    page.start()
    page.join()
    for thread in threads:
        thread.join()
    times = []
    while not loads.empty():
        times.append(loads.get())
    return times


def percentiles(loads: list[float]) -> str:
    loads = sorted(loads)
    p95 = loads[min(len(loads) - 1, math.ceil(0.95 * len(loads)) - 1)]
    return (f"{statistics.median(loads) * 1000:>7.0f} {p95 * 1000:>7.0f} {loads[-1] * 1000:>7.0f} "
            f"{len(loads):>6}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--limits", choices=("both", "default", "raised"), default="both",
                        help="run with the default per-address upload limit, with it raised, or both")
    args = parser.parse_args(argv)
    data = flood_file()
    print(f"{args.clients} clients sending a {len(data) / 1024:.0f} KB YAML of 2,000 models for {args.seconds:.0f} s; "
          "a visitor opens the page once a second")
    folder = Path(tempfile.mkdtemp(prefix="scalemap-flood-"))
    rows = []
    for title, env in (("default upload limit", {}),
                       ("upload limit raised out of reach", {"SCALEMAP_UPLOAD_RATE": "100000 per minute"})):
        if args.limits != "both" and args.limits not in title:
            continue
        url, server = serve(env, folder / "server.log")
        try:
            alone = run(url, 0, min(args.seconds, 30), data, False)["loads"]
            rows.append((f"{title}: no uploads", percentiles(alone), ""))
            for honour in (False, True):
                result = run(url, args.clients, args.seconds, data, honour)
                rows.append((f"{title}: {args.clients} uploading, " + ("waiting Retry-After" if honour else
                             "again at once"), percentiles(result["loads"]),
                             f"{result['checked']} checked, {result['busy']} busy, {result['refused']} refused, "
                             f"{result['failed']} failed"))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"\n{'page load, ms':<66} {'p50':>7} {'p95':>7} {'max':>7} {'loads':>6}  uploads")
    for title, figures, uploads in rows:
        print(f"{title:<66} {figures}  {uploads}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
