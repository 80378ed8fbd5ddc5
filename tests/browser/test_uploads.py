"""Your own files on the map (issue 19, item 4): each credited to itself, several kept at once,
found by search and at a crowded spot, every problem of a bad row said where the user looks,
and each file's points named. Real gunicorn, Debian Chromium, the bundled catalogue."""
import re

import pytest
from playwright.sync_api import expect

from tests.support import chart_drawn, open_app, show_tab, show_table

pytestmark = pytest.mark.browser
HEADER = "Model,Organization,Publication date,Parameters,Training compute (FLOP),Domain\n"
SEARCH = "e.g. GPT, AlphaFold"
MESSAGE = "#upload-message"
HIT = "#search-hits .search-hit-open"   # a search hit's button that opens its card (its other pins it)


def write(tmp_path, name: str, rows: str):
    path = tmp_path / name
    path.write_text(HEADER + rows)
    return str(path)


def own_traces(page, chart: str) -> list[dict]:
    """The uploaded series of a chart: name, marker, ids, first hover text."""
    return page.evaluate("""key => {
        const gd = document.querySelector(`#graph-${key} .js-plotly-plot`);
        return gd.data.filter((t) => t.meta && t.meta.role === 'uploaded').map((t) => ({
            name: t.name, symbol: t.marker.symbol, ids: t.customdata, hover: t.hovertext[0] })); }""", chart)


def wait_for_files(page, chart: str, count: int):
    chart_drawn(page, chart)
    page.wait_for_function("""([key, count]) => {
        const gd = document.querySelector(`#graph-${key} .js-plotly-plot`);
        return gd.data.filter((t) => t.meta && t.meta.role === 'uploaded').length === count; }""",
                           arg=[chart, count])


def test_a_second_file_joins_the_first_each_named_credited_and_removable(page, tmp_path):
    # Before: the second file silently replaced the first; the card said "Data from: Epoch AI
    # (CC BY 4.0)"; the diamonds were one series called "your file".
    mine = write(tmp_path, "mine.csv", "Secret LM,My Lab,2024-05-01,3e10,5e23,Language\n")
    other = write(tmp_path, "other.csv", "Secret LM,Other Lab,2023-05-01,2e9,1e22,Language\n"
                                         "Other Vision,Other Lab,2022-02-01,1e9,1e21,Vision\n")
    open_app(page)
    total = int(page.locator("#table-summary").inner_text().split()[0])
    page.set_input_files("#upload input[type=file]", mine)
    expect(page.locator(MESSAGE)).to_contain_text("mine.csv: 1 model added.")
    page.set_input_files("#upload input[type=file]", other)
    expect(page.locator(MESSAGE)).to_contain_text("other.csv: 2 models added.")
    expect(page.locator("#table-summary")).to_have_text(f"{total + 3} models in the table")   # all three kept
    files = page.locator("#upload-files li")
    expect(files).to_have_count(2)
    expect(files.nth(0)).to_contain_text("mine.csv")
    expect(files.nth(1)).to_contain_text("other.csv2 models")

    wait_for_files(page, "compute-vs-parameters", 2)
    traces = own_traces(page, "compute-vs-parameters")
    assert [t["name"] for t in traces] == ["Your file: mine.csv", "Your file: other.csv"]
    assert traces[0]["symbol"] != traces[1]["symbol"] and len(traces[1]["ids"]) == 2
    assert traces[0]["hover"].startswith("<i>Your file: mine.csv</i><br><b>Secret LM</b>")
    legend = page.locator("#chart-legend .legend-item")    # the one legend of the four charts names each file
    expect(legend.filter(has_text="Your file: mine.csv")).to_have_count(1)
    expect(legend.filter(has_text="Your file: other.csv")).to_have_count(1)
    glyphs = [legend.filter(has_text=f"Your file: {name}").locator(".legend-symbol").inner_text()
              for name in ("mine.csv", "other.csv")]
    assert glyphs[0] != glyphs[1], glyphs                    # each with its file's marker

    page.get_by_placeholder(SEARCH).fill("Secret LM")        # one name in two files: two models
    rows = show_table(page).locator(".ag-pinned-left-cols-container .ag-row")
    expect(rows).to_have_count(2)
    page.locator(HIT, has_text="your file other.csv").click()
    expect(page.locator("#stats-card .stats-card-name")).to_have_text("Secret LM")
    facts = page.locator("#stats-card dl")
    expect(facts).to_contain_text("Other Lab")
    expect(facts).to_contain_text(re.compile(r"Data from\s*your file other\.csv"))
    expect(facts).not_to_contain_text("Epoch")
    page.locator("#stats-card .btn-close").click()

    page.get_by_role("button", name="Remove mine.csv").click()
    expect(page.locator(MESSAGE)).to_contain_text("mine.csv removed: its 1 model left the map.")
    expect(files).to_have_count(1)
    expect(rows).to_have_count(1)
    wait_for_files(page, "compute-vs-parameters", 1)
    assert own_traces(page, "compute-vs-parameters")[0]["name"] == "Your file: other.csv"

    # The same name again replaces that file, and says so; the models of the others stay.
    page.set_input_files("#upload input[type=file]", write(tmp_path, "other.csv", "Third LM,Lab,2021-01-01,1e9,1e20,Language\n"))
    expect(page.locator(MESSAGE)).to_contain_text("other.csv: 1 model added; it replaces the earlier other.csv (2 models)")
    expect(files).to_have_count(1)
    page.reload()                                              # kept for the tab's session
    expect(page.locator("#upload-files li")).to_contain_text("other.csv1 model")


def test_search_enter_and_the_crowded_spot_picker_reach_your_models(page, tmp_path, bundled_dataset):
    # Before: the search hits and Enter looked at the catalogue only, and the picker of a
    # crowded spot left out the uploaded model drawn there (Llama 3 70B's spot).
    llama = bundled_dataset.frame.loc["llama-3-70b"]
    parameters, compute = float(llama["parameters"]), float(llama["training_compute"])
    open_app(page)
    page.set_input_files("#upload input[type=file]", write(
        tmp_path, "mine.csv", f"Zebra Secret 70B,My Lab,2024-05-01,{parameters:g},{compute:g},Language\n"))
    expect(page.locator(MESSAGE)).to_contain_text("mine.csv: 1 model added.")

    wait_for_files(page, "compute-vs-parameters", 1)
    page.mouse.click(*page.evaluate("""([x, y]) => {
        const gd = document.querySelector('#graph-compute-vs-parameters .js-plotly-plot');
        gd.scrollIntoView({ behavior: 'instant', block: 'center' });   // the page scrolls smoothly otherwise
        const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
        return [box.left + gd._fullLayout.xaxis.d2p(x), box.top + gd._fullLayout.yaxis.d2p(y)];
    }""", [parameters, compute]))
    picker = page.locator("#crowded-spot-picker-body .list-group-item")
    expect(picker.first).to_be_visible()
    texts = picker.all_inner_texts()
    names = [text.split(" · ")[0] for text in texts]
    assert {"Llama 3 70B", "Zebra Secret 70B"} <= set(names), names
    credits = {name: "your file" in text for name, text in zip(names, texts, strict=True)}
    assert credits["Zebra Secret 70B"] and not credits["Llama 3 70B"], texts   # the catalogue's: no file named
    page.locator("#crowded-spot-picker-body .list-group-item", has_text="Zebra Secret 70B").click()
    expect(page.locator("#stats-card .stats-card-name")).to_have_text("Zebra Secret 70B")
    page.locator("#stats-card .btn-close").click()
    expect(page.locator("#stats-card")).to_be_hidden()

    search = page.get_by_placeholder(SEARCH)
    search.fill("Zebra Secret")
    expect(page.locator(HIT)).to_have_count(1)
    expect(page.locator(HIT)).to_contain_text("Zebra Secret 70B · 2024 · 70B parameters")
    expect(page.locator(HIT)).to_contain_text("· your file mine.csv")
    search.press("Enter")
    expect(page.locator("#stats-card .stats-card-name")).to_have_text("Zebra Secret 70B")


def test_every_problem_of_a_bad_row_is_said_next_to_the_drop_zone_in_view(page, tmp_path):
    # Before: "choose one" was a link to "#", which sent the page to its top while the message
    # appeared under the drop zone, about 1,600 px down; and a row's first problem alone was said.
    bad = "".join(f"Bad {i},Lab,yesterday,lots,,Language\n" for i in range(25))
    path = write(tmp_path, "bad.csv", "Good LM,Lab,2024-01-01,1e9,1e21,Language\n" + bad)
    open_app(page)
    choose = page.get_by_text("choose one", exact=True)
    choose.scroll_into_view_if_needed()
    with page.expect_file_chooser() as chooser:
        choose.click()
    chooser.value.set_files(path)
    message = page.locator(MESSAGE)
    expect(message).to_contain_text("bad.csv: 1 model added, 25 skipped")
    expect(message).to_be_in_viewport()
    assert not page.url.endswith("#")
    expect(message).to_contain_text("bad.csv: 1 model added, 25 skipped; 50 problems in 25 rows:")
    first = message.locator("> ul > li").first
    expect(first).to_contain_text("line 3: [Bad 0] 2 problems:")
    expect(first).to_contain_text("date: not a date")
    expect(first).to_contain_text("parameters: not a number: 'lots'")
    expect(message.locator("> ul > li")).to_have_count(21)                # 20 rows, then a count
    expect(message.locator("> ul > li").last).to_have_text("… and 10 more problems in 5 more rows")
    expect(message).to_have_attribute("aria-live", "polite")


def test_after_2000_models_are_uploaded_a_pinned_one_is_compared_without_the_file(page, tmp_path):
    # The comparison's request carried every uploaded file (2 MB at 2,000 models): past the
    # 1 MB limit of a request, each pin change got a 413 and the comparison stayed as it was.
    rows = "".join(f"Upload model {i:04d},My Lab,2023-{i % 12 + 1:02d}-01,{i + 1}e6,{i + 1}e18,Language\n"
                   for i in range(2_000))
    path = write(tmp_path, "many.csv", rows)
    sizes = []
    page.on("request", lambda r: sizes.append(len(r.post_data_buffer or b""))
            if "_dash-update-component" in r.url and "comparison" in (r.post_data or "") else None)
    open_app(page, "?pin=gpt-3-175b")
    page.set_input_files("#upload input[type=file]", path)
    expect(page.locator(MESSAGE)).to_contain_text("many.csv: 2,000 models added.")
    page.get_by_placeholder(SEARCH).fill("Upload model 0007")
    show_table(page).locator(".ag-pinned-left-cols-container .ag-row [col-id=name]",
                             has_text="Upload model 0007").click()
    expect(page.locator("#stats-card .stats-card-name")).to_have_text("Upload model 0007")
    page.locator("#pin-button").click()
    show_tab(page, "compare")
    headers = page.locator("#comparison table thead")
    expect(headers).to_contain_text("GPT-3 175B")
    expect(headers).to_contain_text("Upload model 0007")
    assert sizes and max(sizes) < 20_000, sizes   # the pinned model's record, not 2,000 of them
