"""The models table (every model of the view, with or without numbers), the search hits
under the search box, and the picker for crowded spots on the charts.

All of it runs in the browser (`assets/components/table.js`, `assets/components/selection.js`):
the rows are made once from the dataset, and a view change only re-filters them."""
from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Input, Output, State, clientside_callback, dcc, html

from components import ids
from components.url_state import CONTROLS

NUMBER = {"filter": "agNumberColumnFilter", "type": "rightAligned"}
COLUMNS = [
    {"field": "name", "headerName": "Model", "pinned": "left", "minWidth": 190, "filter": "agTextColumnFilter"},
    {"field": "organization", "headerName": "Organization", "minWidth": 160},
    {"field": "date", "headerName": "Published", "sort": "desc", "width": 132},
    {"field": "domains", "headerName": "Domains", "width": 150},
    {"field": "parameters", "headerName": "Parameters", **NUMBER, "width": 125,
     "valueFormatter": {"function": "scalemapCount(params)"}},
    {"field": "activeParameters", "headerName": "Active parameters", **NUMBER, "width": 125,
     "valueFormatter": {"function": "scalemapCount(params)"}},
    {"field": "compute", "headerName": "Training compute", **NUMBER, "width": 150,
     "valueFormatter": {"function": "scalemapFlop(params)"}},
    {"field": "computeRange", "headerName": "Compute range", "width": 175,
     "headerTooltip": "The range of an estimate, where one is stated", "sortable": False},
    {"field": "data", "headerName": "Training data", **NUMBER, "width": 150,
     "valueFormatter": {"function": "scalemapData(params)"}},
    {"field": "cost", "headerName": "Training cost", **NUMBER, "width": 150,
     "valueFormatter": {"function": "scalemapUsd(params)"}},
    {"field": "accessibility", "headerName": "Accessibility", "width": 130},
    {"field": "confidence", "headerName": "Confidence", "width": 120,
     "headerTooltip": "The less sure of the parameter count and the compute"},
]


def make_models_table() -> dbc.Card:
    return dbc.Card(className="mb-3", id="models", children=dbc.CardBody([
        html.H2("Models", className="h5 mb-1"),
        html.Div(id=ids.TABLE_SUMMARY, className="small text-muted mb-2", **{"aria-live": "polite"}),
        html.P("Click a row, or Tab to the table, move with the arrow keys and press Enter, to open "
               "its stats card. Tick up to four to compare them. Box-select on a chart to list "
               "only those models.", className="small text-muted mb-2"),
        dag.AgGrid(
            id=ids.MODELS_TABLE, columnDefs=COLUMNS, rowData=[], getRowId="params.data.id",
            defaultColDef={"sortable": True, "resizable": True, "filter": True},
            dashGridOptions={
                # The view's filter and search run in the browser; the grid asks for each row.
                "isExternalFilterPresent": {"function": "scalemapFiltering()"},
                "doesExternalFilterPass": {"function": "scalemapKeeps(params)"},
                "rowSelection": {"mode": "multiRow", "checkboxes": True, "headerCheckbox": False,
                                 "enableClickSelection": False},
                "selectionColumnDef": {"headerName": "Pin", "pinned": "left", "width": 64,
                                       "headerTooltip": "Pin to compare (up to four)"},
                "context": {"selectedStore": ids.SELECTED_MODEL},
                "animateRows": False, "enableCellTextSelection": True,
            },
            className="ag-theme-quartz models-grid", style={"width": "100%"},
        ),
        dcc.Store(id=ids.CHART_SELECTION),   # the rows box-selected on a chart (assets/components/painter.js)
    ]))


def make_search_hits() -> html.Div:
    return html.Div(id=ids.SEARCH_HITS, className="list-group search-hits mt-1", role="list",
                    **{"aria-label": "Models that match the search"})


def make_picker() -> dbc.Modal:
    return dbc.Modal(id=ids.PICKER, is_open=False, size="md", scrollable=True, children=[
        dbc.ModalHeader(dbc.ModalTitle("Models at this spot")),
        dbc.ModalBody(html.Div(id=ids.PICKER_BODY, className="list-group")),
    ])


clientside_callback(   # (the grid's rows and filter follow when it is near the screen: table.js refilter)
    ClientsideFunction("scalemap_table", "update"),
    Output(ids.TABLE_SUMMARY, "children"), Output(ids.SEARCH_HITS, "children"),
    *(Input(component, prop) for component, prop in CONTROLS if component != ids.SELECTED_MODEL),
    Input(ids.CHART_SELECTION, "data"), Input(ids.UPLOADED, "data"),
    State(ids.SELECTED_MODEL, "data"), State(ids.PAGE_CONFIG, "data"), State(ids.MODELS_TABLE, "id"),
    prevent_initial_call=True,
)

clientside_callback(
    ClientsideFunction("scalemap_table", "openTopMatch"),
    Output(ids.SELECTED_MODEL, "data", allow_duplicate=True),
    Input(ids.SEARCH, "n_submit"),
    *(State(component, prop) for component, prop in CONTROLS),
    State(ids.UPLOADED, "data"), State(ids.PAGE_CONFIG, "data"),
    prevent_initial_call=True,
)

clientside_callback(
    ClientsideFunction("scalemap_table", "fromCell"),
    Output(ids.SELECTED_MODEL, "data", allow_duplicate=True),
    Input(ids.MODELS_TABLE, "cellClicked"),
    prevent_initial_call=True,
)

clientside_callback(   # a crowded spot's picker, a search hit, a compared model's name
    ClientsideFunction("scalemap_selection", "fromButton"),
    Output(ids.SELECTED_MODEL, "data", allow_duplicate=True),
    Output(ids.PICKER, "is_open", allow_duplicate=True),
    Input(ids.open_model(ALL), "n_clicks"),
    prevent_initial_call=True,
)
