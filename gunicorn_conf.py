"""gunicorn settings: `gunicorn -c gunicorn_conf.py app:server`.

The app (and its dataset) loads once, in the master, before the workers fork: they share
its read-only memory, start at once, and a setting that cannot work (a missing catalogue)
stops the server with one line instead of failing in every worker, again and again. So does
a setting read here (WEB_CONCURRENCY=0, SCALEMAP_PORT=junk …), where gunicorn would print a
traceback. (gunicorn itself reads WEB_CONCURRENCY as it starts: a value that is not a number
at all gets its traceback before this file is read; `ml-scale-map` checks it first.)"""
import sys

import gunicorn.http.wsgi

from scalemap.settings import SettingsError, settings_from_env, workers_from_env

# No server banner: gunicorn names itself in every response and has no setting to stop it.
gunicorn.http.wsgi.SERVER = "ml-scale-map"

try:
    _settings = settings_from_env()
    workers = workers_from_env()
except SettingsError as exc:
    sys.exit(f"ml-scale-map: {exc}")

bind = f"{_settings.host}:{_settings.port}"
preload_app = True
timeout = 60
limit_request_line = 8190   # the most gunicorn allows: a shared link of up to 8 KB opens
graceful_timeout = 10
accesslog = "-"
errorlog = "-"
