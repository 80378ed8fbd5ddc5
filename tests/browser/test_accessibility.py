"""Accessibility as a test: axe-core (axe-playwright-python, which bundles a pinned axe-core) finds
no serious or critical violation on the Charts, Table and Compare tabs and with a stats card open,
at 1600×1000 and 390×844; controls keep 3:1 against the page and text 4.5:1 (WCAG 2.1 AA), which
axe checks for text and this test measures for the controls' borders; skip links come first."""
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.support import open_app

pytestmark = pytest.mark.browser
VIEWS = {
    "charts": "",
    "table": "?tab=table",
    "compare": "?tab=compare&pin=gpt-3-175b&pin=chinchilla&pin=palm-540b",
    "stats card": "?model=gpt-3-175b",
}
SIZES = {"desktop": (1600, 1000), "phone": (390, 844)}


def shown(page, view):
    if view == "table":
        expect(page.locator("#models-table .ag-row").first).to_be_visible()
    elif view == "compare":
        expect(page.locator("#comparison table")).to_be_visible()
    elif view == "stats card":
        expect(page.locator("#stats-card .stats-card-name")).to_have_text("GPT-3 175B")
    page.wait_for_function("() => document.querySelector('#chart-legend .legend-item')")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("view", VIEWS)
def test_axe_finds_no_serious_or_critical_violation(page, view, size):
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size])))
    open_app(page, VIEWS[view])
    shown(page, view)
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    print(f"\n{view} at {size}: {len(results.response['violations'])} violations "
          f"({', '.join(v['id'] + ':' + v['impact'] for v in results.response['violations']) or 'none'})")
    assert not serious, results.generate_report()


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(colour: str, background=(255, 255, 255)) -> float:
    rgb = tuple(float(v) for v in re.findall(r"[\d.]+", colour)[:3])
    lighter, darker = sorted((luminance(rgb), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_controls_stand_out_at_3_to_1_and_their_text_at_4_5_to_1(page):
    page.set_viewport_size({"width": 1600, "height": 1000})
    open_app(page)
    borders = page.evaluate("""() => [
        ...[...document.querySelectorAll('.form-check-input:not(:checked)')].slice(0, 3),
        ...document.querySelectorAll('#copy-link, #reset-view, .btn-outline-dark, .btn-outline-secondary'),
      ].map((el) => { const style = getComputedStyle(el);
                      return [el.id || el.className, style.borderTopColor, style.color, style.backgroundColor]; })""")
    assert len(borders) >= 5
    for name, border, text, background in borders:
        assert contrast(border) >= 3, (name, border, contrast(border))
        if "btn" in name or name in ("copy-link", "reset-view"):   # its text against its own background
            filled = not re.search(r"rgba\(.*, 0\)$", background) and background != "transparent"
            ground = tuple(float(v) for v in re.findall(r"[\d.]+", background)[:3]) if filled else (255, 255, 255)
            assert contrast(text, ground) >= 4.5, (name, text, background)


def test_skip_links_come_first_and_lead_to_the_charts(page):
    page.set_viewport_size({"width": 1600, "height": 1000})
    open_app(page, "?tab=table")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the charts")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()                                     # shown while it has the focus
    page.keyboard.press("Enter")
    expect(page.locator("#graph-compute-vs-date")).to_be_visible()
    page.wait_for_function("() => document.activeElement.id === 'panel-charts'")
