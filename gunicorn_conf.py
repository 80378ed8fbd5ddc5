"""gunicorn settings: `gunicorn -c gunicorn_conf.py app:server`.

The app (and its dataset) loads once, in the master, before the workers fork: they share
its read-only memory, start at once, and a setting that cannot work (a missing catalogue)
stops the server with one line instead of failing in every worker, again and again. So does
a setting read here (WEB_CONCURRENCY=0, SCALEMAP_PORT=junk …), where gunicorn would print a
traceback. (gunicorn itself reads WEB_CONCURRENCY as it starts: a value that is not a number
at all gets its traceback before this file is read; `ml-scale-map` checks it first.)"""
import sys

import gunicorn.http.wsgi
import gunicorn.util

from scalemap.settings import SettingsError, settings_from_env, workers_from_env

# No server banner: gunicorn names itself in every response and has no setting to stop it.
gunicorn.http.wsgi.SERVER = "ml-scale-map"

# gunicorn answers a request it cannot read (a request line over limit_request_line, a broken
# header) itself, with an HTML page and none of the app's security headers: plain text, with them.
ERROR_HEADERS = ("X-Content-Type-Options: nosniff\r\n"
                 "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"
                 "X-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n")


def write_error(sock, status_int, reason, mesg):
    body = f"{status_int} {reason}: {str(mesg)[:200]}\n".encode("utf-8", "replace")
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nServer: ml-scale-map\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\n{ERROR_HEADERS}Content-Length: {len(body)}\r\n\r\n")
    gunicorn.util.write_nonblock(sock, head.encode("latin-1") + body)


gunicorn.util.write_error = write_error

try:
    _settings = settings_from_env()
    workers = workers_from_env()
except SettingsError as exc:
    sys.exit(f"ml-scale-map: {exc}")

bind = f"{_settings.host}:{_settings.port}"
preload_app = True
timeout = 60
# The most gunicorn allows (0, unlimited, would let one request line fill memory): a link's
# query of up to about 8,160 bytes reaches the app; a longer line gets write_error's answer.
limit_request_line = 8190
graceful_timeout = 10
accesslog = "-"
errorlog = "-"
