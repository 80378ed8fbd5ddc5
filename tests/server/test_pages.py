"""The pages served beside the map, under real gunicorn: a model's page (valid HTML, JSON-LD, every
number with its source), the wrong-number reports, the embed (framable by any site, alone), the
change log and the data package (validated by frictionless over HTTP)."""
import json
import re
import urllib.error
import urllib.request
from html.parser import HTMLParser

import frictionless
import html5lib
import pytest

from scalemap.features.datapackage import DATAPACKAGE_FILE
from scalemap.features.stats_card import NOT_DOCUMENTED, card_rows
from scalemap.features.versions import CHANGELOG_MD, load_changelog


def get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Collect(HTMLParser):
    """The page's rows of numbers, its links, scripts and JSON-LD."""

    def __init__(self):
        super().__init__()
        self.rows, self.links, self.scripts, self.json_ld, self.frames = {}, [], [], [], []
        self._row = self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-field" in attrs:
            self._row = self.rows.setdefault(attrs["data-field"], {"text": "", "links": []})
        if tag == "a":
            self.links.append(attrs.get("href"))
            if self._row is not None:
                self._row["links"].append(attrs.get("href"))
        if tag == "script":
            self.scripts.append(attrs)
            self._script = attrs.get("type")

    def handle_endtag(self, tag):
        if tag == "tr":
            self._row = None
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._row is not None:
            self._row["text"] += data
        if self._script == "application/ld+json":
            self.json_ld.append(data)


def parse(body: bytes) -> Collect:
    text = body.decode("utf-8")
    html5lib.HTMLParser(strict=True).parse(text)   # raises on any HTML5 parse error
    collected = Collect()
    collected.feed(text)
    return collected


def test_a_model_page_is_valid_html_with_every_number_and_its_source(gunicorn_server, bundled_dataset):
    status, headers, body = get(gunicorn_server + "/model/gpt-4")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body.startswith(b"<!DOCTYPE html>\n<html lang=\"en\">")
    page = parse(body)
    model = bundled_dataset.models["gpt-4"]
    for row in card_rows(model):
        shown = page.rows[row.field]
        if row.text == NOT_DOCUMENTED:
            assert NOT_DOCUMENTED in shown["text"], row.field
            continue
        assert row.text in shown["text"] and row.confidence in shown["text"], row.field
        assert row.source in shown["links"], row.field
        assert f"{gunicorn_server}/model/gpt-4/report/{row.field}" in shown["links"]
        if row.range:
            assert row.range in shown["text"], row.field
    data = json.loads(page.json_ld[0])
    assert data["@type"] == "Dataset" and data["about"]["name"] == "GPT-4"
    assert data["version"] == bundled_dataset.data_version
    assert f"{gunicorn_server}/?model=gpt-4" in page.links                   # back to the map, selected
    assert not [s for s in page.scripts if s.get("type") != "application/ld+json"]   # no JavaScript at all
    text = body.decode()
    assert f"(Version {bundled_dataset.data_version}) [Data set]" in text and "@misc{mlscalemap-gpt-4-" in text
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "SAMEORIGIN" and headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/model/no-such-model", "/model/" + "x" * 400, "/model/gpt-4/report/notes",
                                  "/model/%3Cscript%3E", "/model/gpt-4/report/%00"])
def test_an_unknown_model_or_number_is_a_404_page_never_a_500(gunicorn_server, path):
    status, headers, body = get(gunicorn_server + path)
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    parse(body)
    assert b"<script>" not in body


def test_a_wrong_number_report_and_its_correction_file(gunicorn_server):
    status, _, body = get(gunicorn_server + "/model/gpt-4/report/training_compute")
    assert status == 200
    parse(body)
    assert "Wrong number: GPT-4 · Training compute" in body.decode()
    status, headers, body = get(gunicorn_server + "/model/gpt-4/report/training_compute.yaml")
    assert status == 200 and headers["Content-Type"].startswith("application/yaml")
    assert headers["Content-Disposition"] == 'attachment; filename="correction-gpt-4-training_compute.yaml"'
    assert b"field: training_compute" in body


def test_only_the_embed_may_be_framed_by_another_site(gunicorn_server):
    status, headers, body = get(gunicorn_server + "/embed?domain=language&chart=compute-vs-parameters")
    assert status == 200
    policy = headers["Content-Security-Policy"]
    assert re.search(r"frame-ancestors \*(;|$)", policy) and "X-Frame-Options" not in headers
    assert "'unsafe-inline'" not in re.search(r"script-src [^;]*", policy).group()
    page = parse(body)
    scripts = [s["src"] for s in page.scripts if "src" in s]
    assert scripts and all(src.startswith("/") for src in scripts)          # this server's scripts only
    assert any("plotly" in src for src in scripts)
    for src in scripts:   # each answers (Plotly's registered for an embed opened before any map page)
        assert get(gunicorn_server + src)[0] == 200, src
    assert "Training compute vs. parameters" in body.decode()
    for path in ("/", "/model/gpt-4", "/datapackage.json", "/data.csv"):
        _, headers, _ = get(gunicorn_server + path)
        assert headers["X-Frame-Options"] == "SAMEORIGIN", path
        assert "frame-ancestors 'self'" in headers["Content-Security-Policy"], path


@pytest.mark.parametrize("query", ["?chart=%3Cscript%3Ealert(1)%3C/script%3E", "?domain=%00&from=abc&q=%3C/script%3E",
                                   "?" + "domain=language&" * 300])
def test_a_hostile_embed_link_draws_the_default_chart(gunicorn_server, query):
    status, _, body = get(gunicorn_server + "/embed" + query)
    assert status == 200
    parse(body)
    assert b"<script>alert" not in body and b"</script><" not in body.split(b'id="embed-config">')[1][:2]


def test_an_embed_link_too_long_is_refused(gunicorn_server, app):
    status, _, _ = get(gunicorn_server + "/embed?q=" + "a" * 9000)
    assert status in (400, 414)   # gunicorn's own limit on a request line comes first
    response = app.server.test_client().get("/embed?q=" + "a" * 9000)   # the route's, behind another server
    assert response.status_code == 400 and b"too long" in response.data


def test_the_change_log_and_the_data_package_are_served(gunicorn_server, bundled_dataset):
    status, _, body = get(gunicorn_server + "/changelog.md")
    assert status == 200 and body == CHANGELOG_MD.read_bytes()
    status, headers, body = get(gunicorn_server + "/datapackage.json")
    assert status == 200 and body.decode() == DATAPACKAGE_FILE.read_text(encoding="utf-8")
    assert json.loads(body)["version"] == bundled_dataset.data_version


@pytest.mark.parametrize("version", ["2026.12.1", "2019.1.1", "junk%3Cscript%3E", "a/b/c", "9" * 500])
def test_the_changes_since_a_links_data_version_are_json_never_an_error(gunicorn_server, bundled_dataset, version):
    status, headers, body = get(gunicorn_server + "/api/changes-since/" + version)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    answer = json.loads(body)
    assert answer["current"] == bundled_dataset.data_version
    assert answer["known"] is (version in load_changelog().versions)
    assert answer["changed"] == [] and len(answer["since"]) <= 40   # the newest release: nothing since


def test_frictionless_validates_the_served_data_package(gunicorn_server):
    report = frictionless.validate(gunicorn_server + "/datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    print("\n" + "\n".join(f"{task.name}: {task.stats['rows']} rows, {task.stats['fields']} fields, "
                           f"{task.stats['seconds']} s" for task in report.tasks))
    assert all(task.stats["rows"] > 1000 for task in report.tasks)
