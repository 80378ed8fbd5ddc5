"""Your own models on the map: drop a file (our catalogue's YAML, or a CSV with Epoch AI's
columns); the server checks it in memory with the catalogue's rules (scalemap.features.upload) and
answers; the browser keeps the models for its session, draws them as a series of their own,
lists them in the table and opens their stats cards. Nothing is written to the server's disk or
logs."""
from __future__ import annotations

import base64
import binascii
import logging

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html, no_update
from flask import current_app

from components import ids
from components.http import upload_allowed
from scalemap.features.upload import MAX_UPLOAD_BYTES, OverlayError, overlay_document, read_upload

MAX_PROBLEMS_SHOWN = 20
log = logging.getLogger("ml_scale_map")


def make_overlay_upload() -> html.Div:
    return html.Div(className="mt-3", children=[
        dcc.Store(id=ids.UPLOADED, storage_type="session"), dcc.Store(id=ids.UPLOAD_REQUEST),
        dbc.Label("Your own models", html_for=ids.UPLOAD, className="fw-semibold"),
        dcc.Upload(id=ids.UPLOAD, accept=".csv,.yaml,.yml", multiple=False, className="upload-zone",
                   children=html.Div(["Drop a .yaml (catalogue format) or .csv (the columns of Epoch's exports) "
                                      "file here, or ", html.A("choose one", href="#")])),
        html.Div(f"Up to {MAX_UPLOAD_BYTES // 1024} KB. Checked like the catalogue, kept in this browser "
                 "tab only: never stored on the server.", className="small text-muted"),
        html.Div(id=ids.UPLOAD_MESSAGE, className="small mt-1", **{"aria-live": "polite"}),
        dbc.Button("Remove my models", id=ids.UPLOAD_REMOVE, size="sm", color="secondary", outline=True,
                   className="mt-1"),
    ])


def _message(document: dict) -> list:
    """What was kept and what was not ("big.csv: 1,999 models added, 1 skipped; the file holds
    more than 2,000 rows: from line 2,002 on it was not read"), then each problem by line."""
    problems = document["problems"]
    count = document['count']
    head = f"{document['name']}: {count:,} model{'' if count == 1 else 's'} added"
    if document.get("skipped"):
        head += f", {document['skipped']:,} skipped"
    if document.get("limit"):
        head += f"; {document['limit']}"
    if not problems:
        return [html.Span(head + ".", className="text-warning" if document.get("limit") else "text-success")]
    items = [html.Li(f"{'line ' + str(p['line']) + ': ' if p['line'] else ''}"
                     f"{'[' + p['name'] + '] ' if p['name'] else ''}{p['field'] + ': ' if p['field'] else ''}"
                     f"{p['reason']}") for p in problems[:MAX_PROBLEMS_SHOWN]]
    more = len(problems) - MAX_PROBLEMS_SHOWN
    return [html.Span(f"{head}; {len(problems)} problems:", className="text-warning fw-semibold"),
            html.Ul(items + ([html.Li(f"… and {more} more")] if more > 0 else []), className="mb-0")]


@callback(
    Output(ids.UPLOADED, "data"), Output(ids.UPLOAD_MESSAGE, "children"),
    Input(ids.UPLOAD_REQUEST, "data"), prevent_initial_call=True,
)
def check_upload(request):
    if not isinstance(request, dict) or not isinstance(request.get("contents"), str):
        return no_update, no_update
    filename = request.get("filename") if isinstance(request.get("filename"), str) else "upload"
    if not upload_allowed(current_app):   # before the file is even decoded
        return no_update, html.Span("Too many files checked from this address lately: try again in a minute.",
                                    className="text-danger")
    try:
        data = base64.b64decode(request["contents"].partition(",")[2], validate=True)
        document = overlay_document(read_upload(filename, data))
    except (binascii.Error, ValueError) as exc:   # OverlayError is a ValueError: one line, no content
        reason = str(exc) if isinstance(exc, OverlayError) else "the file could not be read"
        return no_update, html.Span(reason, className="text-danger")
    except Exception as exc:   # a fault of ours: the page still gets an answer, not "Checking…" for ever
        log.error("an upload could not be checked: %s", type(exc).__name__)   # never its content
        return no_update, html.Span("the file could not be checked (an error on the server)", className="text-danger")
    return document, _message(document)


clientside_callback(   # too big: said at once, and nothing is sent
    ClientsideFunction("scalemap_overlay", "request"),
    Output(ids.UPLOAD_REQUEST, "data"), Output(ids.UPLOAD_MESSAGE, "children", allow_duplicate=True),
    Input(ids.UPLOAD, "contents"), State(ids.UPLOAD, "filename"), State(ids.PAGE_CONFIG, "data"),
    prevent_initial_call=True,
)

clientside_callback(
    ClientsideFunction("scalemap_overlay", "remove"),
    Output(ids.UPLOADED, "data", allow_duplicate=True), Output(ids.UPLOAD_MESSAGE, "children", allow_duplicate=True),
    Input(ids.UPLOAD_REMOVE, "n_clicks"), prevent_initial_call=True,
)
