"""The stats card: click a point on any chart, read everything we know of that model."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html

from components import ids
from components.dataset_access import current_dataset
from scalemap.features.model_page import REPORTABLE, model_page_path, report_path
from scalemap.features.stats_card import NOT_DOCUMENTED, card_facts, card_rows
from scalemap.features.upload import ID_PREFIX, model_from_record
from scalemap.sources.schema import is_web_link

CONFIDENCE_BADGE = {"confident": "success", "likely": "warning", "speculative": "danger"}


def make_stats_card() -> html.Aside:
    """The card beside the main area (a column of its own from 992 px, over the page below):
    the filters and the search stay in view, and pinning needs no closing first."""
    return html.Aside(id=ids.STATS_CARD, className="stats-card", hidden=True,
                      **{"aria-labelledby": "stats-card-title"}, children=[
        html.Div(className="stats-card-head", children=[
            html.H2("Stats card", id="stats-card-title", className="h6 mb-0 text-uppercase small"),
            dbc.Button("Pin to compare", id=ids.PIN_BUTTON, size="sm", color="primary", outline=True),
            html.Button(id=ids.STATS_CARD_CLOSE, className="btn-close", type="button",
                        title="Close the stats card (Escape)", **{"aria-label": "Close the stats card"}),
        ]),
        html.Div(id=ids.STATS_CARD_BODY, className="stats-card-body"), dcc.Store(id=ids.CARD_REQUEST),
    ])


def render_card(model, provenance=None, model_id: str | None = None) -> list:
    """The card's content; with `model_id` (a model of the served data, not one of your own), a
    link to its page and, per number, a link to report it wrong (scalemap.features.model_page)."""
    facts = html.Dl(className="row small mb-2", children=[
        part for label, text in card_facts(model)
        for part in (html.Dt(label, className="col-4"), html.Dd(text, className="col-8 mb-1"))
    ])
    table_rows = []
    for row in card_rows(model, provenance):
        value = html.Span(row.text, title=f"exact: {row.exact}" if row.exact else None,
                          className="text-muted fst-italic" if row.text == NOT_DOCUMENTED else None)
        details = []
        if row.confidence:
            details.append(dbc.Badge(row.confidence, color=CONFIDENCE_BADGE[row.confidence],
                                     className="me-1"))
        if row.range:
            value = html.Span([value, html.Span(f" {row.sureness}", className="stat-range small text-muted")])
        if row.source:
            details.append(html.A("source", href=row.source, target="_blank", rel="noopener noreferrer"))
        if row.origin:
            details.append(html.Div(row.origin, className="small text-muted stat-origin"))
        if model_id and row.field in REPORTABLE and row.text != NOT_DOCUMENTED:
            details.append(html.A("report", href=report_path(model_id, row.field), className="small ms-1 report-link",
                                  title=f"Report a wrong {row.label.lower()}: a prefilled issue text"))
        cells = [html.Th(row.label, scope="row"), html.Td(value), html.Td(details)]
        table_rows.append(html.Tr(cells, className="stat-row", **{"data-field": row.label}))
        if row.other:
            other = [html.Span(row.other, className="stat-other")]
            if row.other_note:
                other.append(html.Div(row.other_note, className="fst-italic"))
            table_rows.append(html.Tr(html.Td(other, colSpan=3, className="small text-muted ps-4")))
        if row.method:
            table_rows.append(html.Tr(html.Td(row.method, colSpan=3, className="small text-muted ps-4")))
    links = [html.Li(html.A(link, href=link, target="_blank", rel="noopener noreferrer"))
             for link in model.links if is_web_link(link)]
    page_link = html.P(html.A("Page of this model: every number, its sources and changes, how to cite it",
                              href=model_page_path(model_id), className="model-page-link small"),
                       className="mb-2") if model_id else None
    return [
        html.H3(model.name, className="h4 stats-card-name"),
        page_link,
        facts,
        dbc.Table(html.Tbody(table_rows), size="sm", className="stats-table"),
        html.H4("Sources", className="h6"),
        html.Ul(links or [html.Li(NOT_DOCUMENTED)], className="small"),
        html.P(model.notes, className="small") if model.notes else None,
    ]


clientside_callback(   # a click on a point selects its model, or lists a crowded spot's models
    ClientsideFunction("scalemap_selection", "fromClick"),
    Output(ids.SELECTED_MODEL, "data", allow_duplicate=True),
    Output(ids.PICKER, "is_open"), Output(ids.PICKER_BODY, "children"),
    Input(ids.CHART_CLICK, "data"), State(ids.UPLOADED, "data"), State(ids.PAGE_CONFIG, "data"),
    prevent_initial_call=True,
)


# The card's request holds the model's id and, for one of your own, its record alone: sending
# the whole uploaded file with each click put every card over the request limit (413).
clientside_callback(
    ClientsideFunction("scalemap_selection", "cardRequest"),
    Output(ids.CARD_REQUEST, "data"),
    Input(ids.SELECTED_MODEL, "data"), State(ids.UPLOADED, "data"), State(ids.PAGE_CONFIG, "data"),
)


@callback(
    Output(ids.STATS_CARD_BODY, "children"),
    Output(ids.STATS_CARD, "hidden"),
    Input(ids.CARD_REQUEST, "data"),
)
def show_stats_card(request):
    model_id = request.get("id") if isinstance(request, dict) else None
    models, provenance = current_dataset().models, None
    if isinstance(model_id, str) and model_id.startswith(ID_PREFIX):   # one of your own, from the browser
        record = request.get("record")
        model = model_from_record(record) if isinstance(record, dict) else None
    else:
        model = models.get(model_id) if isinstance(model_id, str) else None
        provenance = models.provenance(model_id) if model is not None and hasattr(models, "provenance") else None
    if model is None:
        return [], True
    return render_card(model, provenance, model_id if model_id in models else None), False


clientside_callback(   # the close button (or Escape: selection.js) clears the selection
    ClientsideFunction("scalemap_selection", "close"),
    Output(ids.SELECTED_MODEL, "data", allow_duplicate=True),
    Input(ids.STATS_CARD_CLOSE, "n_clicks"),
    prevent_initial_call=True,
)

clientside_callback(   # the card's pin button pins or unpins its model
    ClientsideFunction("scalemap_pins", "toggleFromCard"),
    Output(ids.PINS, "data", allow_duplicate=True),
    Input(ids.PIN_BUTTON, "n_clicks"),
    State(ids.SELECTED_MODEL, "data"), State(ids.PINS, "data"), State(ids.PAGE_CONFIG, "data"),
    prevent_initial_call=True,
)

clientside_callback(   # the button says what it will do
    ClientsideFunction("scalemap_pins", "pinButton"),
    Output(ids.PIN_BUTTON, "children"), Output(ids.PIN_BUTTON, "disabled"),
    Input(ids.SELECTED_MODEL, "data"), Input(ids.PINS, "data"), State(ids.PAGE_CONFIG, "data"),
)
