"""Shared fixtures: the bundled dataset, small catalogues written to tmp files,
Epoch AI's CSV from ../shared, and (for browser tests) real gunicorn + Chromium."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EPOCH_CSV = REPO.parent / "shared" / "data" / "epoch" / "notable_ai_models.csv"
CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def bundled_dataset():
    from scalemap.dataset import build_dataset
    return build_dataset()


@pytest.fixture(scope="session")
def app():
    """The app on the bundled catalogue, in this process (one per session: Dash hands the
    callbacks its modules declare to the first app made, and to no other)."""
    from app import create_app
    from scalemap.settings import Settings
    return create_app(Settings())


@pytest.fixture
def fresh_limits(app):
    """The session app's rate limits counted from zero (the test client is one address)."""
    from components.http import LIMITS_KEY
    limiter, _ = app.server.extensions[LIMITS_KEY]
    limiter.reset()
    yield limiter
    limiter.reset()


@pytest.fixture
def write_catalogue(tmp_path):
    """Write YAML text (dedented) to a catalogue file and return its path."""
    def write(text: str, name: str = "models.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path
    return write


@pytest.fixture(scope="session")
def epoch_csv() -> Path:
    """Epoch AI's real export. Outside CI a missing file skips; in CI it is an error."""
    if not EPOCH_CSV.exists():
        if IN_CI:
            pytest.fail(f"{EPOCH_CSV} is missing: CI must run the Epoch tests")
        pytest.skip(f"{EPOCH_CSV} not present (tests that need ../shared run in CI)")
    return EPOCH_CSV


def _free_port() -> int:
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
    port = _free_port()
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


@pytest.fixture(scope="session")
def gunicorn_server(tmp_path_factory):
    """The app on the bundled catalogue."""
    with served_app(tmp_path_factory.mktemp("gunicorn")) as url:
        yield url


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium is not installed: run tests/run.sh, which installs it")
    from playwright.sync_api import expect, sync_playwright
    expect.set_options(timeout=20_000)   # first renders on a loaded CI machine can be slow
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@contextlib.contextmanager
def page_on(chromium, base_url: str):
    """A fresh browser context on `base_url`; fails the test on any server or page error it
    meets, and on anything the Content-Security-Policy blocks."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    # What the Content-Security-Policy blocks does not raise: it must be listened for.
    page.add_init_script("document.addEventListener('securitypolicyviolation', (e) => console.error("
                         "`CSP violation: ${e.violatedDirective} ${e.sourceFile || e.blockedURI}:${e.lineNumber}`))")
    page.on("console", lambda m: errors.append(m.text) if m.text.startswith("CSP violation") else None)
    page.base_url = base_url
    yield page
    context.close()
    assert not errors, errors


@pytest.fixture
def page(chromium, gunicorn_server):
    with page_on(chromium, gunicorn_server) as page:
        yield page
