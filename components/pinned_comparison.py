"""Compare pinned models: their stats cards side by side (scalemap.features.pinned_comparison), every number
with its source and confidence, and its ×-ratio to the first model where it differs.

The pins live in the browser (`assets/components/pins.js`) and the URL; this panel is the
one request a pin change makes, as a stats card is."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html

from components import ids
from components.dataset_access import current_dataset
from components.stats_card import CONFIDENCE_BADGE
from scalemap.features.export import CREDIT_COLUMN, credit_line, neutralise_formulas
from scalemap.features.pinned_comparison import MAX_MODELS, MIN_MODELS, comparison_csv_rows, comparison_table
from scalemap.features.stats_card import NOT_DOCUMENTED
from scalemap.features.upload import ID_PREFIX, held_records, model_from_record


def make_comparison() -> html.Div:
    """The Compare tab's content: the comparison, or how to pin models when fewer than two are."""
    return html.Div(id=ids.COMPARISON_PANEL, className="comparison-panel", children=[
        html.Div(className="d-flex flex-wrap gap-2 align-items-center mb-2", children=[
            dbc.Button("Unpin all", id=ids.UNPIN_ALL, size="sm", color="dark", outline=True),
            dbc.Button("Download comparison CSV", id=ids.COMPARISON_CSV, size="sm", color="primary", outline=True),
        ]),
        dcc.Download(id=ids.COMPARISON_DOWNLOAD),
        html.Div(id=ids.COMPARISON, **{"aria-live": "polite"}), dcc.Store(id=ids.COMPARISON_REQUEST),
    ])


def pinned_models(pins, uploaded=None) -> list[tuple[str, object]]:
    """(id, ModelEntry) of each pinned model that exists, in pinning order: the dataset's, and
    your own from the tab's uploaded records (as the stats card reads them)."""
    models = current_dataset().models
    records = held_records(uploaded)

    def model(pin):
        if pin.startswith(ID_PREFIX):
            return model_from_record(records[pin]) if isinstance(records.get(pin), dict) else None
        return models.get(pin)
    wanted = [p for p in pins if isinstance(p, str)] if isinstance(pins, list) else []
    return [(p, found) for p in dict.fromkeys(wanted) if (found := model(p)) is not None][:MAX_MODELS]


def _cell(cell, reference: bool, differs: bool) -> html.Td:
    card = cell.card
    if card.text == NOT_DOCUMENTED:
        return html.Td(NOT_DOCUMENTED, className="text-muted fst-italic")
    parts = [html.Span(card.text, title=f"exact: {card.exact}" if card.exact else None)]
    if cell.ratio and not reference:
        parts.append(html.Span(f" {cell.ratio}", className="ratio fw-semibold" if differs else "ratio text-muted"))
    details = []
    if card.confidence:
        details.append(dbc.Badge(card.confidence, color=CONFIDENCE_BADGE[card.confidence], className="me-1"))
    if card.source:
        details.append(html.A("source", href=card.source, target="_blank", rel="noopener noreferrer"))
    if card.range:
        details.append(html.Div(f"range {card.range}", className="text-muted small stat-range"))
    if card.method:
        details.append(html.Div(card.method, className="text-muted small"))
    return html.Td([html.Div(parts), html.Div(details, className="small")])


HOW_TO_PIN = ("Pin two to four models to compare them side by side: the Pin button beside a search "
              "match, on a stats card, or in the table's Pin column. Pinned models are ringed and "
              "named on every chart.")


def render_comparison(pinned: list[tuple[str, object]]) -> list:
    if not pinned:
        return [html.P(HOW_TO_PIN, className="small mb-0")]
    models = [model for _, model in pinned]
    if len(models) < MIN_MODELS:
        return [html.P(f"{models[0].name} is pinned. Pin one to three more (from a stats card or the "
                       "table's Pin column) to compare them side by side.", className="small mb-0 mt-2")]
    comparison = comparison_table(models)
    head = html.Tr([html.Th(html.Span("Field", className="visually-hidden"), scope="col")] + [html.Th([
        html.Button(name, id=ids.open_model(model_id), className="btn btn-link p-0 fw-semibold text-start"),
        html.Button("×", id=ids.unpin(model_id), className="btn btn-sm btn-link text-danger p-0 ms-2",
                    title=f"Unpin {name}", **{"aria-label": f"Unpin {name}"}),
    ], scope="col") for name, (model_id, _) in zip(comparison.names, pinned)])
    body = [html.Tr([html.Th(fact.label, scope="row")] + [html.Td(text) for text in fact.texts],
                    className="fact-row") for fact in comparison.facts]
    for row in comparison.rows:
        cells = [_cell(cell, i == 0, row.differs) for i, cell in enumerate(row.cells)]
        label = [row.label, html.Div(row.note, className="small text-muted fw-normal")] if row.note else row.label
        body.append(html.Tr([html.Th(label, scope="row")] + cells,
                            className="comparison-differs" if row.differs else None,
                            **{"data-field": row.label}))
    return [
        html.P(f"Ratios are to {comparison.names[0]}, the first pinned; a row is highlighted where a model's "
               f"value and {comparison.names[0]}'s are both known, comparable (the same unit, the same chip) "
               "and more than 1.25× apart.", className="small text-muted mt-2 mb-1"),
        html.Div(dbc.Table([html.Colgroup([html.Col(className="comparison-label-column"),
                                           *(html.Col() for _ in pinned)]),
                            html.Thead(head), html.Tbody(body)], size="sm", bordered=True,
                           className=f"comparison-table comparison-of-{len(pinned)} mb-0"),
                 className="table-responsive"),
    ]


# The comparison's request holds the pins and, for your own pinned models, their records alone:
# the whole uploaded store (2 MB at 2,000 models) went with every pin change, past the 1 MB limit.
clientside_callback(
    ClientsideFunction("scalemap_pins", "comparisonRequest"),
    Output(ids.COMPARISON_REQUEST, "data"),
    Input(ids.PINS, "data"), Input(ids.UPLOADED, "data"),
)


def _pins_and_records(request) -> tuple[list, dict]:
    if not isinstance(request, dict):
        return [], {}
    return request.get("pins"), {"records": request.get("records") if isinstance(request.get("records"), dict) else {}}


@callback(Output(ids.COMPARISON, "children"), Input(ids.COMPARISON_REQUEST, "data"))
def show_comparison(request):
    return render_comparison(pinned_models(*_pins_and_records(request)))


@callback(
    Output(ids.COMPARISON_DOWNLOAD, "data"),
    Input(ids.COMPARISON_CSV, "n_clicks"), State(ids.COMPARISON_REQUEST, "data"),
    prevent_initial_call=True,
)
def download_comparison(clicks, request):
    models = [model for _, model in pinned_models(*_pins_and_records(request))]
    if not clicks or len(models) < MIN_MODELS:
        return None
    rows = pd.DataFrame(comparison_csv_rows(comparison_table(models)))
    rows[CREDIT_COLUMN] = credit_line(current_dataset())   # as every CSV the page gives (export.py)
    return dcc.send_data_frame(neutralise_formulas(rows).to_csv, "ml-scale-map-comparison.csv", index=False)


clientside_callback(
    ClientsideFunction("scalemap_pins", "unpin"),
    Output(ids.PINS, "data", allow_duplicate=True),
    Input(ids.unpin(ALL), "n_clicks"), State(ids.PINS, "data"),
    prevent_initial_call=True,
)

clientside_callback(
    ClientsideFunction("scalemap_pins", "unpinAll"),
    Output(ids.PINS, "data", allow_duplicate=True),
    Input(ids.UNPIN_ALL, "n_clicks"),
    prevent_initial_call=True,
)

clientside_callback(   # a search hit's Pin button
    ClientsideFunction("scalemap_pins", "fromHit"),
    Output(ids.PINS, "data", allow_duplicate=True),
    Input(ids.pin_model(ALL), "n_clicks"), State(ids.PINS, "data"), State(ids.PAGE_CONFIG, "data"),
    prevent_initial_call=True,
)

clientside_callback(   # a table row's Pin checkbox
    ClientsideFunction("scalemap_pins", "fromTable"),
    Output(ids.PINS, "data", allow_duplicate=True),
    Input(ids.MODELS_TABLE, "selectedRows"), State(ids.PINS, "data"), State(ids.PAGE_CONFIG, "data"),
    prevent_initial_call=True,
)

clientside_callback(
    ClientsideFunction("scalemap_pins", "toTable"),
    Output(ids.MODELS_TABLE, "selectedRows"),
    Input(ids.PINS, "data"), State(ids.MODELS_TABLE, "selectedRows"),
)
