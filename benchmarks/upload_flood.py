"""Valid uploads in bulk: does checking them starve everyone else?

    python -m benchmarks.upload_flood [--clients 20] [--seconds 30]

Serves the app with gunicorn (2 workers, loopback only) twice: with the default per-address
upload limit, and with it raised out of reach. Each time `--clients` threads send a valid
490 KB YAML file of 2,000 models to the upload check, again and again, while another opens the
page (page, layout, dataset) once a second; prints the page's load times and what the uploads
got. Every client comes from 127.0.0.1, one address. Numbers, not verdicts."""
from __future__ import annotations

import argparse
import base64
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
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


def upload_body(data: bytes) -> bytes:
    return json.dumps({
        "output": "..uploaded-models.data...upload-message.children..",
        "outputs": [{"id": "uploaded-models", "property": "data"}, {"id": "upload-message", "property": "children"}],
        "inputs": [{"id": "upload-request", "property": "data", "value": {
            "filename": "flood.yaml", "contents": "data:application/x-yaml;base64," + base64.b64encode(data).decode()}}],
        "changedPropIds": ["upload-request.data"], "state": []}).encode()


def page_load(url: str) -> float:
    started = time.perf_counter()
    page = urllib.request.urlopen(url + "/", timeout=120).read().decode()
    urllib.request.urlopen(url + "/_dash-layout", timeout=120).read()
    dataset = page.split('rel="preload" href="', 1)[1].split('"', 1)[0]
    urllib.request.urlopen(url + dataset, timeout=120).read()
    return time.perf_counter() - started


def run(url: str, clients: int, seconds: float, body: bytes) -> dict:
    stop = time.monotonic() + seconds
    outcomes = {"checked": 0, "refused": 0, "failed": 0}
    lock = threading.Lock()

    def client():
        while time.monotonic() < stop:
            request = urllib.request.Request(url + "/_dash-update-component", data=body,
                                             headers={"Content-Type": "application/json"})
            try:
                text = urllib.request.urlopen(request, timeout=120).read().decode()
                kind = "refused" if "Too many files" in text else "checked" if "models added" in text else "failed"
            except OSError:
                kind = "failed"
            with lock:
                outcomes[kind] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    loads = []
    while time.monotonic() < stop:
        loads.append(page_load(url))
        time.sleep(1)   # a visitor's pace, not a wait for anything
    for thread in threads:
        thread.join()
    return {**outcomes, "loads": loads}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args(argv)
    data = flood_file()
    body = upload_body(data)
    print(f"{args.clients} clients sending a {len(data) / 1024:.0f} KB YAML of 2,000 models for {args.seconds:.0f} s")
    folder = Path(tempfile.mkdtemp(prefix="scalemap-flood-"))
    for title, env in (("default limit (10 a minute per address, per worker)", {}),
                       ("limit raised out of reach", {"SCALEMAP_UPLOAD_RATE": "100000 per minute"})):
        url, server = serve(env, folder / "server.log")
        try:
            quiet = statistics.median(page_load(url) for _ in range(3))
            result = run(url, args.clients, args.seconds, body)
        finally:
            server.terminate()
            server.wait(timeout=30)
        loads = sorted(result["loads"])
        print(f"\n## {title}")
        print(f"page load alone {quiet * 1000:.0f} ms; under the flood: median {statistics.median(loads) * 1000:.0f} ms, "
              f"worst {loads[-1] * 1000:.0f} ms ({len(loads)} loads)")
        print(f"uploads: {result['checked']} checked, {result['refused']} refused by the limit, "
              f"{result['failed']} failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
