"""ML Scale Map: assembles the Dash app from the core (`scalemap`) and `components`.

`python app.py --help` lists the options; `gunicorn app:server` serves it in
production, configured by the same settings through environment variables."""
from __future__ import annotations

import argparse
import logging
import sys

import dash_bootstrap_components as dbc
from dash import Dash, dcc, html

from components import (  # noqa: F401
    charts,
    disagreements,
    embed,
    estimator,
    filters,
    http,
    ids,
    link_version,
    model_page,
    models_table,  # (importing a component registers its callbacks)
    pinned_comparison,
    plotly_bundle,
    sources,
    stats_card,
    stories,
    tabs,
    upload,
    url_state,
)
from components.dataset_access import CONFIG_KEY
from components.stories import story_link
from scalemap.dataset.build import build_dataset
from scalemap.dataset.table import Dataset
from scalemap.features.takeaways import load_stories
from scalemap.settings import (
    Settings,
    SettingsError,
    add_arguments,
    settings_from_args,
    settings_from_env,
    workers_from_env,
)
from scalemap.sources.catalogue import CatalogueFileError
from scalemap.sources.epoch_cache import fetch_all, resolve_epoch_paths

log = logging.getLogger("ml_scale_map")


def dataset_for(settings: Settings) -> Dataset:
    epoch = resolve_epoch_paths(settings.epoch, settings.epoch_cache)   # --epoch latest
    return build_dataset(list(settings.catalogue), list(epoch), settings.prefer,
                         bundled=not settings.epoch_only)


def load_dataset(settings: Settings) -> Dataset:
    """The dataset, with the import report and every skipped row in the log."""
    dataset = dataset_for(settings)
    for line in dataset.report:
        log.info(line)
    for problem in dataset.problems:
        log.warning("skipped or changed: %s", problem)
    return dataset


PERCEPTRON_STORY = next(story for story in load_stories() if story.id == "perceptron-to-gpt3")


def make_header() -> html.Header:
    return html.Header(className="page-header", children=[
        html.Div(className="flex-grow-1", children=[
            html.H1("ML Scale Map", className="h4 mb-0"),
            html.P(["How machine-learning models grew. The charts open on the deep-learning era (2010 →); "
                    "the story ", dcc.Link(PERCEPTRON_STORY.title, href=story_link(PERCEPTRON_STORY)),
                    " goes back to 1958. Click or tap a point for its stats card."],
                   className="small mb-0 page-subtitle"),
        ]),
        stories.make_story_picker(),
    ])


def make_layout(dataset: Dataset, dataset_url: str = "/dataset.json",
                upload_url: str = upload.UPLOAD_ROUTE) -> dbc.Container:
    """The grapher layout: the filters in a column of their own (a drawer below 992 px), the
    main area's tabs beside them, the four charts on the first tab, and the stats card beside
    the main area when a model is selected."""
    panels = {
        "charts": [link_version.make_link_version_note(), stories.make_story_caption(), charts.make_charts(dataset),
                   html.P(id=ids.DATA_CREDIT, className="data-credit small mb-0", children=[
                       sources.data_credit(dataset), f" {len(dataset.frame)} models; hollow markers are "
                       "speculative estimates; every number has its source on its stats card and its model's page."])],
        "table": [models_table.make_models_table()],
        "compare": [pinned_comparison.make_comparison()],
        "trends": [charts.make_trends(dataset)],
        "model": [estimator.make_estimator()],
        "sources": [*sources.make_sources(dataset), model_page.make_cite_box(dataset)],
    }
    return dbc.Container(fluid=True, className="page py-2", children=[
        tabs.make_skip_links(),
        *url_state.make_url_state(dataset_url, dataset.version, dataset.data_version, upload_url),
        *stories.make_story_store(),
        make_header(),
        filters.make_filter_button(),   # below 992 px the filters are a drawer: a chart fills the first screen
        html.Div(className="page-body", children=[
            html.Div(className="filter-column", children=filters.make_filter_drawer(dataset)),
            html.Main(id=ids.MAIN, className="main-area at-charts", children=[
                html.Div(className="main-and-card", children=[
                    html.Div(className="main-tabs", children=tabs.make_tabs(panels)),
                    stats_card.make_stats_card(),
                ]),
            ]),
        ]),
        models_table.make_picker(),
    ])


class ScaleMapDash(Dash):
    """Dash, with a page that loads only what it uses: not the DataTable bundle Dash adds to
    every page (the models table is AG Grid)."""

    def interpolate_index(self, **kwargs) -> str:
        kwargs["scripts"] = "\n".join(line for line in kwargs["scripts"].split("\n") if "/dash_table/" not in line)
        return super().interpolate_index(**kwargs)


def create_app(settings: Settings) -> Dash:
    dataset = load_dataset(settings)
    # Bootstrap (Bootswatch Flatly, MIT) is served from assets/: no CDN, works offline. The
    # plotly.js bundles in assets/vendor/ load only when chosen (components/plotly_bundle.py);
    # assets/embed/ starts an embed's chart (components/embed.py): served, but not on the map's page.
    app = ScaleMapDash(__name__, title="ML Scale Map", on_error=http.callback_fault,
                       assets_path_ignore=["vendor", f"^{embed.EMBED_ASSETS}$"])
    # plotly.js before Dash's own scripts: window.Plotly is set before anything draws.
    plotly_js = plotly_bundle.script_url(app, dataset.frame)
    app.config.external_scripts.append(plotly_js)
    app.server.config[CONFIG_KEY] = dataset
    http.compress_and_cache(app)
    dataset_url = http.serve_dataset(app, dataset)
    http.serve_exports(app)
    model_page.serve_model_pages(app)
    embed.serve_embeds(app, dataset_url)
    try:
        http.rate_limit(app, settings.upload_rate, settings.export_rate, settings.rate_limit_storage)
    except Exception as exc:   # an unknown or unreachable store: one line, as for any setting
        raise SettingsError(f"SCALEMAP_RATE_LIMIT_STORAGE={settings.rate_limit_storage!r}: "
                            f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    http.limit_upload_checks(app, settings.upload_checks)
    upload_url = upload.serve_upload_check(app)
    # What the first paint waits for starts downloading with the page: the dataset, plotly.js,
    # and the layout and callbacks that Dash's renderer would ask for only once every script
    # has run.
    dash_json = [app.get_relative_path(path) for path in ("/_dash-layout", "/_dash-dependencies")]
    preloads = "".join(http.preload_link(url) for url in (dataset_url, *dash_json)) + \
        f'<link rel="preload" href="{plotly_js}" as="script">'
    app.index_string = app.index_string.replace("{%css%}", preloads + "{%css%}") \
        .replace("<html>", '<html lang="en">', 1)
    app.layout = make_layout(dataset, dataset_url, upload_url)
    http.secure(app)
    embed.allow_framing(app, http.content_security_policy(app))
    return app


def __getattr__(name: str):
    """`app:server` for gunicorn, built on first access from environment settings, so that
    importing this module (tests, `--help`) does not load the catalogue."""
    if name in ("app", "server"):
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
        try:
            app = create_app(settings_from_env())
        except (CatalogueFileError, SettingsError) as exc:
            sys.exit(f"ml-scale-map: {exc}")   # one line; gunicorn then stops with "failed to boot"
        globals().update(app=app, server=app.server)
        return globals()[name]
    raise AttributeError(name)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["diff"]:   # its own arguments: two catalogues, not the server's settings
        from scalemap.features.versions import main as diff_main
        return diff_main(argv[1:])
    parser = argparse.ArgumentParser(
        prog="ml-scale-map", description="Serve the ML Scale Map dashboard, print the load report, "
                                          "or download Epoch AI's current exports.")
    parser.add_argument("command", nargs="?", choices=("serve", "report", "fetch-epoch", "diff"), default="serve",
                        help="serve (default): run the web app; report: print what loads and what "
                             "was skipped, then exit (non-zero if anything was skipped); fetch-epoch: "
                             "download Epoch AI's CSV exports into the cache folder (--cache-dir), "
                             "for --epoch latest; diff OLD NEW: what changed between two catalogues "
                             "(ml-scale-map diff --help)")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        settings = settings_from_args(args)
        if args.command == "serve" and not settings.debug:
            workers_from_env()   # before gunicorn is imported: it reads WEB_CONCURRENCY with int()
    except SettingsError as exc:
        print(f"ml-scale-map: {exc}", file=sys.stderr)
        return 2
    if args.command == "fetch-epoch":
        return fetch_epoch(settings)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "report":
            dataset = dataset_for(settings)
            print("\n".join(dataset.report))
            for problem in dataset.problems:
                print(f"skipped or changed: {problem}")
            print(f"{len(dataset.frame)} models in all")
            return 1 if dataset.problems else 0
        app = create_app(settings)
    except CatalogueFileError as exc:
        print(f"ml-scale-map: {exc}", file=sys.stderr)
        return 2
    if settings.debug:   # Flask's development server, with hot reload: never in production
        app.run(host=settings.host, port=settings.port, debug=True)
    else:
        serve_with_gunicorn(app, settings)
    return 0


class _Stopped(BaseException):
    """SIGTERM: raised where the download is, so its temporary file goes as on Ctrl-C."""


def _stop(signum, frame):
    raise _Stopped(signum)


def fetch_epoch(settings: Settings) -> int:
    """Download every export (progress on stderr); one line per failure, non-zero if any failed."""
    import signal
    import threading
    main_thread = threading.current_thread() is threading.main_thread()   # where signals can be caught
    previous = signal.signal(signal.SIGTERM, _stop) if main_thread else None
    try:
        fetched, failed = fetch_all(settings.epoch_url, settings.epoch_cache, settings.fetch_timeout,
                                    max_bytes=int(settings.fetch_max_mb * 10**6), deadline=settings.fetch_deadline)
    except (KeyboardInterrupt, _Stopped) as exc:
        print(f"ml-scale-map: fetch-epoch: stopped ({'SIGTERM' if isinstance(exc, _Stopped) else 'interrupted'}); "
              "the file being fetched was not kept", file=sys.stderr)
        return 130 if isinstance(exc, KeyboardInterrupt) else 143
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
    for entry in fetched:
        print(f"{settings.epoch_cache / entry.file}: {entry.models:,} models, fetched {entry.date}")
    for line in failed:
        print(f"ml-scale-map: fetch-epoch: {line}", file=sys.stderr)
    return 1 if failed else 0


def serve_with_gunicorn(app: Dash, settings: Settings) -> None:
    """The production server, configured by gunicorn_conf.py (every setting in one place), on
    the app already built from the command line's settings: the workers fork from this process
    and share it."""
    from gunicorn.app.base import Application

    class Server(Application):
        def load_config(self):
            self.load_config_from_module_name_or_filename("python:gunicorn_conf")
            self.cfg.set("bind", f"{settings.host}:{settings.port}")

        def load(self):
            return app.server

    Server().run()


if __name__ == "__main__":
    sys.exit(main())
