"""Exports of a view (scalemap.features.export): the page's "Download CSV", GET /data.csv and
GET /api/models.json — the same models as the view, every number with its confidence,
source, method and origin, dates at their stated precision, the data's credit."""
import io
import json
import re
import urllib.error
import urllib.request
from dataclasses import replace

import pandas as pd
import pytest

from scalemap.contract.view import DEFAULT_VIEW, filter_mask, search_matches
from scalemap.dataset.build import build_dataset
from scalemap.dataset.table import EPOCH_CREDIT
from scalemap.features.export import (
    COLUMNS,
    CREDIT_COLUMN,
    NUMBERS,
    credit_line,
    export_csv,
    export_json,
    export_records,
    file_name,
    neutralise_formulas,
    view_from_query,
    view_mask,
)
from tests.support import EPOCH_SAMPLE, served_app

CATALOGUE = """\
- name: Old Machine
  organization: Bell Labs
  country: United States
  date: 1950
  domains: [robotics]
  links: [https://example.org/old-machine]
  parameters: {value: 25, confidence: speculative, method: "two relay bits per square"}
- name: Month Net
  organization: Lab
  date: 2020-05
  domains: [vision, language]
  links: [https://example.org/month-net]
- name: Day Net
  organization: OpenAI
  date: 2020-05-28
  domains: [language]
  accessibility: api
  links: [https://arxiv.org/abs/2005.14165, https://example.org/second]
  parameters: {value: 175e9, confidence: confident, source: "https://example.org/params"}
  training_compute: {value: 3.14e23, confidence: likely, method: "6·N·D, N=175e9, D=300e9 tokens", note: "Table D.1"}
  training_data: {value: 300e9, unit: tokens, confidence: confident}
  training_cost: {value: 4.6e6, year: 2020, confidence: speculative}
  training_time_hours: {value: 355, confidence: likely}
  hardware: {type: NVIDIA V100, count: 10000, confidence: likely, note: "Microsoft's cluster"}
- name: "=HYPERLINK(\\"https://evil.example\\",\\"click\\")"
  organization: "+Evil Lab"
  date: 2021-01-01
  domains: [other]
  links: [https://example.org/evil]
  parameters: {value: 1e6, confidence: likely, method: "-2+3 cmd|' /C calc'!A0"}
"""


@pytest.fixture
def small(write_catalogue):
    return build_dataset([write_catalogue(CATALOGUE)])


def read_csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def test_dates_keep_their_stated_precision(small):
    table = read_csv(export_csv(small, DEFAULT_VIEW)).set_index("id")
    assert table.loc["old-machine", "publication_date"] == "1950"
    assert table.loc["month-net", "publication_date"] == "2020-05"
    assert table.loc["day-net", "publication_date"] == "2020-05-28"
    assert table["date_precision"].to_dict() == {"old-machine": "year", "month-net": "month", "day-net": "day",
                                                 "hyperlink-https-evil-example-click": "day"}
    assert ["id", *table.columns] == [*COLUMNS, CREDIT_COLUMN]   # the credit last, read as any column
    assert set(table[CREDIT_COLUMN]) == {credit_line(small)}


def test_every_number_carries_its_confidence_source_method_and_origin(small):
    row = read_csv(export_csv(small, DEFAULT_VIEW)).set_index("id").loc["day-net"]
    assert float(row["parameters"]) == 175e9
    assert row["parameters_confidence"] == "confident"
    assert row["parameters_source"] == "https://example.org/params"           # the number's own link
    assert row["training_compute_source"] == "https://arxiv.org/abs/2005.14165"  # else the model's first
    assert row["training_compute_method"] == "6·N·D, N=175e9, D=300e9 tokens — Table D.1"
    assert row["training_compute_confidence"] == "likely"
    assert (row["training_data_unit"], row["training_cost_year"]) == ("tokens", "2020")
    assert (row["hardware"], row["hardware_count"], row["hardware_method"]) == ("NVIDIA V100", "10000", "Microsoft's cluster")
    assert row["hardware_source"] == "https://arxiv.org/abs/2005.14165"
    assert {row[f"{n}_origin"] for n in ("parameters", "training_compute", "hardware")} == {"ML Scale Map"}
    assert row["active_parameters"] == row["active_parameters_source"] == ""   # unknown: empty
    assert (row["domains"], row["accessibility"], row["link"]) == ("language", "api", "https://arxiv.org/abs/2005.14165")
    for number in NUMBERS:
        assert {f"{number}_confidence", f"{number}_source", f"{number}_method", f"{number}_origin"} <= set(row.index)
    month = read_csv(export_csv(small, DEFAULT_VIEW)).set_index("id").loc["month-net"]
    assert month["domains"] == "vision, language" and month["parameters_source"] == ""


def test_the_json_rows_are_the_csv_rows(small):
    view = view_from_query(small, "?domain=language")
    body = export_json(small, view)
    # A catalogue that is not the released one: its data version names the release and its own digest.
    assert re.fullmatch(r"Data: ML Scale Map catalogue \d{4}\.\d+\.\d+\+[0-9a-f]{8}", body["credit"])
    assert body["data_version"] == small.data_version and body["query"] == "?domain=language"
    assert body["count"] == 2 and [m["id"] for m in body["models"]] == ["month-net", "day-net"]
    assert body["models"][0]["domains"] == ["vision", "language"] and body["models"][0]["parameters"] is None
    assert json.loads(json.dumps(body, allow_nan=False)) == body
    assert read_csv(export_csv(small, view))["id"].tolist() == ["month-net", "day-net"]


def test_spreadsheet_formulas_are_neutralised_in_the_csv_only(small):
    row = read_csv(export_csv(small, DEFAULT_VIEW)).set_index("id").loc["hyperlink-https-evil-example-click"]
    assert row["name"] == "'=HYPERLINK(\"https://evil.example\",\"click\")"
    assert row["organization"] == "'+Evil Lab" and row["parameters_method"].startswith("'-2+3")
    raw = export_records(small, DEFAULT_VIEW)[-1]
    assert raw["name"].startswith("=")   # JSON is not a spreadsheet: the text as written
    cells = neutralise_formulas(pd.DataFrame({"a": ["=1", "@x", "\tcmd", "ok", None], "n": [1, 2, 3, 4, 5]}))
    assert cells["a"].tolist()[:4] == ["'=1", "'@x", "'\tcmd", "ok"] and cells["n"].tolist() == [1, 2, 3, 4, 5]


def test_search_narrows_an_export_as_it_narrows_the_table(bundled_dataset):
    frame = bundled_dataset.frame
    view = view_from_query(bundled_dataset, "?domain=language&from=2020&q=GPT")
    expected = frame.index[filter_mask(frame, view) & search_matches(frame, "GPT")].tolist()
    assert [r["id"] for r in export_records(bundled_dataset, view)] == expected and 0 < len(expected)
    assert view_mask(frame, replace(view, search="  ")).sum() == filter_mask(frame, view).sum()
    nothing = view_from_query(bundled_dataset, "?q=no-such-model-anywhere")
    assert export_csv(bundled_dataset, nothing).splitlines() == [",".join((*COLUMNS, CREDIT_COLUMN))]


@pytest.mark.parametrize("query, name", [
    ("", "ml-scale-map_all.csv"),
    ("?domain=language&from=2020&q=gpt", "ml-scale-map_language_2020-2025_q-gpt.csv"),
    ("?domain=vision&domain=games&to=1999", "ml-scale-map_vision-games_1950-1999.csv"),
    ("?from=2012&to=2012", "ml-scale-map_2012.csv"),
    ("?org=Google&org=Meta&q=Llama%202%2070B", "ml-scale-map_org-google-meta_q-llama-2-70b.csv"),
    ("?q=..%2F..%2Fetc%2Fpasswd%22%3B%20rm%20-rf", "ml-scale-map_q-etc-passwd-rm-rf.csv"),
    ("?q=PanGu-%CE%B1", "ml-scale-map_q-pangu.csv"),
    ("?q=%CE%B1%CE%B2", "ml-scale-map_q.csv"),
    ("?domain=%3Cscript%3E&from=abc&org=%00", "ml-scale-map_all.csv"),
])
def test_the_file_name_says_what_was_filtered_in_safe_characters(bundled_dataset, query, name):
    view = view_from_query(bundled_dataset, query)
    assert file_name(view, bundled_dataset.year_bounds) == name


def test_a_long_search_gives_a_bounded_file_name(bundled_dataset):
    view = replace(DEFAULT_VIEW, domains=tuple(bundled_dataset.domains), organizations=("x" * 300,), search="y" * 100)
    name = file_name(view, bundled_dataset.year_bounds)
    assert re.fullmatch(r"[a-z0-9_.-]+", name) and len(name) <= 160 and name.endswith(".csv")


def test_ids_and_file_names_share_one_slug_rule(bundled_dataset):
    from scalemap.dataset.table import assign_ids, slug
    names = pd.Series(["NÜWA", "BigGAN (128×128)", "PanGu-α", "PanGu-Σ", "Université de Montréal", "αβ", "big-gan-128-128"])
    assert assign_ids(names) == ["nuwa", "biggan-128-128", "pangu", "pangu-2", "universite-de-montreal", "model",
                                 "big-gan-128-128"]
    view = view_from_query(bundled_dataset, "?org=Universit%C3%A9%20de%20Montr%C3%A9al&q=N%C3%9CWA%20128%C3%97128")
    assert file_name(view, bundled_dataset.year_bounds) == \
        f"ml-scale-map_{slug('org-Université de Montréal')}_{slug('q-NÜWA 128×128')}.csv"
    assert slug("q-NÜWA 128×128") == "q-nuwa-128-128"
    assert assign_ids(pd.Series(["A", "a", "a-2"])) == ["a", "a-2", "a-2-2"]   # a suffix that is a name


def test_catalogue_only_epoch_only_and_merged_credits(small, write_catalogue, tmp_path):
    export = tmp_path / "epoch.csv"
    export.write_text("Model,Organization,Publication date,Domain,Parameters,Training compute (FLOP),Confidence,Link\n"
                      "Day Net,OpenAI,2020-05-28,Language,1.75e11,3e23,Confident,https://arxiv.org/abs/2005.14165\n"
                      "Their Net,Lab,2021-02-01,Vision,2e9,4e21,Likely,https://example.org/their-net\n", encoding="utf-8")
    assert credit_line(small) == f"Data: ML Scale Map catalogue {small.data_version}"
    epoch_only = build_dataset(None, [export], bundled=False)
    assert credit_line(epoch_only) == "Data: " + EPOCH_CREDIT.removeprefix("Data: ")
    assert credit_line(epoch_only) == "Data: Epoch AI (CC BY 4.0), epoch.ai/data"
    merged = build_dataset([write_catalogue(CATALOGUE)], [export])
    assert credit_line(merged) == f"Data: ML Scale Map catalogue {merged.data_version}; Epoch AI (CC BY 4.0), epoch.ai/data"
    rows = {r["id"]: r for r in export_records(merged, DEFAULT_VIEW)}
    day = rows["day-net"]    # ours, with nothing missing that Epoch has: every number ours
    assert day["parameters"] == 175e9 and day["parameters_origin"] == "ML Scale Map"
    theirs = rows["their-net"]
    assert theirs["origin"] == theirs["parameters_origin"] == "Epoch AI (CC BY 4.0)"
    assert theirs["parameters_source"] == "https://example.org/their-net" and theirs["parameters_confidence"] == "likely"


def test_a_merged_model_names_the_origin_of_each_number(write_catalogue, tmp_path):
    export = tmp_path / "epoch.csv"
    export.write_text("Model,Organization,Publication date,Domain,Parameters,Training compute (FLOP),Confidence,Link\n"
                      "Month Net,Lab,2020-05-01,Vision,5e8,2e20,Likely,https://example.org/epoch-month-net\n",
                      encoding="utf-8")
    merged = build_dataset([write_catalogue(CATALOGUE)], [export])
    assert merged.models.provenance("month-net") is not None
    row = {r["id"]: r for r in export_records(merged, DEFAULT_VIEW)}["month-net"]
    assert row["origin"] == "ML Scale Map" and row["publication_date"] == "2020-05"
    assert row["training_compute"] == 2e20 and row["training_compute_origin"] == "Epoch AI (CC BY 4.0)"
    assert row["training_compute_source"] == "https://example.org/epoch-month-net"


def test_the_export_agrees_with_the_table_on_a_merge(epoch_export):
    merged = build_dataset(epoch_paths=[epoch_export])
    records = export_records(merged, DEFAULT_VIEW)
    assert len(records) == len(merged.frame) and credit_line(merged).endswith("Epoch AI (CC BY 4.0), epoch.ai/data")
    frame = merged.frame
    for number in ("parameters", "training_compute", "training_data"):
        exported = pd.Series([r[number] for r in records], index=frame.index, dtype=float)
        pd.testing.assert_series_equal(exported, frame[number], check_names=False)
    origins = {r["training_compute_origin"] for r in records if r["id"] in set(merged.models.merged_ids())}
    assert origins == {"ML Scale Map", "Epoch AI (CC BY 4.0)", None}
    assert all(r["parameters_source"] is None or r["parameters_source"].startswith("http") for r in records)
    ids = frame.index.tolist()
    read_at_once = merged.models.transient(ids)   # a table at a time, nothing kept …
    assert not merged.models._built
    assert read_at_once == [merged.models[model_id] for model_id in ids]   # … the same entries


def test_the_download_button_gives_the_same_csv_and_name_as_the_url(app):
    from components.filters import download_filtered_csv
    dataset = app.server.config["SCALEMAP_DATASET"]
    last = dataset.year_bounds[1]
    controls = (["language"], [2020, last], [], "GPT", ["chinchilla"], "2010-01", "2015-09", [], True, None,
                "dl", "domain", "date", "training_data:tokens", "log", "log", [])
    with app.server.test_request_context():
        sent = download_filtered_csv(1, *controls)
    client = app.server.test_client()
    response = client.get("/data.csv?domain=language&from=2020&q=GPT")
    assert sent["filename"] == f"ml-scale-map_language_2020-{last}_q-gpt.csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{sent["filename"]}"'
    assert sent["content"] == response.get_data(as_text=True)


# ---- over HTTP, served by real gunicorn ----

def get(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_data_csv_holds_the_models_of_the_view_with_a_source_per_number(gunicorn_server, bundled_dataset):
    frame = bundled_dataset.frame
    view = view_from_query(bundled_dataset, "?domain=language&from=2020")
    page_count = int(filter_mask(frame, view).sum())   # the page's "N of M models match the filters"
    status, headers, body = get(gunicorn_server + "/data.csv?domain=language&from=2020")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    table = pd.read_csv(io.BytesIO(body), dtype=str, keep_default_na=False)
    assert len(table) == page_count > 100
    assert table["id"].tolist() == frame.index[filter_mask(frame, view)].tolist()
    for number in NUMBERS:
        assert {f"{number}_source", f"{number}_confidence", f"{number}_method"} <= set(table.columns)
    assert (table.loc[table["parameters"] != "", "parameters_source"].str.startswith("http")).all()
    assert headers["Content-Disposition"] == (
        f'attachment; filename="ml-scale-map_language_2020-{bundled_dataset.year_bounds[1]}.csv"')
    assert headers["X-Data-Credit"] == f"Data: ML Scale Map catalogue {bundled_dataset.data_version}"
    assert headers["Cache-Control"] == "public, max-age=300" and bundled_dataset.version in headers["ETag"]
    status, _, body = get(gunicorn_server + "/data.csv?domain=language&from=2020", {"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""


def test_models_json_holds_the_same_ids_and_the_credit(gunicorn_server, bundled_dataset):
    query = "?domain=language&from=2020&q=GPT"
    status, headers, body = get(gunicorn_server + "/api/models.json" + query, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    import gzip
    data = json.loads(gzip.decompress(body))
    _, _, csv_body = get(gunicorn_server + "/data.csv" + query)
    csv_ids = pd.read_csv(io.BytesIO(csv_body), dtype=str)["id"].tolist()
    assert [m["id"] for m in data["models"]] == csv_ids and data["count"] == len(csv_ids) > 0
    frame = bundled_dataset.frame
    view = view_from_query(bundled_dataset, query)
    assert csv_ids == frame.index[filter_mask(frame, view) & search_matches(frame, "GPT")].tolist()
    assert data["credit"] == headers["X-Data-Credit"] == f"Data: ML Scale Map catalogue {bundled_dataset.data_version}"
    assert data["query"] == query and data["dataset"] == bundled_dataset.version
    assert data["data_version"] == bundled_dataset.data_version
    assert data["columns"] == list(COLUMNS) and set(data["models"][0]) == set(COLUMNS)


HOSTILE = ["?domain=%3Cscript%3E&from=abc&to=99999&model=..%2F..%2Fetc&org=%00&show=x",
           "?" + "domain=language&" * 300, "?from=%ff%fe%00&q=%C0%AF", "?q=" + "%E2%80%AE" * 200,
           "?from=2020&to=1990", "?domain=language&domain=language&from=1e3&to=-1", "?=&&&==&q",
           "?q=%3D1%2B1", "?org=" + "A" * 3000, "?q=" + "a" * 7000, "?" + "x=1&" * 1500,
           "?q=" + "a" * 9000]   # (the last is longer than gunicorn's request line: 414 before the app)


@pytest.mark.parametrize("path", ["/data.csv", "/api/models.json"])
def test_hostile_queries_answer_the_default_view_or_400_never_500(gunicorn_server, bundled_dataset, path):
    every = len(bundled_dataset.frame)
    for query in HOSTILE:
        status, headers, body = get(gunicorn_server + path + query)
        assert status in (200, 400, 414), (query[:60], status, body[:200])
        assert status != 414 or len(query) > 8000
        if status in (400, 414):
            continue
        if path.endswith(".json"):
            assert json.loads(body)["count"] <= every
        else:
            assert re.fullmatch(r'attachment; filename="[a-z0-9_.-]+"', headers["Content-Disposition"])
    status, _, body = get(gunicorn_server + path + HOSTILE[0])
    count = json.loads(body)["count"] if path.endswith(".json") else len(body.decode().splitlines()) - 1
    assert status == 200 and count == every   # nothing it names exists: the default view


def test_a_query_longer_than_a_link_answers_400_in_json(app):
    client = app.server.test_client()
    for path in ("/data.csv", "/api/models.json"):
        response = client.get(path + "?q=" + "a" * 8200)
        assert response.status_code == 400 and "longer than" in response.get_json()["error"]
        assert client.get(path + "?q=" + "a" * 8000).status_code == 200


@pytest.fixture(scope="module")
def epoch_server(tmp_path_factory):
    with served_app(tmp_path_factory.mktemp("export-epoch"), {"SCALEMAP_EPOCH_CSV": str(EPOCH_SAMPLE)}) as url:
        yield url


def test_exports_credit_epoch_when_its_data_is_loaded(epoch_server, bundled_dataset):
    status, headers, body = get(epoch_server + "/api/models.json?domain=language&from=2020")
    assert status == 200
    credit = f"Data: ML Scale Map catalogue {bundled_dataset.data_version}; Epoch AI (CC BY 4.0), epoch.ai/data"
    assert headers["X-Data-Credit"] == credit and json.loads(body)["credit"] == credit
    origins = {m["training_compute_origin"] for m in json.loads(body)["models"]}
    assert {"ML Scale Map", "Epoch AI (CC BY 4.0)"} <= origins
    status, headers, _ = get(epoch_server + "/data.csv?domain=language&from=2020")
    assert status == 200 and headers["X-Data-Credit"] == credit
