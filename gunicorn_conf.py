"""gunicorn settings: `gunicorn -c gunicorn_conf.py app:server`.

The app (and its dataset) loads once, in the master, before the workers fork: they share
its read-only memory, start at once, and a setting that cannot work (a missing catalogue)
stops the server with one line instead of failing in every worker, again and again."""
import multiprocessing
import os

import gunicorn.http.wsgi

# No server banner: gunicorn names itself in every response and has no setting to stop it.
gunicorn.http.wsgi.SERVER = "ml-scale-map"

bind = f"{os.environ.get('SCALEMAP_HOST', '127.0.0.1')}:{os.environ.get('SCALEMAP_PORT', '8050')}"
workers = int(os.environ.get("WEB_CONCURRENCY", max(2, min(4, multiprocessing.cpu_count()))))
preload_app = True
timeout = 60
limit_request_line = 8190   # the most gunicorn allows: a shared link of up to 8 KB opens
graceful_timeout = 10
accesslog = "-"
errorlog = "-"
