"""Figure skeletons (everything but the points), the export config, the stats card and the
trends panel. How the browser fills the points in is tested in test_browser_contract.py."""
import math

import pandas as pd
import pytest

from components.charts import trends_summary
from components.stats_card import render_card
from scalemap.contract.view import ViewState
from scalemap.dataset.build import build_dataset
from scalemap.features.charts import (
    CHARTS_BY_KEY,
    DOMAIN_COLOURS,
    EXPORT_SCALE,
    SIX_ND_EXPONENTS,
    TRACE_ROLES,
    WEBGL_FROM_POINTS,
    chart_skeleton,
    graph_config,
)
from scalemap.features.stats_card import card_rows
from scalemap.features.trends import FitCache
from tests.support import SMALL_CATALOGUE


@pytest.fixture
def dataset(write_catalogue):
    return build_dataset([SMALL_CATALOGUE])


def traces(skeleton, role):
    assert {t["meta"]["role"] for t in skeleton["data"]} <= set(TRACE_ROLES)   # roles the browser knows
    return [t for t in skeleton["data"] if t["meta"]["role"] == role]


def test_a_skeleton_has_one_empty_trace_per_domain_in_its_colour(dataset):
    skeleton = chart_skeleton(CHARTS_BY_KEY["parameters-vs-date"], dataset.frame)
    domains = traces(skeleton, "domain")
    assert [t["name"] for t in domains] == ["language", "vision", "games"]
    for trace in domains:
        assert trace["x"] == [] and trace["marker"]["color"] == DOMAIN_COLOURS[trace["name"]]
        assert trace["hovertemplate"] == "%{hovertext}<extra></extra>"   # text built in the browser
    assert len(traces(skeleton, "matches")) == 1
    callout = skeleton["layout"]["annotations"][skeleton["layout"]["meta"]["calloutIndex"]]
    assert callout["name"] == "selected" and not callout["visible"]   # an annotation, not a trace
    layout = skeleton["layout"]
    assert layout["yaxis"]["type"] == "log" and layout["xaxis"]["type"] == "date"
    assert layout["yaxis"]["title"]["text"] == "Parameters (count)"
    assert layout["meta"]["chart"]["key"] == "parameters-vs-date" and layout["meta"]["chart"]["xIsDate"]
    assert layout["template"] == {}   # no template: it costs time on every redraw


@pytest.mark.parametrize("chart, overlay, words", [
    ("compute-vs-parameters", "chinchilla", "Hoffmann et al."),
    ("compute-vs-parameters", "six-nd", "Kaplan et al."),
    ("parameters-vs-date", "parameter-gap", "Villalobos et al."),
    ("compute-vs-date", "openai-doubling", "Amodei & Hernandez"),
    ("compute-vs-date", "thresholds", "EU AI Act"),
])
def test_reference_lines_are_there_hidden_and_cite_their_source(dataset, chart, overlay, words):
    skeleton = chart_skeleton(CHARTS_BY_KEY[chart], dataset.frame)
    line = next(t for t in traces(skeleton, "overlay") if t["meta"]["overlay"] == overlay)
    assert line["visible"] is False   # the browser shows the chosen ones
    text = line.get("text") or ""
    assert words in (line.get("hovertemplate") or "") + " ".join(filter(None, text if isinstance(text, list) else [text]))


def test_six_nd_and_chinchilla_lines_follow_their_formulas(dataset):
    skeleton = chart_skeleton(CHARTS_BY_KEY["compute-vs-parameters"], dataset.frame)
    six_nd = next(t for t in traces(skeleton, "overlay") if t["meta"]["overlay"] == "six-nd")
    segments, current = [], []
    for x, y in zip(six_nd["x"], six_nd["y"]):
        if x is None:
            segments.append(current)
            current = []
        else:
            current.append((x, y))
    assert len(segments) == len(SIX_ND_EXPONENTS)
    for exponent, segment in zip(SIX_ND_EXPONENTS, segments):
        for x, y in segment:
            assert y == pytest.approx(6 * x * 10.0**exponent, rel=1e-3)
    chinchilla = next(t for t in traces(skeleton, "overlay") if t["meta"]["overlay"] == "chinchilla")
    assert chinchilla["y"][-1] == pytest.approx(120 * chinchilla["x"][-1] ** 2, rel=1e-3)
    labels = [a for a in skeleton["layout"]["annotations"] if a["name"] == "six-nd"]
    assert skeleton["layout"]["meta"]["calloutIndex"] == len(labels)
    assert [a["text"] for a in labels] == [f"D = 10{e} tokens" for e in "⁹ ¹⁰ ¹¹ ¹² ¹³".split()]


def test_the_lines_span_the_data_so_the_axes_can_clip_them(dataset):
    skeleton = chart_skeleton(CHARTS_BY_KEY["compute-vs-parameters"], dataset.frame)
    chinchilla = next(t for t in traces(skeleton, "overlay") if t["meta"]["overlay"] == "chinchilla")
    widest = dataset.frame["parameters"].max()
    assert chinchilla["x"][0] <= 60e6 / 2 and chinchilla["x"][-1] >= widest * 2


def test_trend_lines_wait_empty_for_the_fits_on_date_charts_only(dataset):
    by_chart = {key: traces(chart_skeleton(chart, dataset.frame), "trend")
                for key, chart in CHARTS_BY_KEY.items()}
    assert [t["meta"]["era"] for t in by_chart["compute-vs-date"]] == \
        ["pre-deep-learning", "deep-learning", "large-scale"]
    assert by_chart["compute-vs-parameters"] == []
    assert len({t["line"]["color"] for t in by_chart["parameters-vs-date"]}) == 3   # one colour per era


def test_charts_switch_to_webgl_above_the_measured_point_count(dataset):
    chart = CHARTS_BY_KEY["parameters-vs-date"]
    assert traces(chart_skeleton(chart, dataset.frame), "domain")[0]["type"] == "scatter"
    many = pd.concat([dataset.frame] * (WEBGL_FROM_POINTS // 3 + 1))
    big = chart_skeleton(chart, many)
    assert {t["type"] for t in traces(big, "domain") + traces(big, "matches")} == {"scattergl"}
    assert {t["type"] for t in traces(big, "overlay")} == {"scatter"}   # lines stay SVG


def test_export_is_a_named_png_at_a_fixed_size():
    options = graph_config(CHARTS_BY_KEY["parameters-vs-date"])["toImageButtonOptions"]
    assert options["format"] == "png" and options["filename"] == "parameters-vs-date"
    assert options["width"] and options["height"] and options["scale"] == EXPORT_SCALE >= 2


def test_stats_card_has_every_field_with_not_documented_and_safe_links(dataset):
    model = dataset.models["guess-net"]
    rows = {row.label: row for row in card_rows(model)}
    assert rows["Parameters"].text == "60M" and rows["Parameters"].exact == "60,000,000"
    assert rows["Parameters"].source == "https://example.org/guess"
    assert rows["Training compute"].confidence == "speculative"
    assert rows["Training compute"].source == "https://example.org/est"
    for label in ("Layers", "Width / nodes", "Depth (hidden layers)", "Training data",
                  "Hardware", "Training time", "Training cost", "Inference per forward pass"):
        assert rows[label].text == "not documented"
    html_text = str(render_card(model))
    assert "Guess Net" in html_text and "not documented" in html_text
    big = {row.label: row for row in card_rows(dataset.models["big-lm"])}
    assert big["Training compute"].method == "6·N·D — excludes ablations"   # both, not one


def test_the_trends_summary_follows_the_filters(write_catalogue):
    rows = []
    for i in range(12):   # language doubles every 6 months, vision every 24
        for domain, doubling in (("language", 0.5), ("vision", 2.0)):
            rows.append(f"""\
- name: {domain} {i}
  organization: Lab
  date: {2012 + i}-06-01
  domains: [{domain}]
  links: [https://example.org/{domain}{i}]
  training_compute: {{value: {1e18 * 2 ** (i / doubling):.6g}, confidence: confident}}
""")
    dataset = build_dataset([write_catalogue("".join(rows))])
    cache = FitCache()
    language = trends_summary(cache.fits(dataset, ViewState(domains=("language",))), dataset.credits)
    vision = trends_summary(cache.fits(dataset, ViewState(domains=("vision",))), dataset.credits)
    assert "Deep-learning era: doubling every 6.0 months" in str(language)
    assert "Deep-learning era: doubling every 24.0 months" in str(vision)
    fit = cache.fits(dataset, ViewState(domains=("language",)))[0].for_browser()
    assert fit["metric"] == "training_compute" and fit["era"] == "deep-learning"
    assert math.log10(2) * 12 / fit["slope"] == pytest.approx(6.0, rel=1e-3)
