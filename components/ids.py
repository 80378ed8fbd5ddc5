"""Every component id in one place (kebab-case)."""

URL = "url"
PAGE_CONFIG = "page-config"          # dataset URL and view rules the browser code reads
DOMAIN_FILTER = "domain-filter"
YEAR_FILTER = "year-filter"
ORG_FILTER = "organization-filter"
SEARCH = "name-search"
OVERLAY_TOGGLES = "overlay-toggles"
RESET = "reset-view"
SELECTED_MODEL = "selected-model"
STATS_CARD = "stats-card"
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


def graph(chart_key: str) -> str:
    return f"graph-{chart_key}"


def chart_count(chart_key: str) -> str:
    return f"count-{chart_key}"
