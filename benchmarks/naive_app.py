"""The naive baseline the benchmark compares against: a Dash app written the tutorial way.

One callback rebuilds three `px.scatter` figures over the whole table on every change of the
domain checklist or the search box (plotly express switches to WebGL by itself above 1,000
points). It loads the same data as the app, from the same settings (SCALEMAP_* variables):

    gunicorn -c gunicorn_conf.py benchmarks.naive_app:server
"""
from __future__ import annotations

import numpy as np
import plotly.express as px
from dash import Dash, Input, Output, callback, dcc, html

from scalemap.dataset.build import build_dataset
from scalemap.settings import settings_from_env

settings = settings_from_env()
frame = build_dataset(list(settings.catalogue), list(settings.epoch), settings.prefer,
                      bundled=not settings.epoch_only).frame
DOMAINS = sorted({d for ds in frame["domains"] for d in ds})
CHARTS = (("date", "parameters"), ("parameters", "training_compute"), ("date", "training_compute"))

app = Dash(__name__, title="Naive scale map", assets_ignore=".*")
server = app.server
app.layout = html.Div([
    dcc.Checklist(id="domains", options=[{"label": d.capitalize(), "value": d} for d in DOMAINS], value=[]),
    dcc.Input(id="search", type="text", placeholder="Find a model", value=""),
    *(dcc.Graph(id=f"graph-{i}", style={"height": "520px"}) for i in range(len(CHARTS))),
])


@callback(*(Output(f"graph-{i}", "figure") for i in range(len(CHARTS))),
          Input("domains", "value"), Input("search", "value"))
def update(domains, search):
    rows = frame
    if domains:
        rows = rows[rows["domains"].map(lambda ds: not set(domains).isdisjoint(ds))]
    figures = []
    for x, y in CHARTS:
        points = rows[(rows[y] > 0) & ((rows[x] > 0) if x != "date" else True)]
        figure = px.scatter(points, x=x, y=y, color="primary_domain", hover_name="name",
                            log_x=x != "date", log_y=True)
        if search:
            matched = points[points["search_key"].str.contains(search.lower(), regex=False)]
            figure.add_scatter(x=matched[x], y=matched[y], mode="markers", name="matches",
                               marker={"size": 14, "color": np.full(len(matched), "black")})
        figures.append(figure)
    return figures
