"""The filter panel: domain (with the shared colour legend), years, organization,
name search, overlays and era boundaries. Values flow to the charts through
`components.url_state`, which owns the view state."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html

from components import ids
from components.dataset_access import current_dataset
from components.embed import make_embed_panel
from components.models_table import make_search_hits
from components.upload import make_overlay_upload
from components.url_state import CONTROLS, current_view
from scalemap.contract.view import COLOURINGS, DEFAULT_COLOURING, DEFAULT_VIEW, DEFAULT_WINDOW, ONLY, WINDOWS
from scalemap.dataset.table import Dataset
from scalemap.features.charts import DOMAIN_COLOURS
from scalemap.features.export import export_csv, file_name
from scalemap.sources.schema import NAMED_DOMAINS

FILTER_CONTROLS = [c for c in CONTROLS if c[0] != ids.SELECTED_MODEL]
SEARCH_PAUSE_MS = 250   # typing at 80 ms a key is one change for Dash

OVERLAY_LABELS = {
    "trends": "Trend lines per era",
    "chinchilla": "Chinchilla optimal (D ≈ 20·N)",
    "six-nd": "C = 6·N·D lines (D = 10⁹…10¹³ tokens)",
    "parameter-gap": "20B–70B \"parameter gap\" (Villalobos et al. 2022)",
    "openai-doubling": "OpenAI 3.4-month doubling",
    "thresholds": "10²⁵ / 10²⁶ FLOP thresholds",
    "ranges": "Ranges of estimates (whiskers)",
}


def _domain_option(domain: str) -> dict:
    swatch = html.Span(className="domain-swatch", style={"backgroundColor": DOMAIN_COLOURS[domain]})
    return {"label": html.Span([swatch, domain.capitalize()]), "value": domain}


def make_filter_panel(dataset: Dataset) -> html.Div:
    present = dataset.domains
    ordered = [d for d in NAMED_DOMAINS if d in present] + [d for d in present if d not in NAMED_DOMAINS]
    first, last = dataset.year_bounds
    marks = {year: str(year) for year in range(first - first % 25 + 25, last + 1, 25)}
    return html.Div(className="filter-panel", children=[
        html.H2("Filters", className="h5 d-none d-lg-block"),   # below lg the drawer's header names it
        html.Div(id=ids.FILTER_SUMMARY, className="filter-summary small text-muted", **{"aria-live": "polite"}),
        dbc.Label("Find a model", html_for=ids.SEARCH, className="fw-semibold mt-2"),
        # Every keystroke is drawn at once, from the box (assets/components/painter.js); Dash
        # hears the search when the typing pauses, so its round (the table, the hits, the link)
        # runs once a word, not between two keystrokes.
        dbc.Input(id=ids.SEARCH, type="search", placeholder="e.g. GPT, AlphaFold", value="",
                  debounce=SEARCH_PAUSE_MS, maxLength=100),
        html.Div("Matches are highlighted and named on every chart and listed in the table; "
                 "Enter opens the best match, Pin pins it.", id="search-help", className="small text-muted"),
        make_search_hits(),
        dbc.Switch(id=ids.LABELS_SWITCH, label="Name models on the charts (landmarks, or the search's matches)",
                   value=True, className="mt-1 small"),
        dbc.Label("Domain", html_for=ids.DOMAIN_FILTER, className="fw-semibold mt-2"),
        html.Div("None ticked: every domain. Colours are the charts' legend.", id=ids.DOMAIN_HINT,
                 className="small text-muted", **{"aria-live": "polite"}),
        # dbc's checklists: each option a labelled checkbox (Dash's own nests them in ARIA options).
        dbc.Checklist(id=ids.DOMAIN_FILTER, options=[_domain_option(d) for d in ordered], value=[],
                      className="domain-filter"),
        dbc.Label("Publication year", html_for=ids.YEAR_FILTER, className="fw-semibold mt-3"),
        dcc.RangeSlider(id=ids.YEAR_FILTER, min=first, max=last, step=1, value=[first, last],
                        marks=marks, allowCross=False),
        dbc.Label("Organization", html_for=ids.ORG_FILTER, className="fw-semibold mt-3"),
        dcc.Dropdown(id=ids.ORG_FILTER, options=organization_options(dataset), value=[], multi=True,
                     placeholder="Any organization or group"),
        html.Div("A group (Google, Meta …) keeps all its labs; joint work counts for each partner.",
                 className="small text-muted"),
        dbc.Label("Time window of the date charts", html_for=ids.WINDOW, className="fw-semibold mt-3"),
        dbc.RadioItems(id=ids.WINDOW, value=DEFAULT_WINDOW, className="small",
                       options=[{"label": label, "value": key} for key, label in WINDOWS.items()]),
        dbc.Label("Show only", html_for=ids.ONLY_SWITCHES, className="fw-semibold mt-2"),
        dbc.Checklist(id=ids.ONLY_SWITCHES, value=[], className="small",
                      options=[{"label": label, "value": key} for key, label in ONLY.items()]),
        dbc.Label("Colour points by", html_for=ids.COLOUR_BY, className="fw-semibold mt-2"),
        dbc.Select(id=ids.COLOUR_BY, value=DEFAULT_COLOURING, size="sm",
                   options=[{"label": label, "value": key} for key, label in COLOURINGS.items()]),
        dbc.Label("Overlays", html_for=ids.OVERLAY_TOGGLES, className="fw-semibold mt-3"),
        dbc.Checklist(id=ids.OVERLAY_TOGGLES, value=list(DEFAULT_VIEW.overlays), className="small",
                      options=[{"label": label, "value": key} for key, label in OVERLAY_LABELS.items()]),
        html.Div(className="mt-3 d-flex flex-wrap gap-2", children=[
            dbc.Button("Copy link", id=ids.COPY_LINK, color="dark", outline=True, size="sm",
                       title="Copy this view's address"),
            dbc.Button("Reset view", id=ids.RESET, color="dark", outline=True, size="sm", href="/",
                       external_link=True),
        ]),
        make_embed_panel(),
        make_overlay_upload(),
    ])


def make_filter_drawer(dataset: Dataset) -> list:
    """The filter panel, rendered once: from 992 px (Bootstrap's lg) a column beside the charts;
    below, a drawer that slides in from the left over a shade (Bootstrap's `.offcanvas-lg`,
    pure CSS: a class opens it), so that a phone's first screen shows a chart. Returns the
    drawer and its shade; `make_filter_button` opens it."""
    header = html.Div(className="offcanvas-header py-2", children=[
        html.H2("Filters", id="filter-drawer-title", className="h5 mb-0"),
        html.Button("Show the charts", id=ids.FILTERS_CLOSE, className="btn btn-outline-dark btn-sm",
                    title="Close the filters (Escape)"),
    ])
    drawer = html.Div(id=ids.FILTER_DRAWER, className="offcanvas-lg offcanvas-start filter-drawer", tabIndex="-1",
                      role="region", **{"aria-labelledby": "filter-drawer-title"}, children=[
        header,
        html.Div(className="offcanvas-body", children=make_filter_panel(dataset)),
    ])
    backdrop = html.Div(id=ids.FILTER_BACKDROP, className="offcanvas-backdrop show d-lg-none", hidden=True)
    return [drawer, backdrop]


def make_filter_button() -> html.Button:
    """Opens the drawer; shown below 992 px only."""
    return html.Button("Filters", id=ids.FILTERS_OPEN, className="btn btn-primary btn-sm d-lg-none mb-2",
                       title="Show the filters", **{"aria-controls": ids.FILTER_DRAWER})


clientside_callback(   # the drawer opens and closes in the browser (assets/components/drawer.js)
    ClientsideFunction("scalemap_drawer", "toggle"),
    Output(ids.FILTER_DRAWER, "className"), Output(ids.FILTER_BACKDROP, "hidden"),
    Input(ids.FILTERS_OPEN, "n_clicks"), Input(ids.FILTERS_CLOSE, "n_clicks"), Input(ids.FILTER_BACKDROP, "n_clicks"),
    State(ids.FILTER_DRAWER, "className"),
    prevent_initial_call=True,
)


def organization_options(dataset: Dataset) -> list[dict]:
    """Groups first (each says how many of its labs are here), then every organization."""
    groups = dataset.organization_groups
    options = [{"label": f"{group} (all {len(members)}: {', '.join(members[:3])}{' …' if len(members) > 3 else ''})",
                "value": group} for group, members in groups.items() if len(members) > 1]
    grouped = {option["value"] for option in options}
    return options + [{"label": name, "value": name} for name in dataset.organizations if name not in grouped]


clientside_callback(   # the domain swatches are the legend only while colouring by domain
    ClientsideFunction("scalemap_charts", "domainHint"),
    Output(ids.DOMAIN_HINT, "children"), Output(ids.DOMAIN_FILTER, "className"),
    Input(ids.COLOUR_BY, "value"), State(ids.COLOUR_BY, "options"),
)

clientside_callback(   # Copy link: the address bar, which always holds the view
    ClientsideFunction("scalemap_url", "copyLink"),
    Output(ids.COPY_LINK, "children"), Input(ids.COPY_LINK, "n_clicks"), State(ids.PAGE_CONFIG, "data"),
    prevent_initial_call=True,
)


@callback(
    Output(ids.CSV_DOWNLOAD, "data"),
    Input(ids.CSV_BUTTON, "n_clicks"),
    *(State(component, prop) for component, prop in FILTER_CONTROLS),
    prevent_initial_call=True,
)
def download_filtered_csv(_clicks, *control_values):
    """The models table's models (filters and search), as `GET /data.csv` gives them for the
    same view's link: every number with its confidence, source, method and origin."""
    dataset = current_dataset()
    view = current_view(*control_values, None)   # the same view the browser filters by
    return dcc.send_string(export_csv(dataset, view), file_name(view, dataset.year_bounds))
