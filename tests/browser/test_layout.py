"""The page at a phone's size (390×844), a small laptop's (1024×768) and a desktop's (1600×1000):
screenshots taken by the tests (kept under pytest's tmp_path, for a look when one fails) and
assertions on the boxes of what is drawn: the first screen shows a chart, x-axis ticks that
do not collide, each chart's title and count line above it, one legend above the charts clear
of them, no sideways scrolling, and the filters reachable from a drawer on the phone."""
import re

import pytest
from playwright.sync_api import expect

from scalemap.features.charts import ALL_CHARTS, CHARTS
from tests.support import COUNT, open_app

pytestmark = pytest.mark.browser
SIZES = {"phone": (390, 844), "laptop": (1024, 768), "desktop": (1600, 1000)}

# Every chart's boxes in page pixels (getBoundingClientRect), and the page's scrolling width.
BOXES = """() => {
  const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
                        return {l: r.left, t: r.top, r: r.right, b: r.bottom}; };
  const charts = {};
  for (const outer of document.querySelectorAll('[id^="graph-"]')) {
    const q = (selector) => outer.querySelector(selector);
    const key = outer.id.slice(6);
    charts[key] = {
      shown: outer.offsetParent !== null, graph: box(outer),
      plot: box(q('.draglayer .nsewdrag')), modebar: box(q('.modebar')),
      title: box(document.getElementById(`title-${key}`)), count: box(document.getElementById(`count-${key}`)),
      xtitle: box(q('.xtitle')), ytitle: box(q('.ytitle')),
      xticks: [...outer.querySelectorAll('.xaxislayer-above .xtick text')]
        .map((t) => ({text: t.textContent, ...box(t)})),
    };
  }
  return {charts, legend: box(document.getElementById('chart-legend-details')),
          scrollWidth: document.scrollingElement.scrollWidth};
}"""

# True once every chart has kept the same plot area for two frames running: Plotly's automargin
# lays a chart out again after its first draw.
SETTLED = """() => {
  const now = JSON.stringify([...document.querySelectorAll('[id^="graph-"] .js-plotly-plot')].map((gd) => [
    gd._fullLayout && gd._fullLayout._size]));
  const same = now === window.__layoutTestLast;
  window.__layoutTestLast = now;
  return same;
}"""


def overlap(a, b) -> bool:
    return a["l"] < b["r"] - 0.5 and b["l"] < a["r"] - 0.5 and a["t"] < b["b"] - 0.5 and b["t"] < a["b"] - 0.5


def open_at(page, size, query=""):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    open_app(page, query)
    page.wait_for_function("() => document.querySelector('#chart-legend .legend-item')")
    page.wait_for_function(SETTLED, polling="raf")
    return page.evaluate(BOXES)


@pytest.mark.parametrize("size", SIZES)
def test_charts_are_readable_at_each_size(page, size, tmp_path):
    width, height = SIZES[size]
    boxes = open_at(page, size)
    page.locator(f"#graph-{CHARTS[0].key}").hover()   # its modebar shows, as under a finger or a mouse
    page.screenshot(path=tmp_path / f"{size}-first-screen.png")
    page.screenshot(path=tmp_path / f"{size}-page.png", full_page=True)
    assert boxes["scrollWidth"] <= width   # nothing sticks out sideways
    assert set(boxes["charts"]) == {chart.key for chart in ALL_CHARTS}
    shown = {key: chart for key, chart in boxes["charts"].items() if chart["shown"]}
    assert list(shown) == ([CHARTS[0].key] if size == "phone" else [chart.key for chart in ALL_CHARTS])
    for key, chart in shown.items():
        ticks = chart["xticks"]
        texts = [tick["text"] for tick in ticks]
        assert len(ticks) >= 3 and all(texts) and len(set(texts)) == len(texts), (key, texts)
        ticks = sorted(ticks, key=lambda tick: tick["l"])
        for left, right in zip(ticks, ticks[1:]):
            assert left["r"] <= right["l"], (key, left, right)   # side by side, not rotated over each other
            assert left["b"] - left["t"] < 20, (key, left)       # one line, upright
        assert chart["title"]["b"] <= chart["count"]["t"] + 0.5 and chart["count"]["b"] <= chart["graph"]["t"] + 0.5, key
        assert chart["plot"]["b"] <= chart["xtitle"]["t"], key
        assert not overlap(boxes["legend"], chart["graph"]), key   # the one legend, above the charts
    if size == "phone":   # the first screen shows a chart, not the filters
        first = boxes["charts"][CHARTS[0].key]
        assert 0 <= first["title"]["t"] and first["plot"]["b"] <= height, first
        assert first["plot"]["r"] - first["plot"]["l"] >= 250 and first["plot"]["b"] - first["plot"]["t"] >= 250
        expect(page.get_by_label("Language")).to_be_hidden()


def test_the_filter_drawer_opens_and_a_filter_works_from_it_on_a_phone(page, bundled_dataset, tmp_path):
    open_at(page, "phone")
    drawer = page.locator("#filter-drawer")
    before = page.locator(f"#count-{CHARTS[0].key}").inner_text()
    page.get_by_role("button", name="Filters").click()
    expect(drawer).to_have_class(re.compile(r"\bshow\b"))
    drawer.evaluate("el => Promise.all(el.getAnimations().map(a => a.finished))")   # slid in
    expect(page.locator("#filters-close")).to_be_focused()
    box = drawer.bounding_box()
    assert box["x"] == 0 and box["width"] <= 390 and box["height"] == 844
    page.screenshot(path=tmp_path / "phone-drawer.png")

    page.get_by_label("Language").check()
    language = sum("language" in ds for ds in bundled_dataset.frame["domains"])
    expect(page.locator("#filter-summary")).to_have_text(re.compile(rf"^{language} of "))
    expect(page).to_have_url(re.compile(r"\?domain=language$"))
    page.get_by_role("button", name="Show the charts").click()
    expect(drawer).not_to_have_class(re.compile(r"\bshow\b"))
    expect(page.get_by_label("Language")).to_be_hidden()
    expect(page.get_by_role("button", name="Filters")).to_be_focused()
    count = page.locator(f"#count-{CHARTS[0].key}")
    expect(count).not_to_have_text(before)
    assert int(COUNT.match(count.inner_text()).group(2)) == language
    expect(count).to_be_in_viewport()
    page.screenshot(path=tmp_path / "phone-language.png")

    page.get_by_role("button", name="Filters").click()   # Escape closes it too
    expect(page.get_by_label("Language")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_label("Language")).to_be_hidden()


def test_from_992_px_the_filters_are_a_column_beside_the_charts(page):
    open_at(page, "laptop")
    expect(page.get_by_role("button", name="Filters")).to_be_hidden()
    expect(page.get_by_label("Language")).to_be_visible()
    panel = page.locator(".filter-panel").bounding_box()
    chart = page.locator(f"#graph-{CHARTS[0].key}").bounding_box()
    assert panel["x"] + panel["width"] <= chart["x"] and panel["y"] < chart["y"] + chart["height"]


@pytest.mark.parametrize("width", [1024, 1280])
def test_the_chosen_years_are_shown_at_1024_to_1280_px(page, width, bundled_dataset):
    page.set_viewport_size({"width": width, "height": 800})
    open_app(page, "?from=2010")
    for side, year in (("min", "2010"), ("max", str(bundled_dataset.year_bounds[1]))):
        box = page.locator(f"#year-filter .dash-range-slider-{side}-input")
        expect(box).to_be_visible()
        expect(box).to_have_value(year)
