"""Full exports in a loop at 100,000 models: do they starve a visitor, or grow the workers?

    python -m benchmarks.export_flood [--clients 6] [--seconds 60] [--models 100000]

Serves the app with gunicorn (2 workers, loopback only) on an Epoch-format file of `--models`
generated models (benchmarks/datasets.py; needs ../shared/data/epoch) and measures a visitor
opening the page (page, layout, dataset) once a second from a process of its own: first alone,
then while `--clients` threads download the whole `/data.csv` again and again (the export limit
raised out of reach, as for clients of their own addresses; a "busy" answer asked again at once,
the worst case). Prints the page's load times (p50,
p95, max), the exports answered, and each worker's memory (RSS) idle and at its peak, sampled
every 0.2 s. Numbers, not verdicts."""
from __future__ import annotations

import argparse
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchmarks.datasets import generated_csv
from benchmarks.upload_flood import percentiles, serve, visited_during


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass   # a worker that was replaced
    return 0.0


def run(url: str, master: int, clients: int, seconds: float) -> dict:
    stop = time.monotonic() + seconds
    exports, failed, busy, peak = [], [0], [0], {}
    lock = threading.Lock()

    def client():
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url + "/data.csv", timeout=300) as response:
                    while response.read(1 << 16):
                        pass
                with lock:
                    exports.append(time.perf_counter() - started)
            except urllib.error.HTTPError as error:   # 503: another export being built, sent again at once
                with lock:
                    (busy if error.code == 503 else failed)[0] += 1
            except OSError:
                with lock:
                    failed[0] += 1

    def sample():
        while time.monotonic() < stop:
            for pid in workers_of(master):
                peak[pid] = max(peak.get(pid, 0.0), rss_mb(pid))
            time.sleep(0.2)

    threads = [threading.Thread(target=client) for _ in range(clients)] + [threading.Thread(target=sample)]
    loads = visited_during(url, seconds, threads)
    return {"loads": loads, "exports": exports, "failed": failed[0], "busy": busy[0], "peak": peak}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--models", type=int, default=100_000)
    args = parser.parse_args(argv)
    data = generated_csv(args.models)
    folder = Path(tempfile.mkdtemp(prefix="scalemap-exports-"))
    env = {"SCALEMAP_EPOCH_CSV": str(data), "SCALEMAP_EPOCH_ONLY": "1", "SCALEMAP_EXPORT_RATE": "100000 per minute"}
    url, server = serve(env, folder / "server.log")
    try:
        urllib.request.urlopen(url + "/data.csv", timeout=300).read()   # each worker's first answer: imports, caches
        urllib.request.urlopen(url + "/data.csv", timeout=300).read()
        idle = {pid: rss_mb(pid) for pid in workers_of(server.pid)}
        alone = run(url, server.pid, 0, args.seconds)
        flood = run(url, server.pid, args.clients, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"{args.models:,} models; {args.clients} clients downloading /data.csv in a loop for {args.seconds:.0f} s; "
          "a visitor opens the page once a second (ms)")
    print(f"{'':<32} {'p50':>7} {'p95':>7} {'max':>7} {'loads':>6}")
    print(f"{'page load, no exports':<32} {percentiles(alone['loads'])}")
    print(f"{'page load, exports looping':<32} {percentiles(flood['loads'])}")
    exports = sorted(flood["exports"])
    if exports:
        print(f"exports answered: {len(exports)} (median {exports[len(exports) // 2]:.1f} s each); answered "
              f"'busy' (Retry-After ignored, asked again at once): {flood['busy']}; failed: {flood['failed']}")
    for pid, before in idle.items():
        print(f"worker {pid}: RSS idle {before:.0f} MB, peak under the exports {flood['peak'].get(pid, 0):.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
