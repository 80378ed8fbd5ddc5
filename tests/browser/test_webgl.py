"""The map on 3,000 models (generated from the tests' Epoch-format sample): charts with that many points draw
with WebGL, and a point still hovers, clicks open its card, speculative values are hollow
and the PNG export works."""
import re
import struct

import pytest
from playwright.sync_api import expect

from scalemap.dataset.build import build_dataset
from scalemap.features.charts import CHARTS, EXPORT_HEIGHT, EXPORT_SCALE, EXPORT_WIDTH, WEBGL_FROM_POINTS, plotted_rows
from tests.support import EPOCH_SAMPLE, SCREEN_DRAWN, chart_drawn, page_on, served_app

pytestmark = pytest.mark.browser
SETTINGS = {"SCALEMAP_EPOCH_ONLY": "1"}
DRAWN = SCREEN_DRAWN


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from benchmarks.datasets import generated_csv
    return generated_csv(3000, source=EPOCH_SAMPLE, out_dir=tmp_path_factory.mktemp("generated"))


@pytest.fixture(scope="module")
def webgl_server(tmp_path_factory, generated):
    with served_app(tmp_path_factory.mktemp("webgl"), {**SETTINGS, "SCALEMAP_EPOCH_CSV": str(generated)}) as url:
        yield url


@pytest.fixture
def gl_page(warm_chromium, webgl_server):
    with page_on(warm_chromium, webgl_server) as page:
        yield page


@pytest.fixture(scope="module")
def default_view(warm_chromium, webgl_server):
    """The map's default view on 3,000 models, loaded and drawn once for the tests that only read
    it, hover and export (a load here costs some 3 s): each test fails on an error it met."""
    with page_on(warm_chromium, webgl_server) as page:
        page.goto(page.base_url + "/")
        page.wait_for_function(DRAWN)
        yield page


@pytest.fixture
def gl_home(default_view):
    met = len(default_view.errors)
    yield default_view
    assert default_view.errors[met:] == []
    default_view.evaluate("window.scrollTo(0, 0)")


@pytest.fixture(scope="module")
def frame(generated):
    return build_dataset(epoch_paths=[generated], bundled=False).frame


def test_charts_with_many_points_draw_with_webgl(gl_home, frame):
    types = [chart_drawn(gl_home, chart.key).evaluate(
        "gd => [...new Set(gd._fullData.filter((t) => t.meta.role === 'domain').map((t) => t.type))]")
        for chart in CHARTS]
    for chart, drawn in zip(CHARTS, types):
        many = len(plotted_rows(frame, chart)) > WEBGL_FROM_POINTS
        assert drawn == (["scattergl"] if many else ["scatter"]), chart.key
    assert any(drawn == ["scattergl"] for drawn in types)
    count = gl_home.locator(f"#count-{CHARTS[2].key}").inner_text()
    assert count.startswith(f"{len(plotted_rows(frame, CHARTS[2]))} of {len(frame)} models")


def test_speculative_points_are_hollow_in_webgl(gl_home):
    symbols = chart_drawn(gl_home, "compute-vs-date").evaluate(
        "gd => gd._fullData.filter((t) => t.type === 'scattergl').flatMap((t) => [].concat(t.marker.symbol))")
    assert "circle-open" in symbols and "circle" in symbols


def test_a_webgl_point_hovers_and_clicks_open_its_card(gl_page, frame):
    plotted = plotted_rows(frame, CHARTS[2])
    solid = plotted[plotted["training_compute_confidence"] != "speculative"]
    name = next(n for n in solid["name"] if int(n.rsplit("#", 1)[1]) >= 1000)   # "#1234" names one model
    gl_page.goto(gl_page.base_url + "/?window=all&q=" + name.rsplit(" ", 1)[1].replace("#", "%23"))   # any year
    gl_page.wait_for_function(DRAWN)
    expect(gl_page.locator("#filter-summary")).to_contain_text("1 match")
    graph = gl_page.locator("#graph-compute-vs-date")
    chart_drawn(gl_page, "compute-vs-date")
    x, y = graph.evaluate("""(el) => {
        const gd = el.querySelector('.js-plotly-plot');
        const match = gd._fullData.find((t) => t.meta && t.meta.role === 'matches');
        const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect();
        return [box.left + xa._offset + xa.l2p(xa.d2l(match.x[0])), box.top + ya._offset + ya.l2p(ya.d2l(match.y[0]))];
      }""")
    gl_page.mouse.move(x, y)
    expect(graph.locator(".hoverlayer .hovertext")).to_contain_text(name)
    gl_page.mouse.click(x, y)
    expect(gl_page.locator("#stats-card .stats-card-name")).to_have_text(name)
    expect(gl_page).to_have_url(re.compile(r"model="))


def test_a_webgl_chart_exports_a_png_at_the_fixed_size(gl_home, tmp_path):
    graph = gl_home.locator("#graph-compute-vs-date")
    chart_drawn(gl_home, "compute-vs-date")
    graph.hover()
    with gl_home.expect_download() as download_info:
        graph.locator('.modebar-btn[data-title^="Download PNG"]').click()
    path = tmp_path / "chart.png"
    download_info.value.save_as(path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (EXPORT_WIDTH * EXPORT_SCALE, EXPORT_HEIGHT * EXPORT_SCALE)
    assert len(data) > 60_000   # thousands of points drawn, not an empty frame


def test_an_export_made_from_epochs_data_credits_it(gl_home, tmp_path):
    graph = gl_home.locator("#graph-parameters-vs-date")
    graph.hover()
    with gl_home.expect_download() as download_info:
        graph.locator('.modebar-btn[data-title^="Download SVG"]').click()
    path = tmp_path / "chart.svg"
    download_info.value.save_as(path)
    assert "Data: Epoch AI (CC BY 4.0)" in path.read_text()   # Epoch's data alone here
