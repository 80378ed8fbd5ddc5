"""The Sources & download tab: where the data come from and how to cite them, every download
(the view's models as CSV, each chart as PNG or SVG: the same files as the charts' modebars,
reachable by keyboard), the numbers two sources disagree on, and — for the operator's
benefit, in small print — the catalogue rows the server skipped (the full list is in its log
and in `ml-scale-map report`)."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Input, Output, clientside_callback, dcc, html

from components import ids
from components.disagreements import make_disagreements
from scalemap.dataset.table import Dataset
from scalemap.features.charts import ALL_CHARTS, CUSTOM_CHART
from scalemap.features.export import credit_line

SHOWN_PROBLEMS = 50


def data_credit(dataset: Dataset) -> str:
    """One line: whose data the page shows (the same credit as every download's)."""
    return credit_line(dataset) + "."


def export_button(chart_key: str, file_format: str, title: str) -> html.Button:
    return html.Button(file_format.upper(), id={"type": "export-chart", "chart": chart_key, "format": file_format},
                       type="button", className="btn btn-sm btn-outline-dark",
                       **{"aria-label": f"Download {title} as {file_format.upper()}"})


def catalogue_note(dataset: Dataset):
    """Skipped catalogue rows, in small print: a matter for whoever runs the server."""
    problems = dataset.problems
    if not problems:
        return html.Div(id=ids.SOURCES_NOTE)
    listed = [html.Li(str(p)) for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        listed.append(html.Li(f"… and {len(problems) - SHOWN_PROBLEMS} more (see the server log)"))
    return html.Details(id=ids.SOURCES_NOTE, className="small text-muted mt-3", children=[
        html.Summary(f"{len(problems)} catalogue problems: rows or values this server skipped when it started "
                     "(the server's log and `ml-scale-map report` list them too)"),
        html.Ul(listed, className="mb-0"),
    ])


def make_sources(dataset: Dataset) -> list:
    charts = [(chart.key, "Any two quantities" if chart is CUSTOM_CHART else chart.title) for chart in ALL_CHARTS]
    return [
        html.H3("Where the numbers come from", className="h6"),
        html.P([data_credit(dataset), " Every number has its source, confidence and method on its model's stats "
                "card; estimates carry their range. The catalogue is built from primary sources (papers, model "
                "cards, official posts)."], className="small"),
        html.H3("Download", className="h6 mt-3"),
        html.Div(className="d-flex flex-wrap gap-2 align-items-center mb-2", children=[
            dbc.Button("Download CSV", id=ids.CSV_BUTTON, color="primary", size="sm"),
            html.Span("the models of this view (the filters and the search), every number with its confidence, "
                      "source, method and origin; the last column, data_credit, says whose data they are.",
                      className="small"),
        ]),
        dcc.Download(id=ids.CSV_DOWNLOAD),
        html.Ul(className="small chart-downloads list-unstyled", children=[
            html.Li([html.Span(f"{title}: ", className="me-1"), export_button(key, "png", title), " ",
                     export_button(key, "svg", title)], className="mb-1")
            for key, title in charts
        ]),
        html.P(["A script gets the same rows from ", html.Code("/data.csv"), " and ", html.Code("/api/models.json"),
                " with this view's link query."], className="small"),
        make_disagreements(dataset),
        catalogue_note(dataset),
    ]


clientside_callback(   # the chart downloads above: the modebar's export, from a button
    ClientsideFunction("scalemap_chart_labels", "exportFromButton"),
    Output(ids.DATA_CREDIT, "title"),   # (nothing changes: an output Dash requires)
    Input({"type": "export-chart", "chart": ALL, "format": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
