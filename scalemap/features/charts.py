"""Figure skeletons for the three charts: everything but the points.

A skeleton holds the axes, titles, export settings, one empty trace per domain (its
colour and hover settings), the search-match trace, and every reference line. The
browser fills the points in from the dataset payload and shows or hides the reference
lines (`assets/components/charts.js`), so a filter change never asks the server for a
figure. Each trace says what it is for in its `meta.role`
(`TRACE_ROLES`); the layout's `meta` carries the chart's spec.

Colours are Paul Tol's colour-blind-safe "muted" scheme, one per domain, the same on
every chart."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from scalemap.contract.units import format_flop, power_of_ten
from scalemap.contract.view import AXES, COLOURING_COLUMNS, COLOURINGS, MINE_AXES, WINDOW_START_YEAR
from scalemap.features.takeaways import load_landmarks
from scalemap.features.trends import DEFAULT_ERAS
from scalemap.sources.cpi import load_price_index
from scalemap.sources.schema import DOMAINS

# The strongest colours go to the biggest domains; pale sand and cyan to the smallest.
DOMAIN_COLOURS = dict(zip(DOMAINS, (
    "#332288", "#CC6677", "#44AA99", "#117733", "#999933",
    "#AA4499", "#882255", "#DDCC77", "#88CCEE", "#777777",
)))
# Colouring by anything but domain: Okabe & Ito's colour-blind-safe palette (black left out: it
# marks your own models), never a domain's colour, one per value for the whole view (the most
# common values among the models it keeps); pale grey for the rest, dark grey for the unknown.
# Ordered scales keep their meaning (green: open / confident).
CATEGORY_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#E69F00")
OTHER_COLOUR = "#BBBBBB"
UNKNOWN_COLOUR = "#555555"
FIXED_COLOURS = {
    "accessibility": {"open weights": "#009E73", "api": "#56B4E9", "unreleased": "#D55E00"},
    "confidence": {"confident": "#009E73", "likely": "#E69F00", "speculative": "#D55E00"},
}
EXPORT_WIDTH, EXPORT_HEIGHT, EXPORT_SCALE = 1200, 750, 2
# Above this many points a chart draws them with WebGL (scattergl) instead of SVG. Measured with
# `python -m benchmarks.interaction --crossover` (a redraw of the bare-Plotly floor page, headless
# Chromium, software WebGL): SVG 91 / 126 / 166 / 203 / 326 ms and WebGL 178 / 200 / 205 / 202 /
# 260 ms at 338 / 701 / 1,407 / 2,115 / 3,465 points; SVG takes 4 s at 100,000.
WEBGL_FROM_POINTS = 1500
LOG_AXIS_PAD = 0.4            # decades of margin around the data on a log axis
DATE_AXIS_PAD = 0.03          # share of the date span on each side
LABELS_UP_TO = 10             # names written on a chart; past this the largest, and "and N more"
GRID_COLOUR = "#EBF0F8"
TRACE_ROLES = ("domain", "matches", "uploaded", "pinned", "mine", "legend", "overlay", "trend")
# The selected model is named by an annotation with an arrow to its point, not a trace:
# moving it redraws no points. The browser places it; here it waits, hidden, last.
SELECTED_CALLOUT = {"name": "selected", "visible": False, "x": 0, "y": 0, "text": "", "showarrow": True,
                    "arrowhead": 2, "arrowwidth": 1.5, "arrowcolor": "#000000", "ax": 36, "ay": -40,
                    "standoff": 8, "bgcolor": "rgba(255, 255, 255, 0.9)", "bordercolor": "#000000",
                    "borderwidth": 1, "borderpad": 3, "font": {"size": 12, "color": "#000000"}}
# The names of search matches and pinned models: the browser places each label clear of the
# others (a short leader line to its point) and writes "and N more" past LABELS_UP_TO.
NAME_LABEL = {"name": "label", "showarrow": True, "arrowhead": 0, "arrowwidth": 1, "arrowcolor": "#555555",
              "standoff": 5, "bgcolor": "rgba(255, 255, 255, 0.85)", "borderpad": 1,
              "font": {"size": 11, "color": "#222222"}}
MORE_LABELS = {"name": "more", "xref": "paper", "yref": "paper", "x": 0.01, "y": 0.99, "xanchor": "left",
               "yanchor": "top", "showarrow": False, "font": {"size": 11, "color": "#555555"},
               "bgcolor": "rgba(255, 255, 255, 0.85)"}
# What an empty chart says, in the middle of its plot area.
EMPTY_NOTE = {"name": "empty", "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "showarrow": False,
              "font": {"size": 15, "color": "#555555"}}


@dataclass(frozen=True)
class ChartSpec:
    key: str            # also the PNG file name
    title: str
    x: str              # payload column
    y: str
    x_title: str
    y_title: str
    lack: str           # what a left-off model lacks, for the count line

    @property
    def x_is_date(self) -> bool:
        return self.x == "date"


CHARTS = (
    ChartSpec("parameters-vs-date", "Parameters vs. publication date", "date", "parameters",
              "Publication date", "Parameters (count)", "parameters"),
    ChartSpec("compute-vs-parameters", "Training compute vs. parameters", "parameters",
              "training_compute", "Parameters (count)", "Training compute (FLOP)",
              "parameters or compute"),
    ChartSpec("compute-vs-date", "Training compute vs. publication date", "date",
              "training_compute", "Publication date", "Training compute (FLOP)", "compute"),
)
# The fourth chart: any two quantities (view_state.AXES), chosen in the page; the browser sets its
# axes from the view, this spec only builds its skeleton.
CUSTOM_CHART = ChartSpec("custom", "Custom chart", "date", "training_data", "Publication date",
                         "Training data (tokens)", "the values chosen")
ALL_CHARTS = (*CHARTS, CUSTOM_CHART)
CHARTS_BY_KEY = {c.key: c for c in ALL_CHARTS}
HOVER_TEMPLATE = "%{hovertext}<extra></extra>"   # the text is built in the browser from the payload


def plotly_text(text) -> str:
    """Text for a place Plotly reads markup in (trace and legend names, titles, annotations,
    hover text): '<a href=…>' from the data is shown as written, never as a live link. The
    browser's charts use the same rule (assets/core/dataset.js escapeHtml)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def graph_config(chart: ChartSpec) -> dict:
    """One modebar setup for every chart: PNG at a fixed size, whatever the window."""
    return {
        "displaylogo": False,
        # Box and lasso select filter the models table. No cloud buttons: nothing leaves the server.
        "modeBarButtonsToRemove": ["sendDataToCloud", "editInChartStudio"],
        "showSendToCloud": False, "showEditInChartStudio": False,
        "toImageButtonOptions": {"format": "png", "filename": chart.key, "width": EXPORT_WIDTH,
                                 "height": EXPORT_HEIGHT, "scale": EXPORT_SCALE},
    }


def plotted_rows(rows: pd.DataFrame, chart: ChartSpec) -> pd.DataFrame:
    """Rows that have every value the chart needs."""
    keep = rows[chart.y] > 0
    if not chart.x_is_date:
        keep &= rows[chart.x] > 0
    return rows[keep]


def uses_webgl(frame: pd.DataFrame, chart: ChartSpec) -> bool:
    return len(plotted_rows(frame, chart)) > WEBGL_FROM_POINTS


# --- reference lines -------------------------------------------------------------------------

CHINCHILLA_SOURCE = "Hoffmann et al. 2022, arXiv:2203.15556"
SIX_ND_SOURCE = "C ≈ 6·N·D: Kaplan et al. 2020, arXiv:2001.08361"
SIX_ND_EXPONENTS = (9, 10, 11, 12, 13)   # D = 10⁹ … 10¹³ tokens
GAP_SOURCE = "Villalobos et al. 2022, arXiv:2207.02852"
OPENAI_SOURCE = "Amodei & Hernandez 2018, openai.com/research/ai-and-compute"
THRESHOLD_SOURCES = {1e25: "EU AI Act (2024), Art. 51: systemic-risk presumption",
                     1e26: "US Executive Order 14110 (2023), §4.2 reporting threshold"}
# AI and Compute: AlexNet ≈ 0.0058 petaflop/s-days (5.0e17 FLOP), doubling every 3.4 months.
OPENAI_ANCHOR = (dt.date(2012, 9, 30), 0.0058 * 8.64e19)
OPENAI_END = dt.date(2017, 10, 18)  # AlphaGo Zero
OPENAI_DOUBLING_MONTHS = 3.4
# One colour per era (Paul Tol's "vibrant"), so the lines tell apart without their labels.
ERA_COLOURS = {"pre-deep-learning": "#009988", "deep-learning": "#0077BB", "large-scale": "#EE7733"}


def _overlay(key: str, meta: dict | None = None, **trace) -> go.Scatter:
    return go.Scatter(mode="lines", visible=False, meta={"role": "overlay", "overlay": key, **(meta or {})}, **trace)


def _reference_lines(chart: ChartSpec, frame: pd.DataFrame) -> list[go.Scatter]:
    """Every reference line of the chart, hidden; the browser shows the chosen ones. Lines
    span the whole dataset: the axes, set from the points shown, clip them."""
    points = plotted_rows(frame, chart)
    lines = []
    if chart.key == "compute-vs-parameters":
        lo, hi = (float(points[chart.x].min()) / 3, float(points[chart.x].max()) * 3) \
            if len(points) else (1e3, 1e13)
        n = np.array([float(f"{v:.4g}") for v in np.geomspace(lo, hi, 60)])   # 4 digits: enough to draw
        # One trace for the five lines (gaps between them): fewer traces, faster redraws.
        xs, ys, texts = [], [], []
        for exponent in SIX_ND_EXPONENTS:
            label = f"C = 6·N·D, D = {power_of_ten(exponent)} tokens"
            xs += [*n.tolist(), None]
            ys += [*(float(f"{v:.4g}") for v in 6 * n * 10.0**exponent), None]
            texts += [label] * len(n) + [None]
        lines.append(_overlay(
            "six-nd", x=xs, y=ys, text=texts, name="C = 6·N·D (D = 10⁹…10¹³ tokens)",
            line={"color": "#555555", "width": 1, "dash": "dot"},
            hovertemplate=f"%{{text}}<br>{SIX_ND_SOURCE}<extra></extra>"))
        lines.append(_overlay(
            "chinchilla", x=n.tolist(), y=[float(f"{v:.4g}") for v in 120 * n * n], name="Chinchilla optimal (D ≈ 20·N)",
            line={"color": "#222222", "width": 2, "dash": "dashdot"},   # apart from every domain's colour
            hovertemplate=("Compute-optimal: D ≈ 20·N tokens, C ≈ 120·N²<br>"
                           f"{CHINCHILLA_SOURCE}<extra></extra>")))
    last_date = points["date"].max() if len(points) else pd.Timestamp("2025-12-31")
    first_date = points["date"].min() if len(points) else pd.Timestamp("1950-01-01")
    if chart.key == "parameters-vs-date":
        start, end = "2020-01-01", max(last_date, pd.Timestamp("2022-12-31")).strftime("%Y-%m-%d")
        lines.append(_overlay(
            "parameter-gap", x=[start, end, end, start, start], y=[20e9, 20e9, 70e9, 70e9, 20e9],
            fill="toself", fillcolor="rgba(221, 170, 51, 0.18)", line={"width": 0},
            name="claimed parameter gap (20B–70B)", hoveron="fills",
            text=f"Claimed in 2022: few models of 20B–70B parameters ({GAP_SOURCE})", hoverinfo="text",
            meta={"band": [20e9, 70e9], "since": 2022}))
    if chart.key == "compute-vs-date":
        start, value = OPENAI_ANCHOR
        dates = pd.date_range(start, OPENAI_END, periods=40)
        months = (dates - pd.Timestamp(start)).days / 30.44
        lines.append(_overlay(
            "openai-doubling", x=dates.strftime("%Y-%m-%d").tolist(),
            y=(value * 2 ** (months / OPENAI_DOUBLING_MONTHS)).tolist(),
            name="OpenAI 2018: doubling every 3.4 months",
            line={"color": "#004488", "width": 2, "dash": "dash"},
            hovertemplate=("AlexNet → AlphaGo Zero: 3.4-month doubling<br>"
                           f"{OPENAI_SOURCE}<extra></extra>")))
        x0 = first_date.strftime("%Y-%m-%d")
        x1 = max(last_date, pd.Timestamp("2026-01-01")).strftime("%Y-%m-%d")
        xs, ys, texts = [], [], []
        for flop, source in THRESHOLD_SOURCES.items():
            xs += [x0, x1, None]
            ys += [flop, flop, None]
            texts += [f"{format_flop(flop)}: {source}"] * 2 + [None]
        lines.append(_overlay(
            "thresholds", x=xs, y=ys, text=texts, name="10²⁵ / 10²⁶ FLOP thresholds",
            line={"color": "#994455", "width": 1, "dash": "longdash"},
            hovertemplate="%{text}<extra></extra>"))
    return lines


def _six_nd_labels(chart: ChartSpec) -> list[dict]:
    """One label per 6·N·D line; the browser places each where its line leaves the data."""
    if chart.key != "compute-vs-parameters":
        return []
    return [{"name": "six-nd", "text": f"D = {power_of_ten(e)} tokens", "visible": False,
             "showarrow": False, "xanchor": "right", "yanchor": "bottom", "x": 0, "y": 0,
             "font": {"size": 9, "color": "#555555"}} for e in SIX_ND_EXPONENTS]


def _threshold_labels(chart: ChartSpec) -> list[dict]:
    """Each regulatory threshold named at the right end of its line (shown with the line)."""
    if chart.key != "compute-vs-date":
        return []
    return [{"name": "threshold", "text": f"{format_flop(flop)} · {source.split(':')[0]}", "visible": False,
             "xref": "paper", "x": 1, "xanchor": "right", "yanchor": "bottom", "y": 0, "showarrow": False,
             "font": {"size": 10, "color": "#994455"}, "bgcolor": "rgba(255, 255, 255, 0.8)"}
            for flop, source in THRESHOLD_SOURCES.items()]


def _trend_lines(chart: ChartSpec) -> list[go.Scatter]:
    """One line per era, filled in by the browser from the fits the server sends."""
    if not chart.x_is_date:
        return []
    return [go.Scatter(x=[], y=[], mode="lines", name=f"trend: {era.label}", visible=False,
                       line={"width": 3, "color": ERA_COLOURS[era.key]},
                       meta={"role": "trend", "era": era.key}) for era in DEFAULT_ERAS]


def chart_skeleton(chart: ChartSpec, frame: pd.DataFrame) -> dict:
    """The chart without its points, as plain figure JSON."""
    scatter = go.Scattergl if uses_webgl(frame, chart) else go.Scatter
    figure = go.Figure()
    present = {d for ds in frame["domains"].unique() for d in ds} if len(frame) else set()
    for domain in (d for d in DOMAINS if d in present):
        figure.add_trace(scatter(
            x=[], y=[], mode="markers", name=plotly_text(domain), legendgroup=domain,
            hovertemplate=HOVER_TEMPLATE, meta={"role": "domain", "domain": domain},
            # No outline: drawing one costs about a sixth of a redraw.
            marker={"color": DOMAIN_COLOURS[domain], "size": 8, "opacity": 0.85}))
    # Matches are drawn after the domains, on top, so they are what a click or hover finds.
    figure.add_trace(scatter(
        x=[], y=[], mode="markers", name="search matches", hovertemplate=HOVER_TEMPLATE,
        textposition="top center", meta={"role": "matches"},
        marker={"size": 14, "opacity": 1.0, "line": {"width": 2, "color": "#222222"}}))
    # Your own models (an uploaded file): a series of their own, over the catalogue's.
    figure.add_trace(go.Scatter(
        x=[], y=[], mode="markers", name="your file", hovertemplate=HOVER_TEMPLATE, meta={"role": "uploaded"},
        marker={"symbol": "diamond", "size": 11, "color": "#000000", "line": {"width": 1, "color": "#FFFFFF"}}))
    # Pinned models (the comparison): a ring round each, above everything; labels are annotations.
    figure.add_trace(go.Scatter(
        x=[], y=[], mode="markers", name="pinned for comparison", hovertemplate=HOVER_TEMPLATE,
        meta={"role": "pinned"},
        marker={"symbol": "circle-open", "size": 20, "color": "#000000", "line": {"width": 2.5}}))
    # "Your model", from the estimator: a star of its own, on top.
    figure.add_trace(go.Scatter(
        x=[], y=[], mode="markers", name="your model", hovertemplate=HOVER_TEMPLATE, meta={"role": "mine"},
        marker={"symbol": "star", "size": 20, "color": "#E69F00", "line": {"width": 1.5, "color": "#000000"}}))
    figure.add_trace(go.Scatter(   # legend entry that explains the hollow markers
        x=[None], y=[None], mode="markers", name="hollow: speculative estimate", hoverinfo="skip",
        visible=False, meta={"role": "legend"},
        marker={"symbol": "circle-open", "color": "#444444", "size": 8}))
    figure.add_traces(_reference_lines(chart, frame))
    figure.add_traces(_trend_lines(chart))
    axis = {"gridcolor": GRID_COLOUR, "linecolor": GRID_COLOUR, "zerolinecolor": GRID_COLOUR,
            "automargin": True}
    figure.update_layout(
        # The title is the card's heading on the page (the takeaway sentence, components/charts.py),
        # not drawn in the figure: exports write it in (assets/components/export.js).
        title={"text": "", "x": 0.01, "yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 8}},
        xaxis={**axis, "type": "date" if chart.x_is_date else "log", "title": {"text": chart.x_title}},
        yaxis={**axis, "type": "log", "title": {"text": chart.y_title}},
        # plotly_white's look, written out: a template costs time on every redraw.
        template=None, paper_bgcolor="white", plot_bgcolor="white", font={"color": "#2a3f5f"},
        hovermode="closest", clickmode="event",
        margin={"l": 70, "r": 20, "t": 30, "b": 50},   # the top: room for the modebar's row
        # One legend above the four charts serves them all on the page (assets/components/legend.js);
        # an exported image draws this one, at the foot of the figure, in space of its own
        # (container reference): however many rows it wraps to, it stays under the x-axis title.
        showlegend=False,
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "font": {"size": 11},
                "tracegroupgap": 0},   # (each domain is a legend group: no gap between the rows)
        uirevision=chart.key,   # keep zoom across filter changes
        annotations=[*_six_nd_labels(chart), *_threshold_labels(chart), SELECTED_CALLOUT],
        meta={"chart": {**asdict(chart), "xIsDate": chart.x_is_date},
              "sixNdExponents": list(SIX_ND_EXPONENTS), "logAxisPad": LOG_AXIS_PAD,
              "dateAxisPad": DATE_AXIS_PAD, "labelsUpTo": LABELS_UP_TO, "nameLabel": NAME_LABEL,
              "moreLabels": MORE_LABELS, "emptyNote": EMPTY_NOTE, "windowStartYear": WINDOW_START_YEAR,
              "domainColours": DOMAIN_COLOURS, "calloutIndex": len(_six_nd_labels(chart)) + len(_threshold_labels(chart)),
              "eraColours": ERA_COLOURS, "categoryColours": list(CATEGORY_COLOURS), "otherColour": OTHER_COLOUR,
              "unknownColour": UNKNOWN_COLOUR,
              "fixedColours": FIXED_COLOURS, "colourings": COLOURINGS, "colourColumns": COLOURING_COLUMNS,
              "mineAxes": MINE_AXES, "axisTitles": AXES,
              "costYear": load_price_index().reference_year, "thresholdFlops": list(THRESHOLD_SOURCES),
              # Named on the chart while nothing is searched (data/landmarks.yaml, most telling first).
              "landmarks": [landmark.id for landmark in load_landmarks()]},
    )
    return figure.to_plotly_json()
