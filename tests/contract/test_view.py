"""View state: filtering rows and the URL round trip, including hostile links."""
import pandas as pd
import pytest

from scalemap.contract.url import Field, ViewCodec
from scalemap.contract.view import (
    DEFAULT_VIEW,
    FIELDS,
    RULES,
    VIEW,
    MyModel,
    ViewState,
    filter_mask,
    from_query,
    search_matches,
    to_query,
)

KNOWN = dict(domains=["language", "vision", "games"], organizations=["OpenAI", "DeepMind"],
             model_ids={"gpt-3-175b": 1, "alphago-lee": 1}, year_bounds=(1950, 2025))


def test_the_default_view_has_an_empty_query():
    assert to_query(DEFAULT_VIEW) == ""


def test_only_changed_settings_are_written_and_read_back():
    view = ViewState(domains=("language",), year_from=2015, organizations=("OpenAI",),
                     search="GPT", selected="gpt-3-175b")
    query = to_query(view)
    assert query == "?domain=language&from=2015&org=OpenAI&q=GPT&model=gpt-3-175b"
    assert from_query(query, **KNOWN) == view


def test_overlays_and_eras_round_trip():
    view = ViewState(overlays=("trends", "six-nd"), deep_learning_from="2012-06")
    assert from_query(to_query(view), **KNOWN) == view
    assert from_query("?show=none", **KNOWN).overlays == ()


def test_overlays_are_written_in_one_order_whatever_order_they_were_ticked():
    """Otherwise a page opened from a link would write the same view again in another order."""
    assert to_query(ViewState(overlays=("six-nd", "trends"))) == to_query(ViewState(overlays=("trends", "six-nd")))
    assert to_query(ViewState(overlays=("six-nd", "trends"))) == "?show=trends%2Csix-nd"


def test_pins_and_labels_round_trip_and_unknown_pins_drop():
    view = ViewState(pins=("alphago-lee", "gpt-3-175b"), labels=False)
    assert to_query(view) == "?pin=alphago-lee&pin=gpt-3-175b&labels=off"
    assert from_query(to_query(view), **KNOWN) == view
    assert from_query("?pin=nope&pin=gpt-3-175b&pin=gpt-3-175b", **KNOWN).pins == ("gpt-3-175b",)
    many = "&".join(f"pin={i}" for i in range(9))
    assert len(from_query("?" + many, **{**KNOWN, "model_ids": {str(i): 1 for i in range(9)}}).pins) == 4


@pytest.mark.parametrize("query", [
    "?domain=<script>alert(1)</script>", "?from=abc&to=1e9", "?from=2020&to=2010",
    "?model=../../etc/passwd", "?org=Nobody", "?show=rm%20-rf", "?dl=2010-13&ls=drop",
    "%%%", "?&&&==&", "?from=" + "9" * 5000, "?" + "&".join(f"k{i}=v" for i in range(500)),
])
def test_hostile_or_malformed_queries_fall_back_to_defaults(query):
    view = from_query(query, **KNOWN)
    assert view.domains == () and view.selected is None and view.organizations == ()
    assert view.year_from is None and view.year_to is None
    assert view.deep_learning_from == DEFAULT_VIEW.deep_learning_from


def test_a_long_search_is_cut_not_refused():
    assert len(from_query("?q=" + "a" * 1000, **KNOWN).search) == 100


@pytest.fixture
def frame():
    return pd.DataFrame({
        "domains": [("language",), ("vision", "language"), ("games",)],
        "year": [2018, 2021, 2016],
        "organization": ["OpenAI", "Google", "DeepMind"],
        "search_key": ["gpt-2 openai", "clip-like google", "alphago deepmind"],
        "organization_keys": [("OpenAI",), ("Google Brain", "Google"), ("DeepMind", "Google")],
    }, index=["a", "b", "c"])


def test_a_multi_domain_model_matches_each_of_its_domains(frame):
    assert list(frame.index[filter_mask(frame, ViewState(domains=("language",)))]) == ["a", "b"]
    assert list(frame.index[filter_mask(frame, ViewState(domains=("vision",)))]) == ["b"]


def test_years_and_organizations_filter_and_search_only_highlights(frame):
    view = ViewState(year_from=2017, organizations=("OpenAI", "Google Brain"))
    assert list(frame.index[filter_mask(frame, view)]) == ["a", "b"]
    assert list(frame.index[filter_mask(frame, ViewState(organizations=("Google",)))]) == ["b", "c"]   # a group
    assert filter_mask(frame, ViewState(search="alphago")).all()
    assert list(frame.index[search_matches(frame, "AlphaGo")]) == ["c"]


@pytest.mark.parametrize("query", ["?from=2015%0A", "?from=%D9%A2%D9%A0%D9%A1%D9%A5", "?from=+2015",
                                   "?from=2_015", "?dl=2012-06%0A", "?dl=%D9%A2%D9%A0%D9%A1%D9%A2-06"])
def test_years_and_months_are_ascii_digits_only(query):
    """Python's int() and \\d accept more than the browser reads; both read only 0-9."""
    view = from_query(query, **KNOWN)
    assert view.year_from is None and view.deep_learning_from == DEFAULT_VIEW.deep_learning_from


def test_controls_a_user_could_not_set_become_defaults():
    from components.url_state import view_from_controls
    junk = [[1, None], ["a", "b"], {"x": 1}, 42, "trends", ["2010-01"], 7, "gpt-3", "off", ["my"], "decade",
            ["group"], 1, "date", "cubic", None, "frontier", {"id": "x"}]
    by_control = dict(zip((c for c, _ in VIEW.controls), junk))   # in the order of the list above
    values = [by_control.get(c) for c, _ in VIEW.controls]
    assert view_from_controls(*values, year_bounds=(1950, 2025)) == ViewState(overlays=())


def test_the_controls_show_what_a_link_says_and_back():
    view = from_query("?domain=games&from=2001&org=DeepMind&q=Go&show=trends&dl=2012-06&pin=alphago-lee&labels=off"
                      "&my=M&my_date=2024-05-01&my_params=7e9&window=all&colour=group&cy=hardware_count&only=sure"
                      "&model=gpt-3-175b", **KNOWN)
    controls = VIEW.to_controls(view, KNOWN["year_bounds"])
    assert controls[:3] == [["games"], [2001, 2025], ["DeepMind"]] and controls[-1] == "gpt-3-175b"
    assert VIEW.from_controls(controls, KNOWN["year_bounds"]) == view
    assert VIEW.to_controls(DEFAULT_VIEW, (1950, 2025))[1] == [1950, 2025]


def test_a_new_field_is_one_row_of_the_table():
    """A field of each kind the app has no use for, added as a row: links and controls carry it."""
    extra = (Field("palette", "choice", "tol", ("palette",), (("palette-picker", "value"),), allowed=("tol", "okabe")),
             Field("grid", "flag", False, ("grid",), (("grid-switch", "value"),), spelling="on"),
             Field("compare", "many", (), ("vs",), (("compare-store", "data"),), known="models", private=True))
    codec = ViewCodec(FIELDS[:-1] + extra + FIELDS[-1:], RULES)
    view = codec.state(domains=("language",), palette="okabe", grid=True, compare=("gpt-3-175b", "mine~own"),
                       selected="alphago-lee")
    query = codec.to_query(view)
    assert query == "?domain=language&palette=okabe&grid=on&vs=gpt-3-175b&model=alphago-lee"   # your own: never
    assert codec.from_query(query, **KNOWN) == codec.state(domains=("language",), palette="okabe", grid=True,
                                                           compare=("gpt-3-175b",), selected="alphago-lee")
    assert codec.from_query("?palette=red&grid=yes&vs=nope", **KNOWN) == codec.default
    controls = codec.to_controls(view, KNOWN["year_bounds"])
    assert codec.controls[-1] == ("selected-model", "data") and controls[-2] == ["gpt-3-175b", "mine~own"]
    assert codec.from_controls(controls, KNOWN["year_bounds"]) == view
    assert {f["name"] for f in codec.for_browser()["fields"]} >= {"palette", "grid", "compare"}
    assert codec.default.palette == "tol" and not hasattr(DEFAULT_VIEW, "palette")


def test_the_table_names_what_exists():
    from scalemap.contract.payload import COLUMNS_BY_NAME
    from scalemap.contract.view import AXES, COLOURING_COLUMNS, COLOURINGS, FIELDS_BY_NAME, MINE_AXES
    assert set(COLOURING_COLUMNS) <= set(COLOURINGS) and set(COLOURING_COLUMNS.values()) <= set(COLUMNS_BY_NAME)
    assert set(MINE_AXES) <= set(AXES) and set(MINE_AXES.values()) <= set(FIELDS_BY_NAME["mine"].items)
    assert {axis.split(":")[0] for axis in AXES} - {"date"} <= set(COLUMNS_BY_NAME)
    keys = [key for f in FIELDS for key in f.keys]
    assert len(keys) == len(set(keys)), "a URL key used twice"


@pytest.mark.parametrize("query, mine", [
    ("?my=Mine&my_date=2024-05-01&my_params=7e9&my_compute=8.4e22", MyModel("Mine", "2024-05-01", "7e9", "8.4e22")),
    ("?my=+Mine+&my_date=2024-05-01&my_compute=1.2e%2B24", MyModel("Mine", "2024-05-01", None, "1.2e+24")),
    ("?my=Mine&my_date=2024-05-01&my_params=7e9&my_compute=8.4e22&my_tokens=2e12&my_chips=512&my_days=10",
     MyModel("Mine", "2024-05-01", "7e9", "8.4e22", "2e12", "512", "10")),   # the estimator's inputs too
    ("?my=Mine&my_date=2024-05-01&my_params=7e9&my_tokens=lots&my_days=-1",
     MyModel("Mine", "2024-05-01", "7e9")),                                   # a malformed input left out
    ("?my=Mine&my_date=2024-05-01&my_tokens=2e12", None),            # nothing to plot
    ("?my=Mine&my_date=2024-05-01", None),                          # nothing to plot
    ("?my=Mine&my_date=2024-13-01&my_params=7e9", None),           # no such month
    ("?my=&my_date=2024-05-01&my_params=7e9", None),               # no name
    ("?my=Mine&my_date=2024-05-01&my_params=-7e9", None),          # not positive
    ("?my=Mine&my_date=2024-05-01&my_params=0", None),
    ("?my=Mine&my_date=2024-05-01&my_params=%D9%A7e9", None),      # Arabic-Indic digits
    ("?my=Mine&my_date=2024-05-01&my_params=7e9%0A", None),
    ("?my=Mine&my_date=2024-05-01&my_params=inf", None),
])
def test_your_model_is_read_from_the_link_only_when_well_formed(query, mine):
    view = from_query(query, **KNOWN)
    assert view.mine == mine
    if mine:
        assert from_query(to_query(view), **KNOWN) == view


def test_the_custom_charts_axes_round_trip_and_junk_falls_back_part_by_part():
    view = from_query("?cx=training_compute&cy=training_cost_real&cyscale=linear", **KNOWN)
    assert view.axes == ("training_compute", "training_cost_real", "log", "linear")
    assert from_query(to_query(view), **KNOWN) == view
    assert from_query("?cx=nope&cy=date&cxscale=sqrt", **KNOWN).axes == DEFAULT_VIEW.axes   # y is never the date


def test_the_tab_and_the_story_are_in_the_link_and_junk_falls_back():
    view = from_query("?tab=compare&story=three-eras", **KNOWN)
    assert (view.tab, view.story) == ("compare", "three-eras")
    assert to_query(view) == "?tab=compare&story=three-eras"
    assert to_query(from_query("?tab=charts", **KNOWN)) == ""                     # the default tab is no part of a link
    junk = from_query("?tab=Table&story=%3Cscript%3E", **KNOWN)
    assert (junk.tab, junk.story) == ("charts", "")
