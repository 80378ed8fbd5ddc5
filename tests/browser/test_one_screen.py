"""The grapher layout, measured as a user meets it (issue "One screen that tells the story"):
the four charts on the first screen at 1600×1000, the page at most 1.3 screens tall, the table
one click or a few Tab presses away, three models pinned from the search in six actions,
landmark names and a takeaway title on the charts and in an exported SVG, a story's caption on
the page and in the export, and a phone that shows one chart, a folded legend and a table that
fits its width. Real gunicorn, Debian Chromium, the bundled catalogue."""
import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from scalemap.features.charts import ALL_CHARTS
from scalemap.features.takeaways import load_landmarks, load_stories
from tests.support import open_app, settle

pytestmark = pytest.mark.browser
SEARCH = "e.g. GPT, AlphaFold"
LANDMARK_NAMES = """key => [...document.querySelectorAll(`#graph-${key} .chart-name[data-name="label"]`)]
    .map((name) => name.textContent)"""   # the names painter.js lays over the plot


def desktop(page, query=""):
    page.set_viewport_size({"width": 1600, "height": 1000})
    return open_app(page, query)


def test_the_four_charts_fill_the_first_screen_and_the_page_is_short(page, tmp_path):
    desktop(page)
    expect(page.locator("#title-compute-vs-date")).to_contain_text("grew ×")
    page.wait_for_function("""() => [...document.querySelectorAll('[id^="graph-"] .js-plotly-plot')].every(
        (gd) => gd._fullLayout && Math.abs(gd._fullLayout.width - gd.getBoundingClientRect().width) < 1)""")   # sized by the grid
    page.screenshot(path=tmp_path / "first-screen.png")
    height = page.evaluate("document.scrollingElement.scrollHeight")
    print(f"\npage height at 1600×1000: {height} px ({height / 1000:.2f} screens)")
    assert height <= 1.3 * 1000
    for chart in ALL_CHARTS:
        box = page.locator(f"#graph-{chart.key}").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 1000, (chart.key, box)
        assert box["width"] >= 500 and box["height"] >= 280, (chart.key, box)
        title = page.locator(f"#title-{chart.key}").bounding_box()
        count = page.locator(f"#count-{chart.key}").bounding_box()
        assert title["y"] < count["y"] < box["y"], chart.key        # the title first, the count line beneath
    assert page.locator("#catalogue-notice").count() == 0                 # no operator's banner


# Before the page's scripts: every Plotly call that draws or lays out a chart, counted by chart.
COUNT_PLOTLY_DRAWS = """
window.__draws = {};
let plotly;
Object.defineProperty(window, 'Plotly', { configurable: true, get: () => plotly, set: (value) => {
  plotly = value;
  for (const name of ['newPlot', 'react', 'relayout', 'restyle', 'update']) {
    const call = value[name];
    value[name] = function (gd, ...rest) {
      const key = gd?.parentNode?.id || String(gd);
      (window.__draws[key] = window.__draws[key] || []).push(name);
      return call.call(this, gd, ...rest);
    };
  }
} });
"""


def test_the_first_screen_draws_each_chart_once(page):
    """A link's view is drawn once: not first with defaults, nor laid out again when the text
    around a chart (its title, its count line) comes in after it."""
    page.add_init_script(COUNT_PLOTLY_DRAWS)
    for query in ("", "?domains=language&q=GPT"):
        desktop(page, query)
        settle(page)
        draws = page.evaluate("window.__draws")
        assert draws == {f"graph-{chart.key}": ["newPlot"] for chart in ALL_CHARTS}, (query, draws)


def test_with_reduced_motion_every_chart_and_title_draws(page):
    """A visitor who asks for reduced motion gets the same first screen: each chart drawn with
    points, each title written (the custom chart's title once went missing)."""
    page.emulate_media(reduced_motion="reduce")
    desktop(page)
    assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
    for chart in ALL_CHARTS:
        expect(page.locator(f"#title-{chart.key}")).to_have_text(re.compile(r"\w{4}"))
        assert page.evaluate("""(key) => document.querySelector(`#graph-${key} .js-plotly-plot`)
            .data.some((t) => t.meta?.role === 'domain' && t.x.length > 0)""", chart.key), chart.key


def test_landmarks_and_takeaway_titles_name_the_first_screen(page, bundled_dataset):
    desktop(page)
    names = {bundled_dataset.frame.loc[landmark.id, "name"] for landmark in load_landmarks()}
    for chart in ALL_CHARTS:   # (names: a layer over the plot, painter.js)
        page.wait_for_function(f"key => ({LANDMARK_NAMES})(key).length >= 5", arg=chart.key)
        labelled = set(page.evaluate(LANDMARK_NAMES, chart.key))
        assert len(labelled & names) >= 5, (chart.key, labelled)
    compute = page.locator("#title-compute-vs-date").inner_text()
    assert re.fullmatch(r"Training compute of the \d+ models shown grew ×[\d.]+ a year since 2010 "
                        r"\(90% interval ×[\d.]+–[\d.]+\)", compute), compute
    page.get_by_placeholder(SEARCH).fill("Llama")                         # a search names its matches instead
    expect(page.locator("#filter-summary")).to_contain_text("match “Llama”")
    page.wait_for_function(f"""() => ({LANDMARK_NAMES})('compute-vs-date').some((name) => /llama/i.test(name))""")
    labelled = page.evaluate(LANDMARK_NAMES, "compute-vs-date")
    assert labelled and all("llama" in name.lower() for name in labelled), labelled
    page.get_by_placeholder(SEARCH).fill("")
    page.get_by_label("Name models on the charts (landmarks, or the search's matches)").uncheck()
    expect(page).to_have_url(re.compile(r"labels=off"))
    page.wait_for_function(f"() => !({LANDMARK_NAMES})('compute-vs-date').length")


def test_the_table_is_one_click_or_three_key_presses_away(page):
    desktop(page)
    page.get_by_role("tab", name="Table").click()                        # one click
    expect(page.locator("#models-table .ag-row").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"tab=table"))
    expect(page.locator("#graph-compute-vs-date")).to_be_hidden()
    page.reload()                                                         # the tab is in the link
    expect(page.locator("#models-table .ag-row").first).to_be_visible()
    expect(page.get_by_role("tab", name="Table")).to_have_attribute("aria-selected", "true")

    desktop(page)
    presses = 0
    while page.evaluate("() => document.activeElement.textContent") != "Skip to the table":
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 4, page.evaluate("() => document.activeElement.outerHTML")
    page.keyboard.press("Enter")
    presses += 1
    expect(page.locator("#models-table .ag-row").first).to_be_visible()
    page.wait_for_function("() => !!document.activeElement.closest('#models-table')")
    print(f"\nthe table by keyboard: {presses} key presses")
    assert presses <= 5
    page.keyboard.press("ArrowDown")                                      # and on into the rows
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(page.locator("#stats-card .stats-card-name")).to_be_visible()


def test_the_tabs_move_with_the_arrow_keys_and_modebars_are_no_tab_stops(page):
    desktop(page)
    charts = page.get_by_role("tab", name="Charts")
    charts.focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Table")).to_be_focused()
    expect(page.get_by_role("tab", name="Table")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("End")
    expect(page.get_by_role("tab", name="Sources & download")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Home")
    expect(charts).to_have_attribute("aria-selected", "true")
    page.locator("#graph-compute-vs-date").hover()
    buttons = page.locator("#graph-compute-vs-date .modebar-btn")
    expect(buttons.first).to_be_attached()
    page.wait_for_function("() => [...document.querySelectorAll('.modebar-btn')].every((b) => b.tabIndex === -1)")


def test_three_models_are_pinned_from_the_search_in_six_actions(page):
    desktop(page)
    actions = 0
    search = page.get_by_placeholder(SEARCH)
    for name in ("GPT-3 175B", "Chinchilla", "PaLM 540B"):
        search.fill(name)
        actions += 1
        page.get_by_role("button", name=f"Pin {name} to compare").click()
        actions += 1
        expect(page.get_by_role("button", name=f"Unpin {name}")).to_be_visible()   # the hit says so
    print(f"\nthree models pinned from the search in {actions} actions")
    assert actions <= 6
    expect(page).to_have_url(re.compile(r"pin=gpt-3-175b&pin=chinchilla&pin=palm-540b"))
    expect(page.get_by_role("tab", name="Compare (3)")).to_be_visible()
    expect(page.locator("#filter-panel, .filter-panel").first).to_be_visible()   # nothing was covered or closed
    page.get_by_role("tab", name="Compare (3)").click()
    table = page.locator("#comparison table")
    expect(table.locator("thead")).to_contain_text("PaLM 540B")
    widths = table.locator("thead th").evaluate_all("cells => cells.slice(1).map((c) => c.getBoundingClientRect().width)")
    assert max(widths) - min(widths) <= 1, widths                        # equal columns
    assert "comparison-differs" not in (table.locator('tr[data-field="Training time"]').get_attribute("class") or "")


def test_the_stats_card_opens_beside_the_charts_and_pins_without_closing(page):
    desktop(page, "?model=gpt-3-175b")
    card = page.locator("#stats-card")
    expect(card.locator(".stats-card-name")).to_have_text("GPT-3 175B")
    search = page.get_by_placeholder(SEARCH)
    expect(search).to_be_visible()
    card_box, filters = card.bounding_box(), page.locator(".filter-panel").bounding_box()
    charts = page.locator("#charts-grid").bounding_box()
    assert card_box["x"] >= charts["x"] + charts["width"] and card_box["x"] > filters["x"] + filters["width"]
    page.locator("#pin-button").click()
    search.fill("Chinchilla")                                             # the card stays; the search works
    page.get_by_role("button", name="Pin Chinchilla to compare").click()
    expect(page).to_have_url(re.compile(r"pin=gpt-3-175b&pin=chinchilla"))
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    expect(page).not_to_have_url(re.compile(r"model="))


def test_the_selected_model_is_named_once_per_chart(page):
    desktop(page, "?q=GPT-3")
    expect(page.locator("#filter-summary")).to_contain_text("match “GPT-3”")
    page.get_by_placeholder(SEARCH).press("Enter")                       # the best match: GPT-3 175B
    expect(page.locator("#stats-card .stats-card-name")).to_have_text("GPT-3 175B")
    for chart in ("parameters-vs-date", "compute-vs-parameters", "compute-vs-date"):
        page.wait_for_function("""key => {   // the annotations, and the names laid over the plot
            const notes = document.querySelector(`#graph-${key} .js-plotly-plot`).layout.annotations;
            const names = [...document.querySelectorAll(`#graph-${key} .chart-name`)].map((name) => name.textContent);
            return notes.filter((a) => a.text === 'GPT-3 175B' && a.visible !== false).length
                + names.filter((name) => name === 'GPT-3 175B').length === 1
              && notes.some((a) => a.name === 'selected' && a.visible && a.text === 'GPT-3 175B'); }""", arg=chart)


def test_an_exported_svg_carries_the_takeaway_title_the_landmarks_and_the_credit(page, tmp_path):
    desktop(page)
    title = page.locator("#title-compute-vs-date").inner_text()
    page.wait_for_function(f"key => ({LANDMARK_NAMES})(key).length >= 5", arg="compute-vs-date")   # (after the paint)
    labelled = page.evaluate(LANDMARK_NAMES, "compute-vs-date")
    page.get_by_role("tab", name="Sources & download").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download Training compute vs. publication date as SVG").click()
    assert download.value.suggested_filename == "compute-vs-date.svg"
    path = tmp_path / "compute-vs-date.svg"
    download.value.save_as(path)
    svg = path.read_text()
    if svg.startswith("data:"):
        svg = urllib.parse.unquote(svg.split(",", 1)[1])
    texts = " ".join(re.findall(r">([^<>]+)</", svg))
    assert title in texts, title
    assert sum(name in texts for name in labelled) >= 5, labelled
    assert "Data: ML Scale Map catalogue" in texts and "of 1" in texts     # the credit and the count line


def test_a_story_opens_from_the_picker_with_its_caption_on_the_page_and_in_exports(page, tmp_path):
    desktop(page)
    story = next(s for s in load_stories() if s.id == "three-eras")
    page.get_by_role("button", name="Stories").click()
    page.get_by_role("link", name=story.title).click()
    caption = page.locator("#story-caption")
    expect(caption).to_be_visible()
    expect(caption).to_contain_text(story.caption[:60])
    expect(page).to_have_url(re.compile(r"story=three-eras"))
    expect(page.get_by_label("Since 1950")).to_be_checked()              # the story's view
    page.screenshot(path=tmp_path / "story.png")
    page.locator("#graph-compute-vs-date").hover()
    with page.expect_download() as download:
        page.locator('#graph-compute-vs-date .modebar-btn[data-title^="Download SVG"]').click()
    path = tmp_path / "story.svg"
    download.value.save_as(path)
    svg = urllib.parse.unquote(path.read_text())
    assert f"Story: {story.title}." in svg
    page.get_by_role("button", name="Close story").click()
    expect(caption).to_be_hidden()
    expect(page).not_to_have_url(re.compile(r"story="))


def test_a_phone_shows_one_chart_a_folded_legend_and_a_table_that_fits(page, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    open_app(page)
    visible = [chart.key for chart in ALL_CHARTS if page.locator(f"#card-{chart.key}").is_visible()]
    assert visible == ["parameters-vs-date"]
    expect(page.locator("#chart-legend-details")).not_to_have_attribute("open", "")
    page.locator("#chart-switcher").get_by_role("button", name="Compute", exact=True).click()
    expect(page.locator("#card-compute-vs-date")).to_be_visible()
    expect(page.locator("#card-parameters-vs-date")).to_be_hidden()
    box = page.locator("#graph-compute-vs-date").bounding_box()
    assert box["width"] >= 330 and box["y"] + box["height"] <= 844 * 1.1
    # A search's "N more matches not labelled here" wraps within the narrow plot. (The search
    # box is in the closed filter drawer: typed into as the drawer's box would be.)
    type_in = """(word) => { const box = document.getElementById('name-search');
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(box, word);
      box.dispatchEvent(new Event('input', { bubbles: true })); }"""
    page.evaluate(type_in, "Llama")
    more = page.locator("#graph-compute-vs-date .chart-name[data-name='more']")
    expect(more).to_contain_text("more matches not labelled here")
    inside = more.evaluate("(box) => box.getBoundingClientRect().right <= box.closest('.chart-names').getBoundingClientRect().right + 1")
    assert inside
    page.evaluate(type_in, "")
    page.screenshot(path=tmp_path / "phone.png")
    page.get_by_role("tab", name="Table").click()
    headers = page.locator("#models-table .ag-header-cell-text")
    expect(headers).to_have_text(["Model", "Date", "Params", "Compute"])
    fits = page.evaluate("""() => {
        const grid = document.querySelector('#models-table');
        const cells = [...grid.querySelectorAll('.ag-header-cell')].map((c) => c.getBoundingClientRect());
        return Math.max(...cells.map((c) => c.right)) <= grid.getBoundingClientRect().right + 1; }""")
    assert fits
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390


def test_the_picker_lists_the_clicked_model_first_then_by_date_and_says_how_many(page, bundled_dataset):
    desktop(page)
    gpt3 = bundled_dataset.frame.loc["gpt-3-175b"]
    page.mouse.click(*page.evaluate("""([x, y]) => {
        const gd = document.querySelector('#graph-compute-vs-parameters .js-plotly-plot');
        const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
        return [box.left + gd._fullLayout.xaxis.d2p(x), box.top + gd._fullLayout.yaxis.d2p(y)];
    }""", [float(gpt3["parameters"]), float(gpt3["training_compute"])]))
    expect(page.locator("#picker-count")).to_be_visible()
    count = int(re.match(r"(\d+) models here", page.locator("#picker-count").inner_text()).group(1))
    names = [text.split(" · ")[0] for text in page.locator("#crowded-spot-picker-body .list-group-item").all_inner_texts()]
    assert len(names) == count >= 2
    years = [int(text.split(" · ")[1]) for text in page.locator("#crowded-spot-picker-body .list-group-item").all_inner_texts()]
    assert years[1:] == sorted(years[1:])                                  # then by date
    clicked = names[0]
    hover = page.evaluate("""name => {
        const gd = document.querySelector('#graph-compute-vs-parameters .js-plotly-plot');
        for (const t of gd.data) for (const text of t.hovertext || []) if (text.includes(`<b>${name}</b>`)) return text;
    }""", clicked)
    assert re.search(r"\d+ other models? here: click to list them", hover), hover   # hover said so before the click
