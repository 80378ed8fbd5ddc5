"""One meaning in two languages: what the browser computes from the payload is what Python
computes from the dataset. The same links select the same models, the same controls make
the same view, numbers read the same, and the charts the browser draws say what the old
server-drawn charts said (counts, hollow markers, highlighting, reference lines)."""
import math
import random
import re
from urllib.parse import urlencode

import pytest

from components import ids
from components.url_state import view_from_controls
from scalemap.contract.payload import CONTRACT as PAYLOAD_CONTRACT
from scalemap.contract.payload import build_payload
from scalemap.contract.units import count_tick_label, flop_tick_label, format_count, format_flop, log_ticks
from scalemap.contract.url import KINDS, Field, ViewCodec
from scalemap.contract.view import (
    DEFAULT_VIEW,
    FIELDS,
    OVERLAYS,
    RULES,
    VIEW,
    browser_contract,
    filter_mask,
    filter_query,
    from_query,
    search_matches,
    to_query,
)
from scalemap.dataset.build import build_dataset
from scalemap.features.charts import CHARTS, CUSTOM_CHART, FIXED_COLOURS, chart_skeleton
from tests.support import SMALL_CATALOGUE, page_on

pytestmark = pytest.mark.browser
CONTRACT = browser_contract()


def control_values(year_bounds, given: dict, codec: ViewCodec = VIEW) -> list:
    """Every control's value in the codec's order: `given` by component id, the rest as the
    default view shows them (so a new field leaves these tests as they are)."""
    values = dict(zip((c for c, _ in codec.controls), codec.to_controls(codec.default, year_bounds)))
    assert set(given) <= set(values), set(given) - set(values)
    return [given.get(component, values[component]) for component, _ in codec.controls]


# The controls in the order the lists of values below are written.
LISTED = (ids.DOMAIN_FILTER, ids.YEAR_FILTER, ids.ORG_FILTER, ids.SEARCH, ids.OVERLAY_TOGGLES, ids.ERA_DL_FROM,
          ids.ERA_LS_FROM, ids.PINS, ids.LABELS_SWITCH, ids.MY_MODEL, ids.WINDOW, ids.COLOUR_BY, ids.CUSTOM_X,
          ids.CUSTOM_Y, ids.CUSTOM_X_SCALE, ids.CUSTOM_Y_SCALE, ids.ONLY_SWITCHES, ids.SELECTED_MODEL)


@pytest.fixture(scope="module")
def browser_page(chromium, gunicorn_server):
    """The app's page, one for the module: its scripts (assets/) are what is tested, and each test
    hands them its own data."""
    with page_on(chromium, gunicorn_server) as page:
        page.goto(page.base_url + "/")
        page.wait_for_function("() => window.scalemap && window.scalemap.charts")
        page.loaded = None
        yield page


_PREPARED = {}   # id(dataset) -> (dataset, its payload, its charts' skeletons): made once a dataset


def prepared(dataset) -> tuple[dict, list]:
    if id(dataset) not in _PREPARED:   # (the dataset is kept, so its id names no other)
        _PREPARED[id(dataset)] = (dataset, build_payload(dataset),
                                  [chart_skeleton(chart, dataset.frame) for chart in CHARTS])
    return _PREPARED[id(dataset)][1:]


def load(page, dataset):
    """The dataset as `window.testDataset` in the page (sent once while it stays the page's)."""
    if page.loaded is not dataset:
        page.evaluate("payload => { window.testDataset = scalemap.dataset.fromPayload(payload); }",
                      prepared(dataset)[0])
        page.loaded = dataset


@pytest.fixture(scope="module")
def merged(epoch_export):
    """The catalogue merged with an Epoch export: the tests' sample, and in CI the real file."""
    return build_dataset(epoch_paths=[epoch_export])


# --- numbers ----------------------------------------------------------------------------------

def test_every_number_reads_the_same_in_the_browser(browser_page, merged):
    values = set()
    for column in ("parameters", "active_parameters", "training_compute", "inference_flops",
                   "training_data", "training_time_hours", "training_cost"):
        values |= {float(v) for v in merged.frame[column].dropna()}
    rng = random.Random(0)   # halves that Python rounds to even and toFixed() rounds up
    values |= {m * 10.0**e for m in (1.125, 2.5, 9.995, 1.45, 3.25, 1.005) for e in range(-3, 28)}
    values |= {10 ** rng.uniform(-3, 28) for _ in range(2000)}
    values = sorted(values)
    browser = browser_page.evaluate("""values => values.map(v => [scalemap.units.formatCount(v),
        scalemap.units.formatFlop(v), scalemap.units.countTickLabel(v)])""", values)
    python = [[format_count(v), format_flop(v), count_tick_label(v)] for v in values]
    differ = [(v, p, b) for v, p, b in zip(values, python, browser) if p != b]
    print(f"\n{len(values)} numbers formatted in both: {len(differ)} differ")
    assert not differ[:5]
    for lo, hi in ((400, 1.7e12), (1e-3, 1e26), (3e15, 5e25)):
        for label, name in ((count_tick_label, "countTickLabel"), (flop_tick_label, "flopTickLabel")):
            assert browser_page.evaluate(f"([lo, hi]) => scalemap.units.logTicks(lo, hi, scalemap.units.{name})",
                                         [lo, hi]) == [list(t) for t in log_ticks(lo, hi, label)]


# --- views and links ----------------------------------------------------------------------------

def link_states(dataset) -> list[str]:
    """Links a user could share, and links no user would: the same rules must read both."""
    rng = random.Random(1)
    domains, organizations = dataset.domains, dataset.organizations
    ids = list(dataset.frame.index)
    names = list(dataset.frame["name"])
    links = ["", "?", "??domain=vision", "%%%", "?&&&==&", "?domain=<script>alert(1)</script>",
             "?from=abc&to=99999", "?from=2020&to=2010", "?from=%D9%A2%D9%A0%D9%A2%D9%A0",
             "?from=+2015", "?from=2015%0A", "?dl=2010-13&ls=drop", "?dl=2012-06%0A", "?show=none",
             "?show=x", "?show=none,trends", "?show=trends,,chinchilla", "?model=..%2F..%2Fetc",
             "?org=%00", "?q=%FF%FE", "?q=a+b", "?q=%E2%82%AC", "?q=" + "a" * 150,
             "?q=😀" * 3 + "x" * 99, "?q=%F0%9F%98%80" * 60, "?" + "&".join(f"k{i}=v" for i in range(250)),
             "?" + "&".join(f"k{i}=v" for i in range(199)) + "&domain=vision", "?domain=vision;domain=games",
             "?domain=vision&domain=vision&domain=language", "?q=İstanbul", "?q=ß", "?q=ΣΑΣ", "?model=",
             "?org=Google", "?org=Google&org=Meta", "?org=Google+Brain&domain=vision", "?show=trends,chinchilla",
             "?show=six-nd,trends,six-nd", "?pin=&pin=%00", "?labels=off&labels=on", "?only=frontier", "?only=sure,frontier&domain=language", "?only=junk,frontier", "?only=", "?show=ranges,trends"]
    for _ in range(200):
        params = [("domain", d) for d in rng.sample(domains, rng.randint(0, 3))]
        if rng.random() < 0.5:
            params.append(("from", str(rng.randint(1940, 2030))))
        if rng.random() < 0.5:
            params.append(("to", str(rng.randint(1940, 2030))))
        if rng.random() < 0.25:
            params += [("org", o) for o in rng.sample(organizations, rng.randint(1, 3))]
        if rng.random() < 0.6:
            name = rng.choice(names)
            start = rng.randint(0, max(0, len(name) - 3))
            params.append(("q", name[start:start + rng.randint(1, 8)]))
        if rng.random() < 0.3:
            params.append(("model", rng.choice(ids + ["no-such-model"])))
        if rng.random() < 0.3:
            params.append(("show", ",".join(rng.sample(list(OVERLAYS) + ["junk"], rng.randint(0, 3)))))
        if rng.random() < 0.2:
            params.append(("dl", f"{rng.randint(1940, 2030)}-{rng.randint(0, 13):02d}"))
        if rng.random() < 0.25:
            params += [("pin", p) for p in rng.sample(ids + ["no-such-model"], rng.randint(1, 6))]
        if rng.random() < 0.1:
            params.append(("labels", rng.choice(["off", "on", "OFF"])))
        if rng.random() < 0.15:
            params.append(("window", rng.choice(["all", "5y", "dl", "decade", ""])))
        if rng.random() < 0.15:
            params += [("cx", rng.choice(["parameters", "date", "training_data:images", "nope"])),
                       ("cy", rng.choice(["training_cost_real", "date", "hardware_count"])),
                       ("cyscale", rng.choice(["linear", "log", "sqrt"]))][:rng.randint(1, 3)]
        if rng.random() < 0.15:
            params.append(("colour", rng.choice(["group", "country", "confidence", "accessibility", "red"])))
        if rng.random() < 0.15:
            params += [("my", rng.choice(["Mine", " Mine\t", "", "😀" * 90, "a\u00a0"])),
                       ("my_date", rng.choice(["2024-05-01", "2024-02-30", "1949-01-01", "2024-5-1"])),
                       ("my_params", rng.choice(["7e9", "7E+09", "0", "1e999", "7.5", "-3", ""])),
                       ("my_compute", rng.choice(["8.4e22", "1e+24", "x", "1e100"])),
                       ("my_tokens", rng.choice(["2e12", "2T", "0", ""])), ("my_chips", rng.choice(["512", "-1"])),
                       ("my_days", rng.choice(["10", "0.5", "1e999"]))][:rng.randint(1, 7)]
        rng.shuffle(params)
        links.append("?" + urlencode(params))
    return links


def test_the_same_links_select_the_same_models_in_the_browser_and_on_the_server(browser_page, merged):
    load(browser_page, merged)
    links = link_states(merged)
    browser = browser_page.evaluate("""([links, contract]) => links.map(link => {
        const d = window.testDataset;
        const view = scalemap.view.fromQuery(link, d, contract);
        const keep = d.filter(view), found = d.matches(view.search);
        const ids = d.columns.id;
        return {query: scalemap.view.toQuery(view, contract),
                kept: ids.filter((_, row) => keep[row]), found: ids.filter((_, row) => keep[row] && found[row])};
      })""", [links, CONTRACT])
    frame = merged.frame
    selections = set()
    for link, seen in zip(links, browser):
        view = from_query(link, domains=merged.domains, organizations=merged.organizations,
                          model_ids=merged.models, year_bounds=merged.year_bounds)
        kept = filter_mask(frame, view)
        found = kept & search_matches(frame, view.search)
        assert seen == {"query": to_query(view), "kept": list(frame.index[kept]),
                        "found": list(frame.index[found])}, link
        selections.add((len(seen["kept"]), len(seen["found"])))
    print(f"\n{len(links)} links, {len(selections)} different selections, the same in both")
    assert len(selections) > 50   # the links exercise the filters, not one view again and again


def test_the_same_controls_make_the_same_view(browser_page, bundled_dataset):
    load(browser_page, bundled_dataset)
    bounds = list(bundled_dataset.year_bounds)
    controls = [
        [[], bounds, [], "", ["chinchilla", "parameter-gap"], "2010-01", "2015-09", [], True, None, "dl", "domain",
         "date", "training_data:tokens", "log", "log", [], None],
        [["language", "vision"], [2000, bounds[1]], ["OpenAI"], "  GPT ", ["trends", "ranges"], "2012-06", "2015-09",
         ["palm-540b", "gpt-3-175b", "palm-540b"], False,
         {"name": " Mine ", "date": "2024-05-01", "parameters": "7e9", "compute": None, "tokens": "2e12",
          "chips": "512", "days": "x"}, "all", "country",
         "training_compute", "training_cost_real", "log", "linear", ["sure", "frontier", "nope"], "gpt-3-175b"],
        [None] * 18,
        [["games"], [bounds[0], 2001], [], "x" * 150, [], "2012-13", 7, list("abcdef"), "off",
         {"name": "M", "date": "2024-02-31", "parameters": "1", "compute": "1"}, "5y", "colour",
         "date", "date", "log", "cubic", "frontier", ""],
        [[1, None], ["a", "b"], {"x": 1}, 42, "trends", ["2010-01"], None, {"a": 1}, 0, ["mine"], "decade", ["domain"],
         7, {"a": 1}, None, ["log"], {"only": 1}, {"id": "x"}],
    ]
    for listed in controls:
        values = control_values(bounds, dict(zip(LISTED, listed)))
        python = to_query(view_from_controls(*values, year_bounds=bundled_dataset.year_bounds))
        browser = browser_page.evaluate("""([values, contract]) => scalemap.view.toQuery(
            scalemap.view.fromControls(values, window.testDataset.yearBounds, contract), contract)""",
                                        [values, CONTRACT])
        assert browser == python, listed


# A field the app does not have, of each kind but the record (which needs a rule), added as a
# new field is: rows of the table, before the selected model. Nothing else changes.
TEST_FIELDS = (
    Field("palette", "choice", "tol", ("palette",), (("test-palette", "value"),), allowed=("tol", "okabe", "viridis")),
    Field("compare", "many", (), ("vs",), (("test-compare", "data"),), known="models", max_count=2, private=True),
    Field("marks", "set", ("a",), ("marks",), (("test-marks", "value"),), allowed=("a", "b", "c"), spelling="none"),
    Field("note", "text", "", ("note",), (("test-note", "value"),), max_length=12, strip=True),
    Field("grid", "flag", False, ("grid",), (("test-grid", "value"),), spelling="on"),
    Field("corner", "choices", ("top", "left"), ("cv", "ch"), (("test-v", "value"), ("test-h", "value")),
          allowed=(("top", "bottom"), ("left", "right"))),
)
EXTENDED = ViewCodec(FIELDS[:-1] + TEST_FIELDS + FIELDS[-1:], RULES)


def plain(view, codec) -> dict:
    """A view as JSON holds it (the browser's view objects)."""
    value = {f.name: getattr(view, f.name) for f in codec.fields}
    value["mine"] = value["mine"] and {k: v for k, v in vars(value["mine"]).items()}
    return {k: list(v) if isinstance(v, tuple) else v for k, v in value.items()}


def test_a_new_field_round_trips_through_both_languages_with_no_code_changed(browser_page, bundled_dataset):
    load(browser_page, bundled_dataset)
    contract = {**CONTRACT, **EXTENDED.for_browser()}
    known = dict(domains=bundled_dataset.domains, organizations=bundled_dataset.organizations,
                 model_ids=bundled_dataset.models, year_bounds=bundled_dataset.year_bounds)
    rng = random.Random(3)
    values = {"palette": ["okabe", "viridis", "tol", "red", ""], "vs": ["gpt-3-175b", "palm-540b", "mine~x", "nope"],
              "marks": ["b", "a,c", "none", "c,junk", "", "junk"], "note": ["hi", " spaced ", "😀" * 20, "%FF"],
              "grid": ["on", "off", "ON"], "cv": ["bottom", "top", "left"], "ch": ["right", "up"]}
    links = ["", "?palette=okabe&vs=gpt-3-175b&vs=palm-540b&vs=chinchilla&marks=b&note=hi&grid=on&cv=bottom&ch=right",
             "?marks=none", "?domain=language&model=gpt-3-175b&palette=viridis"]
    for _ in range(150):
        params = [(key, rng.choice(options)) for key, options in values.items() if rng.random() < 0.5]
        params += rng.choice([[], [("domain", "language")], [("model", "gpt-3-175b")], [("q", "GPT")]])
        rng.shuffle(params)
        links.append("?" + urlencode(params))
    browser = browser_page.evaluate("""([links, contract]) => links.map(link => {
        const view = scalemap.view.fromQuery(link, window.testDataset, contract);
        return {view, query: scalemap.view.toQuery(view, contract),
                controls: scalemap.view.toControls(view, window.testDataset.yearBounds, contract)};
      })""", [links, contract])
    for link, seen in zip(links, browser):
        view = EXTENDED.from_query(link, **known)
        assert seen == {"view": plain(view, EXTENDED), "query": EXTENDED.to_query(view),
                        "controls": EXTENDED.to_controls(view, bundled_dataset.year_bounds)}, link
    read = [EXTENDED.from_query(link, **known) for link in links]
    assert {v.palette for v in read} == {"tol", "okabe", "viridis"} and {v.grid for v in read} == {True, False}
    assert any(len(v.compare) == 2 for v in read) and all("mine~x" not in v.compare for v in read)
    assert EXTENDED.to_query(EXTENDED.state(compare=("mine~x", "gpt-3-175b"))) == "?vs=gpt-3-175b"   # never in a link
    assert to_query(DEFAULT_VIEW) == "" and not hasattr(DEFAULT_VIEW, "palette")   # the app's own view unchanged

    bounds = list(bundled_dataset.year_bounds)
    controls = [{"test-palette": "okabe", "test-compare": ["a", "a", "b", "c"], "test-marks": ["c", "b", 3],
                 "test-note": "  a note longer than twelve ", "test-grid": True, "test-v": "bottom", "test-h": "right"},
                {"test-palette": "red", "test-compare": "a", "test-marks": "b", "test-note": 7, "test-grid": "on",
                 "test-v": None, "test-h": ["right"]},
                {"test-marks": [], "test-grid": False, ids.SEARCH: " GPT "}]
    for given in controls:
        values = control_values(bounds, given, EXTENDED)
        python = EXTENDED.from_controls(values, bundled_dataset.year_bounds)
        seen = browser_page.evaluate("""([values, bounds, contract]) => {
            const view = scalemap.view.fromControls(values, bounds, contract);
            return {view, query: scalemap.view.toQuery(view, contract)};
          }""", [values, bounds, contract])
        assert seen == {"view": plain(python, EXTENDED), "query": EXTENDED.to_query(python)}, given


def test_the_browser_codes_every_rule_the_table_names(browser_page):
    named = {f.check for f in FIELDS if f.check} | {f.fits for f in FIELDS if isinstance(f.fits, str)}
    assert named <= set(browser_page.evaluate("Object.keys(scalemap.view.RULES)")) == set(RULES)
    assert set(browser_page.evaluate("Object.keys(scalemap.view.KINDS)")) == set(KINDS)


def test_the_trend_fits_are_asked_for_under_the_same_key(browser_page, bundled_dataset):
    load(browser_page, bundled_dataset)
    links = ["", "?domain=language&q=GPT&model=gpt-3-175b&pin=palm-540b", "?from=2015&dl=2012-06&only=sure",
             "?cy=hardware_count&cyscale=linear", "?cy=hardware_count", "?cx=parameters&cy=training_compute",
             "?org=OpenAI&show=trends&labels=off&colour=group&window=all"]
    browser = browser_page.evaluate("""([links, contract]) => links.map(link =>
        scalemap.view.filterQuery(scalemap.view.fromQuery(link, window.testDataset, contract), contract))""",
                                    [links, CONTRACT])
    python = [filter_query(from_query(link, domains=bundled_dataset.domains, organizations=bundled_dataset.organizations,
                                      model_ids=bundled_dataset.models, year_bounds=bundled_dataset.year_bounds))
              for link in links]
    assert browser == python
    assert python[1] == "?domain=language" and python[3] == "" and python[4] == "?cy=hardware_count"


# --- the data contract ----------------------------------------------------------------------------

def test_the_browser_reads_this_payload_contract_and_refuses_another_loudly(browser_page, bundled_dataset):
    assert browser_page.evaluate("scalemap.dataset.CONTRACT") == PAYLOAD_CONTRACT
    errors = []
    browser_page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    payload = build_payload(bundled_dataset)
    thrown = browser_page.evaluate("""payload => {
        try { scalemap.dataset.fromPayload({...payload, contract: 999}); return null; } catch (error) { return error.message; }
      }""", payload)
    assert thrown and "contract 999" in thrown and f"reads contract {PAYLOAD_CONTRACT}" in thrown
    banner = browser_page.locator("#contract-error")
    assert banner.is_visible() and banner.inner_text() == thrown
    assert thrown in errors


def test_a_column_the_payload_lacks_fails_loudly_and_the_columns_read_are_the_contracts(browser_page, bundled_dataset):
    load(browser_page, bundled_dataset)
    thrown = browser_page.evaluate("""() => {
        try { return window.testDataset.names.no_such_column; } catch (error) { return error.message; }
      }""")
    assert 'no column "no_such_column"' in thrown
    assert browser_page.evaluate("window.testDataset.names.training_data_unit") == "training_data_unit"


# --- drawing ------------------------------------------------------------------------------------

@pytest.fixture
def small(write_catalogue):
    return build_dataset([write_catalogue(SMALL_CATALOGUE.read_text() + """\
- name: <a href="https://evil.example">Evil</a>
  organization: Lab & Co
  date: 2019-05-05
  domains: [speech]
  links: [https://example.org/evil]
  parameters: {value: 5e6, confidence: likely}
""")])


def draw(page, dataset, *, domains=(), search="", overlays=(), selected=None, fits=None, pins=(), labels=True,
         mine=None, window="all", colour="domain", axes=("date", "training_data:tokens", "log", "log"), only=()):
    skeletons = prepared(dataset)[1]
    bounds = list(dataset.year_bounds)
    controls = control_values(bounds, {
        ids.DOMAIN_FILTER: list(domains), ids.SEARCH: search, ids.OVERLAY_TOGGLES: list(overlays),
        ids.PINS: list(pins), ids.LABELS_SWITCH: labels, ids.MY_MODEL: mine, ids.WINDOW: window,
        ids.COLOUR_BY: colour, **dict(zip((ids.CUSTOM_X, ids.CUSTOM_Y, ids.CUSTOM_X_SCALE, ids.CUSTOM_Y_SCALE), axes)),
        ids.ONLY_SWITCHES: list(only), ids.SELECTED_MODEL: selected})
    load(page, dataset)
    result = page.evaluate("""([controls, fits, contract, skeletons]) => scalemap.charts.drawAll(
        window.testDataset, controls, fits, contract, skeletons)""", [controls, fits, CONTRACT, skeletons])
    return result[:3], result[3:6], result[6]


def traces(figure, role):
    return [t for t in figure["data"] if t["meta"]["role"] == role]


def test_each_chart_counts_what_it_shows_and_what_lacks_a_value(browser_page, small):
    _, counts, summary = draw(browser_page, small)
    assert counts == ["4 of 5 models · 1 lack parameters",
                      "2 of 5 models · 3 lack parameters or compute",
                      "2 of 5 models · 3 lack compute"]
    assert summary == "5 of 5 models match the filters"
    _, counts, _ = draw(browser_page, small, domains=["language"])
    assert counts[0] == "2 of 2 models"   # Guess Net is vision first, language too


def test_points_hover_in_human_units_and_escape_what_they_quote(browser_page, small):
    figures, _, _ = draw(browser_page, small)
    language = next(t for t in traces(figures[0], "domain") if t["name"] == "language")
    assert language["hovertext"] == ["<b>Big LM</b><br>2020-05-28 · language<br>OpenAI<br>"
                                     "Parameters: 175B (confident)<br>Training compute: 3.1×10²³ FLOP (likely)"
                                     "<br>#1 in training compute when released"]
    speech = next(t for t in traces(figures[0], "domain") if t["name"] == "speech")
    assert "&lt;a href=" in speech["hovertext"][0] and "Lab &amp; Co" in speech["hovertext"][0]
    ticks = figures[0]["layout"]["yaxis"]["ticktext"]
    assert "1B" in ticks and not any("e+" in t for t in ticks)


def test_speculative_values_are_hollow_and_the_legend_says_so(browser_page, small):
    figures, _, _ = draw(browser_page, small)
    vision = next(t for t in traces(figures[2], "domain") if t["name"] == "vision")
    assert vision["marker"]["symbol"] == "circle-open"   # Guess Net's compute is speculative: one symbol a trace
    assert traces(figures[2], "legend") and not traces(figures[0], "legend")


def test_ranges_are_whiskers_and_said_on_hover_and_the_narrowing_switches_agree(browser_page, small):
    figures, _, _ = draw(browser_page, small, overlays=["ranges"])
    vision = next(t for t in traces(figures[2], "domain") if t["name"] == "vision")   # Guess Net
    assert vision["error_y"]["array"] == [pytest.approx(2e18)] and vision["error_y"]["arrayminus"] == [pytest.approx(7e17)]
    assert "(speculative: 3.0×10¹⁷–3.0×10¹⁸ FLOP)" in vision["hovertext"][0]
    plain, _, _ = draw(browser_page, small)                       # the switch off: no whiskers
    assert not any("error_y" in t for t in traces(plain[2], "domain"))
    _, counts, _ = draw(browser_page, small, only=["sure"])       # the speculative compute leaves
    assert counts[2].startswith("1 of 5 models")
    _, counts, summary = draw(browser_page, small, only=["frontier"])
    assert summary.startswith("2 of 5 models")                    # the two with compute: each the largest yet


def test_a_legend_key_is_solid_when_its_domain_has_a_solid_point(browser_page, bundled_dataset):
    figures, _, _ = draw(browser_page, bundled_dataset)
    by_domain = {}
    for trace in traces(figures[1], "domain"):   # one marker symbol a trace: solid points, then hollow ones
        assert isinstance(trace["marker"]["symbol"], str)
        by_domain.setdefault(trace["name"], []).append(trace)
    mixed = [pieces for pieces in by_domain.values() if len(pieces) == 2]
    assert len(mixed) >= 3
    for solid, hollow in mixed:   # the legend shows the solid key; the hollow points share its entry
        assert (solid["marker"]["symbol"], solid["showlegend"]) == ("circle", True)
        assert (hollow["marker"]["symbol"], hollow["showlegend"]) == ("circle-open", False)
        assert hollow["legendgroup"] == solid["legendgroup"]


def labels(figure, name="label"):
    return [a for a in figure["layout"]["annotations"] if a.get("name") == name]


def test_search_highlights_and_labels_matches_and_dims_the_rest(browser_page, small):
    figures, _, summary = draw(browser_page, small, search="big")
    matches = traces(figures[0], "matches")[0]
    assert matches["customdata"] and [a["text"] for a in labels(figures[0])] == ["Big LM"]
    others = traces(figures[0], "domain")
    assert all(t["opacity"] * t["marker"]["opacity"] < 0.25 and t["hoverinfo"] == "skip" for t in others)
    assert all("Big LM" not in " ".join(t["hovertext"]) for t in others)
    assert summary == "5 of 5 models match the filters · 1 match “big”"
    figures, _, _ = draw(browser_page, small, search="evil")
    assert [a["text"] for a in labels(figures[0])] == ['&lt;a href="https://evil.example"&gt;Evil&lt;/a&gt;']
    figures, _, _ = draw(browser_page, small, search="big", labels=False)   # the switch
    assert not labels(figures[0]) and traces(figures[0], "matches")


def label_boxes(figure):
    """Each label's box in pixels of the placement (6.2 px a character, 17 px high)."""
    return [(a["ax"], a["ay"], len(a["text"]) * 6.2 + 8) for a in labels(figure)]


def test_many_matches_get_labels_that_do_not_overlap_and_a_count_of_the_rest(browser_page, bundled_dataset):
    figures, _, _ = draw(browser_page, bundled_dataset, search="a")   # most models match
    for figure in figures:
        placed = labels(figure)
        assert 0 < len(placed) <= figure["layout"]["meta"]["labelsUpTo"]
        more = labels(figure, "more")
        assert len(more) == 1 and re.match(r"\d+ more matches not labelled here", more[0]["text"])
    # The placement itself, on one crowded spot: PaLM 540B and its three siblings share a point.
    items = [{"px": 400, "py": 200, "text": name} for name in ("PaLM 540B", "Flan-PaLM 540B", "U-PaLM 540B",
                                                              "Minerva 540B")]
    placed = browser_page.evaluate("items => scalemap.charts.placeLabels(items, {w: 800, h: 400}, 10)", items)
    assert [p["text"] for p in placed] == [i["text"] for i in items]
    boxes = [(400 + p["ax"] - (len(p["text"]) * 6.2 + 8) / 2, 200 + p["ay"] - 8.5,
              400 + p["ax"] + (len(p["text"]) * 6.2 + 8) / 2, 200 + p["ay"] + 8.5) for p in placed]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_pinned_models_are_ringed_and_named_on_every_chart_that_shows_them(browser_page, bundled_dataset):
    pins = ["gpt-3-175b", "palm-540b", "alphafold-3"]   # AlphaFold 3 has no numbers: on no chart
    figures, _, _ = draw(browser_page, bundled_dataset, pins=pins, labels=False)
    for figure in figures:
        ring = traces(figure, "pinned")
        assert len(ring) == 1 and ring[0]["marker"]["symbol"] == "circle-open"
        names = {bundled_dataset.frame.loc[r, "name"] for r in bundled_dataset.frame.index[ring[0]["customdata"]]}
        assert names == {"GPT-3 175B", "PaLM 540B"}
        assert {a["text"] for a in labels(figure)} == {"GPT-3 175B", "PaLM 540B"}


def test_reference_lines_show_when_chosen_and_labels_sit_on_the_plot(browser_page, small):
    figures, _, _ = draw(browser_page, small)
    assert not traces(figures[1], "overlay")
    figures, _, _ = draw(browser_page, small, overlays=["six-nd", "chinchilla", "thresholds"])
    assert {t["meta"]["overlay"] for t in traces(figures[1], "overlay")} == {"six-nd", "chinchilla"}
    assert {t["meta"]["overlay"] for t in traces(figures[2], "overlay")} == {"thresholds"}
    x_range = figures[1]["layout"]["xaxis"]["range"]
    labels = [a for a in figures[1]["layout"]["annotations"] if a["name"] == "six-nd"]
    assert len(labels) == 5 and all(a["visible"] and x_range[0] <= a["x"] <= x_range[1] for a in labels)


def test_the_selected_model_is_ringed_and_trend_lines_follow_their_fit(browser_page, small):
    fit = {"metric": "training_compute", "era": "deep-learning", "slope": 0.5, "intercept": -985.0,
           "tStart": 2012.0, "tEnd": 2020.0, "summary": "Deep-learning era: doubling every 7.2 months"}
    other_filters = "?domain=vision"
    figures, _, _ = draw(browser_page, small, selected="big-lm", overlays=["trends"],
                         fits={"key": "", "fits": [fit]})   # "": the default filters' query
    callouts = [next(a for a in f["layout"]["annotations"] if a["name"] == "selected") for f in figures]
    assert [c["text"] for c in callouts] == ["Big LM"] * 3 and all(c["visible"] for c in callouts)
    assert (callouts[1]["x"], callouts[1]["y"]) == pytest.approx((math.log10(175e9), math.log10(3.14e23)))
    assert callouts[2]["x"] == "2020-05-28"
    hidden, _, _ = draw(browser_page, small, selected="big-lm", domains=["vision"])   # filtered out
    assert not any(a["visible"] for f in hidden for a in f["layout"]["annotations"] if a["name"] == "selected")
    trend = traces(figures[2], "trend")
    assert len(trend) == 1 and trend[0]["y"][0] == pytest.approx(10 ** (-985.0 + 0.5 * 2012.0))
    assert "7.2 months" in trend[0]["hovertemplate"] and not traces(figures[0], "trend")
    stale, _, _ = draw(browser_page, small, overlays=["trends"], fits={"key": other_filters, "fits": [fit]})
    assert not traces(stale[2], "trend")   # fits for other filters are not drawn


def test_your_model_is_a_star_on_each_chart_it_fits_with_its_name(browser_page, bundled_dataset):
    mine = {"name": "Mine", "date": "2024-05-01", "parameters": "7e9", "compute": None}
    figures, _, _ = draw(browser_page, bundled_dataset, mine=mine)
    stars = [traces(f, "mine") for f in figures]
    assert [len(s) for s in stars] == [1, 0, 0]              # no compute: on parameters vs. date only
    assert stars[0][0]["y"] == [7e9] and "Your model: Mine" in stars[0][0]["hovertext"][0]
    assert "Your model: Mine" in [a["text"] for a in labels(figures[0])]
    figures, _, _ = draw(browser_page, bundled_dataset, mine={**mine, "compute": "3e30"})
    assert all(len(traces(f, "mine")) == 1 for f in figures)
    assert figures[2]["layout"]["yaxis"]["range"][1] > 30    # the axis reaches it (log10)


def test_the_time_window_starts_the_date_axes_in_2010_and_counts_what_it_leaves_out(browser_page, bundled_dataset):
    default, counts, _ = draw(browser_page, bundled_dataset, window="dl")
    wide, wide_counts, _ = draw(browser_page, bundled_dataset, window="all")
    recent, _, _ = draw(browser_page, bundled_dataset, window="5y")
    last = bundled_dataset.year_bounds[1]
    assert default[0]["layout"]["xaxis"]["range"][0] < "2010-01-01" < default[0]["layout"]["xaxis"]["range"][1]
    assert default[0]["layout"]["xaxis"]["range"][0] > "2009-06-01"
    assert wide[0]["layout"]["xaxis"]["range"][0] < "1960-01-01"                  # "All years" widens it
    assert recent[2]["layout"]["xaxis"]["range"][0] > f"{last - 5}-06-01"
    before = int((bundled_dataset.frame["parameters"].notna() & (bundled_dataset.frame["year"] < 2010)).sum())
    assert re.search(rf"· {before} before 2010, outside the time window$", counts[0])
    assert "outside" not in wide_counts[0] and "outside" not in counts[1]        # not a date chart
    assert counts[0].split(" · ")[0] == wide_counts[0].split(" · ")[0]           # counted all the same


def test_trend_lines_are_named_in_their_own_colours_and_thresholds_too(browser_page, small):
    fits = [{"metric": "training_compute", "era": era, "slope": 0.5, "intercept": -985.0, "tStart": 2012.0,
             "tEnd": 2020.0, "summary": "…", "label": f"{era}: doubling every 7.2 months"}
            for era in ("deep-learning", "large-scale")]
    figures, _, _ = draw(browser_page, small, overlays=["trends", "thresholds"], fits={"key": "", "fits": fits})
    lines = traces(figures[2], "trend")
    assert len({t["line"]["color"] for t in lines}) == 2
    names = {a["text"]: a["font"]["color"] for a in labels(figures[2], "trend")}
    assert set(names) == {"deep-learning: doubling every 7.2 months", "large-scale: doubling every 7.2 months"}
    assert set(names.values()) == {t["line"]["color"] for t in lines}


def test_colour_by_accessibility_gives_one_trace_per_value_in_fixed_colours(browser_page, bundled_dataset):
    figures, _, _ = draw(browser_page, bundled_dataset, colour="accessibility")
    points = {t["name"]: t["marker"]["color"] for t in traces(figures[0], "domain")}
    assert {"open weights", "api", "unreleased"} <= set(points) and points["open weights"] == FIXED_COLOURS["accessibility"]["open weights"]
    assert figures[0]["layout"]["legend"]["title"]["text"] == "Accessibility:"
    shown = sum(len(t["x"]) for t in traces(figures[0], "domain"))
    by_domain, _, _ = draw(browser_page, bundled_dataset)
    assert shown == sum(len(t["x"]) for t in traces(by_domain[0], "domain"))   # the same points
    groups, _, _ = draw(browser_page, bundled_dataset, colour="group")
    names = [t["name"] for t in traces(groups[0], "domain")]
    assert "Google" in names and "other" in names and len(set(names)) <= 10


def test_the_custom_chart_plots_the_chosen_columns_on_the_chosen_scales(browser_page, bundled_dataset):
    frame = bundled_dataset.frame
    skeleton = chart_skeleton(CUSTOM_CHART, frame)
    load(browser_page, bundled_dataset)
    bounds = list(bundled_dataset.year_bounds)

    def custom(axes):
        controls = control_values(bounds, {ids.OVERLAY_TOGGLES: [], ids.WINDOW: "all", **dict(zip(
            (ids.CUSTOM_X, ids.CUSTOM_Y, ids.CUSTOM_X_SCALE, ids.CUSTOM_Y_SCALE), axes))})
        result = browser_page.evaluate("""([controls, contract, skeletons]) => scalemap.charts.drawAll(
            window.testDataset, controls, null, contract, skeletons)""", [controls, CONTRACT, [skeleton]])
        return result[0], result[1]

    figure, count = custom(["date", "training_data:tokens", "log", "log"])
    tokens = int(((frame["training_data"] > 0) & (frame["training_data_unit"] == "tokens")).sum())
    assert count.startswith(f"{tokens} of {len(frame)} models")          # tokens only, never images
    assert figure["layout"]["yaxis"]["title"]["text"] == "Training data (tokens)"
    assert figure["layout"]["xaxis"]["type"] == "date" and figure["layout"]["yaxis"]["type"] == "log"
    figure, count = custom(["training_compute", "training_cost_real", "log", "linear"])
    both = int(((frame["training_compute"] > 0) & (frame["training_cost_real"] > 0)).sum())
    assert count.startswith(f"{both} of ")
    assert figure["layout"]["yaxis"]["type"] == "linear" and figure["layout"]["yaxis"]["range"][0] == 0
    assert figure["layout"]["yaxis"]["title"]["text"] == "Training cost (US$ of 2024)"
    ys = [y for t in traces(figure, "domain") for y in t["y"]]
    assert sorted(ys) == sorted(frame.loc[(frame["training_compute"] > 0) & (frame["training_cost_real"] > 0),
                                          "training_cost_real"])


def test_nothing_matching_gives_empty_charts_that_say_so_and_keep_their_axes(browser_page, small):
    full, _, _ = draw(browser_page, small, overlays=["chinchilla", "six-nd", "thresholds"])
    figures, counts, summary = draw(browser_page, small, domains=["robotics"],
                                    overlays=["chinchilla", "six-nd", "thresholds"])
    assert counts == ["0 of 0 models"] * 3 and summary == "0 of 5 models match the filters"
    for empty, drawn in zip(figures, full):
        assert not traces(empty, "domain") and not traces(empty, "legend") and not traces(empty, "overlay")
        assert [a["text"] for a in labels(empty, "empty")] == ["No models match these filters"]
        assert empty["layout"]["yaxis"]["range"] == drawn["layout"]["yaxis"]["range"]   # the whole dataset's
    figures, _, _ = draw(browser_page, small, domains=["speech"])   # kept, but with no compute
    assert [a["text"] for a in labels(figures[2], "empty")] == ["1 model matches; it has no compute"]
# --- titles -------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["", "?domain=games", "?only=sure&from=2020", "?org=OpenAI&only=frontier",
                                   "?domain=robotics&to=1960"])
def test_a_title_without_fits_reads_the_same_in_the_browser(browser_page, bundled_dataset, query):
    """A view whose fits were not asked for is titled in the browser: the sentence
    scalemap.features.takeaways.takeaway writes when no fit is sure enough to state."""
    from dataclasses import asdict

    from scalemap.features.takeaways import view_takeaways
    load(browser_page, bundled_dataset)
    view = from_query(query, domains=bundled_dataset.domains, organizations=bundled_dataset.organizations,
                      model_ids=bundled_dataset.models, year_bounds=bundled_dataset.year_bounds)
    python = view_takeaways(bundled_dataset.frame, view, fits=[])
    specs = [{**asdict(chart), "xIsDate": chart.x_is_date} for chart in CHARTS]
    browser = browser_page.evaluate("""([query, contract, specs]) => {
        const d = window.testDataset, view = scalemap.view.fromQuery(query, d, contract);
        return Object.fromEntries(specs.map((spec) => [spec.key, scalemap.chartLabels.localTitle(d, view, spec)])); }""",
                                    [query, CONTRACT, specs])
    assert browser == python


def test_a_crowded_spot_says_how_many_share_it_and_over_fifty_past_that(browser_page):
    """"N other models here" on the hover of each point that shares its spot: counted exactly up
    to 50, "over 50" past that (a spot of 100,000 models is counted in linear time)."""
    hovers = browser_page.evaluate("""() => {
        const trace = (n, x) => ({ meta: { role: 'domain' }, x: Array(n).fill(x), y: Array(n).fill(1e9),
                                   hovertext: Array(n).fill('a model') });
        const data = [trace(3, 1e6), trace(51, 1e9), trace(52, 1e12), trace(1, 1e3)];
        const layout = { xaxis: { range: [2, 13] }, yaxis: { range: [8, 10] } };
        scalemap.chartLabels.markCrowds(data, layout, { w: 500, h: 300 }, { xIsDate: false, xLog: true, yLog: true });
        return data.map((t) => [...new Set(t.hovertext)]);
    }""")
    assert hovers == [
        ["a model<br><i>2 other models here: click to list them</i>"],
        ["a model<br><i>50 other models here: click to list them</i>"],
        ["a model<br><i>over 50 other models here: click to list them</i>"],
        ["a model"]]
