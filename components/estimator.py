"""The compute estimator: "put your model on the map". Both ways the field estimates training
compute, side by side (scalemap.features.estimate: 6·N·D, and chips × peak FLOP/s × utilisation × time
over data/accelerators.yaml), each with the `method` text our catalogue writes. The chosen
estimate becomes "your model" (components/url_state.CONTROLS: ids.MY_MODEL), drawn on every
chart by the browser and kept in the link; nothing is stored on the server."""
from __future__ import annotations

import math

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html, no_update

from components import ids
from components.url_state import CONTROLS
from scalemap.contract.units import format_count, power_of_ten
from scalemap.contract.view import MyModel
from scalemap.features.charts import THRESHOLD_SOURCES
from scalemap.features.estimate import (
    SIX_ND_NOTE,
    Estimate,
    from_hardware,
    load_accelerators,
    parse_number,
    parse_utilisation,
    tokens_estimate,
)
from scalemap.features.pinned_comparison import format_ratio

FIELDS = {   # id -> (label, placeholder)
    ids.MY_NAME: ("Name", "My model"),
    ids.MY_DATE: ("Date", "YYYY-MM-DD"),
    ids.MY_PARAMETERS: ("Parameters N", "e.g. 7B or 7e9"),
    ids.MY_TOKENS: ("Training tokens D", "e.g. 2T"),
    ids.MY_CHIPS: ("Chips", "e.g. 512"),
    ids.MY_UTILISATION: ("Utilisation", "0.3-0.5"),
    ids.MY_DAYS: ("Training time (days)", "e.g. 21"),
    ids.MY_REPLICAS: ("Replicas", "1"),
}


def _field(field_id: str, width: int = 6, **props) -> dbc.Col:
    label, placeholder = FIELDS[field_id]
    return dbc.Col(width=12, md=width, className="mb-2", children=[
        dbc.Label(label, html_for=field_id, className="small mb-0"),
        dbc.Input(id=field_id, placeholder=placeholder, size="sm", debounce=True, maxLength=80, **props),
    ])


def make_estimator() -> html.Div:
    table = load_accelerators()
    utilisation = table.utilisation
    chips = [{"label": f"{a.name} ({a.default_precision}, {a.default_peak:.3g} FLOP/s per {a.per})", "value": a.name}
             for a in table.accelerators]
    body = [
        html.P("Estimate your model's training compute and see where it sits among the notable "
               "ones. Nothing is sent anywhere but this server, and nothing is stored: the model "
               "lives in the page's link.", className="small text-muted"),
        dbc.Row([_field(ids.MY_NAME), _field(ids.MY_DATE, type="date")]),
        dbc.Row([
            dbc.Col(md=6, children=[
                html.H3("Arithmetic: C ≈ 6·N·D", className="h6 mt-2"),
                dbc.Row([_field(ids.MY_PARAMETERS), _field(ids.MY_TOKENS)]),
                html.P(SIX_ND_NOTE, className="small text-muted"),
            ]),
            dbc.Col(md=6, children=[
                html.H3("Hardware: chips × peak FLOP/s × utilisation × time", className="h6 mt-2"),
                dbc.Label("Accelerator", html_for=ids.MY_CHIP, className="small mb-0"),
                dcc.Dropdown(id=ids.MY_CHIP, options=chips, placeholder="Choose a chip", className="mb-2"),
                dbc.Row([_field(ids.MY_CHIPS), _field(ids.MY_DAYS)]),
                dbc.Row([_field(ids.MY_UTILISATION, value=f"{utilisation.low:g}-{utilisation.high:g}"),
                         _field(ids.MY_REPLICAS, value="1")]),
                html.P(f"Utilisation {utilisation.low:.0%}–{utilisation.high:.0%} is typical of "
                       f"{utilisation.applies_to}; a range gives a range. Write a fraction (0.4) or a percentage "
                       "with its sign (40%).", className="small text-muted"),
            ]),
        ]),
        html.Div(id=ids.MY_ESTIMATES, className="small", **{"aria-live": "polite"}),
        dbc.RadioItems(id=ids.MY_METHOD, inline=True, className="small mt-2", value="arithmetic", options=[
            {"label": "Plot the 6·N·D estimate", "value": "arithmetic"},
            {"label": "Plot the hardware estimate", "value": "hardware"},
        ]),
        dbc.Button("Put on the map", id=ids.MY_PUT, size="sm", color="primary", className="mt-2 me-2"),
        dbc.Button("Remove from the map", id=ids.MY_REMOVE, size="sm", color="secondary", outline=True,
                   className="mt-2"),
        html.Div(id=ids.MY_MESSAGE, className="small mt-2", **{"aria-live": "polite"}),
        html.Div(id=ids.MY_COMPARISON, className="small mt-1 fw-semibold", **{"aria-live": "polite"}),
    ]
    return html.Div(id=ids.ESTIMATOR, className="estimator", children=[
        html.H3("Put your model on the map: compute estimator", className="h6"), *body])


def _number(text) -> float | None:
    """A positive number from a field, or None when the field is blank; ValueError for junk."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not a number")
    return parse_number(text)


def _plain(value: float, digits: int) -> str:
    """7e9, 8.4e22: short, and nothing a link must escape."""
    return f"{value:.{digits}g}".replace("e+0", "e").replace("e+", "e")


def _utilisation(text):
    """The field as the command line reads it (estimate.parse_utilisation); blank: the table's range."""
    if not isinstance(text, str) or not text.strip():
        default = load_accelerators().utilisation
        return default.low, default.high
    return parse_utilisation(text)


def estimates(parameters, tokens, chip, chips, utilisation, days, replicas) -> dict:
    """Both estimates from the fields: {"arithmetic": Estimate | str | None, "hardware": …};
    a string says what is wrong with the fields, None that they are not filled in."""
    result = {}
    try:
        n, d = _number(parameters), _number(tokens)
        result["arithmetic"] = tokens_estimate(n, d) if n and d else None
    except ValueError as exc:
        result["arithmetic"] = f"6·N·D: {exc}"
    try:
        count, time = _number(chips), _number(days)
        if isinstance(chip, str) and chip and count and time:
            result["hardware"] = from_hardware(count, chip, days=time, utilisation=_utilisation(utilisation),
                                               replicas=_number(replicas) or 1)
        else:
            result["hardware"] = None
    except (ValueError, KeyError) as exc:
        result["hardware"] = f"Hardware: {exc}"
    return result


def against_thresholds(estimate) -> str:
    """Where an estimate sits against the regulatory thresholds (figures.THRESHOLD_SOURCES):
    'Below 10²⁵ FLOP (EU AI Act (2024), Art. 51) and below 10²⁶ FLOP (…).' A range that
    reaches across a threshold is said to straddle it."""
    states = []
    for flop, source in THRESHOLD_SOURCES.items():
        where = "above" if estimate.low >= flop else "below" if estimate.high < flop else "straddling"
        states.append(f"{where} {power_of_ten(round(math.log10(flop)))} FLOP ({source.split(':')[0]})")
    text = " and ".join(states)
    return text[0].upper() + text[1:] + "."


MAX_AGREEMENT = 1.5   # the two methods' estimates further apart than this: the page says so


def disagreement(found: dict) -> str | None:
    """'The two estimates differ by ×2.4 …' when both are made and differ by more than 1.5×."""
    arithmetic, hardware = found.get("arithmetic"), found.get("hardware")
    if not (isinstance(arithmetic, Estimate) and isinstance(hardware, Estimate)):
        return None
    ratio = max(arithmetic.value, hardware.value) / min(arithmetic.value, hardware.value)
    if ratio <= MAX_AGREEMENT:
        return None
    larger = "6·N·D" if arithmetic.value > hardware.value else "the hardware estimate"
    return (f"The two estimates differ by {format_ratio(ratio)} ({larger} is the larger): check the tokens, "
            "the utilisation and the training time.")


def _describe(title: str, estimate) -> html.Div:
    if estimate is None:
        return html.Div([html.Strong(title), html.Span(" — fill in the fields above", className="text-muted")])
    if isinstance(estimate, str):
        return html.Div(estimate, className="text-danger")
    return html.Div([html.Strong(title), f" ≈ {estimate.describe()}",
                     html.Div(against_thresholds(estimate), className="my-thresholds"),
                     html.Div(["method: ", html.Code(estimate.method)], className="text-muted")])


INPUTS = [ids.MY_PARAMETERS, ids.MY_TOKENS, ids.MY_CHIP, ids.MY_CHIPS, ids.MY_UTILISATION, ids.MY_DAYS,
          ids.MY_REPLICAS]


@callback(Output(ids.MY_ESTIMATES, "children"),
          *(Input(field, "value") for field in INPUTS), prevent_initial_call=True)
def show_estimates(*values):
    found = estimates(*values)
    differ = disagreement(found)
    return [_describe("6·N·D", found["arithmetic"]), _describe("Hardware", found["hardware"]),
            html.Div(differ, className="text-warning-emphasis fw-semibold my-disagreement") if differ else None]


@callback(Output(ids.MY_MODEL, "data", allow_duplicate=True), Output(ids.MY_MESSAGE, "children"),
          Input(ids.MY_PUT, "n_clicks"), State(ids.MY_NAME, "value"), State(ids.MY_DATE, "value"),
          State(ids.MY_METHOD, "value"), *(State(field, "value") for field in INPUTS),
          prevent_initial_call=True)
def put_on_the_map(clicks, name, date, method, *values):
    if not clicks:
        return no_update, no_update
    found = estimates(*values)
    chosen = found.get("hardware" if method == "hardware" else "arithmetic")

    def given(index):   # a field's number as a link writes it, or None (blank or junk)
        try:
            number = _number(values[index])
        except ValueError:
            return None
        return _plain(number, 6) if number else None
    parameters = given(INPUTS.index(ids.MY_PARAMETERS))
    if isinstance(chosen, str):
        return no_update, html.Span(chosen, className="text-danger")
    compute = chosen.value if chosen is not None else None
    # The inputs go into the link too, so that it reopens the estimator as it was.
    mine = {"name": name if isinstance(name, str) else "", "date": date if isinstance(date, str) else "",
            "parameters": parameters, "compute": _plain(compute, 4) if compute else None,
            "tokens": given(INPUTS.index(ids.MY_TOKENS)), "chips": given(INPUTS.index(ids.MY_CHIPS)),
            "days": given(INPUTS.index(ids.MY_DAYS))}
    if MyModel.checked(**mine) is None:
        return no_update, html.Span("Give a name, a date (YYYY-MM-DD) and parameters or an estimate.",
                                    className="text-danger")
    shown = [f"{format_count(float(parameters))} parameters" if parameters else None,
             chosen.describe() if chosen is not None else None]
    return mine, f"On the map: {mine['name']}, {', '.join(filter(None, shown))}."


clientside_callback(
    ClientsideFunction("scalemap_mine", "remove"),
    Output(ids.MY_MODEL, "data", allow_duplicate=True), Input(ids.MY_REMOVE, "n_clicks"),
    prevent_initial_call=True,
)

clientside_callback(   # where "your model" sits among the models of the view
    ClientsideFunction("scalemap_mine", "compare"),
    Output(ids.MY_COMPARISON, "children"),
    *(Input(component, prop) for component, prop in CONTROLS if component != ids.SELECTED_MODEL),
    State(ids.SELECTED_MODEL, "data"), State(ids.PAGE_CONFIG, "data"),
    prevent_initial_call=True,
)

clientside_callback(   # a shared link's model fills the estimator's fields
    ClientsideFunction("scalemap_mine", "fill"),
    Output(ids.MY_NAME, "value"), Output(ids.MY_DATE, "value"), Output(ids.MY_PARAMETERS, "value"),
    Output(ids.MY_TOKENS, "value"), Output(ids.MY_CHIPS, "value"), Output(ids.MY_DAYS, "value"),
    Input(ids.MY_MODEL, "data"), State(ids.MY_NAME, "value"),
    prevent_initial_call=True,
)
