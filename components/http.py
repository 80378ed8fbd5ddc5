"""HTTP beside the Dash app: the dataset payload at a URL of its own, compression of every
response, cache lifetimes, security headers, size limits and error answers.

The payload's URL names its version (a hash of the data), so a browser may keep it for
good: a new dataset gets a new URL. Dash's own scripts carry a fingerprint in their URL,
and assets a `?m=` modification time, so they may be kept for good too.

`GET /data.csv?<a view's query>` and `GET /api/models.json?<query>` give a script the models
of a view (`scalemap.features.export`), with the data's credit in `X-Data-Credit`."""
from __future__ import annotations

import atexit
import contextlib
import fcntl
import logging
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

from cachetools import LRUCache
from dash import Dash
from dash.exceptions import DependencyException
from dash.fingerprint import check_fingerprint
from flask import Flask, Response, jsonify, request
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from limits import parse_many
from werkzeug.exceptions import HTTPException

from components.dataset_access import current_dataset
from scalemap.contract.payload import payload_bytes
from scalemap.dataset.table import Dataset
from scalemap.features.export import (
    credit_line,
    export_query,
    file_name,
    stream_csv,
    stream_json,
    view_from_query,
    view_mask,
)

log = logging.getLogger("ml_scale_map")
FOREVER = "public, max-age=31536000, immutable"
MAX_REQUEST_BYTES = 1024 * 1024   # a callback request is a few KB; the largest is far below this
DATASET_ROUTE = "/dataset/<version>.json"
SUITES_RULE = "_dash-component-suites/<string:package_name>/<path:fingerprinted_path>"   # Dash's route
COMPRESSED_CACHE_BYTES = 64 * 2**20   # the scripts and the dataset, in three encodings, fit with room
CACHE_KEY = "compress_cache"          # server.extensions[...]: the cache, for tests and benchmarks
LIMITS_KEY = "scalemap_limits"        # server.extensions[...]: (the limiter, the upload limits)
CHECKS_KEY = "scalemap_upload_checks"  # server.extensions[...]: the upload-check slots


def served_file(req) -> str:
    """flask-compress's cache key: the file a response of a never-changing route holds, not the
    URL asked. Dash serves any fingerprint (plotly.v<anything>m<hex>.min.js) as the same file,
    so keying on the URL let made-up fingerprints fill memory. Other routes (Dash's catch-all
    answers every path with the page) give "", which is never kept."""
    rule = req.url_rule.rule if req.url_rule is not None else ""
    if rule.endswith(SUITES_RULE):
        return "suites:" + check_fingerprint(req.path)[0]
    if rule.endswith(DATASET_ROUTE):
        return "dataset:" + req.path   # only the current version answers 200 (and is compressed)
    return ""


class ImmutableResponseCache:
    """flask-compress's cache backend (its key is "<algorithm>;<served_file>"), keeping only
    responses of never-changing routes, least recently used out past `max_bytes`. flask-compress
    compresses (and so caches) 2xx responses only: a 404 is never kept."""

    def __init__(self, max_bytes: int = COMPRESSED_CACHE_BYTES):
        self._compressed: LRUCache = LRUCache(maxsize=max_bytes, getsizeof=len)

    @staticmethod
    def _kept(key: str) -> bool:
        return bool(key.partition(";")[2])

    def get(self, key: str) -> bytes | None:
        return self._compressed.get(key) if self._kept(key) else None

    def set(self, key: str, value: bytes) -> None:
        if self._kept(key) and len(value) <= self._compressed.maxsize:
            self._compressed[key] = value

    def __len__(self) -> int:
        return len(self._compressed)

    @property
    def bytes(self) -> int:
        return self._compressed.currsize




def dataset_path(dataset: Dataset) -> str:
    return DATASET_ROUTE.replace("<version>", dataset.version)


def serve_dataset(app: Dash, dataset: Dataset) -> str:
    """Serve the dataset payload; returns the URL the page fetches it from."""
    body = payload_bytes(dataset)
    prefix = app.config.routes_pathname_prefix.rstrip("/")

    @app.server.route(prefix + DATASET_ROUTE)
    def dataset_payload(version: str):
        if version != dataset.version:
            return Response(f'{{"error": "no dataset {version[:40]!r} here; reload the page"}}',
                            status=404, mimetype="application/json")
        response = Response(body, mimetype="application/json")
        response.set_etag(dataset.version)
        response.headers["Cache-Control"] = FOREVER
        return response

    return app.get_relative_path(dataset_path(dataset))


EXPORT_CSV_ROUTE = "/data.csv"
EXPORT_JSON_ROUTE = "/api/models.json"
MAX_EXPORT_QUERY_BYTES = 8192   # a shared link's length (gunicorn_conf's limit_request_line)
EXPORT_CACHE = "public, max-age=300"   # five minutes; the ETag (the dataset's version) revalidates
EXPORTS_CACHED_BYTES = 32 * 2**20       # answers kept per worker, least recently used out
EXPORT_CACHED_AT_MOST = 4 * 2**20       # an answer larger than this streams every time
EXPORTS_KEY = "export_cache"            # server.extensions[...]: the cache of exports
EXPORT_SLOTS_KEY = "scalemap_export_slots"   # server.extensions[...]: exports built at once
EXPORT_BUSY_RETRY_SECONDS = 5
# An export of more models than this (about a second of a worker's time at 0.2 ms a model) is
# built in the export slot; a smaller one costs too little to keep anyone waiting.
EXPORT_SLOT_FROM_MODELS = 5_000


class ExportCache:
    """Export answers by (dataset version, kind, the query that selects the same models):
    junk that reads as the default view shares the default's entry. Bounded in bytes."""

    def __init__(self, max_bytes: int = EXPORTS_CACHED_BYTES, largest: int = EXPORT_CACHED_AT_MOST):
        self._answers: LRUCache = LRUCache(maxsize=max_bytes, getsizeof=len)
        self.largest = min(largest, max_bytes)
        self._lock = threading.Lock()   # cachetools' caches are not thread-safe (gthread workers)

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            return self._answers.get(key)

    def keep(self, key: tuple, parts) -> Iterator[bytes]:
        """`parts` passed on as they come, and kept once they all came, if not too many."""
        held, size = [], 0
        for part in parts:
            data = part.encode("utf-8")
            size += len(data)
            held = held if size <= self.largest and held is not None else None
            if held is not None:
                held.append(data)
            yield data
        if held is not None:
            with self._lock:
                self._answers[key] = b"".join(held)

    def __len__(self) -> int:
        return len(self._answers)

    @property
    def bytes(self) -> int:
        return self._answers.currsize


def _unchanged(tag: str) -> bool:
    """The client holds this version already (flask-compress adds ':gzip' … to the ETag)."""
    return any(held.split(":")[0] == tag for held in request.if_none_match.as_set())


def serve_exports(app: Dash) -> None:
    """`/data.csv` and `/api/models.json`: the models of the view the query string names, read
    as the page reads its URL (anything malformed or unknown falls back to the default)."""
    prefix = app.config.routes_pathname_prefix.rstrip("/")
    cache = app.server.extensions[EXPORTS_KEY] = ExportCache()
    # One large export built at a time in the whole server: a worker streaming 100,000 models
    # answers nothing else for seconds, so with the others free a visitor never queues behind them.
    slots = app.server.extensions[EXPORT_SLOTS_KEY] = CheckSlots(1, "scalemap-export-slots-")

    def export(kind: str) -> Response:
        raw = request.query_string
        if len(raw) > MAX_EXPORT_QUERY_BYTES:
            return jsonify(error=f"query longer than {MAX_EXPORT_QUERY_BYTES} bytes"), 400
        dataset = current_dataset()
        tag = f"{dataset.version}-{kind}"
        if _unchanged(tag):
            response = Response(status=304)
        else:
            view = view_from_query(dataset, raw.decode("utf-8", "replace"))
            key = (dataset.version, kind, export_query(view))
            body = cache.get(key)
            large = body is None and int(view_mask(dataset.frame, view).sum()) > EXPORT_SLOT_FROM_MODELS
            if body is None and not large:   # rows built and sent a chunk at a time
                body = cache.keep(key, (stream_csv if kind == "csv" else stream_json)(dataset, view))
            elif body is None:   # the same, in the export slot
                held = contextlib.ExitStack()
                if not held.enter_context(slots.slot()):
                    held.close()
                    busy = jsonify(error="the server is busy with another export; try again in a moment")
                    busy.status_code = 503
                    busy.headers["Retry-After"] = str(EXPORT_BUSY_RETRY_SECONDS)
                    return busy
                body = _held_until_sent(held, cache.keep(key, (stream_csv if kind == "csv" else stream_json)(
                    dataset, view)))
            response = Response(body, mimetype="text/csv" if kind == "csv" else "application/json")
            if kind == "csv":
                name = file_name(view, dataset.year_bounds)
                response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        response.set_etag(tag)
        response.headers["Cache-Control"] = EXPORT_CACHE
        response.headers["X-Data-Credit"] = credit_line(dataset)
        return response

    def export_csv_view():
        return export("csv")

    def export_json_view():
        return export("json")

    app.server.add_url_rule(prefix + EXPORT_CSV_ROUTE, "export_csv", export_csv_view)
    app.server.add_url_rule(prefix + EXPORT_JSON_ROUTE, "export_json", export_json_view)


def _held_until_sent(held: contextlib.ExitStack, parts: Iterator[bytes]) -> Iterator[bytes]:
    """`parts`, what is `held` (the export slot) released once they are all sent or the client
    has gone (the server closes the body then, which ends this generator)."""
    try:
        yield from parts
    finally:
        held.close()


def rate_limit(app: Dash, upload_rate: str, export_rate: str, storage: str = "memory://") -> Limiter:
    """Per-address limits (Flask-Limiter): the exports share one, answered 429 past it; the
    upload check (components/upload.py) asks `upload_allowed` before it reads a byte. Counts
    live in `storage`: memory:// in each worker, or a store they share (redis://…)."""
    server = app.server
    limiter = Limiter(get_remote_address, app=server, storage_uri=storage, headers_enabled=True)
    exports = limiter.shared_limit(export_rate, scope="exports", error_message=(
        f"too many exports from this address (at most {export_rate}); try again shortly"))
    for endpoint in ("export_csv", "export_json"):
        server.view_functions[endpoint] = exports(server.view_functions[endpoint])
    server.extensions[LIMITS_KEY] = (limiter, parse_many(upload_rate))
    return limiter


class CheckSlots:
    """At most `count` upload checks (or exports built) at once in the whole server, every worker
    and thread: a worker checking a file answers nothing else for that time, so with the rest of the workers
    free a visitor's page never waits behind a queue of uploads. A check that finds no free slot
    is answered "busy" at once. Each slot is a lock file held with flock: the folder is made
    before gunicorn forks (preload_app), every attempt opens its own file description (so
    threads exclude each other too), and a worker that dies holding a slot frees it."""

    def __init__(self, count: int, prefix: str = "scalemap-upload-checks-"):
        self.folder = Path(tempfile.mkdtemp(prefix=prefix))
        self.paths = [self.folder / f"slot-{i}" for i in range(max(1, count))]
        for path in self.paths:
            path.touch()
        maker = os.getpid()
        atexit.register(lambda: os.getpid() == maker and shutil.rmtree(self.folder, ignore_errors=True))

    @contextlib.contextmanager
    def slot(self) -> Iterator[bool]:
        """True inside a free slot (held until the block ends); False if every slot is taken."""
        for path in self.paths:
            try:
                handle = open(path, "rb")
            except OSError:   # the folder is gone (a temp cleaner): check rather than refuse for ever
                yield True
                return
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield True
            finally:
                handle.close()   # closing the last descriptor releases the lock
            return
        yield False


def limit_upload_checks(app: Dash, count: int) -> CheckSlots:
    slots = app.server.extensions[CHECKS_KEY] = CheckSlots(count)
    return slots


def upload_check_slot(server: Flask):
    """`with upload_check_slot(server) as free:` (components/upload.py)."""
    return server.extensions[CHECKS_KEY].slot()


def upload_allowed(server: Flask) -> bool:
    """Counts one upload for this address; False once it is over the limit (nothing is read)."""
    limiter, limits = server.extensions[LIMITS_KEY]
    return all(limiter.limiter.hit(limit, "uploads", get_remote_address()) for limit in limits)


def compress_and_cache(app: Dash) -> None:
    """zstd, brotli or gzip for every response the browser accepts it for (flask-compress), and
    a long life for what cannot change at its URL."""
    server = app.server
    probe = Flask("defaults")   # flask-compress's own list of types, plus the CSV exports
    Compress(probe)
    server.config.setdefault("COMPRESS_MIMETYPES", [*probe.config["COMPRESS_MIMETYPES"], "text/csv"])
    server.config.update(
        COMPRESS_ALGORITHM=["zstd", "br", "gzip"], COMPRESS_BR_LEVEL=5, COMPRESS_ZSTD_LEVEL=6,
        COMPRESS_ALGORITHM_STREAMING=["zstd", "br", "gzip"],   # the exports stream; a script may take gzip only
        COMPRESS_CACHE_BACKEND=ImmutableResponseCache, COMPRESS_CACHE_KEY=served_file)
    server.extensions[CACHE_KEY] = Compress(server).cache

    @server.after_request
    def cache_immutable(response: Response) -> Response:
        fingerprinted = "/_dash-component-suites/" in request.path and response.cache_control.max_age
        asset = "/assets/" in request.path and "m" in request.args
        favicon = request.path.endswith("/_favicon.ico") and "v" in request.args   # ?v=<Dash version>
        if response.status_code == 200 and (fingerprinted or asset or favicon):
            response.headers["Cache-Control"] = FOREVER
        return response


def preload_link(url: str) -> str:
    """<head> tag that starts the payload download with the page, before Dash's scripts run."""
    return f'<link rel="preload" href="{url}" as="fetch" crossorigin="anonymous">'


def content_security_policy(app: Dash) -> dict:
    """Only this server's scripts, plus the one inline script Dash's page holds (by its hash).
    Plotly's WebGL charts compile code at run time to hover and export ('unsafe-eval': without
    it they draw, but neither answers), and Plotly and the dropdown write style rules at run
    time ('unsafe-inline' for styles only). The browser tests fail on any violation."""
    return {
        "default-src": "'self'",
        "script-src": ["'self'", "'unsafe-eval'", *app.csp_hashes()],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": "'self'",
        "worker-src": ["'self'", "blob:"],
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'self'",
    }


def secure(app: Dash) -> None:
    """Security headers (flask-talisman), a size limit on requests, and errors answered in
    JSON with their status, never a Flask HTML page or a traceback. Call after the page's
    index is set: the policy holds the hash of its inline script."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    Talisman(server, force_https=False, strict_transport_security=False, session_cookie_secure=False,
             content_security_policy=content_security_policy(app), frame_options="SAMEORIGIN",
             referrer_policy="strict-origin-when-cross-origin")

    @server.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return jsonify(error=error.description or error.name), error.code

    @server.errorhandler(DependencyException)
    def unknown_script(error: DependencyException):
        # Dash's answer to a script path it does not serve (a typo, a scanner): not ours to fix.
        return jsonify(error="no such file"), 404

    @server.errorhandler(Exception)
    def unexpected_error(error: Exception):
        # A request Dash cannot even read (junk where its protocol expects ids, lists, dicts)
        # is the client's mistake: 400 and one line in the log. What a callback raises
        # (CallbackFault, from Dash's on_error) or any other route is ours: a 500 whose id the
        # user can quote and the log holds with its traceback.
        if request.path.endswith("/_dash-update-component") and not isinstance(error, CallbackFault):
            log.warning("malformed callback request: %s: %s", type(error).__name__, str(error)[:200])
            return jsonify(error="malformed callback request"), 400
        fault = error.__cause__ if isinstance(error, CallbackFault) else error
        request_id = uuid.uuid4().hex
        log.error("internal error %s answering %s", request_id, request.path,
                  exc_info=(type(fault), fault, fault.__traceback__))
        response = jsonify(error="internal error", request_id=request_id)
        response.headers["X-Request-ID"] = request_id
        return response, 500


class CallbackFault(Exception):
    """What a callback raised: a fault of the server's, never of the request's (Dash has read
    the request by the time it calls a callback)."""


def callback_fault(error: Exception):
    """Dash's on_error for every callback: hands the error to the handler above as ours."""
    raise CallbackFault(f"{type(error).__name__} in a callback") from error
