"""The link checker against a real local HTTP server (the test run has no internet)."""
import functools
import http.server
import threading

import pytest

from scalemap.sources.linkcheck import main


class NoHeadHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files, refuses HEAD like some publishers do, and keeps quiet."""

    def do_HEAD(self):
        self.send_error(405)

    def log_message(self, *args):
        pass


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (root / "paper.html").write_text("<h1>A paper</h1>", encoding="utf-8")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(NoHeadHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def catalogue_citing(write_catalogue, link, parameters_source=None):
    source = f", source: {parameters_source}" if parameters_source else ""
    return str(write_catalogue(f"""\
        - name: Good Model
          organization: Lab
          date: 2020
          domains: [language]
          links: [{link}]
          parameters: {{value: 1e9, confidence: confident{source}}}
        """))


def test_broken_links_are_listed_with_where_they_are_cited(site, write_catalogue, capsys):
    path = catalogue_citing(write_catalogue, f"{site}/paper.html", f"{site}/missing.html")
    assert main([path, "--timeout", "5"]) == 1
    out = capsys.readouterr().out
    assert f"broken: {site}/missing.html (HTTP 404) — cited by Good Model (parameters)" in out
    assert f"broken: {site}/paper.html" not in out   # answered by GET after HEAD was refused
    assert "2 links, 1 answer, 1 broken" in out


def test_all_links_answering_exits_zero(site, write_catalogue, capsys):
    assert main([catalogue_citing(write_catalogue, f"{site}/paper.html")]) == 0
    assert "1 links, 1 answer, 0 broken" in capsys.readouterr().out
