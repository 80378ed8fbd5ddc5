"""Where the sources disagree: shown only when a second source is loaded beside the catalogue."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html
from dash.exceptions import PreventUpdate

from components import ids
from components.dataset_access import current_dataset
from scalemap.contract.units import format_count, format_flop
from scalemap.dataset.disagreements import disagreements
from scalemap.features.export import CREDIT_COLUMN, credit_line, neutralise_formulas
from scalemap.features.pinned_comparison import format_ratio

FIELD_LABELS = {"parameters": "Parameters", "training_compute": "Training compute"}


def _value(field: str, value: float) -> str:
    return format_count(value) if field == "parameters" else format_flop(value)


def make_disagreements(dataset):
    """An accordion item listing every differing number; with one source, only the (hidden)
    download its callback needs, so the page's callbacks always find their components."""
    if not hasattr(dataset.models, "merged_ids") or not dataset.models.merged_ids():
        return html.Div(id=ids.DISAGREEMENTS, hidden=True, children=[
            html.Button(id=ids.DISAGREEMENTS_CSV, hidden=True), dcc.Download(id=ids.DISAGREEMENTS_DOWNLOAD)])
    table = disagreements(dataset)
    body = [html.Tr([html.Td(row["model"]), html.Td(FIELD_LABELS[row["field"]]),
                     html.Td(_value(row["field"], row["ours"])), html.Td(_value(row["field"], row["epoch"])),
                     html.Td(format_ratio(row["ratio"])), html.Td(row["our note"], className="small")])
            for row in table.to_dict("records")]
    head = html.Thead(html.Tr([html.Th(h) for h in ("Model", "Number", "ML Scale Map", "Epoch AI",
                                                     "Ratio (ours / Epoch)", "Our note")]))
    return dbc.Accordion(start_collapsed=True, className="mb-3", id=ids.DISAGREEMENTS, children=[
        dbc.AccordionItem(title=f"Where the sources disagree ({len(table)} numbers)", children=[
            html.P("Models in both the catalogue and Epoch AI's database whose parameters differ by more "
                   "than 25% or training compute by more than 2×. Data: Epoch AI (CC BY 4.0).",
                   className="small text-muted"),
            dbc.Button("Download CSV", id=ids.DISAGREEMENTS_CSV, size="sm", color="primary", outline=True,
                       className="mb-2"),
            dcc.Download(id=ids.DISAGREEMENTS_DOWNLOAD),
            html.Div(dbc.Table([head, html.Tbody(body)], size="sm", striped=True, className="small"),
                     style={"maxHeight": "420px", "overflowY": "auto"}),
        ]),
    ])


@callback(
    Output(ids.DISAGREEMENTS_DOWNLOAD, "data"),
    Input(ids.DISAGREEMENTS_CSV, "n_clicks"),
    prevent_initial_call=True,
)
def download_disagreements(n_clicks):
    if not n_clicks:
        raise PreventUpdate
    dataset = current_dataset()
    table = disagreements(dataset).assign(**{CREDIT_COLUMN: credit_line(dataset)})   # as every CSV the page gives
    return dcc.send_data_frame(neutralise_formulas(table).to_csv, "ml-scale-map-disagreements.csv", index=False)
