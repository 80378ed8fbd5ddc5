"""`ml-scale-map fetch-epoch` and `--epoch latest`, against a local HTTP server in a thread that
can answer well, fail half-way, answer 500, stall, or send a web page instead of a CSV."""
from __future__ import annotations

import datetime as dt
import http.server
import io
import json
import threading
import time
from pathlib import Path

import pytest

import app as app_module
from scalemap.settings import settings_from_env
from scalemap.sources.epoch import EpochFormatError
from scalemap.sources.epoch_cache import (
    SIDECAR,
    Progress,
    cached,
    default_cache_dir,
    fetch,
    file_name,
    latest,
    resolve_epoch_paths,
)

HEADER = "Model,Organization,Publication date,Domain,Parameters,Training compute (FLOP),Notes\n"


def epoch_csv(models: int, version: str) -> bytes:
    """A made-up export in Epoch's format, about 200 bytes a row (several download chunks)."""
    rows = [f"Test model {version}-{i},Test Lab,2021-{i % 12 + 1:02d}-01,Language,{(i + 1) * 1e6:g},"
            f"{(i + 1) * 1e18:g},\"{'padding ' * 20}\"\n" for i in range(models)]
    return (HEADER + "".join(rows)).encode()


GOOD = epoch_csv(1000, "v1")
NEWER = epoch_csv(1200, "v2")


class EpochServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.behaviour: dict[str, str] = {}   # path -> good, newer, cut, error, stall, stall-body, html, no-length
        self.release = threading.Event()        # lets stalled handlers finish at teardown
        self.stalled = threading.Event()        # set once a handler has started stalling
        self.bodies: dict[str, bytes] = {}      # path -> a body of its own, sent as a good answer
        self.headers: dict[str, dict] = {}      # path -> headers of its own, sent with it

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):   # quiet
        pass

    def do_GET(self):
        server: EpochServer = self.server
        behaviour = server.behaviour.get(self.path, "good")
        if behaviour == "error":
            self.send_error(500, "Internal Server Error")
            return
        if behaviour.startswith("redirect:"):   # to the URL after the colon ({port}: this server's)
            self.send_response(302)
            self.send_header("Location", behaviour.partition(":")[2].replace("{port}", str(server.server_address[1])))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if behaviour == "drip":   # the file 200 bytes at a time, each in good time, never all of it soon
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.end_headers()
            try:
                for start in range(0, len(GOOD), 200):
                    self.wfile.write(GOOD[start:start + 200])
                    self.wfile.flush()
                    if server.release.wait(0.05):
                        return
            except OSError:   # the client gave up
                pass
            return
        if behaviour == "stall":   # accepts, then never answers
            server.stalled.set()
            server.release.wait(30)
            return
        body = server.bodies.get(self.path) or {
            "newer": NEWER, "html": b"<!doctype html><html><body>Epoch AI</body></html>"}.get(behaviour, GOOD)
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if behaviour == "html" else "text/csv")
        for key, value in server.headers.get(self.path, {}).items():
            self.send_header(key, value)
        if behaviour != "no-length":
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if behaviour == "cut":   # promises the whole file, sends half, hangs up
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if behaviour == "stall-body":   # sends a part, then nothing
            self.wfile.write(body[:len(body) // 3])
            self.wfile.flush()
            server.stalled.set()
            server.release.wait(30)
            return
        self.wfile.write(body)


@pytest.fixture
def server():
    server = EpochServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join(10)


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "cache"


def fetch_epoch(capsys, *args) -> tuple[int, str, str]:
    status = app_module.main(["fetch-epoch", *args])
    out, err = capsys.readouterr()
    return status, out, err


def errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("ml-scale-map:")]


def fetched_good_copy(server, cache, capsys) -> tuple[Path, dict]:
    status, out, err = fetch_epoch(capsys, "--url", server.url("/notable_ai_models.csv"),
                                   "--cache-dir", str(cache))
    assert status == 0, err
    path = cache / "notable_ai_models.csv"
    return path, json.loads((cache / SIDECAR).read_text())


# --- a good download -----------------------------------------------------------------------------

def test_a_good_download_is_cached_with_its_date_and_opened_by_epoch_latest(server, cache, capsys):
    url = server.url("/notable_ai_models.csv")
    status, out, err = fetch_epoch(capsys, "--url", url, "--cache-dir", str(cache), "--timeout", "5")
    assert status == 0 and not errors(err)
    path = cache / "notable_ai_models.csv"
    assert path.read_bytes() == GOOD
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert out.strip() == f"{path}: 1,000 models, fetched {today}"
    record = json.loads((cache / SIDECAR).read_text())["files"]["notable_ai_models.csv"]
    assert record["url"] == url and record["fetched"].startswith(today)
    assert record["bytes"] == len(GOOD) and record["models"] == 1000
    assert {p.name for p in cache.iterdir()} == {SIDECAR, "notable_ai_models.csv"}   # no temp file left
    # the progress bar went to stderr, with a percentage (the size was known)
    assert "notable_ai_models.csv" in err and "100%" in err and "done, 1,000 models" in err

    assert resolve_epoch_paths((Path("latest"),), cache) == (path,)
    assert resolve_epoch_paths((Path("other.csv"),), cache) == (Path("other.csv"),)
    status = app_module.main(["report", "--epoch", "latest", "--epoch-only", "--cache-dir", str(cache)])
    out, _ = capsys.readouterr()
    assert status == 0 and "notable_ai_models.csv: 1000 rows read, 1000 kept" in out


def test_a_newer_download_replaces_the_copy_and_its_date(server, cache, capsys):
    path, _ = fetched_good_copy(server, cache, capsys)
    server.behaviour["/notable_ai_models.csv"] = "newer"
    later = dt.datetime(2031, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    entry = fetch(server.url("/notable_ai_models.csv"), cache, 5, io.StringIO(), now=later)
    assert path.read_bytes() == NEWER and entry.models == 1200
    assert cached(cache)["notable_ai_models.csv"].fetched == "2031-01-02T03:04:05+00:00"


def test_latest_is_the_newest_fetch_and_the_first_of_one_run(server, cache, capsys):
    status, _, err = fetch_epoch(capsys, "--url", server.url("/notable_ai_models.csv"),
                                 "--url", server.url("/data/all_ai_models.csv"), "--cache-dir", str(cache))
    assert status == 0, err
    assert latest(cache) == cache / "notable_ai_models.csv"
    assert (cache / "all_ai_models.csv").read_bytes() == GOOD
    fetch(server.url("/data/all_ai_models.csv"), cache, 5, io.StringIO(),
          now=dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    assert latest(cache) == cache / "all_ai_models.csv"


def test_a_size_unknown_download_shows_bytes(server, cache):
    server.behaviour["/notable_ai_models.csv"] = "no-length"
    stream = io.StringIO()
    fetch(server.url("/notable_ai_models.csv"), cache, 5, stream)
    assert "KB" in stream.getvalue() and "%" not in stream.getvalue()
    assert (cache / "notable_ai_models.csv").read_bytes() == GOOD


# --- failures leave the good copy ----------------------------------------------------------------

@pytest.mark.parametrize("behaviour, says", [
    ("cut", "the connection closed after"),
    ("error", "the server answered HTTP 500"),
    ("html", "is not an Epoch AI CSV export"),
])
def test_a_failed_download_keeps_the_good_copy_and_says_why_in_one_line(
        server, cache, capsys, behaviour, says):
    path, sidecar = fetched_good_copy(server, cache, capsys)
    server.behaviour["/notable_ai_models.csv"] = behaviour
    status, out, err = fetch_epoch(capsys, "--url", server.url("/notable_ai_models.csv"),
                                   "--cache-dir", str(cache), "--timeout", "5")
    assert status != 0 and out == ""
    [line] = errors(err)
    assert says in line and "kept the copy fetched" in line and "Traceback" not in err
    assert path.read_bytes() == GOOD
    assert json.loads((cache / SIDECAR).read_text()) == sidecar
    assert {p.name for p in cache.iterdir()} == {SIDECAR, "notable_ai_models.csv"}
    assert latest(cache) == path


@pytest.mark.parametrize("behaviour, says", [
    ("stall", "no answer within 0.3 s (timeout)"),
    ("stall-body", "the server stopped sending for 0.3 s after"),
])
def test_a_stalled_server_times_out_and_keeps_the_good_copy(server, cache, capsys, behaviour, says):
    path, _ = fetched_good_copy(server, cache, capsys)
    server.behaviour["/notable_ai_models.csv"] = behaviour
    started = time.monotonic()
    status, _, err = fetch_epoch(capsys, "--url", server.url("/notable_ai_models.csv"),
                                 "--cache-dir", str(cache), "--timeout", "0.3")
    assert time.monotonic() - started < 10 and server.stalled.is_set()
    assert status != 0
    [line] = errors(err)
    assert says in line
    assert path.read_bytes() == GOOD


def test_a_non_csv_first_download_leaves_nothing(server, cache, capsys):
    server.behaviour["/page.csv"] = "html"
    status, _, err = fetch_epoch(capsys, "--url", server.url("/page.csv"), "--cache-dir", str(cache))
    [line] = errors(err)
    assert status != 0 and "is not an Epoch AI CSV export: " in line and "expected columns" in line
    assert "kept" not in line and ".part" not in line
    assert list(cache.iterdir()) == []


def test_one_failure_does_not_stop_the_other_downloads(server, cache, capsys):
    server.behaviour["/broken.csv"] = "error"
    status, out, err = fetch_epoch(capsys, "--url", server.url("/broken.csv"),
                                   "--url", server.url("/notable_ai_models.csv"), "--cache-dir", str(cache))
    assert status == 1 and len(errors(err)) == 1 and "notable_ai_models.csv: 1,000 models" in out
    assert latest(cache) == cache / "notable_ai_models.csv"


def test_a_carriage_return_in_the_header_is_one_line_and_old_mac_line_ends_read(server, cache, capsys):
    server.bodies["/cr.csv"] = b"Model,Publication date\rParameters\nx,2020,5\n"
    server.bodies["/mac.csv"] = b"Model,Publication date,Parameters\rx,2020,5\ry,2021,6\r"
    status, out, err = fetch_epoch(capsys, "--url", server.url("/cr.csv"), "--url", server.url("/mac.csv"),
                                   "--cache-dir", str(cache))
    assert status == 1 and "Traceback" not in err
    assert errors(err) == [f"ml-scale-map: fetch-epoch: {server.url('/cr.csv')} is not an Epoch AI CSV export: "
                           "the file is not an Epoch AI export: expected columns 'Model' (or 'System'), "
                           "'Publication date', and 'Parameters' or 'Training compute (FLOP)'; "
                           "found 'Model', 'Publication date'"]
    assert out.strip().endswith("mac.csv: 2 models, fetched " + dt.datetime.now(dt.UTC).date().isoformat())


# --- bounds: redirects, size, time, encodings, the temporary file -----------------------------

@pytest.mark.parametrize("target, says", [
    ("http://localhost:{port}/notable_ai_models.csv", "redirected to http://localhost:"),   # another host name
    ("file:///etc/passwd", "redirected to file:///etc/passwd"),
    ("ftp://127.0.0.1/x.csv", "redirected to ftp://127.0.0.1/x.csv"),
])
def test_a_redirect_off_the_links_host_or_to_another_scheme_is_not_followed(server, cache, capsys, target, says):
    server.behaviour["/moved.csv"] = "redirect:" + target
    status, out, err = fetch_epoch(capsys, "--url", server.url("/moved.csv"), "--cache-dir", str(cache))
    [line] = errors(err)
    assert status == 1 and says in line and "not followed" in line and "Traceback" not in err
    assert list(cache.iterdir()) == []


def test_a_redirect_within_the_host_is_followed(server, cache, capsys):
    server.behaviour["/moved.csv"] = "redirect:/notable_ai_models.csv"
    status, out, err = fetch_epoch(capsys, "--url", server.url("/moved.csv"), "--cache-dir", str(cache))
    assert status == 0, err
    assert (cache / "moved.csv").read_bytes() == GOOD


def test_a_file_over_the_size_limit_is_refused_as_announced_or_as_it_grows(server, cache, capsys):
    import gzip
    server.bodies["/bomb.csv"] = gzip.compress(HEADER.encode() + b"x" * 20_000_000)   # 20 MB in about 20 KB
    status, _, err = fetch_epoch(capsys, "--url", server.url("/notable_ai_models.csv"), "--url",
                                 server.url("/bomb.csv"), "--cache-dir", str(cache), "--max-mb", "0.1")
    lines = errors(err)
    assert status == 1 and len(lines) == 2 and "Traceback" not in err
    assert all("more than 100.0 KB, the most a file may be (--max-mb)" in line for line in lines)
    assert list(cache.iterdir()) == []


def test_a_file_trickling_in_past_the_deadline_is_given_up(server, cache, capsys):
    server.behaviour["/slow.csv"] = "drip"
    started = time.monotonic()
    status, _, err = fetch_epoch(capsys, "--url", server.url("/slow.csv"), "--cache-dir", str(cache),
                                 "--timeout", "5", "--deadline", "0.5")
    [line] = errors(err)
    assert status == 1 and "not arrived after 0.5 s, the most a file may take (--deadline)" in line
    assert time.monotonic() - started < 5 and list(cache.iterdir()) == []


@pytest.mark.parametrize("how", ["gzip encoding", "gzip file", "crlf"])
def test_gzip_and_crlf_downloads_are_read(server, cache, capsys, how):
    import gzip
    body = GOOD.replace(b"\n", b"\r\n") if how == "crlf" else gzip.compress(GOOD)
    server.bodies["/x.csv"] = body
    if how == "gzip encoding":
        server.headers["/x.csv"] = {"Content-Encoding": "gzip"}
    status, out, err = fetch_epoch(capsys, "--url", server.url("/x.csv"), "--cache-dir", str(cache))
    assert status == 0 and "x.csv: 1,000 models" in out, err
    assert (cache / "x.csv").read_bytes() == (body if how == "crlf" else GOOD)


def test_sigterm_mid_download_leaves_no_temporary_file(server, cache):
    import signal
    import subprocess
    import sys

    from tests.support import REPO
    server.behaviour["/notable_ai_models.csv"] = "stall-body"
    process = subprocess.Popen([sys.executable, "app.py", "fetch-epoch", "--url", server.url("/notable_ai_models.csv"),
                                "--cache-dir", str(cache), "--timeout", "30"], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not list(cache.glob(".*.part")) and time.monotonic() < deadline:   # wait for the download
            time.sleep(0.05)
        assert server.stalled.wait(10) and list(cache.glob(".*.part"))
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 143 and "Traceback" not in err
    assert errors(err) == ["ml-scale-map: fetch-epoch: stopped (SIGTERM); the file being fetched was not kept"]
    assert list(cache.iterdir()) == []


def test_a_temporary_file_left_by_a_killed_run_goes_at_the_next_fetch(server, cache, capsys):
    cache.mkdir()
    (cache / ".notable_ai_models.csv.x1y2.part").write_bytes(b"half a file")
    fetched_good_copy(server, cache, capsys)
    assert {p.name for p in cache.iterdir()} == {SIDECAR, "notable_ai_models.csv"}


def test_nothing_listening_is_one_line(cache, capsys):
    status, _, err = fetch_epoch(capsys, "--url", "http://127.0.0.1:9/x.csv", "--cache-dir", str(cache))
    [line] = errors(err)
    assert status == 1 and "cannot connect" in line


# --- --epoch latest with nothing cached ----------------------------------------------------------

def test_epoch_latest_without_a_cached_copy_is_one_clear_line(tmp_path, capsys):
    status = app_module.main(["report", "--epoch", "latest", "--cache-dir", str(tmp_path / "none")])
    _, err = capsys.readouterr()
    assert status == 2
    assert err.strip().splitlines() == [
        f"ml-scale-map: no Epoch AI export is cached in {tmp_path / 'none'}: run ml-scale-map fetch-epoch first"]


def test_epoch_latest_from_the_environment_as_gunicorn_reads_it(tmp_path):
    settings = settings_from_env({"SCALEMAP_EPOCH_CSV": "latest",
                                  "SCALEMAP_EPOCH_CACHE": str(tmp_path), "SCALEMAP_FETCH_TIMEOUT": "2.5",
                                  "SCALEMAP_EPOCH_URL": "http://a/x.csv http://b/y.csv"})
    assert settings.epoch_cache == tmp_path and settings.fetch_timeout == 2.5
    assert settings.epoch_url == ("http://a/x.csv", "http://b/y.csv")
    with pytest.raises(EpochFormatError, match="no Epoch AI export is cached in .*: "
                                               "run ml-scale-map fetch-epoch first"):
        app_module.dataset_for(settings)


# --- small parts ---------------------------------------------------------------------------------

def test_cache_folder_and_file_names():
    assert default_cache_dir({}, "linux") == Path.home() / ".cache" / "ml-scale-map" / "epoch"
    assert default_cache_dir({"XDG_CACHE_HOME": "/x"}, "linux") == Path("/x/ml-scale-map/epoch")
    assert default_cache_dir({}, "darwin") == Path.home() / "Library" / "Caches" / "ml-scale-map" / "epoch"
    assert default_cache_dir({"LOCALAPPDATA": "C:/L"}, "win32") == Path("C:/L/ml-scale-map/epoch")
    assert file_name("https://epoch.ai/data/notable_ai_models.csv") == "notable_ai_models.csv"
    assert file_name("https://epoch.ai/data/export?x=1") == "export.csv"
    assert file_name("https://epoch.ai/") == "epoch.csv"
    assert file_name("http://h/..%2F..%2Fetc%2Fpasswd") == "etc_passwd.csv"


def test_only_web_links_are_fetched(cache):
    with pytest.raises(Exception, match="only http"):
        fetch("file:///etc/passwd", cache)


def test_progress_redraws_in_place_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True
    stream = Terminal()
    progress = Progress("x.csv", 2000, stream)
    progress.update(1000)
    progress.end("done")
    assert stream.getvalue().startswith("\rx.csv [##########          ]  50% of 2.0 KB")
    assert stream.getvalue().endswith("\n") and "done" in stream.getvalue()
