"""Keeps the URL query string and the controls in step, both ways, in the browser.

Which control shows which part of the view is declared once, with the view's fields
(scalemap/contract/view.py FIELDS); `CONTROLS` lists them in that order, and the browser code
(`assets/core/view.js`) reads the same table from the page config. A change of URL (page
load, Back) sets the controls through the clientside callback below; a change of a control is
drawn first and then written to the URL by the drawing code (view.js: writeUrl), so the address
bar is never on the path of a redraw. The server reads the same view from the controls for what
it computes (CSV, trends)."""
from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, clientside_callback, dcc

from components import ids
from components.dataset_access import current_dataset
from components.upload import UPLOAD_ROUTE
from scalemap.contract.view import VIEW, ViewState, browser_contract
from scalemap.features.upload import ID_PREFIX, MAX_UPLOAD_BYTES

# (component id, property) of every control of the view, in the table's order: the selected
# model last (the browser's callbacks append it to the others).
CONTROLS = VIEW.controls
assert CONTROLS[-1] == (ids.SELECTED_MODEL, "data")


def page_config(dataset_url: str, version: str, data_version: str = "", upload_url: str = UPLOAD_ROUTE) -> dict:
    """What the browser code needs: where the data is, its citable version (shared links carry
    it), where files are checked, and the view's table and rules."""
    return {"dataset": {"url": dataset_url, "version": version}, "dataVersion": data_version,
            "view": browser_contract(),
            "urlId": ids.URL, "uploadLimit": MAX_UPLOAD_BYTES, "uploadPrefix": ID_PREFIX, "uploadId": ids.UPLOAD,
            "uploadUrl": upload_url}


def make_url_state(dataset_url: str, version: str, data_version: str = "", upload_url: str = UPLOAD_ROUTE) -> list:
    return [dcc.Location(id=ids.URL, refresh="callback-nav"),
            dcc.Store(id=ids.SELECTED_MODEL, storage_type="memory"),
            dcc.Store(id=ids.PINS, data=[], storage_type="memory"),
            dcc.Store(id=ids.MY_MODEL, storage_type="memory"),
            dcc.Store(id=ids.PAGE_CONFIG, data=page_config(dataset_url, version, data_version, upload_url))]


def view_from_controls(*control_values, year_bounds: tuple[int, int]) -> ViewState:
    """The view the controls show (their values in `CONTROLS` order); values equal to the
    defaults become defaults, and values that cannot come from the controls (a hand-made
    request) become defaults too."""
    return VIEW.from_controls(control_values, year_bounds)


def current_view(*control_values) -> ViewState:
    """The view state from control values, checked against the dataset."""
    return view_from_controls(*control_values, year_bounds=current_dataset().year_bounds)


clientside_callback(
    ClientsideFunction("scalemap_url", "sync"),
    *(Output(component, prop) for component, prop in CONTROLS),
    Input(ids.URL, "search"),
    *(State(component, prop) for component, prop in CONTROLS),
    State(ids.PAGE_CONFIG, "data"),
)
