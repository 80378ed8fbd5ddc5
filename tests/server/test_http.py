"""HTTP around the app: the dataset at a URL of its own, compression, cache lifetimes."""
import gzip
import json
import re

import pytest

from scalemap.contract.payload import build_payload


@pytest.fixture
def client(app):
    return app.server.test_client()


def dataset_url(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'<link rel="preload" href="([^"]+)" as="fetch" crossorigin="anonymous">', page).group(1)


def test_the_page_starts_fetching_the_dataset_with_its_head(client, app):
    url = dataset_url(client)
    assert url == f"/dataset/{app.server.config['SCALEMAP_DATASET'].version}.json"


def test_the_dataset_is_served_once_compressed_and_cached_for_good(client, app):
    url = dataset_url(client)
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["ETag"]
    payload = json.loads(gzip.decompress(response.data))
    assert payload == json.loads(json.dumps(build_payload(app.server.config["SCALEMAP_DATASET"])))
    ratio = len(gzip.decompress(response.data)) / len(response.data)
    print(f"\ndataset: {len(response.data):,} bytes gzip, {ratio:.1f}× smaller than the JSON")
    assert ratio > 3
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and not again.data


@pytest.mark.parametrize("encoding", ["zstd", "br", "gzip"])
def test_every_response_is_compressed_as_the_browser_accepts(client, encoding):
    for path in ("/", "/_dash-layout", "/_dash-dependencies", dataset_url(client)):
        response = client.get(path, headers={"Accept-Encoding": f"{encoding}, identity"})
        assert response.headers.get("Content-Encoding") == encoding, path


def test_a_stale_dataset_url_answers_404_with_a_reason(client):
    response = client.get("/dataset/0123456789abcdef.json")
    assert response.status_code == 404 and "reload the page" in response.get_json()["error"]


def test_scripts_and_assets_are_cached_for_good_and_callbacks_are_not(client):
    page = client.get("/").get_data(as_text=True)
    script = re.search(r'src="(/_dash-component-suites/[^"]+)"', page).group(1)
    asset = re.search(r'href="(/assets/[^"]+\?m=[^"]+)"', page).group(1)
    for url in (script, asset, "/_favicon.ico?v=" + re.search(r"_favicon.ico\?v=([^\"]+)", page).group(1)):
        assert client.get(url).headers["Cache-Control"] == "public, max-age=31536000, immutable", url
    assert "immutable" not in client.get("/_dash-layout").headers.get("Cache-Control", "")


def test_the_page_sends_no_figure_points_in_its_layout(client, app):
    layout = client.get("/_dash-layout").get_json()
    text = json.dumps(layout)
    assert "GPT-3 175B" not in text   # names travel in the dataset, not in figures
    print(f"\nlayout: {len(text):,} bytes of JSON")


@pytest.mark.parametrize("junk", [None, True, 42, "x", [], {"key": 5}, {"key": "?" + "domain=x&" * 3000},
                                  {"key": "?from=abc&org=%00"}, {"key": "?domain=language"}])
def test_the_trends_callback_answers_junk_without_an_error(client, junk):
    body = {"output": "..trend-fits.data...trends-summary.children..",
            "outputs": [{"id": "trend-fits", "property": "data"},
                        {"id": "trends-summary", "property": "children"}],
            "inputs": [{"id": "trend-request", "property": "data", "value": junk}],
            "changedPropIds": ["trend-request.data"], "state": []}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code in (200, 204), response.data[:300]
    if isinstance(junk, dict) and junk["key"] == "?domain=language":
        fits = response.get_json()["response"]["trend-fits"]["data"]
        assert fits["key"] == "?domain=language" and {f["metric"] for f in fits["fits"]} == {
            "training_compute", "parameters", "training_data:tokens"}   # and the custom chart's default
        assert fits["titles"]["compute-vs-date"].startswith("Training compute of the ")   # the takeaways


def test_a_fault_in_a_callback_is_a_logged_500_with_a_request_id(client, monkeypatch, caplog):
    import components.pinned_comparison

    def broken(*args):
        raise RuntimeError("a bug of ours")
    monkeypatch.setattr(components.pinned_comparison, "pinned_models", broken)
    body = {"output": "comparison.children",
            "outputs": {"id": "comparison", "property": "children"},
            "inputs": [{"id": "comparison-request", "property": "data", "value": {"pins": ["gpt-3-175b"]}}],
            "changedPropIds": ["comparison-request.data"], "state": []}
    with caplog.at_level("ERROR", logger="ml_scale_map"):
        response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 500, response.data[:300]
    request_id = response.get_json()["request_id"]
    assert re.fullmatch(r"[0-9a-f]{12,}", request_id) and response.headers["X-Request-ID"] == request_id
    assert "a bug of ours" not in response.get_data(as_text=True)        # the traceback stays in the log
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged and logged[0].exc_info and "a bug of ours" in str(logged[0].exc_info[1])


def test_a_request_dash_cannot_read_is_still_the_clients_400(client):
    response = client.post("/_dash-update-component", json={"output": "x.y", "inputs": 5})
    assert response.status_code == 400 and response.get_json()["error"] == "malformed callback request"


def test_the_command_line_serves_with_gunicorn_not_flasks_development_server(tmp_path):
    import subprocess
    import sys
    import urllib.request

    from tests.support import REPO, free_port, wait_for_http
    port = free_port()
    log = tmp_path / "serve.log"
    process = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=REPO,
                               stdout=open(log, "w"), stderr=subprocess.STDOUT)
    process.log_path = log
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
            assert response.headers["Server"] == "ml-scale-map"   # no banner naming the software
    finally:
        process.terminate()
        process.wait(timeout=20)
    output = log.read_text()
    assert "Starting gunicorn" in output and "development server" not in output


def _script_urls(client) -> list[str]:
    return re.findall(r'src="(/_dash-component-suites/[^"]+)"', client.get("/").get_data(as_text=True))


def test_made_up_fingerprints_and_paths_do_not_grow_the_compressed_cache(client, app):
    from components.http import CACHE_KEY
    cache = app.server.extensions[CACHE_KEY]
    gzip_only = {"Accept-Encoding": "gzip"}
    scripts = _script_urls(client)
    for url in [*scripts, dataset_url(client)]:   # every real file, once
        assert client.get(url, headers=gzip_only).status_code == 200, url
    held = (len(cache), cache.bytes)
    assert held[0] >= len(scripts) and held[1] > 0
    renderer = next(url for url in scripts if re.search(r"/dash_renderer\.v[\w-]+m[0-9a-f]+\.min\.js$", url))
    for i in range(1_000):   # Dash serves each as dash_renderer.min.js
        fake = re.sub(r"\.v[\w-]+m[0-9a-f]+\.min\.js$", f".v{i}m{i:x}.min.js", renderer)
        assert client.get(fake, headers=gzip_only).status_code == 200
        client.get(f"/x{i}/dataset/{i}.json", headers=gzip_only)   # Dash's catch-all: the page
        assert client.get(f"/dataset/{i:016x}.json", headers=gzip_only).status_code == 404
    assert (len(cache), cache.bytes) == held


def test_the_compressed_cache_is_bounded_in_bytes():
    from components.http import ImmutableResponseCache
    cache = ImmutableResponseCache(max_bytes=1_000)
    for i in range(10):
        cache.set(f"gzip;suites:/file{i}.js", b"x" * 300)
    cache.set("gzip;suites:/huge.js", b"x" * 5_000)   # larger than the whole cache: not kept
    cache.set("gzip;", b"x")                          # a route that is never kept
    assert cache.bytes <= 1_000 and len(cache) == 3
    assert cache.get("gzip;suites:/file9.js") == b"x" * 300 and cache.get("gzip;suites:/file0.js") is None


def test_an_unknown_script_path_is_404_without_a_traceback(client, caplog):
    for path in ("/_dash-component-suites/plotly/nothing.js", "/_dash-component-suites/os/path.py",
                 "/_dash-component-suites/dash/..%2F..%2Fsetup.py"):
        response = client.get(path)
        assert response.status_code == 404 and response.get_json() == {"error": "no such file"}, path
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def _raw(url: str, request: bytes) -> tuple[str, dict, bytes]:
    """(status line, headers, body) of a request sent as written."""
    import socket
    from urllib.parse import urlsplit
    host, port = urlsplit(url).hostname, urlsplit(url).port
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    return lines[0], {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}, body


def test_gunicorns_own_error_answer_carries_the_security_headers(gunicorn_server):
    status, headers, body = _raw(gunicorn_server, b"GET /?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status.startswith(("HTTP/1.1 400", "HTTP/1.1 414"))   # 414 URI Too Long in newer gunicorn
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert headers["content-security-policy"].startswith("default-src 'none'")
    assert headers["content-type"].startswith("text/plain") and b"<" not in body
    # A link's query of 8,100 bytes still reaches the app (gunicorn's line limit is 8,190 bytes).
    status, headers, _ = _raw(gunicorn_server, b"GET /data.csv?q=" + b"a" * 8_100 + b" HTTP/1.1\r\nHost: x\r\n"
                              b"Connection: close\r\n\r\n")
    assert status.startswith("HTTP/1.1 200") and "x-data-credit" in headers


# --- the page's scripts: the plotly.js its charts need, nothing it does not use ---------------

def test_the_page_loads_the_light_plotly_bundle_before_dash_and_no_datatable(client):
    from components.plotly_bundle import LIGHT
    page = client.get("/").get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', page)
    light = next(i for i, src in enumerate(scripts) if src.startswith(f"/assets/{LIGHT.as_posix()}?m="))
    renderer = next(i for i, src in enumerate(scripts) if "dash_renderer" in src)
    assert light < renderer                                        # window.Plotly is set before Dash runs
    assert f'<link rel="preload" href="{scripts[light]}" as="script">' in page
    assert not [src for src in scripts if "dash_table" in src or "plotly.min.js" in src or "/vendor/" in src
                and src != scripts[light]]
    response = client.get(scripts[light], headers={"Accept-Encoding": "br"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_the_light_bundle_is_the_pinned_file_at_the_plotly_packages_version():
    import hashlib

    from plotly.offline import get_plotlyjs_version

    from components.plotly_bundle import ASSETS, LIGHT, LIGHT_SHA256, VERSION
    script = (ASSETS / LIGHT).read_bytes()
    assert hashlib.sha256(script).hexdigest() == LIGHT_SHA256
    assert f"plotly.js (cartesian - minified) v{VERSION}".encode() in script[:200]
    assert VERSION == get_plotlyjs_version()   # upgrading plotly means fetching its cartesian bundle again


def test_a_dataset_with_a_webgl_chart_loads_the_full_bundle_with_a_fingerprint(app):
    import pandas as pd

    from components.plotly_bundle import script_url
    from scalemap.features.charts import WEBGL_FROM_POINTS
    n = WEBGL_FROM_POINTS + 1
    frame = pd.DataFrame({"date": pd.date_range("2000-01-01", periods=n, freq="D"), "parameters": [1e9] * n,
                          "training_compute": [1e20] * n, "training_data": [0.0] * n, "domains": [("language",)] * n})
    url = script_url(app, frame)
    assert re.fullmatch(r"/_dash-component-suites/plotly/package_data/plotly\.v[\w]+m\d+\.min\.js", url), url
    response = app.server.test_client().get(url)
    assert response.status_code == 200 and b"plotly.js v" in response.data[:200]
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
