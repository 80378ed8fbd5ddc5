"""What each chart says, in one sentence computed from the view: its takeaway title, and which
trend fits are sure enough to be labelled at all.

A chart over time states its growth ("Training compute of the 551 models shown grew ×4.3 a year
since 2010 (90% interval ×3.9–4.8)") only from a fit that means something (`meaningful`);
otherwise it says what it shows and names the record holder. Landmark models and stories
(`data/landmarks.yaml`, `data/stories.yaml`) are the other half of "a first screen that tells a
story": reviewed lists, loaded and checked here."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from scalemap import DATA_DIR
from scalemap.contract.units import format_count, format_flop
from scalemap.features.trends import TrendFit

LANDMARKS_FILE = DATA_DIR / "landmarks.yaml"
STORIES_FILE = DATA_DIR / "stories.yaml"

# A fit is stated (in a title or as a line label) only when it rests on enough models and its
# 90% interval is narrow: the growth per year at the interval's slow end is at least ×1.1 and
# its fast end at most twice the slow end. The parameters-by-date fit of a filtered view often
# fails this ("doubling every 98.7 months" from a cloud with no trend); it is then not labelled.
MIN_MODELS_FOR_A_TREND = 20
MAX_INTERVAL_RATIO = 2.0
MIN_YEARLY_GROWTH = 1.1
QUANTITY = {"training_compute": "Training compute", "parameters": "Parameters"}


def meaningful(fit: TrendFit | None) -> bool:
    """Is this fit sure enough to be stated? (The rule above.)"""
    if fit is None or fit.n < MIN_MODELS_FOR_A_TREND:
        return False
    slow, fast = 10 ** fit.slope_low, 10 ** fit.slope_high
    return slow >= MIN_YEARLY_GROWTH and fast / slow <= MAX_INTERVAL_RATIO


def _factor(x: float) -> str:
    return f"{x:.1f}" if x < 10 else f"{x:.0f}"


def growth_words(fit: TrendFit) -> str:
    """"×4.3 a year since 2010 (90% interval ×3.9–4.8)"."""
    since = math.floor(fit.t_start)
    return (f"×{_factor(10 ** fit.slope)} a year since {since} "
            f"(90% interval ×{_factor(10 ** fit.slope_low)}–{_factor(10 ** fit.slope_high)})")


def trend_label(fit: TrendFit) -> str | None:
    """A trend line's label, with its interval; None for a fit too uncertain to mean anything."""
    if not meaningful(fit):
        return None
    fast, slow = fit.doubling_interval
    return f"{fit.era.label}: doubling every {fit.doubling_months:.1f} months (90% CI {fast:.1f}–{slow:.1f})"


def _models(n: int) -> str:
    return f"{n:,} model" + ("" if n == 1 else "s")   # "1,060 models" (the browser writes the same)


def _era_fit(fits: list[TrendFit], metric: str) -> TrendFit | None:
    """The deep-learning era's fit of `metric`: the one a title talks about."""
    return next((f for f in fits if f.metric == metric and f.era.key == "deep-learning"), None)


def takeaway(chart_key: str, shown: pd.DataFrame, fits: list[TrendFit]) -> str:
    """The title sentence of one of the three fixed charts, for the models `shown` (the rows the
    chart plots) and the view's fits."""
    n = len(shown)
    if n == 0:
        return "No model shown matches the filters"
    if chart_key in ("parameters-vs-date", "compute-vs-date"):
        metric = "parameters" if chart_key == "parameters-vs-date" else "training_compute"
        fit = _era_fit(fits, metric)
        if meaningful(fit):
            return f"{QUANTITY[metric]} of the {_models(n)} shown grew {growth_words(fit)}"
        return f"{QUANTITY[metric]} of the {_models(n)} shown{_record(shown, metric)}"
    if chart_key == "compute-vs-parameters":
        return f"Training compute against parameters, {_models(n)}{_record(shown, 'training_compute')}"
    return f"{_models(n)} shown"


def _record(shown: pd.DataFrame, metric: str) -> str:
    """"; the largest, Grok 4: 5.7×10²⁶ FLOP" (nothing when no model has the number)."""
    values = shown[metric].dropna() if metric in shown else pd.Series(dtype=float)
    if values.empty:
        return ""
    top = values.idxmax()
    number = format_flop(values[top]) if metric == "training_compute" else format_count(values[top])
    return f"; the largest, {shown.loc[top, 'name']}: {number}"


@dataclass(frozen=True)
class Landmark:
    id: str
    why: str


@dataclass(frozen=True)
class Story:
    id: str
    title: str
    query: str       # the link's query, without "?"
    caption: str


@lru_cache(maxsize=2)
def load_landmarks(path: Path = LANDMARKS_FILE) -> tuple[Landmark, ...]:
    """The reviewed landmark list, most telling first. A malformed entry stops with its place."""
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    out = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry.get("why"):
            raise ValueError(f"{path}: entry {number} needs an id and a why")
        out.append(Landmark(entry["id"], str(entry["why"])))
    return tuple(out)


@lru_cache(maxsize=2)
def load_stories(path: Path = STORIES_FILE) -> tuple[Story, ...]:
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    out = []
    for number, entry in enumerate(entries, 1):
        missing = [k for k in ("id", "title", "query", "caption") if not isinstance((entry or {}).get(k), str)]
        if missing:
            raise ValueError(f"{path}: story {number} lacks {', '.join(missing)}")
        out.append(Story(entry["id"], entry["title"], entry["query"].lstrip("?"), " ".join(entry["caption"].split())))
    return tuple(out)


def view_takeaways(frame: pd.DataFrame, view, fits: list[TrendFit]) -> dict[str, str]:
    """Each fixed chart's title for a view: `takeaway` over the rows the chart plots (those the
    filters keep with the chart's values; with "confident and likely only", speculative values
    left out, as the browser leaves their points out). The time window does not change them: it
    moves the axis, not the models counted (the count line under the title says how many lie
    before it)."""
    from scalemap.contract.view import filter_mask, sure_values
    from scalemap.features.charts import CHARTS, plotted_rows

    rows = frame[filter_mask(frame, view)]
    if "sure" in view.only:
        rows = rows.assign(**{column: sure_values(rows, column, view) for column in ("parameters", "training_compute")})
    return {chart.key: takeaway(chart.key, plotted_rows(rows, chart), fits) for chart in CHARTS}


def browser_fit(fit: TrendFit) -> dict:
    """A fit as the browser draws it, its line label only when the fit means something."""
    return {**fit.for_browser(), "label": trend_label(fit)}
