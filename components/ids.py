"""Every component id in one place (kebab-case)."""

URL = "url"
PAGE_CONFIG = "page-config"          # dataset URL and view rules the browser code reads
DOMAIN_FILTER = "domain-filter"
YEAR_FILTER = "year-filter"
ORG_FILTER = "organization-filter"
SEARCH = "name-search"
OVERLAY_TOGGLES = "overlay-toggles"
ONLY_SWITCHES = "only-switches"
RESET = "reset-view"
SELECTED_MODEL = "selected-model"
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
CHARTS_DRAWN = "charts-drawn"        # what the charts show now: {selected} (written by the browser)
ERA_DL_FROM = "era-deep-learning-from"
ERA_LS_FROM = "era-large-scale-from"
NOTICE = "catalogue-notice"
FILTER_SUMMARY = "filter-summary"
WINDOW = "time-window"               # the date charts' x-axis window
COLOUR_BY = "colour-by"              # what the points' colours say
DOMAIN_HINT = "domain-colours-hint"  # under the domains: whether their swatches are the legend
CUSTOM_X, CUSTOM_Y = "custom-x", "custom-y"          # the custom chart's axes
CUSTOM_X_SCALE, CUSTOM_Y_SCALE = "custom-x-scale", "custom-y-scale"
PINS = "pinned-models"
MY_MODEL = "my-model"                # "your model" from the estimator: {name, date, parameters, compute}
ESTIMATOR = "estimator"
UPLOAD, UPLOADED = "upload", "uploaded-models"
UPLOAD_MESSAGE, UPLOAD_REMOVE = "upload-message", "upload-remove"
UPLOAD_FILES = "upload-files"        # the list of the tab's files, each with a Remove button
MY_NAME, MY_DATE, MY_PARAMETERS, MY_TOKENS = "my-name", "my-date", "my-parameters", "my-tokens"
MY_CHIP, MY_CHIPS, MY_UTILISATION, MY_DAYS, MY_REPLICAS = "my-chip", "my-chips", "my-utilisation", "my-days", "my-replicas"
MY_ESTIMATES, MY_METHOD, MY_PUT, MY_REMOVE = "my-estimates", "my-method", "my-put", "my-remove"
MY_MESSAGE, MY_COMPARISON = "my-message", "my-comparison"               # ids of the models compared side by side
LABELS_SWITCH = "labels-switch"      # label search matches on the charts
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
