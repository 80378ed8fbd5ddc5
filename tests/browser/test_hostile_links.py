"""Hostile input in the browser: links no user would share, and a catalogue whose every text
field carries markup meant to run. The page draws, nothing runs, nothing is refused by the
Content-Security-Policy (which would mean something tried), no error reaches the console."""
import csv
import random
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.support import SCREEN_DRAWN, chart_drawn, page_on, served_app

pytestmark = pytest.mark.browser
RUNS = "window.__xss = (window.__xss || 0) + 1"
PAYLOADS = [f'<img src=x onerror="{RUNS}">', f"<script>{RUNS}</script>", f'"><svg onload="{RUNS}">',
            f"javascript:{RUNS}", f"=HYPERLINK(\"https://evil.example\",\"{RUNS}\")",
            '<a href="https://evil.example/">a live link</a>']   # Plotly draws <a> as a link
DRAWN = f"""() => ({SCREEN_DRAWN})() &&
  /models match the filters/.test(document.querySelector('#filter-summary').textContent)"""


def hostile_links(count: int = 220) -> list[str]:
    rng = random.Random(2029)
    params = ["domain", "from", "to", "org", "q", "model", "show", "dl", "ls", "", "?", "&"]
    values = [*PAYLOADS, "%00", "%ff%fe", "%", "%%%", "+", "../../etc/passwd", "\u202e\u0000",
              "🤖" * 40, "1e400", "-1", "99999999999999999999", "2020-13", "true", "[]", "{}",
              "a" * 3000, "null", "undefined", "__proto__", "constructor"]
    links = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 6)):
            value = rng.choice(values)
            encode = rng.random() < 0.7
            parts.append(f"{rng.choice(params)}={quote(value) if encode else value}")
        links.append("?" + rng.choice(["&", "&&", ";"]).join(parts))
    return links


# Back/Forward to a link: the page reads the URL as it does on load (dcc.Location hears popstate).
VISIT = """link => { history.pushState({}, '', link); window.dispatchEvent(new PopStateEvent('popstate')); }"""
MARKER = "?q=zzzzzz"   # a view no hostile link gives: after it, a drawn page shows the link was read
OPENED, VISITED = 6, 4   # real navigations; every link is also read and drawn in one page (below)

# Each link as the page would take it: the query string the browser's URL parser makes of it, the
# view the page reads from that (assets/core/view.js), that view's own link, and the charts drawn.
READ_AND_DRAW = """([links, payload, contract, skeletons]) => {
  const dataset = scalemap.dataset.fromPayload(payload);
  return links.map((link) => {
    const search = new URL(link, window.location.href).search;
    try {
      const view = scalemap.view.fromQuery(search, dataset, contract);
      const controls = scalemap.view.toControls(view, dataset.yearBounds, contract);
      const drawn = scalemap.charts.drawAll(dataset, controls, null, contract, skeletons);
      const figures = drawn.slice(0, skeletons.length);
      return {search, query: scalemap.view.toQuery(view, contract), summary: drawn[drawn.length - 1],
              drawn: figures.every((figure) => figure.data.length > 0 && figure.layout.xaxis)};
    } catch (error) {
      return {search, error: String(error)};
    }
  });
}"""


def test_hostile_links_open_a_page_that_draws_with_no_error(page):
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    links = hostile_links()
    for link in links[:OPENED]:              # opened as a fresh page
        page.goto(page.base_url + "/" + link, wait_until="domcontentloaded")
        page.wait_for_function(DRAWN)
        assert page.evaluate("window.__xss") is None, link
    summary = page.locator("#filter-summary")
    for link in links[OPENED:OPENED + VISITED]:   # reached by Back/Forward in an open page
        page.evaluate(VISIT, MARKER)
        expect(summary).to_contain_text("zzzzzz")
        page.evaluate(VISIT, "/" + link)
        expect(summary).not_to_contain_text("zzzzzz")
        page.wait_for_function(DRAWN)
        assert page.evaluate("window.__xss") is None, link
    assert console_errors == []


def test_every_hostile_link_reads_as_on_the_server_and_draws_in_the_page(page, bundled_dataset):
    """All 220 links in one page: the view the browser reads is the server's (to_query of
    from_query), the charts draw, nothing runs."""
    from scalemap.contract.payload import build_payload
    from scalemap.contract.view import browser_contract, filter_mask, from_query, to_query
    from scalemap.features.charts import ALL_CHARTS, chart_skeleton
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.goto(page.base_url + "/")
    page.wait_for_function("() => window.scalemap && window.scalemap.charts && window.scalemap.view")
    links = hostile_links()
    skeletons = [chart_skeleton(chart, bundled_dataset.frame) for chart in ALL_CHARTS]
    read = page.evaluate(READ_AND_DRAW, [links, build_payload(bundled_dataset), browser_contract(), skeletons])
    dataset = bundled_dataset
    for link, seen in zip(links, read):
        assert "error" not in seen, (link, seen)
        view = from_query(seen["search"], domains=dataset.domains, organizations=dataset.organizations,
                          model_ids=dataset.models, year_bounds=dataset.year_bounds)
        assert seen["query"] == to_query(view), link
        kept = int(filter_mask(dataset.frame, view).sum())
        assert seen["drawn"] and seen["summary"].startswith(f"{kept} of {len(dataset.frame)} models match"), \
            (link, seen["summary"])
    assert page.evaluate("window.__xss") is None and console_errors == []
    print(f"\n{len(links)} hostile links read and drawn in one page, as the server reads them; "
          f"{len({seen['query'] for seen in read})} different views")


@pytest.fixture(scope="module")
def hostile_catalogue(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    entries = []
    for i, payload in enumerate(PAYLOADS):
        text = "'" + payload.replace("'", "''") + "'"   # YAML single quotes: the payload as written
        entries.append(f"""\
- name: 'Evil {i} {payload.replace("'", "''")}'
  aliases: [{text}]
  organization: {text}
  country: {text}
  date: 2020-0{i + 1}-01
  domains: [language]
  task: {text}
  links: ['https://example.org/{i}']
  parameters: {{value: {i + 1}e9, confidence: likely, method: {text}, note: {text}}}
  training_compute: {{value: {i + 1}e21, confidence: speculative}}
  notes: {text}
""")
    path = folder / "hostile.yaml"
    path.write_text("".join(entries), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory, hostile_catalogue):
    with served_app(tmp_path_factory.mktemp("hostile-log"), {"SCALEMAP_CATALOGUE": str(hostile_catalogue)}) as url:
        yield url


def test_markup_in_every_text_field_shows_as_text_and_never_runs(warm_chromium, hostile_server, hostile_catalogue,
                                                                   tmp_path):
    from scalemap.dataset.build import build_dataset
    dataset = build_dataset([hostile_catalogue])
    with page_on(warm_chromium, hostile_server) as page:
        page.goto(page.base_url + "/?q=Evil")                             # every model labelled
        page.wait_for_function(DRAWN)
        chart_drawn(page, "compute-vs-date")
        page.wait_for_function("""n => {   // each name shown, or counted in "N more"
            const chart = document.querySelector('#graph-compute-vs-date');
            const named = chart.querySelectorAll('.chart-name[data-name="label"]').length;
            const more = chart.querySelector('.chart-name[data-name="more"]');
            return named + (more ? parseInt(more.textContent) : 0) === n && named >= 2;
        }""", arg=len(PAYLOADS))
        labels = page.locator("#graph-compute-vs-date .chart-name").all_text_contents()
        assert any("<img src=x" in label or "<script>" in label for label in labels)   # the markup, as text
        card = page.locator("#stats-card")
        for model_id in dataset.frame.index:                              # every stats card
            page.evaluate(VISIT, f"/?model={model_id}")                   # its link, read in this page
            expect(card.locator(".stats-card-name")).to_have_text(dataset.frame.loc[model_id, "name"])   # "Evil …"
            assert card.locator("a[href^='javascript']").count() == 0
        graph = page.locator("#graph-compute-vs-date")                    # a hover label
        chart_drawn(page, "compute-vs-date")
        point = graph.locator(".scatterlayer .point").first.bounding_box()
        page.mouse.move(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)
        expect(graph.locator(".hoverlayer .hovertext")).to_contain_text("Evil")
        page.locator("#stats-card .btn-close").click()
        page.get_by_role("tab", name="Sources & download").click()
        with page.expect_download() as download:                          # the CSV
            page.get_by_role("button", name="Download CSV").click()
        csv_path = tmp_path / "models.csv"
        download.value.save_as(csv_path)
        with open(csv_path, newline="") as file:
            cells = [cell for row in csv.reader(file) for cell in row]
        assert not [cell for cell in cells if re.match(r"^[=+@-]", cell)]   # no formula starts a cell
        assert any(cell.startswith("'=HYPERLINK") for cell in cells)
        assert page.evaluate("window.__xss") is None


def test_markup_in_a_colour_category_is_a_legend_name_as_text_not_a_link(warm_chromium, hostile_server):
    with page_on(warm_chromium, hostile_server) as page:
        # (An organization is split at '/' into its members: the link's text is cut there.)
        for colour, shown in (("country", '<a href="https://evil.example/">a live link</a>'), ("group", '<a href="https:')):
            page.goto(f"{page.base_url}/?colour={colour}&window=all")
            page.wait_for_function(DRAWN)
            legend = page.locator("#chart-legend")                          # the one legend of the four charts
            expect(legend).to_contain_text(shown)
            expect(legend).to_contain_text("<script>")
            assert legend.locator("a, script, img").count() == 0
            links = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot .main-svg a')]
                                            .map((a) => a.getAttribute('href') || a.getAttribute('xlink:href'))""")
            assert links == [], (colour, links)
        assert page.evaluate("window.__xss") is None
