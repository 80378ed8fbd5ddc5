"""What the user is looking at — filters, selected model, overlays — as one
immutable value, how it selects rows, and how it round-trips through the URL.

The URL holds only what differs from the defaults. Parsing never raises: a
parameter that is malformed or names something unknown is dropped, so a
hostile or stale link opens the default view for that part.

The browser applies the same rules to the same data (`assets/core/view.js`
for the URL, `assets/core/dataset.js` for filtering and search); the
constants it needs come from `browser_contract()`, and
tests/contract/test_python_and_js_agree.py proves both sides select the same models."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

import pandas as pd

MAX_SEARCH_LENGTH = 100
MAX_PINS = 4                 # models compared side by side
# The time window of the date charts' x-axis (it does not filter: the year range does).
WINDOWS = {"dl": "Deep-learning era (2010 →)", "all": "Since 1950", "5y": "Last 5 years"}
DEFAULT_WINDOW = "dl"
# What the points' colours say (the legend explains them).
COLOURINGS = {"domain": "Domain", "group": "Organization group", "country": "Country",
              "accessibility": "Accessibility", "confidence": "Confidence"}
DEFAULT_COLOURING = "domain"
# The custom chart's axes: a payload column (training data: one unit per axis, never mixed).
DATA_UNITS = ("tokens", "images", "image-text pairs", "words", "hours of audio", "examples")
AXES = {"date": "Publication date", "parameters": "Parameters", "active_parameters": "Active parameters",
        "training_compute": "Training compute (FLOP)",
        **{f"training_data:{unit}": f"Training data ({unit})" for unit in DATA_UNITS},
        "training_cost_real": "Training cost (US$ of {year})", "training_time_hours": "Training time (hours)",
        "hardware_count": "Hardware (chips)", "inference_flops": "Inference FLOP per forward pass"}
DEFAULT_AXES = ("date", "training_data:tokens", "log", "log")   # x, y, x scale, y scale
SCALES = ("log", "linear")
WINDOW_START_YEAR = 2010
# The main area's tabs (`tab=`), in their order on the page; the charts by default.
TABS = ("charts", "table", "compare", "trends", "model", "sources")
DEFAULT_TAB = "charts"
# A story's id (data/stories.yaml): its shape is checked here; the page names only stories it has.
STORY_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
PRIVATE_ID_PREFIX = "mine~"   # a model of the user's own file (no catalogue id has a ~): never in a link
OVERLAYS = ("trends", "chinchilla", "six-nd", "parameter-gap", "openai-doubling", "thresholds", "ranges")
DEFAULT_OVERLAYS = ("chinchilla", "ranges")   # ranges: an estimate's low–high as whiskers
# Narrowing switches (`only=`): frontier models (top 10 in training compute when released);
# "sure": numbers stated or estimated from stated inputs (speculative values left out of
# the charts, the fits and the counts).
ONLY = {"frontier": "Frontier models (top 10 in compute when released)",
        "sure": "Confident and likely numbers only"}
from scalemap.dataset.table import FRONTIER_RANK  # noqa: E402  (one definition: the rank the frame computes)

# "Your model" (the compute estimator's result), drawn on every chart it fits. Its numbers stay
# the text they were written as, so the browser and Python write the same link.
NUMBER_PATTERN = r"^[0-9]{1,15}(\.[0-9]{1,15})?([eE][+]?[0-9]{1,2})?$"
DATE_PATTERN = r"^(19[5-9][0-9]|20[0-9][0-9])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
MAX_NAME_LENGTH = 80
_NUMBER = re.compile(NUMBER_PATTERN)
# "Your model" in a link: (query key, MyModel field), in the order the link writes them.
MY_FIELDS = (("my", "name"), ("my_date", "date"), ("my_params", "parameters"), ("my_compute", "compute"),
             ("my_tokens", "tokens"), ("my_chips", "chips"), ("my_days", "days"))
_DATE = re.compile(DATE_PATTERN)


@dataclass(frozen=True)
class MyModel:
    name: str
    date: str                       # YYYY-MM-DD
    parameters: str | None = None   # as written: "175e9"
    compute: str | None = None      # FLOP
    # The estimator's other inputs, so a reopened link shows them again (tokens: on the charts too).
    tokens: str | None = None       # D, training tokens
    chips: str | None = None
    days: str | None = None

    @staticmethod
    def checked(name, date, parameters, compute, tokens=None, chips=None, days=None) -> MyModel | None:
        """The model if every part is well formed and it has a number to plot; else None (an
        optional input that is malformed is left out)."""
        def number(text):
            return text if isinstance(text, str) and _NUMBER.fullmatch(text) and float(text) > 0 else None
        name = name.strip(" \t")[:MAX_NAME_LENGTH] if isinstance(name, str) else ""   # as the browser trims
        if not (name and isinstance(date, str) and _DATE.fullmatch(date)):
            return None
        parameters, compute = number(parameters), number(compute)
        if parameters is None and compute is None:
            return None
        return MyModel(name, date, parameters, compute, number(tokens), number(chips), number(days))


@dataclass(frozen=True)
class ViewState:
    domains: tuple[str, ...] = ()          # empty: every domain
    year_from: int | None = None           # None: the earliest year in the data
    year_to: int | None = None
    organizations: tuple[str, ...] = ()    # empty: every organization
    search: str = ""
    selected: str | None = None            # model id whose stats card is open
    overlays: tuple[str, ...] = DEFAULT_OVERLAYS
    deep_learning_from: str = "2010-01"   # era boundaries (YYYY-MM), Sevilla et al. 2022
    large_scale_from: str = "2015-09"
    pins: tuple[str, ...] = ()             # model ids compared side by side, in pinning order
    labels: bool = True                    # name search matches on the charts
    mine: MyModel | None = None            # "your model", from the estimator
    window: str = DEFAULT_WINDOW           # the date charts' time window (WINDOWS)
    colour: str = DEFAULT_COLOURING        # what the points' colours say (COLOURINGS)
    axes: tuple[str, str, str, str] = DEFAULT_AXES   # the custom chart: x, y (AXES), their scales
    only: tuple[str, ...] = ()             # narrowing switches (ONLY), in ONLY order
    tab: str = DEFAULT_TAB                 # the main area's tab (TABS)
    story: str = ""                        # the open story's id, its caption above the charts


DEFAULT_VIEW = ViewState()


def filter_mask(frame: pd.DataFrame, view: ViewState) -> pd.Series:
    """Rows the filters keep (search only highlights; it does not filter)."""
    mask = pd.Series(True, index=frame.index)
    if view.domains:
        wanted = set(view.domains)
        mask &= frame["domains"].map(lambda ds: not wanted.isdisjoint(ds))
    if view.year_from is not None:
        mask &= frame["year"] >= view.year_from
    if view.year_to is not None:
        mask &= frame["year"] <= view.year_to
    if view.organizations:   # an organization, or a group: Google keeps Google Brain's models too
        wanted_orgs = set(view.organizations)
        mask &= frame["organization_keys"].map(lambda keys: not wanted_orgs.isdisjoint(keys))
    if "frontier" in view.only:
        mask &= frame["compute_rank"] <= FRONTIER_RANK
    return mask


def sure_values(frame: pd.DataFrame, column: str, view: ViewState) -> pd.Series:
    """A number column as the view counts it: with "only confident and likely", a
    speculative value is left out (NaN), as the charts leave its point out."""
    values = frame[column]
    confidence = f"{column}_confidence"
    if "sure" in view.only and confidence in frame:
        values = values.where(frame[confidence].ne("speculative"))
    return values


def search_matches(frame: pd.DataFrame, search: str) -> pd.Series:
    """Rows whose name, alias or organization contains the search text (case-insensitive:
    lower(), as the browser's toLowerCase())."""
    text = search.strip().lower()
    if not text:
        return pd.Series(False, index=frame.index)
    return frame["search_key"].str.contains(text, regex=False)


def to_query(view: ViewState) -> str:
    """'?domain=language&from=2010' — only what differs from the defaults; '' for the default view."""
    params: list[tuple[str, str]] = [("domain", d) for d in view.domains]
    if view.year_from is not None:
        params.append(("from", str(view.year_from)))
    if view.year_to is not None:
        params.append(("to", str(view.year_to)))
    params += [("org", o) for o in view.organizations]
    if view.search:
        params.append(("q", view.search))
    if view.selected:
        params.append(("model", view.selected))
    if set(view.overlays) != set(DEFAULT_OVERLAYS):   # in OVERLAYS order: one spelling per view
        params.append(("show", ",".join(o for o in OVERLAYS if o in view.overlays) or "none"))
    if view.deep_learning_from != DEFAULT_VIEW.deep_learning_from:
        params.append(("dl", view.deep_learning_from))
    if view.large_scale_from != DEFAULT_VIEW.large_scale_from:
        params.append(("ls", view.large_scale_from))
    params += [("pin", p) for p in view.pins]
    if not view.labels:
        params.append(("labels", "off"))
    if view.window != DEFAULT_WINDOW:
        params.append(("window", view.window))
    if view.colour != DEFAULT_COLOURING:
        params.append(("colour", view.colour))
    params += [(key, value) for key, value, default in zip(("cx", "cy", "cxscale", "cyscale"), view.axes, DEFAULT_AXES)
               if value != default]
    if view.only:
        params.append(("only", ",".join(o for o in ONLY if o in view.only)))
    if view.story:
        params.append(("story", view.story))
    if view.tab != DEFAULT_TAB:
        params.append(("tab", view.tab))
    if view.mine:
        params += [("my", view.mine.name), ("my_date", view.mine.date)]
        params += [(key, getattr(view.mine, field)) for key, field in MY_FIELDS[2:] if getattr(view.mine, field)]
    return "?" + urlencode(params) if params else ""


MONTH_PATTERN = r"^(19[5-9][0-9]|20[0-9][0-9])-(0[1-9]|1[0-2])$"   # ASCII digits only: JS reads it too
YEAR_PATTERN = r"^[0-9]{4}$"
MAX_QUERY_FIELDS = 200
_MONTH = re.compile(MONTH_PATTERN)
_STORY = re.compile(STORY_PATTERN)
_YEAR = re.compile(YEAR_PATTERN)


def valid_month(text: str | None) -> bool:
    return isinstance(text, str) and bool(_MONTH.fullmatch(text))


def _month(values: list[str], default: str) -> str:
    return values[-1] if values and valid_month(values[-1]) else default


def _year(values: list[str], bounds: tuple[int, int]) -> int | None:
    if not values or not _YEAR.fullmatch(values[-1]):
        return None
    year = int(values[-1])
    return year if bounds[0] <= year <= bounds[1] else None


def from_query(query: str | None, *, domains: list[str], organizations: list[str],
               model_ids, year_bounds: tuple[int, int]) -> ViewState:
    """Parse a query string against what exists; anything unknown falls back to the default."""
    try:
        params = parse_qs((query or "").lstrip("?"), keep_blank_values=False,
                          max_num_fields=MAX_QUERY_FIELDS)
    except ValueError:
        return DEFAULT_VIEW
    known_domains, known_orgs = set(domains), set(organizations)
    year_from = _year(params.get("from", []), year_bounds)
    year_to = _year(params.get("to", []), year_bounds)
    if year_from is not None and year_to is not None and year_from > year_to:
        year_from = year_to = None
    selected = params.get("model", [None])[-1]
    overlays = DEFAULT_OVERLAYS
    if "show" in params:
        asked = params["show"][-1].split(",")
        known = tuple(o for o in OVERLAYS if o in asked)
        overlays = () if asked == ["none"] else known or DEFAULT_OVERLAYS
    return replace(
        DEFAULT_VIEW,
        domains=tuple(dict.fromkeys(d for d in params.get("domain", []) if d in known_domains)),
        year_from=year_from,
        year_to=year_to,
        organizations=tuple(dict.fromkeys(o for o in params.get("org", []) if o in known_orgs)),
        search=params.get("q", [""])[-1][:MAX_SEARCH_LENGTH],
        selected=selected if selected in model_ids else None,
        overlays=overlays,
        deep_learning_from=_month(params.get("dl", []), DEFAULT_VIEW.deep_learning_from),
        large_scale_from=_month(params.get("ls", []), DEFAULT_VIEW.large_scale_from),
        pins=tuple(dict.fromkeys(p for p in params.get("pin", []) if p in model_ids))[:MAX_PINS],
        labels=params.get("labels", [""])[-1] != "off",
        mine=MyModel.checked(*(params.get(key, [None])[-1] for key, _ in MY_FIELDS)),
        window=window if (window := params.get("window", [DEFAULT_WINDOW])[-1]) in WINDOWS else DEFAULT_WINDOW,
        colour=colour if (colour := params.get("colour", [DEFAULT_COLOURING])[-1]) in COLOURINGS else DEFAULT_COLOURING,
        axes=checked_axes(*(params.get(key, [None])[-1] for key in ("cx", "cy", "cxscale", "cyscale"))),
        only=checked_only(params.get("only", [""])[-1].split(",")),
        tab=tab if (tab := params.get("tab", [DEFAULT_TAB])[-1]) in TABS else DEFAULT_TAB,
        story=story if _STORY.fullmatch(story := params.get("story", [""])[-1]) else "",
    )


def checked_only(values) -> tuple[str, ...]:
    """The known narrowing switches among `values`, in ONLY order."""
    asked = set(v for v in values if isinstance(v, str)) if isinstance(values, (list, tuple)) else set()
    return tuple(o for o in ONLY if o in asked)


def checked_axes(x, y, x_scale, y_scale) -> tuple[str, str, str, str]:
    """The custom chart's axes; each part that is not an option falls back to its default (y is
    never the date)."""
    x = x if isinstance(x, str) and x in AXES else DEFAULT_AXES[0]
    y = y if isinstance(y, str) and y in AXES and y != "date" else DEFAULT_AXES[1]
    scales = [s if isinstance(s, str) and s in SCALES else "log" for s in (x_scale, y_scale)]
    return (x, y, *scales)


def browser_contract() -> dict:
    """The URL and view rules the browser needs, from this module (one place)."""
    return {"overlays": list(OVERLAYS), "defaultOverlays": list(DEFAULT_OVERLAYS),
            "maxSearchLength": MAX_SEARCH_LENGTH, "maxPins": MAX_PINS, "windows": list(WINDOWS), "colourings": list(COLOURINGS),
            "defaultColouring": DEFAULT_COLOURING, "axes": list(AXES), "scales": list(SCALES),
            "defaultAxes": list(DEFAULT_AXES), "only": list(ONLY), "frontierRank": FRONTIER_RANK,
            "defaultWindow": DEFAULT_WINDOW, "windowStartYear": WINDOW_START_YEAR, "privatePrefix": PRIVATE_ID_PREFIX, "numberPattern": NUMBER_PATTERN,
            "myFields": [list(pair) for pair in MY_FIELDS],
            "datePattern": DATE_PATTERN, "maxNameLength": MAX_NAME_LENGTH, "maxQueryFields": MAX_QUERY_FIELDS,
            "monthPattern": MONTH_PATTERN, "yearPattern": YEAR_PATTERN, "tabs": list(TABS),
            "defaultTab": DEFAULT_TAB, "storyPattern": STORY_PATTERN,
            "defaultEras": {"dl": DEFAULT_VIEW.deep_learning_from, "ls": DEFAULT_VIEW.large_scale_from}}
