"""Shared fixtures: the bundled dataset, small catalogues written to tmp files, Epoch-format
exports (the sample in tests/fixtures, and Epoch AI's real file from ../shared), and (for
browser tests) real gunicorn + Chromium."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.support import CHROMIUM, EPOCH_CSV, EPOCH_SAMPLE, IN_CI, VIEWPORT, page_on, served_app


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


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def playwright_driver():
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium is not installed: run tests/run.sh, which installs it")
    from playwright.sync_api import expect, sync_playwright
    expect.set_options(timeout=20_000)   # first renders on a loaded CI machine can be slow
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(playwright_driver):
    """Chromium for tests that make a context of their own (JavaScript off, another site)."""
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def warm_chromium(playwright_driver, tmp_path_factory, gunicorn_server):
    """Chromium with a profile on disk, in which each browser test opens its own page (page_on
    closes the test's pages and clears what it granted). Unlike a fresh (incognito) context it
    keeps V8's code cache: a page after the first does not compile plotly.js, React and AG Grid
    again, which saves about 0.6 s of each of the lane's ~150 page loads (~3 s each on 2 cores).
    Each page still starts with its own history and sessionStorage (the app keeps no cookie
    and nothing in localStorage). It closes before the session's server (hence `gunicorn_server`):
    a connection it held open kept gunicorn's graceful stop waiting its full 10 s."""
    context = playwright_driver.chromium.launch_persistent_context(
        tmp_path_factory.mktemp("chromium-profile"), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
        viewport=VIEWPORT, accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def page(warm_chromium, gunicorn_server):
    with page_on(warm_chromium, gunicorn_server) as page:
        yield page
