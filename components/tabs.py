"""The grapher layout's main area: a tab bar (Charts · Table · Compare · Trends · Your model ·
Sources & download) over one panel per tab, the tab in the link (`tab=table`), and the skip links
that lead a keyboard past the filters.

The tab is a control of the view (components/url_state.CONTROLS). The tabs are WAI-ARIA tabs (role tablist / tab / tabpanel; the arrow keys move between them,
`assets/components/tabs.js`); the panel shown is chosen by a class on the main area, so a tab
change draws nothing: every panel keeps its content, hidden by CSS."""
from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, clientside_callback, dcc, html

from components import ids
from scalemap.contract.view import DEFAULT_TAB, TABS

TAB_LABELS = {"charts": "Charts", "table": "Table", "compare": "Compare", "trends": "Trends",
              "model": "Your model", "sources": "Sources & download"}
assert tuple(TAB_LABELS) == TABS, "a tab without a label, or a label without a tab"


def make_skip_links() -> html.Nav:
    """The first things Tab reaches: straight to the charts or the table (which opens its tab)."""
    return html.Nav(className="skip-links", **{"aria-label": "Skip links"}, children=[
        html.A("Skip to the charts", href=f"#{ids.tab_panel('charts')}", className="skip-link",
               **{"data-tab": "charts"}),
        html.A("Skip to the table", href=f"#{ids.tab_panel('table')}", className="skip-link",
               **{"data-tab": "table"}),
    ])


def make_tab_bar() -> html.Div:
    return html.Div(id=ids.TAB_BAR, className="tab-bar nav nav-tabs", role="tablist",
                    **{"aria-label": "What the main area shows"}, children=[
        html.Button(label, id=ids.tab_button(key), className="nav-link", role="tab", type="button",
                    **{"aria-controls": ids.tab_panel(key), "aria-selected": "true" if key == DEFAULT_TAB else "false",
                       "data-tab": key}, tabIndex="0" if key == DEFAULT_TAB else "-1")
        for key, label in TAB_LABELS.items()
    ])


def make_panel(key: str, children, heading: str | None = None) -> html.Section:
    """One tab's panel, with a heading of its own (hidden: the tab names it on screen) so that a
    screen reader's list of headings names each part."""
    title = html.H2(heading or TAB_LABELS[key], className="visually-hidden")
    return html.Section(id=ids.tab_panel(key), className="tab-panel", role="tabpanel", tabIndex="-1",
                        **{"aria-labelledby": ids.tab_button(key)}, children=[title, *children])


def make_tabs(panels: dict) -> list:
    """The tab bar and its panels (`panels`: tab key -> children), and the store of the tab shown."""
    assert set(panels) == set(TABS)
    return [dcc.Store(id=ids.TAB, data=DEFAULT_TAB), make_tab_bar(),
            html.Div(className="tab-panels", children=[make_panel(key, panels[key]) for key in TABS])]


clientside_callback(   # a tab's button (or a skip link, or the arrow keys: tabs.js) -> the tab shown
    ClientsideFunction("scalemap_tabs", "fromButtons"),
    Output(ids.TAB, "data", allow_duplicate=True),
    *(Input(ids.tab_button(key), "n_clicks") for key in TABS),
    prevent_initial_call=True,
)

clientside_callback(   # the tab shown -> the main area's class (CSS shows its panel) and ARIA
    ClientsideFunction("scalemap_tabs", "show"),
    Output(ids.MAIN, "className"),
    Input(ids.TAB, "data"), State(ids.MAIN, "className"),
)

clientside_callback(   # the Compare tab says how many models are pinned
    ClientsideFunction("scalemap_tabs", "compareLabel"),
    Output(ids.tab_button("compare"), "children"),
    Input(ids.PINS, "data"),
)
