"""Embeds: `/embed?<a view's query>&chart=<key>` is one chart of the view for another site's page
(title, a takeaway in words, the credit and a link to the full view, no app around it), and
the page's "Embed" button gives the <iframe> code for the view it shows.

The chart is drawn by the map's own code (assets/core, assets/components/charts.js) from the
same dataset URL, started by assets/embed/page.js, which Dash leaves out of its own page.
Only this route may be framed by other sites: its Content-Security-Policy says
`frame-ancestors *` and it sends no X-Frame-Options; every other response keeps the app's
policy (components/http.py)."""
from __future__ import annotations

import json
from pathlib import Path

import dash_bootstrap_components as dbc
import plotly
from dash import ClientsideFunction, Input, Output, State, clientside_callback, html
from dash.fingerprint import build_fingerprint
from flask import request

from components import ids
from components.dataset_access import CONFIG_KEY, current_dataset
from components.model_page import STYLESHEETS, TEMPLATES, asset_url, base_url, html_response, prefix_of
from scalemap.contract.view import browser_contract
from scalemap.features.charts import ALL_CHARTS, chart_skeleton
from scalemap.features.embed import CHART_PARAM, DEFAULT_CHART, embedded_chart
from scalemap.features.export import MAX_NAME_PART, credit_line, view_from_query
from scalemap.sources.cpi import load_price_index

EMBED_ROUTE = "/embed"
EMBED_ASSETS = "embed"          # assets/embed/: served, but not part of the map's own page
CORE_SCRIPTS = ("core/builtins.js", "core/units.js", "core/dataset.js", "core/view.js", "components/chart_labels.js",
                "components/charts.js", "embed/page.js")   # (chart_labels: the names charts.js places)
PLOTLY_PATH = "package_data/plotly.min.js"
MAX_QUERY_BYTES = 8192
CHART_LABELS = {chart.key: chart.title if chart.key != "custom" else "Any two quantities (the view's axes)"
                for chart in ALL_CHARTS}


def plotly_url(app) -> str:
    """Plotly's script as Dash serves it to the map (fingerprinted: cached for good), registered
    so that Dash serves it to an embed opened before any page of the map."""
    app.registered_paths["plotly"].add(PLOTLY_PATH)
    mtime = int((Path(plotly.__file__).parent / PLOTLY_PATH).stat().st_mtime)
    return (f"{app.config.requests_pathname_prefix}_dash-component-suites/plotly/"
            f"{build_fingerprint(PLOTLY_PATH, plotly.__version__, mtime)}")


def embed_policy(app_policy: dict) -> dict:
    """The app's policy, but any site may frame this page (and it needs no inline script)."""
    policy = dict(app_policy)
    policy["script-src"] = ["'self'", "'unsafe-eval'"]
    policy["frame-ancestors"] = "*"
    return policy


def serve_embeds(app, dataset_url: str) -> None:
    prefix = prefix_of(app)
    frame = app.server.config[CONFIG_KEY].frame
    skeletons = {chart.key: chart_skeleton(chart, frame) for chart in ALL_CHARTS}
    cost_year = load_price_index().reference_year
    plotly_script = plotly_url(app)

    def embed_view():
        raw = request.query_string
        if len(raw) > MAX_QUERY_BYTES:
            return html_response("<!DOCTYPE html><title>Too long</title><p>This link is too long.</p>", 400)
        dataset = current_dataset()
        view = view_from_query(dataset, raw.decode("utf-8", "replace"))
        embed = embedded_chart(dataset.frame, view, request.args.get(CHART_PARAM, DEFAULT_CHART)[:MAX_NAME_PART],
                               dataset.year_bounds, cost_year)
        config = {"dataset": {"url": dataset_url, "version": dataset.version}, "view": browser_contract(),
                  "skeleton": skeletons[embed.chart.key]}
        text = TEMPLATES.get_template("embed.html").render(
            embed=embed, credit=credit_line(dataset), full_view=base_url(app) + embed.view_query,
            config=json.dumps(config, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c"),
            scripts=[plotly_script, *(asset_url(app, script) for script in CORE_SCRIPTS)],
            stylesheets=[asset_url(app, sheet) for sheet in STYLESHEETS])
        return html_response(text)

    app.server.add_url_rule(prefix + EMBED_ROUTE, "embed", embed_view)


def allow_framing(app, app_policy: dict) -> None:
    """Talisman's per-view options for the embed (read when it answers): call before `secure`."""
    app.server.view_functions["embed"].talisman_view_options = {
        "frame_options": None, "content_security_policy": embed_policy(app_policy)}


def make_embed_panel() -> html.Div:
    """The "Embed" button and what it opens: a chart to choose and the <iframe> code to copy."""
    return html.Div(className="d-inline-block", children=[
        dbc.Button("Embed", id=ids.EMBED_BUTTON, color="secondary", outline=True, size="sm", className="mt-3 me-2",
                   title="Code to put one chart of this view in another page"),
        dbc.Collapse(id=ids.EMBED_PANEL, is_open=False, className="mt-2", children=[
            dbc.Label("Chart", html_for=ids.EMBED_CHART, className="small mb-0"),
            dbc.Select(id=ids.EMBED_CHART, size="sm", value=DEFAULT_CHART,
                       options=[{"label": label, "value": key} for key, label in CHART_LABELS.items()]),
            dbc.Label("Paste this into your page", html_for=ids.EMBED_CODE, className="small mb-0 mt-1"),
            dbc.Textarea(id=ids.EMBED_CODE, readonly=True, rows=4, className="small font-monospace"),
        ]),
    ])


clientside_callback(   # the <iframe> of the view the address bar holds (assets/components/embed.js)
    ClientsideFunction("scalemap_embed", "code"),
    Output(ids.EMBED_CODE, "value"), Output(ids.EMBED_PANEL, "is_open"),
    Input(ids.EMBED_BUTTON, "n_clicks"), Input(ids.EMBED_CHART, "value"), Input(ids.URL, "search"),
    State(ids.EMBED_PANEL, "is_open"), State(ids.PAGE_CONFIG, "data"),
    prevent_initial_call=True,
)
