"""The note a shared link from an older data version gets: "made with data 2026.12.1; N numbers
in this view changed since". Links carry the data version they were made with (`v=`, written by
Copy link and the Embed code); the view itself always opens on today's data, never an error.
The browser (assets/components/link_version.js) counts the changes the server lists
(/api/changes-since/<version>, components/model_page.py) among the models of the view."""
from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, clientside_callback, html

from components import ids


def make_link_version_note() -> html.Div:
    return html.Div(id=ids.LINK_VERSION_NOTE, className="link-version-note small", hidden=True,
                    role="status")


clientside_callback(   # the URL's v= -> the note (hidden when the link is of today's data, or has none)
    ClientsideFunction("scalemap_link_version", "note"),
    Output(ids.LINK_VERSION_NOTE, "children"), Output(ids.LINK_VERSION_NOTE, "hidden"),
    Input(ids.URL, "search"), State(ids.PAGE_CONFIG, "data"),
)
