"""The app in Debian Chromium, served by real gunicorn with the bundled catalogue."""
import re
import struct

import pandas as pd
import pytest
from playwright.sync_api import expect

from scalemap.features.charts import CHARTS, EXPORT_HEIGHT, EXPORT_SCALE, EXPORT_WIDTH
from tests.support import COUNT, open_app, settle

pytestmark = pytest.mark.browser



def counts(page):
    return [page.locator(f"#count-{chart.key}").inner_text() for chart in CHARTS]


def point_centre(page, chart_key, index=0):
    page.locator(f"#graph-{chart_key}").scroll_into_view_if_needed()
    box = page.locator(f"#graph-{chart_key} .scatterlayer .point").nth(index).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_every_chart_shows_points_and_says_how_many(page, bundled_dataset):
    open_app(page)
    total = len(bundled_dataset.frame)
    for chart, text in zip(CHARTS, counts(page)):
        shown, of = map(int, COUNT.match(text).groups())
        assert of == total and 0 < shown <= total
        assert page.locator(f"#graph-{chart.key} .scatterlayer .point").count() >= shown
    # readable log ticks, never 1e+09
    ticks = page.locator("#graph-parameters-vs-date .ytick text").all_text_contents()
    assert "1B" in ticks and not any("e+" in t for t in ticks)


def tick(page, domain):
    """Tick a domain and wait until every chart's count line has changed; those lines."""
    before = counts(page)
    page.get_by_label(domain).check()
    for chart, old in zip(CHARTS, before):
        expect(page.locator(f"#count-{chart.key}")).not_to_have_text(old)
    return counts(page)


def models_in(dataset, domain):
    return sum(domain in ds for ds in dataset.frame["domains"])


def test_the_language_filter_changes_every_count_and_the_url(page, bundled_dataset):
    open_app(page)
    language = models_in(bundled_dataset, "language")
    for text in tick(page, "Language"):
        assert int(COUNT.match(text).group(2)) == language
    expect(page).to_have_url(re.compile(r"\?domain=language$"))


def test_hovering_a_point_shows_name_date_and_human_units(page, bundled_dataset):
    open_app(page, "?org=OpenAI&q=GPT-3%20175B")
    index = _index_of_highlighted_point(page, "parameters-vs-date")
    page.mouse.move(*point_centre(page, "parameters-vs-date", index))
    tooltip = page.locator("#graph-parameters-vs-date .hoverlayer .hovertext")
    expect(tooltip).to_contain_text("GPT-3 175B")
    text = tooltip.text_content()
    assert "2020-05-28" in text and "OpenAI" in text and "Parameters: 175B" in text
    assert re.search(r"Training compute: 3\.1×10²³ FLOP", text)


def _index_of_highlighted_point(page, chart_key):
    """The search highlights matches with size 14: find that point's index."""
    expect(page.locator("#filter-summary")).to_contain_text("1 match")
    expect(page.locator(f"#graph-{chart_key} .chart-name")).to_have_count(1)   # its name, over the plot
    sizes = page.locator(f"#graph-{chart_key} .scatterlayer .point").evaluate_all(
        "els => els.map(e => e.getBBox().width)")
    return max(range(len(sizes)), key=sizes.__getitem__)


def test_clicking_a_point_opens_its_stats_card(page):
    open_app(page, "?org=OpenAI&q=GPT-3%20175B")
    index = _index_of_highlighted_point(page, "compute-vs-parameters")
    page.mouse.click(*point_centre(page, "compute-vs-parameters", index))
    card = page.locator("#stats-card")
    expect(card.locator(".stats-card-name")).to_have_text("GPT-3 175B")
    expect(card.locator('tr[data-field="Parameters"]')).to_contain_text("175B")
    expect(card.locator('tr[data-field="Training data"]')).to_contain_text("300B tokens")
    expect(card.locator('tr[data-field="Training compute"]')).to_contain_text("FLOP")
    assert card.locator('a[href^="https://arxiv.org"]').count() >= 1
    expect(page).to_have_url(re.compile(r"model=gpt-3-175b"))


def test_export_downloads_a_named_png_at_the_fixed_size(page, tmp_path):
    page.set_viewport_size({"width": 900, "height": 700})  # the window size must not matter
    open_app(page)
    graph = page.locator("#graph-compute-vs-date")
    graph.hover()
    with page.expect_download() as download_info:
        graph.locator('.modebar-btn[data-title^="Download PNG"]').click()
    download = download_info.value
    assert download.suggested_filename == "compute-vs-date.png"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (EXPORT_WIDTH * EXPORT_SCALE, EXPORT_HEIGHT * EXPORT_SCALE)


def test_the_filtered_models_download_as_csv(page, tmp_path, bundled_dataset):
    open_app(page, "?domain=games&tab=sources")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    assert download_info.value.suggested_filename == "ml-scale-map_games.csv"
    path = tmp_path / "models.csv"
    download_info.value.save_as(path)
    games = sum("games" in ds for ds in bundled_dataset.frame["domains"])
    assert path.read_text().startswith("id,name,organization,country,publication_date")
    table = pd.read_csv(path, dtype=str)
    assert len(table) == games and {"parameters_source", "training_compute_method"} <= set(table.columns)


def test_a_shared_link_restores_the_same_view(page):
    open_app(page)
    page.get_by_label("Language").check()
    page.get_by_placeholder("e.g. GPT, AlphaFold").fill("GPT")
    expect(page).to_have_url(re.compile(r"\?domain=language&q=GPT$"))
    expect(page.locator("#filter-summary")).to_contain_text("match “GPT”")
    shared_url, shared_counts = page.url, counts(page)

    other = page.context.new_page()
    other.base_url = page.base_url
    other.goto(shared_url)
    expect(other.get_by_label("Language")).to_be_checked()
    expect(other.get_by_placeholder("e.g. GPT, AlphaFold")).to_have_value("GPT")
    for chart, text in zip(CHARTS, shared_counts):
        expect(other.locator(f"#count-{chart.key}")).to_have_text(text)
    expect(other.locator("#filter-summary")).to_contain_text("match “GPT”")


def test_a_hostile_link_opens_the_default_view_without_errors(page, bundled_dataset):
    link = "?domain=%3Cscript%3E&from=abc&to=99999&model=..%2F..%2Fetc&org=%00&show=x"
    open_app(page, link)
    expect(page.locator("#filter-summary")).to_have_text(
        f"{len(bundled_dataset.frame)} of {len(bundled_dataset.frame)} models match the filters")
    expect(page).to_have_url(page.base_url + "/" + link)   # a link is kept as given, never rewritten
    assert not page.get_by_label("Language").is_checked()


def test_filters_work_from_the_keyboard(page):
    open_app(page)
    before = counts(page)
    page.get_by_label("Vision").focus()
    page.keyboard.press("Tab")                # native checkboxes: Tab moves to the next domain
    expect(page.get_by_label("Language")).to_be_focused()
    page.get_by_label("Games").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Games")).to_be_checked()
    expect(page.locator(f"#count-{CHARTS[0].key}")).not_to_have_text(before[0])
    expect(page).to_have_url(re.compile(r"\?domain=games$"))


def sent_to_server(page) -> list:
    """URLs of the requests that reach the network from now on (not those the cache answers)."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    sent = []
    session.on("Network.responseReceived", lambda event: None if event["response"].get("fromDiskCache")
               or event["response"].get("fromPrefetchCache") else sent.append(event["response"]["url"]))
    return sent


def test_a_filter_change_asks_the_server_for_nothing(page):
    open_app(page)
    settle(page)
    asked = sent_to_server(page)
    before = counts(page)
    page.get_by_label("Vision").check()
    page.get_by_placeholder("e.g. GPT, AlphaFold").fill("Alpha")
    expect(page.locator("#filter-summary")).to_contain_text("match “Alpha”")
    for chart, old in zip(CHARTS, before):
        expect(page.locator(f"#count-{chart.key}")).not_to_have_text(old)
    settle(page)
    assert asked == []   # no figure, no data: the browser has all it needs


def test_trends_are_fitted_on_the_server_only_while_shown(page):
    open_app(page)
    expect(page.locator("#title-compute-vs-date")).to_contain_text("grew ×")   # the default's fits came with the page
    settle(page)
    callbacks = []
    page.on("request", lambda r: callbacks.append(r) if "_dash-update-component" in r.url else None)
    page.get_by_label("Games").check()
    expect(page).to_have_url(re.compile(r"domain=games"))
    # No fits for this view yet: the title, written in the browser, says what the chart shows.
    expect(page.locator("#title-compute-vs-date")).to_have_text(re.compile(
        r"^Training compute of the \d+ models shown; the largest, .+: [\d.]+×10\S+ FLOP$"))
    settle(page)
    assert callbacks == []   # trends hidden: nothing to fit
    page.get_by_role("tab", name="Trends").click()
    summary = page.locator("#trends-summary")
    expect(summary).to_contain_text("doubling every")
    games = summary.inner_text()
    assert len(callbacks) == 1 and len(callbacks[0].post_data) < 2000   # a few hundred bytes out …
    assert len(callbacks[0].response().body()) < 8000   # … and a few numbers back (fits, titles, counts per threshold)
    page.get_by_placeholder("e.g. GPT, AlphaFold").fill("Alpha")        # search does not refit
    expect(page.locator("#filter-summary")).to_contain_text("match “Alpha”")
    settle(page)
    assert len(callbacks) == 1
    with page.expect_request(lambda r: "_dash-update-component" in r.url):   # other filters: refit
        page.get_by_label("Games").uncheck()
    expect(summary).not_to_have_text(games)
    expect(page.locator("#title-compute-vs-date")).to_contain_text("grew ×")   # the fits' takeaway
    asked = len(callbacks)
    page.get_by_role("tab", name="Charts").click()
    page.get_by_label("Trend lines per era").check()                    # the lines come from the same fits
    expect(page.locator("#chart-legend", has_text="trend: Deep-learning era")).to_be_visible()
    settle(page)
    assert len(callbacks) == asked


def test_the_selected_model_is_named_with_an_arrow_to_its_point(page):
    open_app(page, "?org=OpenAI&q=GPT-3%20175B&model=gpt-3-175b")
    expect(page.locator("#stats-card .stats-card-name")).to_have_text("GPT-3 175B")
    for chart in CHARTS:   # the arrow's tip on the highlighted point, once both are drawn
        callout = page.locator(f"#graph-{chart.key} .annotation", has_text="GPT-3 175B")
        expect(callout).to_be_visible()
        page.wait_for_function("""key => {
            const gd = document.querySelector(`#graph-${key} .js-plotly-plot`);
            const note = gd._fullLayout.annotations.find((a) => a.name === 'selected');
            const point = [...gd.querySelectorAll('.scatterlayer .point')].find((p) => p.getBBox().width > 10);
            if (!note || !note.visible || !point) return false;
            const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect();
            const tip = [box.x + xa._offset + xa.r2p(note.x), box.y + ya._offset + ya.r2p(note.y)];
            const p = point.getBoundingClientRect();
            return Math.abs(tip[0] - (p.x + p.width / 2)) < 2 && Math.abs(tip[1] - (p.y + p.height / 2)) < 2;
          }""", arg=chart.key)
    page.locator("#stats-card .btn-close").click()                  # closing the card
    expect(page.locator(".annotation", has_text="GPT-3 175B")).to_have_count(0)


def test_back_returns_through_the_views_the_url_recorded(page):
    open_app(page)
    default = counts(page)
    page.get_by_label("Language").check()
    expect(page).to_have_url(re.compile(r"\?domain=language$"))
    language = counts(page)
    page.get_by_label("Vision").check()
    expect(page).to_have_url(re.compile(r"\?domain=language&domain=vision$"))
    page.go_back()
    expect(page.get_by_label("Vision")).not_to_be_checked()
    expect(page.get_by_label("Language")).to_be_checked()
    expect(page.locator(f"#count-{CHARTS[0].key}")).to_have_text(language[0])
    page.go_back()
    expect(page.get_by_label("Language")).not_to_be_checked()
    expect(page.locator(f"#count-{CHARTS[0].key}")).to_have_text(default[0])
    expect(page).to_have_url(page.base_url + "/")


def test_the_date_axes_start_in_2010_and_since_1950_widens_them(page):
    open_app(page)
    first_tick = "() => Math.min(...[...document.querySelectorAll('#graph-parameters-vs-date .xtick text')].map(t => +t.textContent))"
    page.wait_for_function(f"({first_tick})() >= 2010")
    expect(page.locator("#count-parameters-vs-date")).to_contain_text("before 2010, outside the time window")
    page.get_by_label("Since 1950").check()
    expect(page).to_have_url(re.compile(r"\?window=all$"))
    page.wait_for_function(f"({first_tick})() <= 1960")
    expect(page.locator("#count-parameters-vs-date")).not_to_contain_text("outside the time window")


def test_png_and_svg_exports_carry_title_filters_credit_date_and_link(page, tmp_path, bundled_dataset):
    open_app(page, "?domain=language&from=2015")
    title = page.locator("#title-compute-vs-parameters")
    expect(title).to_contain_text("the largest")
    graph = page.locator("#graph-compute-vs-parameters")
    graph.hover()
    with page.expect_download() as download_info:
        graph.locator('.modebar-btn[data-title^="Download SVG"]').click()
    assert download_info.value.suggested_filename == "compute-vs-parameters.svg"
    path = tmp_path / "chart.svg"
    download_info.value.save_as(path)
    svg = path.read_text()
    for text in (title.inner_text(), "language · 2015–",
                 f"Data: ML Scale Map catalogue {bundled_dataset.data_version} ·",
                 "/?domain=language&amp;from=2015", "made 20"):
        assert text in svg, text
    assert "Epoch AI" not in svg                                # no credit for data not shown


def test_colour_by_accessibility_changes_the_legend_and_the_link(page):
    open_app(page)
    page.get_by_label("Colour points by").select_option("accessibility")
    expect(page).to_have_url(re.compile(r"\?colour=accessibility$"))
    legend = page.locator("#chart-legend")                               # one legend for the four charts
    expect(legend).to_contain_text("Accessibility:")
    expect(legend).to_contain_text("open weights")
    expect(legend).not_to_contain_text("language")


def test_the_custom_chart_plots_training_data_against_the_date_and_keeps_it_in_the_link(page):
    open_app(page)
    page.get_by_label("y axis", exact=True).select_option("training_data:tokens")
    page.get_by_label("x axis", exact=True).select_option("date")
    page.locator("#custom-y-scale").get_by_label("linear").check()
    expect(page).to_have_url(re.compile(r"\?cyscale=linear$"))
    graph = page.locator("#graph-custom")
    expect(graph.locator(".ytitle")).to_have_text("Training data (tokens)")
    expect(graph.locator(".xtitle")).to_have_text("Publication date")
    page.locator("#custom-y-scale").get_by_label("log").check()
    page.get_by_label("x axis", exact=True).select_option("parameters")
    expect(page).to_have_url(re.compile(r"\?cx=parameters$"))
    expect(graph.locator(".xtitle")).to_have_text("Parameters")


def test_a_log_quantity_over_time_on_the_custom_chart_gets_its_trend_lines(page):
    open_app(page)                                     # default custom chart: training tokens over time, log
    page.get_by_label("Trend lines per era").check()
    expect(page.locator("#graph-custom .annotation-text", has_text="Deep-learning era: doubling every")).to_be_visible()
    page.locator("#custom-y-scale").get_by_label("linear").check()   # a linear axis: no fit drawn
    expect(page.locator("#graph-custom .annotation-text", has_text="doubling every")).to_have_count(0)


ALL_DRAWN = """() => ['parameters-vs-date', 'compute-vs-parameters', 'compute-vs-date', 'custom'].every((key) => {
    const gd = document.querySelector(`#graph-${key} .js-plotly-plot`);
    return gd && gd.data && gd.data.some((t) => t.meta.role === 'domain' && t.x.length > 0); })"""


@pytest.mark.parametrize("query", ["?colour=confidence", "?colour=confidence&cy=hardware_count"])
def test_colour_by_confidence_draws_all_four_charts_whatever_the_fourth_plots(page, query):
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    open_app(page, query)
    page.wait_for_function(ALL_DRAWN)
    expect(page.locator("#chart-legend")).to_contain_text("Confidence:")
    assert console == []


def test_the_fourth_chart_is_named_after_its_axes_and_laid_out_for_its_own_size(page, tmp_path):
    open_app(page, "?cx=training_compute&cy=parameters")
    graph = page.locator("#graph-custom")
    expect(page.locator("#title-custom")).to_have_text("Parameters vs. training compute (FLOP)")   # FLOP, not flop
    sizes = page.evaluate("""() => {
        const gd = document.querySelector('#graph-custom .js-plotly-plot');
        const measured = scalemap.charts.plotSize(gd.layout.meta.chart);
        return [measured, {w: gd._fullLayout._size.w, h: gd._fullLayout._size.h}]; }""")
    assert sizes[0] == sizes[1] != {"w": 800, "h": 400}          # its own plot area, not the fallback
    graph.hover()
    with page.expect_download() as download_info:
        graph.locator('.modebar-btn[data-title^="Download PNG"]').click()
    assert download_info.value.suggested_filename == "parameters-vs-training-compute.png"
    page.get_by_label("y axis", exact=True).select_option("training_data:tokens")
    page.get_by_label("x axis", exact=True).select_option("date")
    expect(page.locator("#title-custom")).to_have_text("Training data (tokens) vs. publication date")
    graph.hover()
    with page.expect_download() as download_info:
        graph.locator('.modebar-btn[data-title^="Download SVG"]').click()
    assert download_info.value.suggested_filename == "training-data-tokens-vs-date.svg"


def legend_colours(page) -> dict:
    """{value: set of its colours} over the four charts' point traces."""
    keys = page.evaluate("""() => ['parameters-vs-date', 'compute-vs-parameters', 'compute-vs-date', 'custom'].map((key) => {
        const gd = document.querySelector(`#graph-${key} .js-plotly-plot`);
        return gd.data.filter((t) => t.meta.role === 'domain').map((t) => [t.name, t.marker.color]); })""")
    assert all(("OpenAI" in dict(key)) or ("United States" in dict(key)) for key in keys), keys   # on every chart
    colours = {}
    for key in keys:
        for name, colour in key:
            colours.setdefault(name, set()).add(colour)
    return colours


def test_one_colour_means_one_organization_on_all_four_charts(page):
    from scalemap.features.charts import DOMAIN_COLOURS
    open_app(page, "?colour=group")
    page.wait_for_function(ALL_DRAWN)
    colours = legend_colours(page)
    assert {name: c for name, c in colours.items() if len(c) > 1} == {}          # one colour per value …
    colour = {name: c.pop() for name, c in colours.items()}
    assert len(set(colour.values())) == len(colour)                              # … and one value per colour
    assert not set(colour.values()) & set(DOMAIN_COLOURS.values())              # never a domain's colour
    hint = page.locator("#domain-colours-hint")
    expect(hint).not_to_contain_text("Colours are the charts' legend")
    expect(hint).to_contain_text("Organization group")
    page.get_by_label("Colour points by").select_option("country")
    expect(page).to_have_url(re.compile(r"\?colour=country$"))
    expect(hint).to_contain_text("Country")
    page.wait_for_function("""() => document.querySelector('#graph-parameters-vs-date .js-plotly-plot')
        .data.some((t) => t.name === 'United States')""")
    colour = {name: c.pop() for name, c in legend_colours(page).items()}
    assert colour["unknown"] != colour["other"]                                  # not known is not "the rest"
    page.get_by_label("Colour points by").select_option("domain")
    expect(hint).to_contain_text("Colours are the charts' legend")


# In the page: put `word` in the search box, and say what the first chart shows in the frame
# of the keystroke: its marks over the plot, the Plotly draws it took, its dimmed domains.
HIGHLIGHT_AT_ONCE = """async (word) => {
  const gd = document.querySelector('#graph-parameters-vs-date .js-plotly-plot');
  let plotlyDraws = 0;
  const counted = () => { plotlyDraws++; };
  gd.on('plotly_afterplot', counted);
  const box = document.getElementById('name-search');
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(box, word);
  box.dispatchEvent(new Event('input', { bubbles: true }));
  await new Promise((done) => requestAnimationFrame(done));
  gd.removeListener('plotly_afterplot', counted);
  const domains = [...gd.querySelectorAll('.scatterlayer .trace')]
    .filter((g) => gd.data[g.__data__[0].trace.index].meta?.role === 'domain');
  return { plotlyDraws, marks: gd.querySelectorAll('.chart-marks circle.matches').length,
           opacities: [...new Set(domains.map((g) => getComputedStyle(g).opacity))],
           names: [...gd.querySelectorAll('.chart-name')].map((n) => n.textContent) };
}"""
# The figure Plotly draws once the view holds: its matches, its domains' opacity, its names.
FIGURE_DRAWN = """() => {
  const gd = document.querySelector('#graph-parameters-vs-date .js-plotly-plot');
  const matches = gd.data.filter((t) => t.meta?.role === 'matches').reduce((n, t) => n + t.x.length, 0);
  const domains = gd.data.filter((t) => t.meta?.role === 'domain');
  return { matches, opacities: [...new Set(domains.map((t) => t.opacity ?? 1))],
           marks: gd.querySelectorAll('.chart-marks circle').length,
           names: [...gd.querySelectorAll('.chart-name')].map((n) => n.textContent) };
}"""


def test_a_search_is_highlighted_in_its_frame_and_the_figure_drawn_after_shows_the_same(page):
    """A keystroke draws no chart again: the matches are marked over the plot and the rest
    dimmed in the frame of the keystroke; once the view holds, Plotly draws the figure, which
    shows the same matches, dims and names, and the marks go."""
    open_app(page)
    for word in ("GPT", "Llama"):   # over the figure without a search, then over GPT's
        shown = page.evaluate(HIGHLIGHT_AT_ONCE, word)
        assert shown["plotlyDraws"] == 0 and shown["marks"] > 3, shown
        assert shown["opacities"] == ["0.25"], shown
        page.wait_for_function("() => !document.querySelector('#graph-parameters-vs-date .chart-marks')")
        settle(page)
        drawn = page.evaluate(FIGURE_DRAWN)
        assert drawn["matches"] == shown["marks"] and drawn["opacities"] == [0.25], (shown, drawn)
        assert drawn["names"] == shown["names"] and word in " ".join(drawn["names"]), (shown, drawn)
    # Over a figure drawn with a search, another word or none: the figure's matches hidden,
    # the domains undimmed where nothing is searched, and Plotly again only once the view holds.
    shown = page.evaluate(HIGHLIGHT_AT_ONCE, "")
    assert shown["plotlyDraws"] == 0 and shown["opacities"] == ["1"], shown
    page.wait_for_function("() => !document.querySelector('#graph-parameters-vs-date .chart-marks')")
    settle(page)
    drawn = page.evaluate(FIGURE_DRAWN)
    assert drawn["matches"] == 0 and drawn["opacities"] == [1] and drawn["names"] == shown["names"], (shown, drawn)


# In the page: tick `domain`, and say what each chart on the screen shows in the frame of the
# click: the points Plotly holds of its domains then, its axes, and its canvas of points ahead
# of Plotly (a copy of its pixels). After the paint, wait until Plotly has drawn the points
# itself, and say how many of them the canvas had not painted where the click's axes put
# them (a hollow marker is a ring: painted within its radius, 4 px), and its axes now.
POINTS_AHEAD = """async (domain) => {
  const graphs = [...document.querySelectorAll('[id^="graph-"] .js-plotly-plot')]
    .filter((gd) => scalemap.painter.onScreen(gd));
  const pointTraces = (gd) => gd.data.filter((t) => ['domain', 'matches'].includes(t.meta?.role));
  const ranges = (gd) => JSON.stringify([gd._fullLayout.xaxis.range, gd._fullLayout.yaxis.range]);
  const label = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === domain);
  label.control.click();
  await new Promise((done) => requestAnimationFrame(done));
  const ahead = graphs.map((gd) => {
    const canvas = gd.querySelector('canvas.chart-ahead');
    if (!canvas) return null;
    const { xaxis, yaxis } = gd._fullLayout;
    return { pixels: canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height),
             ratio: canvas.width / canvas.clientWidth, ranges: ranges(gd),
             plotlyPoints: pointTraces(gd).reduce((n, t) => n + t.x.length, 0),
             m: [xaxis._m, xaxis._b, yaxis._m, yaxis._b] };
  });
  while (graphs.some((gd) => gd.querySelector('canvas.chart-ahead'))) {
    await new Promise((done) => setTimeout(done, 20));
  }
  return graphs.map((gd, i) => {
    if (!ahead[i]) return { key: gd.parentNode.id, ahead: false };
    const { pixels, ratio, m: [xm, xb, ym, yb] } = ahead[i];
    const { xaxis, yaxis } = gd._fullLayout;
    const paintedNear = (x, y) => {
      for (let dy = -4; dy <= 4; dy++) for (let dx = -4; dx <= 4; dx++) {
        const px = Math.round((x + dx) * ratio), py = Math.round((y + dy) * ratio);
        if (px >= 0 && py >= 0 && px < pixels.width && py < pixels.height && pixels.data[(py * pixels.width + px) * 4 + 3] > 0) return true;
      }
      return false;
    };
    let points = 0, unpainted = 0;
    for (const trace of pointTraces(gd)) {
      for (let j = 0; j < trace.x.length; j++) {
        const x = xm * xaxis.c2l(trace.x[j]) + xb, y = ym * yaxis.c2l(trace.y[j]) + yb;
        if (!(x >= 0 && y >= 0 && x * ratio < pixels.width && y * ratio < pixels.height)) continue;   // off the plot: clipped
        points++;
        if (!paintedNear(x, y)) unpainted++;
      }
    }
    return { key: gd.parentNode.id, ahead: true, plotlyPoints: ahead[i].plotlyPoints, points, unpainted,
             rangesAhead: ahead[i].ranges, rangesAfter: ranges(gd) };
  });
}"""


def test_a_filter_paints_its_points_ahead_of_plotly_and_plotly_draws_them_after_the_paint(page):
    """A domain ticked: in the frame of the click, each chart on the screen shows its new axes
    and its points on a canvas, Plotly holding none of them yet; after the paint Plotly draws
    the points itself (they answer hover), each where the canvas had painted it, and the
    canvas goes."""
    open_app(page)
    for domain in ("Vision", "Vision", "Language"):   # ticked, unticked, another
        charts = page.evaluate(POINTS_AHEAD, domain)
        assert len(charts) == 4 and all(chart["ahead"] for chart in charts), charts
        for chart in charts:
            assert chart["plotlyPoints"] == 0, chart
            assert chart["points"] > 0 and chart["unpainted"] == 0, chart
            assert chart["rangesAhead"] == chart["rangesAfter"], chart
        settle(page)


# In the page: scroll to a chart, and say what it shows in the first frame after: hidden (and
# marked busy) while it waits to be drawn, its points ahead of Plotly, or Plotly's points (how
# many).
SCROLLED_TO = """async (key) => {
  const el = document.getElementById(`graph-${key}`);
  el.scrollIntoView({ behavior: 'instant', block: 'center' });
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  const gd = el.querySelector('.js-plotly-plot');
  if (!gd || gd.style.visibility === 'hidden') return { hidden: true, busy: el.getAttribute('aria-busy') === 'true' };
  if (gd.querySelector('canvas.chart-ahead')) return { ahead: true };
  return { points: gd.data.filter((t) => ['domain', 'matches'].includes(t.meta?.role)).reduce((n, t) => n + t.x.length, 0) };
}"""
# The points Plotly holds on a chart, once it is drawn (not busy, no canvas ahead).
PLOTLY_POINTS = """(key) => {
  const el = document.getElementById(`graph-${key}`), gd = el.querySelector('.js-plotly-plot');
  if (el.hasAttribute('aria-busy') || gd.style.visibility === 'hidden' || gd.querySelector('canvas.chart-ahead')) return null;
  return gd.data.filter((t) => ['domain', 'matches'].includes(t.meta?.role)).reduce((n, t) => n + t.x.length, 0);
}"""


def test_nothing_stale_is_seen_after_a_filter_charts_below_the_fold_and_the_table_included(page, bundled_dataset):
    """On a short screen (two charts below the fold), a filter changes every count line; each
    chart scrolled to is, in its first frame, hidden while it waits or showing the new view,
    and then holds as many points as its count line says; the table lists the filtered models."""
    page.set_viewport_size({"width": 1280, "height": 300})
    open_app(page)
    vision = models_in(bundled_dataset, "vision")
    for chart, text in reversed(list(zip(CHARTS, tick(page, "Vision")))):   # the lowest first: not drawn ahead
        shown, of = map(int, COUNT.match(text).groups())
        assert of == vision
        first = page.evaluate(SCROLLED_TO, chart.key)
        assert first.get("hidden") and first.get("busy") or first.get("ahead") or first.get("points") == shown, (chart.key, first)
        page.wait_for_function(f"(key) => ({PLOTLY_POINTS})(key) === {shown}", arg=chart.key)
    page.get_by_role("tab", name=re.compile("^Table")).click()
    summary = page.locator("#table-summary")
    expect(summary).to_contain_text(f"{vision} models in the table")
    rows = page.locator("#models-table .ag-pinned-left-cols-container .ag-row")
    expect(rows.first).to_be_visible()
