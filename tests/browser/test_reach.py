"""Every model can be reached: from the table, from search, from a crowded spot, by keyboard;
pinned models compared; Back that returns through each view and then leaves; an empty view
that says so. Real gunicorn, Debian Chromium, the bundled catalogue."""
import re

import pytest
from playwright.sync_api import expect

from tests.support import chart_drawn, open_app, settle, show_table

pytestmark = pytest.mark.browser
CARD_NAME = "#stats-card .stats-card-name"
SEARCH = "e.g. GPT, AlphaFold"


def table_rows(page):
    """The rows' left part (pinned: the Pin checkbox and the name), one per model shown; the
    table scrolled to (off the screen, it waits to filter until it comes near)."""
    show_table(page)
    return page.locator("#models-table .ag-pinned-left-cols-container .ag-row")


def no_numbers(dataset):
    """Models on no chart: neither parameters nor compute."""
    frame = dataset.frame
    return frame[frame["parameters"].isna() & frame["training_compute"].isna()]


def test_a_model_with_no_numbers_opens_from_search_enter_and_from_the_table(page, bundled_dataset):
    assert "AlphaFold 3" in set(no_numbers(bundled_dataset)["name"])
    open_app(page)
    search = page.get_by_placeholder(SEARCH)
    search.fill("AlphaFold 3")
    expect(page.locator("#search-hits")).to_contain_text("AlphaFold 3")
    expect(page.locator("#search-hits")).to_contain_text("no parameters or compute published")
    expect(page.locator("#table-summary")).to_have_text("1 model in the table: matching “AlphaFold 3”")
    search.press("Enter")                                          # the best match's card
    expect(page.locator(CARD_NAME)).to_have_text("AlphaFold 3")
    expect(page).to_have_url(re.compile(r"model=alphafold-3"))
    page.locator("#stats-card .btn-close").click()
    expect(page.locator("#stats-card")).to_be_hidden()

    search.fill("WaveNet")                                         # the table: a click on its row
    page.get_by_role("tab", name="Table").click()
    expect(table_rows(page)).to_have_count(1)
    table_rows(page).first.locator('[col-id="name"]').click()   # (the name, not the Pin box)
    expect(page.locator(CARD_NAME)).to_have_text("WaveNet")


def test_enter_opens_the_best_match_not_the_first_in_date_order(page):
    open_app(page)
    search = page.get_by_placeholder(SEARCH)
    search.fill("gpt-3 175b")                                     # exact name beats longer names
    expect(page.locator("#search-hits .list-group-item").first).to_contain_text("GPT-3 175B")
    search.press("Enter")
    expect(page.locator(CARD_NAME)).to_have_text("GPT-3 175B")


def test_the_table_lists_every_model_of_the_filters_with_numbers_in_human_units(page, bundled_dataset):
    open_app(page, "?domain=games&tab=table")
    games = sum("games" in ds for ds in bundled_dataset.frame["domains"])
    expect(page.locator("#table-summary")).to_have_text(f"{games} models in the table")
    show_table(page)   # (its rows come when it is near the screen)
    page.wait_for_function("n => { const api = dash_ag_grid.getApi('models-table'); let shown = 0;"
                           " api.forEachNodeAfterFilter(() => shown++); return shown === n; }", arg=games)
    page.locator('#models-table .ag-header-cell[col-id="parameters"]').click()   # sort by value
    page.locator('#models-table .ag-header-cell[col-id="parameters"]').click()   # descending
    first = page.locator('#models-table .ag-center-cols-container .ag-row[row-index="0"] [col-id="parameters"]').inner_text()
    largest = bundled_dataset.frame[bundled_dataset.frame["domains"].map(lambda d: "games" in d)]["parameters"].max()
    from scalemap.contract.units import format_count
    assert first == format_count(largest) and not re.search(r"e\+|\d{7}", first)


def test_keyboard_only_tab_to_the_table_arrow_to_a_row_and_enter_opens_its_card(page):
    open_app(page, "?q=Transformer&tab=table")
    expect(page.locator("#table-summary")).to_contain_text("matching “Transformer”")
    page.locator("#table-summary").click()                        # a starting point just above the grid
    for _ in range(12):                                           # Tab until the grid has focus
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('#models-table .ag-root')"):
            break
    assert page.evaluate("() => !!document.activeElement.closest('#models-table .ag-root')"), "Tab never reached it"
    page.keyboard.press("ArrowDown")                              # from the header into the rows
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")                             # off the Pin column, onto the name
    assert page.evaluate("() => document.activeElement.getAttribute('col-id')") == "name"
    name = page.evaluate("() => document.activeElement.innerText")
    page.keyboard.press("Enter")
    expect(page.locator(CARD_NAME)).to_have_text(name)


def test_a_crowded_spot_offers_each_model_there(page, bundled_dataset):
    # Some 20 models there, each opened from the picker: without the dialog's 0.3 s slide-in each
    # time (what it lists and opens is tested here, not its animation).
    page.emulate_media(reduced_motion="reduce")
    open_app(page)
    frame = bundled_dataset.frame
    palm = frame.loc["palm-540b"]

    def click_the_spot():
        # The chart at its element's width first: the card, opening beside it, narrows it (a redraw a frame later).
        page.wait_for_function("""() => { const el = document.querySelector('#graph-compute-vs-parameters');
            return el.querySelector('.js-plotly-plot')?._fullLayout.width === el.clientWidth; }""")
        page.mouse.click(*page.evaluate("""([x, y]) => {
            const gd = document.querySelector('#graph-compute-vs-parameters .js-plotly-plot');
            gd.scrollIntoView({ behavior: 'instant', block: 'center' });   // a smooth scroll moves the spot
            const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
            return [box.left + gd._fullLayout.xaxis.d2p(x), box.top + gd._fullLayout.yaxis.d2p(y)];
        }""", [float(palm["parameters"]), float(palm["training_compute"])]))
    click_the_spot()
    picker = page.locator("#crowded-spot-picker-body .list-group-item")
    expect(picker.first).to_be_visible()
    names = [text.split(" · ")[0] for text in picker.all_inner_texts()]
    assert {"PaLM 540B", "Flan-PaLM 540B", "U-PaLM 540B"} <= set(names), names
    assert len(set(names)) == len(names), names
    for i, name in enumerate(names):                             # each one opens
        if i:
            click_the_spot()
        page.locator("#crowded-spot-picker-body .list-group-item", has_text=re.compile(f"^{re.escape(name)} ·")).click()
        expect(page.locator(CARD_NAME)).to_have_text(name)        # (in place of the one before: names differ)
        expect(page.locator("#crowded-spot-picker")).to_be_hidden()
    # The card stayed open meanwhile: closing it each time widened the charts, and all four drew again.
    page.locator("#stats-card .btn-close").click()
    expect(page.locator("#stats-card")).to_be_hidden()


def test_three_pinned_models_are_compared_and_ringed_on_every_chart(page):
    open_app(page, "?model=gpt-3-175b")
    page.locator("#pin-button").click()                           # pin from the card
    expect(page).to_have_url(re.compile(r"pin=gpt-3-175b"))
    expect(page.locator("#comparison")).to_contain_text("Pin one to three more")
    search = page.get_by_placeholder(SEARCH)                     # the card open beside: no need to close it
    search.fill("Chinchilla")                                    # and from the table's Pin column
    page.get_by_role("tab", name=re.compile("^Table")).click()
    row = table_rows(page).filter(has=page.locator('[col-id="name"]', has_text=re.compile(r"^Chinchilla$")))
    row.locator("input[type=checkbox]").check()
    expect(page).to_have_url(re.compile(r"pin=gpt-3-175b&pin=chinchilla"))
    search.fill("PaLM 540B")
    search.press("Enter")
    expect(page.locator(CARD_NAME)).to_have_text("PaLM 540B")
    page.locator("#pin-button").click()
    expect(page).to_have_url(re.compile(r"pin=gpt-3-175b&pin=chinchilla&pin=palm-540b"))
    page.locator("#stats-card .btn-close").click()
    search.fill("")
    page.get_by_role("tab", name=re.compile("^Compare")).click()
    table = page.locator("#comparison table")
    expect(table.locator("thead")).to_contain_text("GPT-3 175B")
    headers = table.locator("thead th").all_inner_texts()
    assert [h.rstrip("×").strip() for h in headers[1:]] == ["GPT-3 175B", "Chinchilla", "PaLM 540B"]
    parameters = table.locator('tr[data-field="Parameters"]')
    expect(parameters).to_contain_text("×0.40")                  # Chinchilla 70B / GPT-3 175B
    expect(parameters).to_contain_text("×3.1")                   # PaLM 540B / GPT-3 175B
    assert "comparison-differs" in parameters.get_attribute("class")
    assert parameters.locator("a", has_text="source").count() == 3
    assert parameters.locator(".badge").count() == 3              # a confidence per number
    for chart in ("parameters-vs-date", "compute-vs-parameters", "compute-vs-date"):
        chart_drawn(page, chart)
        rings = page.evaluate("""key => {
            const gd = document.querySelector(`#graph-${key} .js-plotly-plot`);
            const ring = gd.data.find((t) => t.meta.role === 'pinned');
            return ring ? ring.customdata.length : 0; }""", chart)
        assert rings == 3, chart
        for name in ("GPT-3 175B", "Chinchilla", "PaLM 540B"):
            expect(page.locator(f"#graph-{chart} .chart-name", has_text=re.compile(f"^{name}$"))).to_have_count(1)
    page.get_by_role("tab", name=re.compile("^Compare")).click()   # (chart_drawn went to the Charts tab)
    page.locator("#comparison thead button[aria-label='Unpin Chinchilla']").click()
    expect(page).not_to_have_url(re.compile("pin=chinchilla"))
    headers = table.locator("thead th")
    expect(headers).to_have_count(3)


def test_back_returns_through_each_view_and_then_leaves(page):
    start = "data:text/html,<title>before</title>"
    page.goto(start)
    open_app(page)
    page.get_by_label("Trend lines per era").check()              # 1 entry
    expect(page).to_have_url(re.compile(r"\?show=trends%2Cchinchilla%2Cranges$"))
    page.get_by_placeholder(SEARCH).press_sequentially("Chinchilla", delay=30)   # 1 entry, replaced per key
    expect(page).to_have_url(re.compile(r"\?q=Chinchilla&show=trends%2Cchinchilla%2Cranges$"))
    handle = page.locator("#year-filter .rc-slider-handle, #year-filter [role=slider]").first
    handle.focus()
    for _ in range(3):                                            # 1 entry, replaced per step
        page.keyboard.press("ArrowRight")
    year = handle.get_attribute("aria-valuenow")                 # the year the third step shows
    expect(page).to_have_url(re.compile(rf"from={year}"))
    settle(page)
    assert page.evaluate("history.length") == 6   # the new tab's blank page, before, the page, three changes

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?q=Chinchilla&show=trends%2Cchinchilla%2Cranges$"))
    expect(page.locator("#filter-summary")).to_contain_text("match “Chinchilla”")
    assert f"from={year}" not in page.url
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?show=trends%2Cchinchilla%2Cranges$"))
    expect(page.get_by_placeholder(SEARCH)).to_have_value("")
    page.go_back()
    expect(page).to_have_url(page.base_url + "/")
    expect(page.get_by_label("Trend lines per era")).not_to_be_checked()
    page.go_back()                                                # the first view: Back leaves
    expect(page).to_have_title("before")


def test_a_link_is_never_rewritten_and_back_leaves_at_once(page):
    start = "data:text/html,<title>before</title>"
    page.goto(start)
    link = "?show=trends,chinchilla&q=PaLM&domain=language"      # not in the page's own order
    open_app(page, link)
    expect(page.locator("#filter-summary")).to_contain_text("match “PaLM”")
    settle(page)
    assert page.url == page.base_url + "/" + link
    assert page.evaluate("history.length") == 3                  # the new tab's blank page, before, the link
    page.go_back()
    expect(page).to_have_title("before")


def test_zero_matches_say_so_and_clear_filters_brings_the_models_back(page, bundled_dataset):
    frame = bundled_dataset.frame
    first = int(frame["year"].min())
    late = next(d for d in bundled_dataset.domains if frame[frame["domains"].map(lambda ds, d=d: d in ds)]["year"].min() > first)
    # A domain with no model in the first year, frontier models only: Clear filters clears all three.
    page.goto(f"{page.base_url}/?domain={late}&to={first}&only=frontier")
    expect(page.locator("#filter-summary")).to_have_text(f"0 of {len(frame)} models match the filters")
    expect(page.locator("#empty-state")).to_be_visible()
    expect(page.locator("#empty-state")).to_contain_text("No model matches these filters")
    for chart in ("parameters-vs-date", "compute-vs-parameters", "compute-vs-date"):
        expect(page.locator(f"#graph-{chart} .annotation-text", has_text="No models match these filters")).to_be_visible()
        ticks = page.locator(f"#graph-{chart} .ytick text").all_text_contents()
        assert len(ticks) >= 3 and not any(t.startswith("0.1") for t in ticks)   # the dataset's axes
        assert page.evaluate("""key => document.querySelector(`#graph-${key} .js-plotly-plot`).data
            .filter((t) => t.meta.role === 'overlay').length""", chart) == 0
    page.get_by_role("button", name="Clear filters").click()
    total = len(bundled_dataset.frame)
    expect(page.locator("#filter-summary")).to_have_text(f"{total} of {total} models match the filters")
    expect(page.locator("#empty-state")).to_be_hidden()


def test_google_selects_every_google_organization(page, bundled_dataset):
    frame = bundled_dataset.frame
    google = frame[frame["organization_keys"].map(lambda keys: "Google" in keys)]
    raw = set(google["organization"])
    assert {"Google Brain", "DeepMind", "Google DeepMind", "Google Research"} <= raw   # the labs, all in
    open_app(page, "?org=Google")
    expect(page.locator("#filter-summary")).to_have_text(f"{len(google)} of {len(frame)} models match the filters")
    page.goto(page.base_url + "/")
    page.locator("#organization-filter").click()
    page.keyboard.type("Google")
    group = page.get_by_role("option", name=re.compile(r"^Google \(all \d+: "))   # the group, listed first
    expect(group).to_be_visible()
    group.click()
    expect(page).to_have_url(re.compile(r"\?org=Google$"))
    expect(page.locator("#filter-summary")).to_have_text(f"{len(google)} of {len(frame)} models match the filters")


def test_copy_link_copies_the_view_and_no_button_sends_a_chart_away(page, bundled_dataset):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_app(page, "?domain=vision")
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("button", name="Link copied ✓")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == (   # with the data version it was made with
        f"{page.base_url}/?domain=vision&v={bundled_dataset.data_version}")
    page.locator("#graph-compute-vs-date").hover()
    titles = page.locator("#graph-compute-vs-date .modebar-btn").evaluate_all(
        "buttons => buttons.map((b) => b.getAttribute('data-title'))")
    assert titles and not [t for t in titles if re.search(r"cloud|chart studio|share", t or "", re.I)], titles


def test_hovering_a_row_points_out_its_model_and_a_box_selection_filters_the_table(page):
    open_app(page, "?q=GPT-3+175B&tab=table")
    row = table_rows(page).filter(has_text="GPT-3 175B").first
    row.locator('[col-id="name"]').hover()
    for chart in ("parameters-vs-date", "compute-vs-date"):
        expect(page.locator(f"#graph-{chart} .annotation-text", has_text="GPT-3 175B")).to_have_count(1)   # the arrow
        expect(page.locator(f"#graph-{chart} .chart-name", has_text="GPT-3 175B")).to_have_count(1)        # its name
    page.get_by_placeholder(SEARCH).fill("")
    expect(page.locator("#table-summary")).to_have_text(re.compile(r"^\d+ models in the table$"))
    page.get_by_role("tab", name="Charts").click()
    graph = page.locator("#graph-parameters-vs-date")
    graph.evaluate("el => el.scrollIntoView({block: 'center', behavior: 'instant'})")   # no smooth-scroll wait
    graph.hover()
    graph.locator('.modebar-btn[data-val="select"]').click()      # box select
    box = graph.locator(".nsewdrag").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.90, box["y"] + 5)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 2, box["y"] + box["height"] - 5, steps=8)
    page.mouse.up()
    expect(page.locator("#table-summary")).to_contain_text("selected on a chart")
    selected = int(re.search(r"(\d+) selected", page.locator("#table-summary").inner_text()).group(1))
    on_chart = int(page.locator("#count-parameters-vs-date").inner_text().split()[0])
    assert 0 < selected < on_chart                                # the newest models, not all
    expect(page.locator("#table-summary")).to_contain_text(f"{selected} models in the table")
