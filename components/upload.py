"""Your own models on the map: drop a file (our catalogue's YAML, or a CSV with Epoch AI's
columns); the server checks it in memory with the catalogue's rules (scalemap.features.upload) and
answers; the browser keeps the models for its session, draws them as a series per file, lists
them in the table and opens their stats cards. A tab holds several files (each credited to
itself, each removable); a file sent again under its name replaces the earlier one, and the
page says so. Nothing is written to the server's disk or logs.

The file goes to a route of its own, `POST /api/check-upload?name=<file name>` with the file's
bytes as the body and, in `X-Held-Files`, the names and model counts of the files the tab holds
(never their models). The answer is JSON {document, message}: 200 checked; 422 a file that cannot
be used; 413 too large; 429 too many from this address; 503 busy (another file is being checked:
`Retry-After`, and the page tries again). A route, not a Dash callback, so that "busy" and "too
large" are answered from the headers, before the body is parsed: a flood of uploads costs the
other visitors next to nothing (benchmarks/upload_flood.py). The message sits under the drop
zone, is announced (aria-live) and scrolled into view."""
from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import urllib.parse

import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Dash, Input, Output, State, clientside_callback, dcc, html
from flask import Response, current_app, request
from plotly.io.json import to_json_plotly

from components import ids
from components.http import upload_allowed, upload_check_slot
from scalemap.features.upload import (
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_FILES,
    MAX_UPLOAD_MODELS,
    OverlayError,
    file_name,
    overlay_document,
    problem_at,
    problem_rows,
    read_upload,
)

UPLOAD_ROUTE = "/api/check-upload"
MAX_ROWS_SHOWN = 20        # rows (or entries) listed with all their problems; the rest are counted
BUSY_RETRY_SECONDS = 3     # "busy": the page tries again after about this long
log = logging.getLogger("ml_scale_map")


def make_overlay_upload() -> html.Div:
    return html.Div(className="mt-3", children=[
        dcc.Store(id=ids.UPLOADED, storage_type="session"),
        dbc.Label("Your own models", html_for=ids.UPLOAD, className="fw-semibold"),
        # "choose one" is no link: a link to "#" sent the page to its top, away from the message.
        dcc.Upload(id=ids.UPLOAD, accept=".csv,.yaml,.yml", multiple=False, className="upload-zone",
                   children=html.Div(["Drop a .yaml (catalogue format) or .csv (the columns of Epoch's exports) "
                                      "file here, or ", html.Span("choose one", className="upload-choose")])),
        html.Div(f"Up to {MAX_UPLOAD_BYTES // 1024} KB a file; up to {MAX_UPLOAD_FILES} files and "
                 f"{MAX_UPLOAD_MODELS:,} models in all. Checked like the catalogue, kept in this browser "
                 "tab only: never stored on the server.", className="small text-muted"),
        html.Div(id=ids.UPLOAD_MESSAGE, className="small mt-1 upload-message", role="status",
                 **{"aria-live": "polite"}),
        html.Ul(id=ids.UPLOAD_FILES, className="list-unstyled small mb-0 mt-1 upload-files",
                **{"aria-label": "Your files"}),
        dbc.Button("Remove my models", id=ids.UPLOAD_REMOVE, size="sm", color="secondary", outline=True,
                   className="mt-1", style={"display": "none"}),
    ])


def _problem_text(problem: dict, with_name: bool = True) -> str:
    return (f"{'[' + problem['name'] + '] ' if with_name and problem['name'] else ''}"
            f"{problem['field'] + ': ' if problem['field'] else ''}{problem['reason']}")


def _row_item(row: list[dict]) -> html.Li:
    first = row[0]
    if len(row) == 1:
        return html.Li((f"line {first['line']}: " if first["line"] else "") + _problem_text(first))
    name = next((p["name"] for p in row if p["name"]), None)
    own_line = lambda p: f"line {p['line']}: " if p["line"] and p["line"] != problem_at(first) else ""  # noqa: E731
    return html.Li([f"line {problem_at(first)}: " + (f"[{name}] " if name else "") + f"{len(row)} problems:",
                    html.Ul([html.Li(own_line(p) + _problem_text(p, with_name=False)) for p in row],
                            className="mb-0")])


def _plural(count: int, word: str) -> str:
    many = word[:-1] + "ies" if word.endswith("y") else word + "s"   # "entry", "entries"
    return f"{count:,} {word if count == 1 else many}"


def message(document: dict, replaced: dict | None = None, others: int = 0) -> list:
    """What was kept and what was not ("big.csv: 1,999 models added, 1 skipped; the file holds
    more than 2,000 rows: from line 2,002 on it was not read"), what it replaced, then the
    problems: the first MAX_ROWS_SHOWN rows with all their problems each, then a count."""
    problems, count = document["problems"], document["count"]
    head = f"{document['name']}: {_plural(count, 'model')} added" if count else f"{document['name']}: no models added"
    if document.get("skipped"):
        head += f", {document['skipped']:,} skipped"
    if document.get("limit"):
        head += f"; {document['limit']}"
        if others:
            head += f" (your other files hold {others:,} of the {MAX_UPLOAD_MODELS:,} models a tab keeps)"
    if replaced is not None:
        head += (f"; it replaces the earlier {document['name']} ({_plural(replaced['count'], 'model')})" if count
                 else f"; your earlier {document['name']} is kept")
    if not problems:
        warn = document.get("limit") or not count
        return [html.Span(head + ".", className="text-warning" if warn else "text-success")]
    rows = problem_rows(problems)
    unit = "entry" if document["name"].lower().endswith((".yaml", ".yml")) else "row"
    where = "" if len(rows) == len(problems) else f" in {_plural(len(rows), unit)}"
    items = [_row_item(row) for row in rows[:MAX_ROWS_SHOWN]]
    if len(rows) > MAX_ROWS_SHOWN:
        rest = rows[MAX_ROWS_SHOWN:]
        more = sum(len(row) for row in rest)
        items.append(html.Li(f"… and {_plural(more, 'more problem')} in "
                             f"{_plural(len(rest), 'more ' + unit)}"))
    return [html.Span(f"{head}; {_plural(len(problems), 'problem')}{where}:", className="text-warning fw-semibold"),
            html.Ul(items, className="mb-0")]


def _held(header: str | None) -> dict[str, int]:
    """The tab's files by name -> model count, as the browser says (only its own room is at stake)."""
    try:
        held = json.loads(urllib.parse.unquote(header or "[]"))
    except ValueError:
        return {}
    if not isinstance(held, list):
        return {}
    return {f["name"]: f["count"] for f in held[:MAX_UPLOAD_FILES * 2] if isinstance(f, dict)
            and isinstance(f.get("name"), str) and isinstance(f.get("count"), int) and f["count"] >= 0}


def _answer(status: int, message, document: dict | None = None, retry_after: int | None = None) -> Response:
    """The route's JSON answer; `message` is Dash components (or text), drawn by the page as they are."""
    response = Response(to_json_plotly({"document": document, "message": message}), status=status,
                        mimetype="application/json")
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    response.headers["Cache-Control"] = "no-store"
    return response


def _refused(status: int, text: str, retry_after: int | None = None) -> Response:
    return _answer(status, html.Span(text, className="text-danger"), retry_after=retry_after)


def _drain() -> None:
    """Reads the body the answer does not need: a socket closed on unread data may reset the
    connection before the client reads the answer."""
    while request.stream.read(65536):
        pass


def check_upload() -> Response:
    name = file_name(request.args.get("name", "upload"))
    size = request.content_length
    if size is None or size > MAX_UPLOAD_BYTES:   # from the headers: not a byte read
        return _refused(413, f"{name}: {(size or 0) / 1024:,.0f} KB; files up to {MAX_UPLOAD_BYTES // 1024} KB "
                        "can be added" if size else f"{name}: the file's size was not sent")
    held = _held(request.headers.get("X-Held-Files"))
    others = {n: c for n, c in held.items() if n != name}
    room = MAX_UPLOAD_MODELS - sum(others.values())
    if len(others) >= MAX_UPLOAD_FILES or room <= 0:
        _drain()
        return _refused(422, f"{name}: this tab already holds {MAX_UPLOAD_FILES} files, the most it keeps: remove "
                        "one first." if len(others) >= MAX_UPLOAD_FILES else
                        f"{name}: your files already hold {MAX_UPLOAD_MODELS:,} models, the most a tab keeps: "
                        "remove a file first.")
    with upload_check_slot(current_app) as free:
        if not free:   # another file is being checked: answered at once, not queued before everyone
            _drain()
            return _answer(503, html.Span(f"{name}: the server is busy checking other files; trying again "
                                          "in a moment…", className="text-warning"), retry_after=BUSY_RETRY_SECONDS)
        if not upload_allowed(current_app):   # counted only when checked; the file is not decoded
            _drain()
            return _refused(429, "Too many files checked from this address lately: try again in a minute.",
                            retry_after=60)
        try:
            data = request.get_data(cache=False)
            document = at_low_priority(lambda: overlay_document(read_upload(name, data, max_models=room)))
        except ValueError as exc:   # OverlayError is a ValueError: one line, no content
            return _refused(422, str(exc) if isinstance(exc, OverlayError) else f"{name}: the file could not be read")
        except Exception as exc:   # a fault of ours: the page still gets an answer, not "Checking…" for ever
            log.error("an upload could not be checked: %s", type(exc).__name__)   # never its content
            return _refused(500, f"{name}: the file could not be checked (an error on the server)")
    replaced = {"count": held[name]} if name in held else None
    return _answer(200, message(document, replaced, sum(others.values())), document)


def at_low_priority(work):
    """`work()` in a thread of the lowest CPU priority (on Linux a thread's nice value is its
    own): while a file is checked, the workers answering pages get the CPU first. The request
    waits for it without holding the GIL."""
    outcome = {}

    def run():
        with contextlib.suppress(AttributeError, OSError):   # not Linux: the check runs as it is
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        try:
            outcome["value"] = work()
        except BaseException as exc:   # handed to the request's thread, raised there
            outcome["error"] = exc
    thread = threading.Thread(target=run, name="upload-check", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def serve_upload_check(app: Dash) -> str:
    """The route; returns the URL the page sends files to."""
    prefix = app.config.routes_pathname_prefix.rstrip("/")
    app.server.add_url_rule(prefix + UPLOAD_ROUTE, "check_upload", check_upload, methods=["POST"])
    return app.get_relative_path(UPLOAD_ROUTE)


clientside_callback(   # too big: said at once, and nothing is sent; else sent, and its answer kept
    ClientsideFunction("scalemap_overlay", "send"),
    Output(ids.UPLOADED, "data"), Output(ids.UPLOAD_MESSAGE, "children"),
    Input(ids.UPLOAD, "contents"), State(ids.UPLOAD, "filename"), State(ids.UPLOADED, "data"),
    State(ids.UPLOAD_MESSAGE, "id"), State(ids.PAGE_CONFIG, "data"),
    prevent_initial_call=True,
)

clientside_callback(   # the tab's files, each with its own Remove button
    ClientsideFunction("scalemap_overlay", "listFiles"),
    Output(ids.UPLOAD_FILES, "children"), Output(ids.UPLOAD_REMOVE, "style"),
    Input(ids.UPLOADED, "data"),
)

clientside_callback(
    ClientsideFunction("scalemap_overlay", "removeFile"),
    Output(ids.UPLOADED, "data", allow_duplicate=True), Output(ids.UPLOAD_MESSAGE, "children", allow_duplicate=True),
    Input(ids.remove_file(ALL), "n_clicks"), State(ids.UPLOADED, "data"),
    prevent_initial_call=True,
)

clientside_callback(
    ClientsideFunction("scalemap_overlay", "remove"),
    Output(ids.UPLOADED, "data", allow_duplicate=True), Output(ids.UPLOAD_MESSAGE, "children", allow_duplicate=True),
    Input(ids.UPLOAD_REMOVE, "n_clicks"), prevent_initial_call=True,
)

clientside_callback(   # a new message is where the user looks: under the drop zone, scrolled into view
    ClientsideFunction("scalemap_overlay", "reveal"),
    Output(ids.UPLOAD_MESSAGE, "className"),
    Input(ids.UPLOAD_MESSAGE, "children"), State(ids.UPLOAD_MESSAGE, "id"), State(ids.UPLOAD, "id"),
    prevent_initial_call=True,
)
