"""Keeps the URL query string and the controls in step, both ways, in the browser.

A change of URL (page load, Back) sets the controls through the clientside callback
below; a change of a control is drawn first and then written to the URL by the
drawing code (`assets/core/view.js`: writeUrl), so the address bar is never
on the path of a redraw. The server reads the same view from the controls for what
it computes (CSV, trends)."""
from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, clientside_callback, dcc

from components import ids
from components.dataset_access import current_dataset
from components.upload import UPLOAD_ROUTE
from scalemap.contract.view import (
    COLOURINGS,
    DEFAULT_COLOURING,
    DEFAULT_WINDOW,
    MAX_PINS,
    MAX_SEARCH_LENGTH,
    MY_FIELDS,
    WINDOWS,
    MyModel,
    ViewState,
    browser_contract,
    checked_axes,
    checked_only,
    valid_month,
)
from scalemap.features.upload import ID_PREFIX, MAX_UPLOAD_BYTES

CONTROLS = (
    (ids.DOMAIN_FILTER, "value"), (ids.YEAR_FILTER, "value"), (ids.ORG_FILTER, "value"),
    (ids.SEARCH, "value"), (ids.OVERLAY_TOGGLES, "value"), (ids.ERA_DL_FROM, "value"),
    (ids.ERA_LS_FROM, "value"), (ids.PINS, "data"), (ids.LABELS_SWITCH, "value"),
    (ids.MY_MODEL, "data"), (ids.WINDOW, "value"), (ids.COLOUR_BY, "value"),
    (ids.CUSTOM_X, "value"), (ids.CUSTOM_Y, "value"), (ids.CUSTOM_X_SCALE, "value"), (ids.CUSTOM_Y_SCALE, "value"),
    (ids.ONLY_SWITCHES, "value"),
    (ids.SELECTED_MODEL, "data"),   # last: the browser code appends it to the others
)


def page_config(dataset_url: str, version: str, upload_url: str = UPLOAD_ROUTE) -> dict:
    """What the browser code needs: where the data is, where files are checked, and the view
    rules of view_state."""
    return {"dataset": {"url": dataset_url, "version": version}, "view": browser_contract(),
            "urlId": ids.URL, "uploadLimit": MAX_UPLOAD_BYTES, "uploadPrefix": ID_PREFIX, "uploadId": ids.UPLOAD,
            "uploadUrl": upload_url}


def make_url_state(dataset_url: str, version: str, upload_url: str = UPLOAD_ROUTE) -> list:
    return [dcc.Location(id=ids.URL, refresh="callback-nav"),
            dcc.Store(id=ids.SELECTED_MODEL, storage_type="memory"),
            dcc.Store(id=ids.PINS, data=[], storage_type="memory"),
            dcc.Store(id=ids.MY_MODEL, storage_type="memory"),
            dcc.Store(id=ids.PAGE_CONFIG, data=page_config(dataset_url, version, upload_url))]


def _texts(values) -> tuple[str, ...]:
    return tuple(v for v in values if isinstance(v, str)) if isinstance(values, list) else ()


def view_from_controls(domains, years, organizations, search, overlays, dl_from, ls_from,
                       pins, labels, mine, window, colour, custom_x, custom_y, custom_x_scale, custom_y_scale,
                       only, selected, year_bounds: tuple[int, int]) -> ViewState:
    """The view the controls show; values equal to the defaults become defaults, and values
    that cannot come from the controls (a hand-made request) become defaults too."""
    default = ViewState()
    if not (isinstance(years, list) and len(years) >= 2 and all(isinstance(y, int) for y in years[:2])):
        years = list(year_bounds)
    year_from, year_to = years[:2]
    return ViewState(
        domains=_texts(domains),
        year_from=year_from if year_from != year_bounds[0] else None,
        year_to=year_to if year_to != year_bounds[1] else None,
        organizations=_texts(organizations),
        search=search.strip()[:MAX_SEARCH_LENGTH] if isinstance(search, str) else "",
        selected=selected if isinstance(selected, str) and selected else None,
        overlays=_texts(overlays),
        deep_learning_from=dl_from if valid_month(dl_from) else default.deep_learning_from,
        large_scale_from=ls_from if valid_month(ls_from) else default.large_scale_from,
        pins=tuple(dict.fromkeys(_texts(pins)))[:MAX_PINS],
        labels=labels is not False,
        mine=MyModel.checked(*(mine.get(field) for _, field in MY_FIELDS))
        if isinstance(mine, dict) else None,
        window=window if isinstance(window, str) and window in WINDOWS else DEFAULT_WINDOW,
        colour=colour if isinstance(colour, str) and colour in COLOURINGS else DEFAULT_COLOURING,
        axes=checked_axes(custom_x, custom_y, custom_x_scale, custom_y_scale),
        only=checked_only(only),
    )


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
