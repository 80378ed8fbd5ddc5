"""Pages the server renders whole, beside the Dash app, readable without JavaScript: a page per
model (`/model/<id>`), its "report a wrong number" texts (`/model/<id>/report/<field>`, and
`.yaml` for the correction file), the change log (`/changelog.md`, `/changelog.json`) and the
data package (`/datapackage.json`); and the "Cite" box of the map's own page.

The content is built by the core (`scalemap.features.model_page`, `citation`, `datapackage`);
here it is put into HTML (Jinja, every value escaped) and served with the app's security
headers (components/http.py)."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from dash import ClientsideFunction, Input, Output, clientside_callback, dcc, html
from flask import Response, request
from jinja2 import Environment, FileSystemLoader

from components import ids
from components.dataset_access import current_dataset
from scalemap.features.citation import EPOCH_CITATION, bibtex, citation_text
from scalemap.features.datapackage import datapackage_text, licences
from scalemap.features.export import credit_line
from scalemap.features.model_page import (
    REPORTABLE,
    correction_yaml,
    model_page,
    report_path,
    report_text,
)
from scalemap.features.stats_card import NOT_DOCUMENTED
from scalemap.features.versions import CHANGELOG_JSON, CHANGELOG_MD, Changelog, changes_since_answer, load_changelog
from scalemap.sources.release import load_release

TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
                        trim_blocks=True, lstrip_blocks=True)
PAGE_CACHE = "public, max-age=300"   # five minutes: the access date in a citation is a day's
STYLESHEETS = ("00-bootstrap-flatly.min.css", "style.css")
MAX_ID_LENGTH = 300
_PRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def prefix_of(app) -> str:
    return app.config.routes_pathname_prefix.rstrip("/")


def asset_url(app, name: str) -> str:
    """An asset's URL with its modification time (`?m=`), as Dash writes them: cached for good."""
    mtime = int((Path(app.config.assets_folder) / name).stat().st_mtime)
    return f"{prefix_of(app)}/assets/{name}?m={mtime}"


def base_url(app) -> str:
    """This server's address as the browser asked for it, ending in '/'."""
    return request.host_url.rstrip("/") + prefix_of(app) + "/"


def html_response(text: str, status: int = 200) -> Response:
    response = Response(text, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = PAGE_CACHE
    return response


def release_date(dataset) -> str | None:
    """The date of the data version the dataset is (None for a catalogue that differs from it)."""
    release = load_release()
    return release.date if release is not None and release.version == dataset.data_version else None


def loaded_sources(dataset) -> str:
    return credit_line(dataset).removeprefix("Data: ")


def serve_model_pages(app, changelog: Changelog | None = None) -> None:
    changelog = changelog if changelog is not None else load_changelog()
    server, prefix = app.server, prefix_of(app)

    def not_found(what: str) -> Response:
        what = _PRINTABLE.sub("\N{REPLACEMENT CHARACTER}", what)   # a control character is no HTML
        text = TEMPLATES.from_string(
            '{% extends "base.html" %}{% block title %}Not found · ML Scale Map{% endblock %}'
            '{% block body %}<main class="container py-3"><h1 class="h4">Not found</h1><p>{{ what }}</p>'
            '<p><a href="{{ home }}">Open the map</a></p></main>{% endblock %}'
        ).render(what=what, home=base_url(app), stylesheets=[asset_url(app, s) for s in STYLESHEETS])
        return html_response(text, 404)

    def page_of(model_id: str):
        dataset = current_dataset()
        if len(model_id) > MAX_ID_LENGTH:
            return dataset, None
        return dataset, model_page(dataset, model_id, changelog, base_url(app), release_date(dataset),
                                   licences(dataset)[0])

    def model_view(model_id: str):
        dataset, page = page_of(model_id)
        if page is None:
            return not_found(f"No model with the id “{model_id[:80]}” in this data.")
        facts = dict(page.facts)
        description = (f"{page.name} ({facts.get('Organization', '')}, {facts.get('Published', '')}): parameters, "
                       "training compute and data, each with its source and confidence.")
        text = TEMPLATES.get_template("model.html").render(
            page=page, description=description, not_documented=NOT_DOCUMENTED, reportable=REPORTABLE,
            report_urls={field: base_url(app) + report_path(page.id, field) for field in REPORTABLE},
            loaded_sources=loaded_sources(dataset), versions=", ".join(changelog.versions),
            changelog_url=base_url(app) + "changelog.md", credit=credit_line(dataset),
            dataset_hash=dataset.version, datapackage_url=base_url(app) + "datapackage.json",
            base_url=base_url(app), stylesheets=[asset_url(app, s) for s in STYLESHEETS],
            cite={"text": page.citation, "bibtex": page.bibtex, "credits": page.credits})
        return html_response(text)

    def report_view(model_id: str, field: str):
        as_yaml = field.endswith(".yaml")
        field = field.removesuffix(".yaml")
        _, page = page_of(model_id)
        if page is None:
            return not_found(f"No model with the id “{model_id[:80]}” in this data.")
        text = (correction_yaml if as_yaml else report_text)(page, field)
        if text is None:
            return not_found(f"{page.name} has no number “{field[:40]}” to report.")
        if as_yaml:
            response = Response(text, mimetype="application/yaml")
            response.headers["Content-Disposition"] = f'attachment; filename="correction-{page.id}-{field}.yaml"'
            response.headers["Cache-Control"] = PAGE_CACHE
            return response
        label = next(row.label for row in page.rows if row.field == field)
        return html_response(TEMPLATES.get_template("report.html").render(
            page=page, label=label, text=text, rows=sum(1 + len(line) // 90 for line in text.splitlines()) + 1,   # long lines wrap
            yaml_url=base_url(app) + report_path(page.id, field, ".yaml"),
            stylesheets=[asset_url(app, s) for s in STYLESHEETS]))

    def changelog_md():
        return _file(CHANGELOG_MD, "text/markdown")

    def changelog_json():
        return _file(CHANGELOG_JSON, "application/json")

    def changes_since_view(version: str):
        # A shared link's v=: which numbers changed since (the page counts those in its view).
        answer = changes_since_answer(version[:40], current_dataset().data_version, changelog)
        response = Response(json.dumps(answer), mimetype="application/json")
        response.headers["Cache-Control"] = PAGE_CACHE
        return response

    def datapackage_view():
        response = Response(datapackage_text(current_dataset()), mimetype="application/json")
        response.set_etag(current_dataset().version)
        response.headers["Cache-Control"] = PAGE_CACHE
        return response

    server.add_url_rule(prefix + "/model/<path:model_id>/report/<field>", "model_report", report_view)
    server.add_url_rule(prefix + "/model/<model_id>", "model_page", model_view)
    server.add_url_rule(prefix + "/changelog.md", "changelog_md", changelog_md)
    server.add_url_rule(prefix + "/changelog.json", "changelog_json", changelog_json)
    server.add_url_rule(prefix + "/datapackage.json", "datapackage", datapackage_view)
    server.add_url_rule(prefix + "/api/changes-since/<path:version>", "changes_since", changes_since_view)


def _file(path: Path, mimetype: str) -> Response:
    try:
        body = path.read_bytes()
    except OSError:
        return Response(json.dumps({"error": f"{path.name} is not here"}), status=404, mimetype="application/json")
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = PAGE_CACHE
    return response


# --- the Cite box of the map's page ------------------------------------------------------------

SENTINEL = dt.date(1900, 1, 1)   # stands for the day the page is read, which the browser fills in


def cite_templates(dataset) -> dict:
    """The citation with placeholders the browser fills: {url} (the page's address), {accessed}
    ('6 December 2026') and {accessed_iso} — the layout is built once, the page read any day."""
    version, date = dataset.data_version, release_date(dataset)

    def placeholders(text: str) -> str:
        return text.replace("1 January 1900", "{accessed}").replace("1900-01-01", "{accessed_iso}")
    return {"text": placeholders(citation_text("{url}", version, date, SENTINEL)),
            "bibtex": placeholders(bibtex("{url}", version, date, SENTINEL)),
            "credits": [EPOCH_CITATION] if dataset.credits else []}


def make_cite_box(dataset) -> html.Section:
    templates = cite_templates(dataset)
    return html.Section(id=ids.CITE_BOX, className="cite-box border rounded p-2 my-2", **{"aria-labelledby": "cite-title"},
                        children=[
        html.H2("Cite this", id="cite-title", className="h6"),
        html.P(id=ids.CITE_TEXT, className="small mb-1"),
        html.Details(className="small", children=[html.Summary("BibTeX"), html.Pre(id=ids.CITE_BIBTEX, className="mb-1 bibtex")]),
        *[html.P(f"Also cite: {line}.", className="small mb-0") for line in templates["credits"]],
        html.P(className="small mb-0", children=[
            f"Data version {dataset.data_version or '(none)'} · content hash {dataset.version} · ",
            html.A("what changed", href="changelog.md"), " · ",
            html.A("data package", href="datapackage.json"),
            " · the repository's CITATION.cff cites the project and this data version",
        ]),
        dcc.Store(id=ids.CITE_TEMPLATES, data=templates),
    ])


clientside_callback(   # today's date and this page's address into the citation
    ClientsideFunction("scalemap_cite", "fill"),
    Output(ids.CITE_TEXT, "children"), Output(ids.CITE_BIBTEX, "children"),
    Input(ids.CITE_TEMPLATES, "data"),
)
