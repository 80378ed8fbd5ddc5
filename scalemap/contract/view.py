"""What the user is looking at — filters, search, overlays, pins, the selected model, your
model, the charts' settings — declared once, as a table of fields (`FIELDS`), and how a view
selects rows.

Each row says what a field is, its default, its URL key, the control that shows it and what it
may hold; `scalemap/contract/url.py` codes every field from its row, for links (`to_query`,
`from_query`) and for the page's controls (components/url_state.py), and the browser receives
the same table (`browser_contract()`, in the page config) and codes it the same way
(`assets/core/view.js`). A new field is a row here and the code that uses it.

Filtering and search (`filter_mask`, `search_matches`) have their twin in
`assets/core/dataset.js`; tests/contract/test_python_and_js_agree.py proves both sides select
the same models and write the same links."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from scalemap.contract.url import YEAR_PATTERN, Field, ViewCodec
from scalemap.dataset.table import FRONTIER_RANK

MAX_SEARCH_LENGTH = 100
MAX_PINS = 4                 # models compared side by side
# The time window of the date charts' x-axis (it does not filter: the year range does).
WINDOWS = {"dl": "Deep-learning era (2010 →)", "all": "Since 1950", "5y": "Last 5 years"}
DEFAULT_WINDOW = "dl"
# What the points' colours say (the legend explains them), and the payload column each reads
# (domain: the skeleton's traces; confidence: the plotted number's own).
COLOURINGS = {"domain": "Domain", "group": "Organization group", "country": "Country",
              "accessibility": "Accessibility", "confidence": "Confidence"}
COLOURING_COLUMNS = {"group": "organization_group", "country": "country", "accessibility": "accessibility"}
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
ALWAYS_FITTED = ("training_compute", "parameters")   # the fixed charts' quantities: fitted in every view
WINDOW_START_YEAR = 2010
# The main area's tabs (`tab=`), in their order on the page; the charts by default.
TABS = ("charts", "table", "compare", "trends", "model", "sources")
DEFAULT_TAB = "charts"
# A story's id (data/stories.yaml): its shape is checked here; the page names only stories it has.
STORY_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
OVERLAYS = ("trends", "chinchilla", "six-nd", "parameter-gap", "openai-doubling", "thresholds", "ranges")
DEFAULT_OVERLAYS = ("chinchilla", "ranges")   # ranges: an estimate's low–high as whiskers
# Narrowing switches (`only=`): frontier models (top 10 in training compute when released);
# "sure": numbers stated or estimated from stated inputs (speculative values left out of
# the charts, the fits and the counts).
ONLY = {"frontier": "Frontier models (top 10 in compute when released)",
        "sure": "Confident and likely numbers only"}
# A shared link's data version (`v=2026.12.1`): not part of the view (a link always opens on
# today's data), but the page says what changed since the version the link was made with.
LINK_VERSION_KEY = "v"
MONTH_PATTERN = r"^(19[5-9][0-9]|20[0-9][0-9])-(0[1-9]|1[0-2])$"   # ASCII digits only: JS reads it too

# "Your model" (the compute estimator's result), drawn on every chart it fits. Its numbers stay
# the text they were written as, so the browser and Python write the same link.
NUMBER_PATTERN = r"^[0-9]{1,15}(\.[0-9]{1,15})?([eE][+]?[0-9]{1,2})?$"
DATE_PATTERN = r"^(19[5-9][0-9]|20[0-9][0-9])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
MAX_NAME_LENGTH = 80
_NUMBER = re.compile(NUMBER_PATTERN)
_DATE = re.compile(DATE_PATTERN)


# Which of your model's numbers the charts plot on which axis (an AXES key).
MINE_AXES = {"parameters": "parameters", "training_compute": "compute", "training_data:tokens": "tokens"}


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
        optional input that is malformed is left out). The rule "my_model" (view.js: myModel)."""
        def number(text):
            return text if isinstance(text, str) and _NUMBER.fullmatch(text) and float(text) > 0 else None
        name = name.strip(" \t")[:MAX_NAME_LENGTH] if isinstance(name, str) else ""   # as the browser trims
        if not (name and isinstance(date, str) and _DATE.fullmatch(date)):
            return None
        parameters, compute = number(parameters), number(compute)
        if parameters is None and compute is None:
            return None
        return MyModel(name, date, parameters, compute, number(tokens), number(chips), number(days))


def custom_fit(axes: tuple[str, str, str, str]) -> str | None:
    """The custom chart's y when it gets trend fits of its own: a quantity over time on a log
    scale, other than those fitted in every view."""
    x, y, _, y_scale = axes
    return y if x == "date" and y_scale == "log" and y not in ALWAYS_FITTED else None


def fitted_axes(axes: tuple[str, str, str, str]) -> tuple[str, str, str, str]:
    """The custom chart's axes as far as the trend fits depend on them. The rule "fitted_axes"
    (view.js: fittedAxes)."""
    y = custom_fit(axes)
    return ("date", y, "log", "log") if y else DEFAULT_AXES


# The special rules the table names, each written once more in assets/core/view.js (RULES).
RULES = {"my_model": MyModel.checked, "fitted_axes": fitted_axes}

# The view, one row per field, in the order links write them and the controls are listed (the
# selected model last: the browser's callbacks append it to the others).
FIELDS = (
    Field("domains", "many", (), ("domain",), (("domain-filter", "value"),), "tuple[str, ...]",
          known="domains", fits=True, cleared=True),                     # none: every domain
    Field("year_from", "year", None, ("from",), (("year-filter", "value"),), "int | None", part=0,
          pattern=YEAR_PATTERN, fits=True, steps="years", cleared=True),   # None: the data's first year
    Field("year_to", "year", None, ("to",), (("year-filter", "value"),), "int | None", part=1,
          pattern=YEAR_PATTERN, not_before="year_from", fits=True, steps="years", cleared=True),
    Field("organizations", "many", (), ("org",), (("organization-filter", "value"),), "tuple[str, ...]",
          known="organizations", fits=True, cleared=True),   # an organization or a group; none: every one
    Field("search", "text", "", ("q",), (("name-search", "value"),), "str", max_length=MAX_SEARCH_LENGTH,
          strip=True, steps="search", cleared=True),         # highlights and labels; does not filter
    Field("overlays", "set", DEFAULT_OVERLAYS, ("show",), (("overlay-toggles", "value"),), "tuple[str, ...]",
          allowed=OVERLAYS, spelling="none"),
    # Era boundaries (YYYY-MM), Sevilla et al. 2022.
    Field("deep_learning_from", "text", "2010-01", ("dl",), (("era-deep-learning-from", "value"),), "str",
          pattern=MONTH_PATTERN, fits=True),
    Field("large_scale_from", "text", "2015-09", ("ls",), (("era-large-scale-from", "value"),), "str",
          pattern=MONTH_PATTERN, fits=True),
    Field("pins", "many", (), ("pin",), (("pinned-models", "data"),), "tuple[str, ...]",
          known="models", max_count=MAX_PINS, private=True),   # compared side by side, in pinning order
    Field("labels", "flag", True, ("labels",), (("labels-switch", "value"),), "bool",
          spelling="off"),                                     # name search matches on the charts
    Field("mine", "record", None, ("my", "my_date", "my_params", "my_compute", "my_tokens", "my_chips", "my_days"),
          (("my-model", "data"),), "MyModel | None",
          items=("name", "date", "parameters", "compute", "tokens", "chips", "days"), check="my_model"),
    Field("window", "choice", DEFAULT_WINDOW, ("window",), (("time-window", "value"),), "str",
          allowed=tuple(WINDOWS)),                             # the date charts' time window
    Field("colour", "choice", DEFAULT_COLOURING, ("colour",), (("colour-by", "value"),), "str",
          allowed=tuple(COLOURINGS)),                          # what the points' colours say
    Field("axes", "choices", DEFAULT_AXES, ("cx", "cy", "cxscale", "cyscale"),
          (("custom-x", "value"), ("custom-y", "value"), ("custom-x-scale", "value"), ("custom-y-scale", "value")),
          "tuple[str, str, str, str]",                         # the custom chart: x, y (never the date), scales
          allowed=(tuple(AXES), tuple(a for a in AXES if a != "date"), SCALES, SCALES), fits="fitted_axes"),
    Field("only", "set", (), ("only",), (("only-switches", "value"),), "tuple[str, ...]",
          allowed=tuple(ONLY), spelling="none", fits=True, cleared=True),   # narrowing switches, in ONLY order
    Field("tab", "choice", DEFAULT_TAB, ("tab",), (("tab", "data"),), "str", allowed=TABS),   # the main area's tab
    Field("story", "text", "", ("story",), (("story", "data"),), "str", pattern=STORY_PATTERN,
          max_length=40),                                      # the open story: its caption above the charts
    Field("selected", "choice", None, ("model",), (("selected-model", "data"),), "str | None",
          known="models", private=True),                       # the model whose stats card is open
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}
VIEW = ViewCodec(FIELDS, RULES)
assert all(LINK_VERSION_KEY not in f.keys for f in FIELDS), "the link's data version has a key of its own"
ViewState = VIEW.state


def control_id(field: str, part: int = 0) -> str:
    """The id of the component that shows a field (components/ids.py names them)."""
    return FIELDS_BY_NAME[field].controls[part][0]


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
    return VIEW.to_query(view)


def from_query(query: str | None, *, domains, organizations, model_ids, year_bounds: tuple[int, int]) -> ViewState:
    """Parse a query string against what exists; anything unknown falls back to the default."""
    return VIEW.from_query(query, domains=domains, organizations=organizations, model_ids=model_ids,
                           year_bounds=year_bounds)


def filter_query(view: ViewState) -> str:
    """The query of what the trend fits depend on (their cache key, here and in the browser)."""
    return VIEW.filter_query(view)


def browser_contract() -> dict:
    """The view's table and the constants of its special rules, as the browser reads them."""
    return {**VIEW.for_browser(), "maxPins": MAX_PINS, "alwaysFitted": list(ALWAYS_FITTED),
            "defaultAxes": list(DEFAULT_AXES), "numberPattern": NUMBER_PATTERN, "datePattern": DATE_PATTERN,
            "maxNameLength": MAX_NAME_LENGTH, "versionKey": LINK_VERSION_KEY}
