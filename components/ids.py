"""Every component id in one place (kebab-case). The view's controls are declared with the
view's fields (scalemap/contract/view.py FIELDS) and named here from there."""
from scalemap.contract.view import control_id

# The view's controls.
DOMAIN_FILTER = control_id("domains")
YEAR_FILTER = control_id("year_from")            # [from, to]: year_from and year_to
ORG_FILTER = control_id("organizations")
SEARCH = control_id("search")
OVERLAY_TOGGLES = control_id("overlays")
ERA_DL_FROM = control_id("deep_learning_from")
ERA_LS_FROM = control_id("large_scale_from")
PINS = control_id("pins")                        # a store: the pinned models' ids
LABELS_SWITCH = control_id("labels")             # label search matches on the charts
MY_MODEL = control_id("mine")                    # a store: "your model" from the estimator
WINDOW = control_id("window")                    # the date charts' x-axis window
COLOUR_BY = control_id("colour")                 # what the points' colours say
CUSTOM_X, CUSTOM_Y = control_id("axes", 0), control_id("axes", 1)   # the custom chart's axes
CUSTOM_X_SCALE, CUSTOM_Y_SCALE = control_id("axes", 2), control_id("axes", 3)
ONLY_SWITCHES = control_id("only")
TAB = control_id("tab")                          # a store: the main area's tab
STORY = control_id("story")                      # a store: the open story's id ("" for none)
SELECTED_MODEL = control_id("selected")          # a store: the model whose card is open


URL = "url"
PAGE_CONFIG = "page-config"          # dataset URL and view rules the browser code reads
RESET = "reset-view"
STATS_CARD = "stats-card"
STATS_CARD_BODY = "stats-card-body"
CARD_REQUEST = "card-request"        # what the card asks the server: {id}, plus the record of your own model
CSV_BUTTON = "download-csv-button"
CSV_DOWNLOAD = "download-csv"
TRENDS_PANEL = "trends-panel"
TRENDS_SUMMARY = "trends-summary"
TREND_REQUEST = "trend-request"      # the filters the browser wants fitted
TREND_FITS = "trend-fits"            # the fits, a few numbers per era
CHART_SKELETONS = "chart-skeletons"
CHART_CLICK = "chart-click"          # a click on a chart's point: {graph, points} (written by the browser)
NOTICE = "catalogue-notice"
FILTER_SUMMARY = "filter-summary"
DOMAIN_HINT = "domain-colours-hint"  # under the domains: whether their swatches are the legend
ESTIMATOR = "estimator"
UPLOAD, UPLOADED = "upload", "uploaded-models"
UPLOAD_MESSAGE, UPLOAD_REMOVE = "upload-message", "upload-remove"
UPLOAD_FILES = "upload-files"        # the list of the tab's files, each with a Remove button
MY_NAME, MY_DATE, MY_PARAMETERS, MY_TOKENS = "my-name", "my-date", "my-parameters", "my-tokens"
MY_CHIP, MY_CHIPS, MY_UTILISATION, MY_DAYS, MY_REPLICAS = "my-chip", "my-chips", "my-utilisation", "my-days", "my-replicas"
MY_ESTIMATES, MY_METHOD, MY_PUT, MY_REMOVE = "my-estimates", "my-method", "my-put", "my-remove"
MY_MESSAGE, MY_COMPARISON = "my-message", "my-comparison"               # ids of the models compared side by side
COPY_LINK = "copy-link"
EMPTY_STATE = "empty-state"          # "no model matches", with a way out
CLEAR_FILTERS = "clear-filters"
SEARCH_HITS = "search-hits"          # the matches listed under the search box
MODELS_TABLE = "models-table"
TABLE_SUMMARY = "table-summary"
TABLE_STATE = "table-state"          # written by the browser: what the table shows
CHART_SELECTION = "chart-selection"  # model rows box-selected on a chart
PICKER = "crowded-spot-picker"
PICKER_BODY = "crowded-spot-picker-body"
COMPARISON = "comparison"
COMPARISON_PANEL = "comparison-panel"
COMPARISON_REQUEST = "comparison-request"  # the pins, and the records of your own pinned models
PIN_BUTTON = "pin-button"
UNPIN_ALL = "unpin-all"
COMPARISON_CSV = "comparison-csv"
COMPARISON_DOWNLOAD = "comparison-download"


def open_model(model_id: str) -> dict:
    """A button anywhere on the page that opens a model's stats card (search hits, the picker,
    the comparison)."""
    return {"type": "open-model", "index": model_id}


def remove_file(name: str) -> dict:
    """The Remove button of one of your files (components/upload.py)."""
    return {"type": "remove-file", "index": name}


def graph(chart_key: str) -> str:
    return f"graph-{chart_key}"


def chart_count(chart_key: str) -> str:
    return f"count-{chart_key}"


def unpin(model_id: str) -> dict:
    return {"type": "unpin", "index": model_id}


DISAGREEMENTS = "disagreements"
DISAGREEMENTS_CSV = "disagreements-csv-button"
DISAGREEMENTS_DOWNLOAD = "disagreements-download"
# The filter panel as a drawer below 992 px (a column beside the charts above): its button,
# the drawer round the panel, its close button and the shade behind it.
FILTERS_OPEN, FILTER_DRAWER, FILTERS_CLOSE, FILTER_BACKDROP = (
    "filters-open", "filter-drawer", "filters-close", "filter-backdrop")
# The grapher layout (components/tabs.py): the tab in view, its bar and panels; the stats card's
# close button; the story caption and picker; the phone's chart switcher; the legend shared by
# the four charts; the data credit under the charts.
TAB_BAR = "tab-bar"
MAIN = "main-area"
STATS_CARD_CLOSE = "stats-card-close"
STORY_CAPTION = "story-caption"
LINK_VERSION_NOTE = "link-version-note"   # a shared link made with older data: what changed since
STORY_CLOSE = "story-close"
STORY_PICKER = "story-picker"
CHART_SWITCHER = "chart-switcher"    # below 768 px: which chart is shown
CHARTS_GRID = "charts-grid"
CHART_LEGEND = "chart-legend"
DATA_CREDIT = "data-credit"
SOURCES_NOTE = "sources-note"        # the Sources tab's note of skipped catalogue rows


def tab_button(key: str) -> str:
    return f"tab-{key}"


def tab_panel(key: str) -> str:
    return f"panel-{key}"


def chart_title(chart_key: str) -> str:
    return f"title-{chart_key}"


def pin_model(model_id: str) -> dict:
    """A search hit's Pin button."""
    return {"type": "pin-model", "index": model_id}


# The Cite box of the page (components/model_page.py) and the Embed dialog (components/embed.py).
CITE_BOX, CITE_TEXT, CITE_BIBTEX, CITE_TEMPLATES = "cite-box", "cite-text", "cite-bibtex", "cite-templates"
EMBED_BUTTON, EMBED_PANEL, EMBED_CHART, EMBED_CODE = "embed-button", "embed-panel", "embed-chart", "embed-code"
