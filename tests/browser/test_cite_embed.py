"""Cite it, embed it, correct it — in Chromium: a model's page read with JavaScript off, the
stats card's link to it, an embed framed by a page of another origin (and the map refused
there), the Embed button's code, and the Cite box. Real gunicorn, the bundled catalogue."""
import contextlib
import datetime as dt
import functools
import http.server
import re
import threading

import pytest
from playwright.sync_api import expect

from scalemap.features.stats_card import NOT_DOCUMENTED, card_rows
from tests.support import free_port, open_app, page_on

pytestmark = pytest.mark.browser


@contextlib.contextmanager
def other_origin(folder):
    """A page server on another port of this machine: another origin than the app's."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_model_page_shows_every_number_with_its_source_without_javascript(chromium, gunicorn_server,
                                                                            bundled_dataset):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(gunicorn_server + "/model/gpt-4")
    expect(page.locator("h1")).to_have_text("GPT-4")
    for row in card_rows(bundled_dataset.models["gpt-4"]):
        shown = page.locator(f'tr.model-number[data-field="{row.field}"]')
        expect(shown).to_be_visible()
        expect(shown).to_contain_text(row.text)
        if row.text != NOT_DOCUMENTED:
            expect(shown.locator(f'a[href="{row.source}"]')).to_be_visible()
            expect(shown).to_contain_text(row.confidence)
    expect(page.locator("#cite")).to_contain_text(f"(Version {bundled_dataset.data_version}) [Data set]")
    page.get_by_role("link", name="report a wrong number").first.click()
    expect(page.locator("#report-text")).to_have_value(re.compile(r"^Wrong number: GPT-4 · Parameters\n"))
    page.go_back()
    page.get_by_role("link", name="← GPT-4 on the map").click()
    expect(page).to_have_url(gunicorn_server + "/?model=gpt-4")
    context.close()


def test_the_stats_card_links_to_the_model_page_and_reports_a_number(page):
    open_app(page, "?model=gpt-3-175b")
    card = page.locator("#stats-card")
    expect(card.locator(".stats-card-name")).to_have_text("GPT-3 175B")
    expect(card.locator('a.report-link[href="model/gpt-3-175b/report/parameters"]')).to_be_visible()
    card.locator("a.model-page-link").click()
    expect(page).to_have_url(page.base_url + "/model/gpt-3-175b")
    expect(page.locator("h1")).to_have_text("GPT-3 175B")


def test_an_embed_draws_in_another_sites_page_and_the_map_does_not(chromium, gunicorn_server, tmp_path):
    # The Embed button's code for the view on screen, pasted into a page of another origin.
    with page_on(chromium, gunicorn_server) as app_page:
        open_app(app_page, "?domain=language&from=2015")
        app_page.get_by_role("button", name="Embed").click()
        app_page.locator("#embed-chart").select_option("compute-vs-parameters")
        code = app_page.locator("#embed-code")
        expect(code).to_have_value(re.compile(r"chart=compute-vs-parameters"))
        iframe = code.input_value()
    assert iframe.startswith(f'<iframe src="{gunicorn_server}/embed?domain=language&amp;from=2015&amp;'
                             'chart=compute-vs-parameters&amp;v=')   # with the data version it was made with
    (tmp_path / "article.html").write_text(
        "<!DOCTYPE html><html><body><h1>An article</h1>" + iframe +
        f'<iframe id="map" src="{gunicorn_server}/?domain=language" width="600" height="300"></iframe></body></html>',
        encoding="utf-8")
    context = chromium.new_context(viewport={"width": 1000, "height": 1300})
    page = context.new_page()
    messages = []
    page.on("console", lambda m: messages.append(m.text))
    page.on("pageerror", lambda e: messages.append(f"page error: {e}"))
    with other_origin(tmp_path) as origin:
        # The map itself refuses to be framed there (frame-ancestors 'self', X-Frame-Options too).
        with page.expect_console_message(lambda m: "frame-ancestors 'self'" in m.text and "blocked" in m.text):
            page.goto(origin + "/article.html")
        embed = page.frame_locator("iframe").first
        expect(embed.locator("#graph-compute-vs-parameters .scatterlayer .point").first).to_be_attached()
        expect(embed.locator(".embed-title")).to_have_text("Training compute vs. parameters")
        expect(embed.locator(".embed-count")).to_have_text(re.compile(r"^\d+ of \d+ models"))
        expect(embed.locator(".embed-credit")).to_contain_text("Data: ML Scale Map catalogue")
        full_view = embed.get_by_role("link", name="Open this view in ML Scale Map")
        expect(full_view).to_have_attribute("href", f"{gunicorn_server}/?domain=language&from=2015")
        expect(page.frame_locator("#map").locator("#_dash-app-content")).to_have_count(0)
        page.screenshot(path=str(tmp_path / "article.png"))
    assert not [m for m in messages if m.startswith("page error") or "Content Security Policy" in m
                and "frame-ancestors" not in m], messages
    context.close()


def test_the_cite_box_names_the_version_this_address_and_today(page, bundled_dataset):
    open_app(page)
    today = dt.date.today()
    text = page.locator("#cite-text")
    expect(text).to_have_text(re.compile(
        rf"^ML Scale Map contributors\. \(\d{{4}}\)\. ML Scale Map catalogue \(Version "
        rf"{re.escape(bundled_dataset.data_version)}\) \[Data set\]\. Retrieved {today.day} "
        rf"{today.strftime('%B %Y')}, from {re.escape(page.base_url)}/$"))
    page.get_by_role("tab", name="Sources & download").click()           # where the Cite box is
    page.locator("#cite-box summary").click()
    expect(page.locator("#cite-bibtex")).to_contain_text(f"urldate = {{{today.isoformat()}}}")
    expect(page.locator("#cite-box")).to_contain_text(f"content hash {bundled_dataset.version}")


def test_a_link_carries_its_data_version_and_an_older_one_says_what_changed_in_its_view(page, bundled_dataset):
    today = bundled_dataset.data_version
    frame = bundled_dataset.frame
    vision = frame.loc[frame["primary_domain"] == "vision", "id"].iloc[0]
    language = frame.loc[frame["domains"].map(lambda ds: "vision" not in ds), "id"].iloc[:2].tolist()
    note = page.locator("#link-version-note")

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_app(page, "?domain=vision")
    expect(note).to_be_hidden()                                        # no v=: a link of today's data
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("button", name="Link copied ✓")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == f"{page.base_url}/?domain=vision&v={today}"

    open_app(page, f"?domain=vision&v={today}")
    expect(note).to_be_hidden()                                        # made with today's data
    open_app(page, "?domain=vision&v=2019.1.1")                        # a fork's version, or junk: no count
    expect(note).to_have_text(f"This link was made with data 2019.1.1, a version this map does not know; "
                              f"it shows data {today}.")

    # An older release: the server lists what changed since (tests/server/test_pages.py checks
    # its answer on the real log, which holds one release); the page counts those in its view.
    changed = [[vision, "parameters"], [vision, "training_compute"], *([i, "parameters"] for i in language)]
    page.route("**/api/changes-since/2026.11.1", lambda route: route.fulfill(json={
        "since": "2026.11.1", "current": today, "known": True, "changed": changed}))
    open_app(page, "?domain=vision&v=2026.11.1")
    expect(note).to_have_text(f"This link was made with data 2026.11.1; 2 numbers in this view changed since "
                              f"(today: data {today}) — see what changed.")
    expect(note.get_by_role("link", name="see what changed")).to_have_attribute("href", "/changelog.md")
    page.get_by_label("Language").check()                              # the view now on today's data, no v=
    expect(page).to_have_url(re.compile(r"\?domain=language&domain=vision$|\?domain=vision&domain=language$"))
    expect(note).to_be_hidden()
