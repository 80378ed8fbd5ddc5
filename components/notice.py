"""A visible notice when catalogue rows were skipped or values dropped."""
import dash_bootstrap_components as dbc
from dash import html

from components import ids
from scalemap.dataset.table import Dataset

SHOWN_PROBLEMS = 50


def make_notice(dataset: Dataset):
    if not dataset.problems:
        return html.Div(id=ids.NOTICE)
    problems = dataset.problems
    listed = [html.Li(str(p)) for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        listed.append(html.Li(f"… and {len(problems) - SHOWN_PROBLEMS} more (see the server log)"))
    return dbc.Alert(id=ids.NOTICE, color="warning", dismissable=True, children=[
        html.Strong(f"{len(problems)} catalogue problems: the rows or values below were skipped; "
                    "everything else loaded. "),
        html.Details([html.Summary("Show them"), html.Ul(listed, className="small mb-0")]),
    ])
