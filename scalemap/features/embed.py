"""One chart of a view for another site's page (`/embed?<view query>&chart=<key>`): which chart,
its title, a takeaway in words, the filters in words, and the link to the full view. The page
itself (components/embed.py) is drawn by the map's own chart code from the same dataset, so an
embed shows what the map shows."""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from scalemap.contract.units import format_count, format_flop, format_hours, format_usd
from scalemap.contract.view import AXES, ViewState, filter_mask, sure_values, to_query
from scalemap.features.charts import CHARTS, CHARTS_BY_KEY, CUSTOM_CHART, ChartSpec

DEFAULT_CHART = "compute-vs-date"
CHART_PARAM = "chart"


@dataclass(frozen=True)
class EmbeddedChart:
    chart: ChartSpec
    title: str
    takeaway: str
    filters: str          # "language · 2015–2025 · OpenAI", or "all models"
    view_query: str       # the full view's query ('' for the default view)


def chart_of(key: str | None) -> ChartSpec:
    """The chart a `chart=` value names; the compute-over-time chart for anything else."""
    return CHARTS_BY_KEY.get(key) if isinstance(key, str) and key in CHARTS_BY_KEY else CHARTS_BY_KEY[DEFAULT_CHART]


def _axis_title(axis: str, cost_year: int | None = None) -> str:
    return AXES[axis].replace("{year}", str(cost_year or "today"))


def chart_title(chart: ChartSpec, view: ViewState, cost_year: int | None = None) -> str:
    """As the map titles it (assets/components/charts.js chartSpec for the custom chart)."""
    if chart is not CUSTOM_CHART:
        return chart.title
    x, y = view.axes[:2]
    x_title = _axis_title(x, cost_year)
    return f"{_axis_title(y, cost_year)} vs. {x_title[0].lower() + x_title[1:]}"


def describe_filters(view: ViewState, year_bounds: tuple[int, int]) -> str:
    """The filters in words, as the exports' footer writes them (assets/components/export.js)."""
    parts = []
    if view.domains:
        parts.append(", ".join(view.domains))
    if view.year_from is not None or view.year_to is not None:
        parts.append(f"{view.year_from if view.year_from is not None else year_bounds[0]}–"
                     f"{view.year_to if view.year_to is not None else year_bounds[1]}")
    if view.organizations:
        parts.append(", ".join(view.organizations))
    if view.search.strip():
        parts.append(f"search “{view.search.strip()}”")
    return " · ".join(parts) if parts else "all models"


def _human(column: str, value: float, unit: str | None) -> str:
    if column in ("training_compute", "inference_flops"):
        return format_flop(value)
    if column == "training_cost_real":
        return format_usd(value)
    if column == "training_time_hours":
        return format_hours(value)
    return format_count(value) + (f" {unit}" if unit else "")


def takeaway(frame: pd.DataFrame, view: ViewState, chart: ChartSpec) -> str:
    """'412 models with training compute; the largest: Grok 4 (5×10²⁶ FLOP, 2025)'."""
    x, y = (view.axes[0], view.axes[1]) if chart is CUSTOM_CHART else (chart.x, chart.y)
    y_column, _, y_unit = y.partition(":")
    x_column, _, x_unit = x.partition(":")
    rows = frame[filter_mask(frame, view)]
    values = sure_values(rows, y_column, view)
    keep = values > 0
    if y_unit:
        keep &= rows["training_data_unit"] == y_unit
    if x_column != "date":
        keep &= sure_values(rows, x_column, view) > 0
        if x_unit:
            keep &= rows["training_data_unit"] == x_unit
    shown = rows[keep]
    name = _axis_title(y).split(" (")[0].lower()
    if shown.empty:
        return f"No model of this view has {name}" + (f" and {_axis_title(x).split(' (')[0].lower()}"
                                                       if x_column != "date" else "") + "."
    top = values[keep].idxmax()
    count = len(shown)
    return (f"{count} model{'s' if count != 1 else ''} with {name}; the largest: {shown.at[top, 'name']} "
            f"({_human(y_column, float(values[top]), y_unit)}, {int(shown.at[top, 'year'])}).")


def embedded_chart(frame: pd.DataFrame, view: ViewState, chart_key: str | None, year_bounds: tuple[int, int],
                   cost_year: int | None = None) -> EmbeddedChart:
    chart = chart_of(chart_key)
    # The full view: the same view with its card closed (an embed shows no card).
    return EmbeddedChart(chart, chart_title(chart, view, cost_year), takeaway(frame, view, chart),
                         describe_filters(view, year_bounds), to_query(replace(view, selected=None)))


EMBEDDABLE = tuple(chart.key for chart in (*CHARTS, CUSTOM_CHART))
