"""The models table under load: how long until its rows show, a filter reaches it, a sort by
value comes back, at the bundled catalogue's size and at 100,000 generated models.

    python -m benchmarks.table [--sizes bundled,100k] [--repeats 5]

Real gunicorn and headless Debian Chromium; times are medians in milliseconds, measured in the
page (performance.now()) from the action to the grid showing its result. Not a test."""
from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks.datasets import generated_csv
from tests.support import CHROMIUM, served_app

SIZES = {
    "bundled": lambda: {},
    "100k": lambda: {"SCALEMAP_EPOCH_CSV": str(generated_csv(100_000)), "SCALEMAP_EPOCH_ONLY": "1"},
}
SUMMARY = "#table-summary"
# Click a column header and time until the first displayed row changes (the grid sorted).
SORT = """column => new Promise((resolve) => {
  const api = dash_ag_grid.getApi('models-table');
  const first = () => { const row = api.getDisplayedRowAtIndex(0); return row && row.data.id; };
  const before = first(), start = performance.now();
  document.querySelector(`#models-table .ag-header-cell[col-id="${column}"] .ag-header-cell-label`).click();
  const check = () => first() !== before ? resolve(performance.now() - start) : requestAnimationFrame(check);
  check();
})"""


def measure(url: str, repeats: int) -> dict:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        start = page.evaluate("performance.now()")
        page.goto(url + "/?tab=table")   # at the table: the page gives a table its rows when it is shown
        page.wait_for_function("() => document.querySelectorAll('#models-table .ag-row').length > 0",
                               timeout=180_000)
        rows_after = page.evaluate("performance.now()") - start
        rows = page.evaluate("() => { let n = 0; dash_ag_grid.getApi('models-table')"
                             ".forEachNodeAfterFilter(() => n++); return n; }")
        filters, sorts = [], []
        for i in range(repeats):
            page.evaluate("() => { window.__before = document.querySelector('#table-summary').textContent;"
                          " window.__start = performance.now(); }")
            page.get_by_label("Language").set_checked(i % 2 == 0)   # (includes the click's own round trip)
            page.wait_for_function("() => document.querySelector('#table-summary').textContent !== window.__before",
                                   polling="raf")
            filters.append(page.evaluate("performance.now() - window.__start"))
            sorts.append(page.evaluate(SORT, "parameters"))
        browser.close()
    return {"rows": rows, "first rows": rows_after, "filter → table": statistics.median(filters),
            "sort by value": statistics.median(sorts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="bundled,100k")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"{'size':>8} {'rows':>8} {'first rows ms':>14} {'filter→table ms':>16} {'sort by value ms':>17}")
    for size in args.sizes.split(","):
        with tempfile.TemporaryDirectory() as logs, served_app(Path(logs), SIZES[size]()) as url:
            result = measure(url, args.repeats)
        print(f"{size:>8} {result['rows']:>8,} {result['first rows']:>14,.0f} {result['filter → table']:>16,.0f} "
              f"{result['sort by value']:>17,.0f}")


if __name__ == "__main__":
    main()
