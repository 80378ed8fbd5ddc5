"""Shared fixtures: the bundled dataset, small catalogues written to tmp files, Epoch-format
exports (the sample in tests/fixtures, and Epoch AI's real file from ../shared), and (for
browser tests) real gunicorn + Chromium."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.support import CHROMIUM, EPOCH_CSV, EPOCH_SAMPLE, IN_CI, page_on, served_app


@pytest.fixture(scope="session")
def bundled_dataset():
    from scalemap.dataset.build import build_dataset
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


@pytest.fixture(scope="session", params=["sample", pytest.param("notable", marks=pytest.mark.epoch)])
def epoch_export(request) -> Path:
    """Each Epoch-format export a test should hold for: the sample written for the tests (in
    every clone), then Epoch AI's real file (needs ../shared, as `epoch_csv`)."""
    return EPOCH_SAMPLE if request.param == "sample" else request.getfixturevalue("epoch_csv")


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


@pytest.fixture
def page(chromium, gunicorn_server):
    with page_on(chromium, gunicorn_server) as page:
        yield page
