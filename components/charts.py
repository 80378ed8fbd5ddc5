"""The four charts, their count lines and the trends panel.

The browser draws the charts from the dataset it fetched once: the figures leave the server
only once, as skeletons in the page (`assets/components/charts.js` fills them), and
`assets/components/painter.js` draws the charts on the screen in the task of a change, the
others when they come near the screen. A chart is a plain element, not a dcc.Graph: nothing
of Dash stands between a change and its paint, and Dash's round that follows returns only the
count lines. A click on a point and a box selection go to stores the stats card and the
table listen to. The server is asked only for trend fits, and only while they are shown: a
few numbers per era, cached per filters; the browser draws the lines from them."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html, no_update

from components import ids
from components.dataset_access import current_dataset
from components.url_state import CONTROLS
from scalemap.contract.view import AXES, DEFAULT_AXES, DEFAULT_VIEW, VIEW, from_query
from scalemap.features.charts import ALL_CHARTS, CUSTOM_CHART, chart_skeleton, graph_config
from scalemap.features.frontier import threshold_counts
from scalemap.features.takeaways import (
    MAX_INTERVAL_RATIO,
    MIN_MODELS_FOR_A_TREND,
    MIN_YEARLY_GROWTH,
    browser_fit,
    meaningful,
    view_takeaways,
)
from scalemap.features.trends import FitCache, TrendFit

# One cache per worker process: the fits of each set of filters are computed once.
TREND_FITS_CACHE = FitCache()


def _axis_controls() -> html.Div:
    """The custom chart's axes, in one line: any two quantities, each on a log or linear scale."""
    x_options = [{"label": label.replace("{year}", "2024"), "value": key} for key, label in AXES.items()]
    y_options = [option for option in x_options if option["value"] != "date"]
    scale = lambda id_, axis: html.Div(role="radiogroup", **{"aria-label": f"{axis} scale"}, children=dbc.RadioItems(  # noqa: E731
        id=id_, value="log", inline=True, className="small axis-scale",
        options=[{"label": "log", "value": "log"}, {"label": "linear", "value": "linear"}], inputClassName="me-1"))
    x, y, _, _ = DEFAULT_AXES
    return html.Div(className="axis-controls", children=[
        dbc.Label(["y", html.Span(" axis", className="visually-hidden")], html_for=ids.CUSTOM_Y,
                  className="small mb-0 fw-semibold"),
        dbc.Select(id=ids.CUSTOM_Y, options=y_options, value=y, size="sm"),
        scale(ids.CUSTOM_Y_SCALE, "y"),
        dbc.Label(["x", html.Span(" axis", className="visually-hidden")], html_for=ids.CUSTOM_X,
                  className="small mb-0 fw-semibold"),
        dbc.Select(id=ids.CUSTOM_X, options=x_options, value=x, size="sm"),
        scale(ids.CUSTOM_X_SCALE, "x"),
    ])


# The switcher's names for the charts (a phone shows one at a time).
SHORT_NAMES = {"parameters-vs-date": "Parameters", "compute-vs-parameters": "Compute × parameters",
               "compute-vs-date": "Compute", "custom": "Any two"}


def make_chart_switcher() -> html.Div:
    """Below 768 px one chart at a time: these buttons choose it (assets/components/chart_labels.js)."""
    return html.Div(id=ids.CHART_SWITCHER, className="chart-switcher btn-group btn-group-sm", role="group",
                    **{"aria-label": "Which chart to show"}, children=[
        html.Button(SHORT_NAMES[chart.key], type="button", className="btn btn-outline-dark" + (" active" if i == 0 else ""),
                    **{"data-chart": chart.key, "aria-pressed": "true" if i == 0 else "false"})
        for i, chart in enumerate(ALL_CHARTS)
    ])


def make_charts(dataset) -> html.Div:
    """The four charts in a grid (2×2 from 1200 px), each headed by its title — the takeaway the
    server computes from the view's fits (the default view's here, as the page is made) — and
    its count line."""
    # Each skeleton with its modebar's config: the browser gives it once, at the first draw.
    skeletons = [{**chart_skeleton(chart, dataset.frame), "config": graph_config(chart)} for chart in ALL_CHARTS]
    fits = default_takeaways(dataset)
    titles = fits["titles"]
    cards = [
        html.Div(className="chart-card", id=f"card-{chart.key}", **{"data-chart": chart.key}, children=[
            html.H3(titles.get(chart.key, chart.title if chart is not CUSTOM_CHART else "Any two quantities"),
                    id=ids.chart_title(chart.key), className="chart-title"),
            html.Div(id=ids.chart_count(chart.key), className="chart-count small text-muted",
                     **{"aria-live": "polite"}),
            _axis_controls() if chart is CUSTOM_CHART else None,
            # Drawn by assets/components/painter.js; a click and a selection go to these stores.
            html.Div(id=ids.graph(chart.key), className="chart",
                     **{"data-clicks": ids.CHART_CLICK, "data-selection": ids.CHART_SELECTION}),
        ])
        for chart in ALL_CHARTS
    ]
    empty = dbc.Alert(id=ids.EMPTY_STATE, color="warning", style={"display": "none"}, className="py-2", children=[
        "No model matches these filters. ",
        dbc.Button("Clear filters", id=ids.CLEAR_FILTERS, size="sm", color="dark", className="ms-2"),
    ])
    return html.Div([
        empty,
        dcc.Store(id=ids.CHART_SKELETONS, data=skeletons), dcc.Store(id=ids.CHART_CLICK),
        # The default view's fits come with the page: its first draw asks for none.
        dcc.Store(id=ids.TREND_REQUEST, data={"key": fits["key"]}), dcc.Store(id=ids.TREND_FITS, data=fits),
        make_chart_switcher(),
        # One legend for the four charts (assets/components/legend.js fills it); folded on a phone.
        html.Details(id="chart-legend-details", open=True, className="chart-legend", children=[
            html.Summary("Legend"), html.Div(id=ids.CHART_LEGEND, className="chart-legend-items")]),
        html.Div(id=ids.CHARTS_GRID, className="charts-grid", children=cards),
    ])


def make_trends(dataset) -> html.Div:
    """The Trends tab: the fits of the view per era, the models above each compute threshold,
    and where the eras start (kept in the link)."""
    return html.Div(className="trends-panel", children=[
        html.P("Doubling times per era of the models the filters keep: log-linear least-squares fits "
               "with 90% bootstrap intervals. Tick \"Trend lines per era\" among the overlays to draw them.",
               className="small"),
        html.Div(id=ids.TRENDS_SUMMARY, className="small", **{"aria-live": "polite"},
                 children=trends_summary(TREND_FITS_CACHE.fits(dataset, DEFAULT_VIEW), dataset.credits)
                 + thresholds_table(threshold_counts(dataset.frame, DEFAULT_VIEW))),
        html.H3("Where the eras start (YYYY-MM)", className="h6 mt-3"),
        dbc.InputGroup([html.Label("Deep learning", htmlFor=ids.ERA_DL_FROM, className="input-group-text"),
                        dbc.Input(id=ids.ERA_DL_FROM, value=DEFAULT_VIEW.deep_learning_from, debounce=True,
                                  pattern=r"\d{4}-\d{2}", maxLength=7)],
                       size="sm", className="era-input"),
        dbc.InputGroup([html.Label("Large scale", htmlFor=ids.ERA_LS_FROM, className="input-group-text"),
                        dbc.Input(id=ids.ERA_LS_FROM, value=DEFAULT_VIEW.large_scale_from, debounce=True,
                                  pattern=r"\d{4}-\d{2}", maxLength=7)],
                       size="sm", className="mt-1 era-input"),
    ])


def trends_summary(fits: list[TrendFit], credits) -> list:
    if not fits:
        return [html.P("Too few models with dates and values to fit a trend (5 per era needed).")]
    items = []
    for metric, title in (("training_compute", "Training compute"), ("parameters", "Parameters")):
        rows = [html.Li([fit.summary(), None if meaningful(fit) else html.Span(
            " — too uncertain to label on the charts", className="text-muted")]) for fit in fits if fit.metric == metric]
        if rows:
            items += [html.Div(title, className="fw-semibold"), html.Ul(rows, className="mb-1")]
    items.append(html.P("Log-linear least-squares fits per era; 90% intervals by bootstrap "
                        "over models (Sevilla et al. 2022, arXiv:2202.05924). "
                        f"A fit is stated in a chart's title or beside its line only when it rests on "
                        f"{MIN_MODELS_FOR_A_TREND} models or more, its slow end grows at least ×{MIN_YEARLY_GROWTH} "
                        f"a year and its fast end at most {MAX_INTERVAL_RATIO:g} times its slow end.",
                        className="text-muted mb-0"))
    items += [html.P(credit, className="text-muted mb-0") for credit in credits]
    return items


def thresholds_table(counts) -> list:
    """Models above 10²³ … 10²⁶ FLOP per year (scalemap.features.frontier.threshold_counts), a model
    whose range straddles a threshold shown apart as "+N possibly"."""
    if counts.empty:
        return []
    sure = [column for column in counts.columns if not column.endswith("?")]
    head = html.Tr([html.Th("Year", scope="col"), *(html.Th(c.replace("≥1e", "≥10^") + " FLOP", scope="col")
                                                     for c in sure)])
    body = [html.Tr([html.Th(str(year), scope="row"), *(
        html.Td(f"{row[c]}" + (f" (+{row[c + '?']} possibly)" if row[c + "?"] else "")) for c in sure)])
        for year, row in counts[counts.sum(axis=1) > 0].iterrows()]
    return [html.Div("Models above each compute threshold, per year", className="fw-semibold mt-2"),
            dbc.Table([html.Thead(head), html.Tbody(body)], size="sm", className="small thresholds-table mb-1"),
            html.P("Counted for sure when the low end of an estimate's range is at or above the "
                   "threshold; \"possibly\" when its range straddles it.", className="text-muted mb-0")]


def default_takeaways(dataset) -> dict:
    """The default view's fits, with the chart titles they give, computed as the page is made:
    the first screen states its findings without asking the server."""
    fits = TREND_FITS_CACHE.fits(dataset, DEFAULT_VIEW)
    return {"key": "", "fits": [browser_fit(fit) for fit in fits],
            "titles": view_takeaways(dataset.frame, DEFAULT_VIEW, fits)}


def fit_trends(request) -> tuple:
    """The fits for the filters a request names (their URL query), with each fixed chart's title
    (its takeaway), and the Trends tab's text. Asked for only while the fits are shown (the
    trend lines, the Trends tab): a filter change sends nothing to the server, and the titles of
    a view without fits are written in the browser (assets/components/chart_labels.js)."""
    if not isinstance(request, dict) or not isinstance(request.get("key"), str):
        return no_update, no_update
    dataset = current_dataset()
    view = from_query(request["key"][:16_000], domains=dataset.domains,
                      organizations=dataset.organizations, model_ids=(), year_bounds=dataset.year_bounds)
    fits = TREND_FITS_CACHE.fits(dataset, view)
    return ({"key": request["key"], "fits": [browser_fit(fit) for fit in fits],
             "titles": view_takeaways(dataset.frame, view, fits)},
            trends_summary(fits, dataset.credits) + thresholds_table(threshold_counts(dataset.frame, view)))


callback(
    Output(ids.TREND_FITS, "data"), Output(ids.TRENDS_SUMMARY, "children"),
    Input(ids.TREND_REQUEST, "data"),
    prevent_initial_call=True,
)(fit_trends)

VIEW_CONTROLS = [(component, prop) for component, prop in CONTROLS if component != ids.SELECTED_MODEL]

# Everything the charts depend on, in the order assets/components/painter.js reads it: the
# painter learns these ids from the first call and reads them from Dash's store from then on.
clientside_callback(
    ClientsideFunction("scalemap_paint", "draw"),
    *(Output(ids.chart_count(chart.key), "children") for chart in ALL_CHARTS),
    Output(ids.FILTER_SUMMARY, "children"), Output(ids.TREND_REQUEST, "data"), Output(ids.EMPTY_STATE, "style"),
    *(Input(component, prop) for component, prop in VIEW_CONTROLS),
    Input(ids.UPLOADED, "data"),
    # Read, not listened to: listening would make the first draw wait for the server
    # (the card, the fits). `follow` below follows their changes.
    State(ids.SELECTED_MODEL, "data"), State(ids.TREND_FITS, "data"),
    State(ids.PAGE_CONFIG, "data"), State(ids.CHART_SKELETONS, "data"), State(ids.TREND_REQUEST, "data"),
    # The first draw waits for url_state to set the controls from the URL (it always does on
    # page load), so a shared link is drawn once, not first with defaults.
    prevent_initial_call=True,
)

clientside_callback(   # the page's link drawn at once, before url_state sets the controls from it
    ClientsideFunction("scalemap_paint", "first"),
    Input(ids.URL, "search"), State(ids.PAGE_CONFIG, "data"), State(ids.CHART_SKELETONS, "data"),
)

clientside_callback(   # fits from the server, another selected model: drawn, and the URL written
    ClientsideFunction("scalemap_paint", "follow"),
    Input(ids.TREND_FITS, "data"), Input(ids.SELECTED_MODEL, "data"),
    prevent_initial_call=True,
)


clientside_callback(   # the empty state's way out: every filter and the search back to "any"
    ClientsideFunction("scalemap_url", "clearFilters"),
    *(Output(component, prop, allow_duplicate=True) for component, prop in VIEW.cleared_controls),
    Input(ids.CLEAR_FILTERS, "n_clicks"), State(ids.PAGE_CONFIG, "data"),
    prevent_initial_call=True,
)
