"""A model's page as data (scalemap.features.model_page), its citation, the wrong-number report,
the data package's descriptor (validated by frictionless) and an embed's words."""
import datetime as dt
import json
import re
import shutil
from dataclasses import replace

import frictionless
import pytest
import yaml

from scalemap.contract.view import DEFAULT_VIEW
from scalemap.dataset.build import build_dataset
from scalemap.features.citation import bibtex, bibtex_escape, citation_text
from scalemap.features.datapackage import datapackage, datapackage_text, fields
from scalemap.features.embed import chart_of, describe_filters, embedded_chart
from scalemap.features.export import COLUMNS, export_csv, export_json, view_from_query
from scalemap.features.model_page import correction_yaml, model_page, report_text
from scalemap.features.versions import Changelog

CATALOGUE = """\
- name: Day Net
  organization: OpenAI
  country: United States
  date: 2020-05-28
  domains: [language]
  links: [https://arxiv.org/abs/2005.14165]
  parameters: {value: 175e9, confidence: confident}
  training_compute: {value: 3.14e23, low: 2e23, high: 5e23, confidence: likely, method: "6·N·D", source: "https://example.org/c"}
- name: "Odd & {Name} 50%"
  organization: Lab
  date: 2019-03
  domains: [vision]
  links: [https://example.org/odd]
  parameters: {value: 2e6, confidence: speculative, low: 1e6, high: 4e6}
"""
EPOCH = ("Model,Organization,Publication date,Domain,Parameters,Training compute (FLOP),Confidence,Link\n"
         "Day Net,OpenAI,2020-05-28,Language,1.75e11,9e23,Confident,https://example.org/epoch-day\n"
         "Their Net,Lab,2021-02-01,Vision,2e9,4e21,Likely,https://example.org/their-net\n")
LOG = Changelog(({"version": "2026.12.2", "date": "2026-12-10", "added": [], "changed": [
    {"id": "day-net", "name": "Day Net", "field": "training_compute",
     "old": {"value": 3e23, "confidence": "speculative", "source": "https://example.org/c"},
     "new": {"value": 3.14e23, "confidence": "likely", "source": "https://example.org/c"}}]},
                 {"version": "2026.12.1", "date": "2026-12-01", "added": [{"id": "day-net", "name": "Day Net"}],
                  "changed": []}))
BASE = "https://maps.example.org/"
ACCESSED = dt.date(2027, 1, 15)


@pytest.fixture
def small(write_catalogue):
    return build_dataset([write_catalogue(CATALOGUE)])


@pytest.fixture
def merged(write_catalogue, tmp_path):
    export = tmp_path / "epoch.csv"
    export.write_text(EPOCH, encoding="utf-8")
    return build_dataset([write_catalogue(CATALOGUE)], [export])


def test_a_model_page_holds_every_number_with_its_source_confidence_range_and_method(small):
    page = model_page(small, "day-net", LOG, BASE, "2026-12-10", {"path": "https://opensource.org/license/mit"},
                      ACCESSED)
    compute = next(row for row in page.rows if row.field == "training_compute")
    assert (compute.text, compute.confidence, compute.source, compute.method) == (
        "3.1×10²³ FLOP", "likely", "https://example.org/c", "6·N·D")
    assert compute.range == "2.0×10²³–5.0×10²³ FLOP"
    assert page.page_url == "https://maps.example.org/model/day-net"
    assert page.map_url == "https://maps.example.org/?model=day-net"
    assert [(line.version, line.text) for line in page.history] == [
        ("2026.12.2", "training compute: 3.0×10²³ FLOP (speculative) → 3.1×10²³ FLOP (likely); "
                      "source https://example.org/c")]
    assert page.added_in == "2026.12.1" and page.credits == []
    assert [source.origin for source in page.sources] == ["ML Scale Map"]
    assert model_page(small, "no-such-model", LOG, BASE) is None
    assert model_page(small, None, LOG, BASE) is None


def test_the_json_ld_is_a_schema_org_dataset_about_the_model(small):
    page = model_page(small, "day-net", LOG, BASE, "2026-12-10", {"path": "https://opensource.org/license/mit"},
                      ACCESSED)
    data = json.loads(page.json_ld_text)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
    assert data["url"] == page.page_url and data["version"] == small.data_version
    assert data["about"] == {"@type": "CreativeWork", "name": "Day Net", "datePublished": "2020-05-28",
                             "creator": {"@type": "Organization", "name": "OpenAI"},
                             "url": "https://arxiv.org/abs/2005.14165"}
    compute = next(p for p in data["variableMeasured"] if p["propertyID"] == "training_compute")
    assert compute == {"@type": "PropertyValue", "propertyID": "training_compute", "name": "Training compute",
                       "value": 3.14e23, "unitText": "FLOP", "minValue": 2e23, "maxValue": 5e23,
                       "description": "confidence: likely; 6·N·D", "url": "https://example.org/c"}
    assert {p["propertyID"] for p in data["variableMeasured"]} == {"parameters", "training_compute"}


def test_markup_in_a_name_cannot_close_the_json_ld_element(write_catalogue):
    dataset = build_dataset([write_catalogue(CATALOGUE.replace('"Odd & {Name} 50%"', '"</script><b>x"'))])
    model_id = next(i for i in dataset.models if i.startswith("script"))
    text = model_page(dataset, model_id, LOG, BASE).json_ld_text
    assert "</script>" not in text and json.loads(text)["about"]["name"] == "</script><b>x"


def test_a_model_in_two_sources_shows_each_source_and_credits_epoch(merged):
    page = model_page(merged, "day-net", LOG, BASE)
    origins = [source.origin for source in page.sources]
    assert origins == ["ML Scale Map", "Epoch AI (CC BY 4.0)"]
    ours, theirs = (source.rows["Training compute"] for source in page.sources)
    assert (ours.text, theirs.text) == ("3.1×10²³ FLOP", "9.0×10²³ FLOP")
    assert theirs.source == "https://example.org/epoch-day"
    assert page.credits and "Epoch AI" in page.credits[0]
    only_epoch = model_page(merged, "their-net", LOG, BASE)
    assert [s.origin for s in only_epoch.sources] == ["Epoch AI (CC BY 4.0)"] and only_epoch.credits


def test_the_citation_names_the_version_and_the_day_it_was_read(small):
    text = citation_text(BASE, "2026.12.1", "2026-12-06", ACCESSED, model="Day Net")
    assert text == ("ML Scale Map contributors. (2026). Day Net. In ML Scale Map catalogue (Version 2026.12.1) "
                    "[Data set]. Retrieved 15 January 2027, from https://maps.example.org/")
    entry = bibtex(BASE + "model/odd", "2026.12.1", "2026-12-06", ACCESSED, model="Odd & {Name} 50%_x",
                   model_id="odd-name-50")
    assert entry.startswith("@misc{mlscalemap-odd-name-50-2026.12.1,\n")
    assert r"title = {{Odd \& \{Name\} 50\%\_x --- ML Scale Map catalogue}}" in entry
    assert "version = {2026.12.1}" in entry and "urldate = {2027-01-15}" in entry and "year = {2026}" in entry
    assert entry.count("{") == entry.count("}")   # braces balanced: BibTeX reads the entry whole
    assert bibtex_escape("a\\b~c^") == r"a\textbackslash{}b\~{}c\^{}"


def test_a_wrong_number_report_names_the_model_field_value_and_source(small):
    page = model_page(small, "day-net", LOG, BASE)
    text = report_text(page, "training_compute")
    for line in ("Wrong number: Day Net · Training compute", "Model: Day Net (id day-net)",
                 "Page: https://maps.example.org/model/day-net", f"Data version: {small.data_version}",
                 "Field: training_compute",
                 "Current value: 3.1×10²³ FLOP (exactly 3.14e+23), likely 2.0×10²³–5.0×10²³ FLOP",
                 "Current source: https://example.org/c", "How it was estimated: 6·N·D", "Correct value: "):
        assert line in text.splitlines(), line
    correction = yaml.safe_load(correction_yaml(page, "training_compute"))
    assert correction["id"] == "day-net" and correction["field"] == "training_compute"
    assert correction["current"]["value"] == 3.14e23 and correction["current"]["source"] == "https://example.org/c"
    assert correction["correct"] == {"value": None, "confidence": None, "source": None, "note": None}
    assert report_text(page, "notes") is None and correction_yaml(page, "no_such_field") is None


# --- the data package ----------------------------------------------------------------------

def write_package(dataset, folder, view=DEFAULT_VIEW):
    (folder / "api").mkdir(parents=True)
    (folder / "data.csv").write_text(export_csv(dataset, view), encoding="utf-8")
    (folder / "api" / "models.json").write_text(json.dumps(export_json(dataset, view), ensure_ascii=False),
                                                encoding="utf-8")
    (folder / "datapackage.json").write_text(datapackage_text(dataset), encoding="utf-8")
    return folder / "datapackage.json"


def test_the_data_package_describes_every_exported_column_and_validates(merged, tmp_path):
    assert [field["name"] for field in fields()] == list(COLUMNS)
    descriptor = datapackage(merged)
    assert descriptor["version"] == merged.data_version
    assert [licence["name"] for licence in descriptor["licenses"]] == ["MIT", "CC-BY-4.0"]
    assert any("epoch.ai" in source.get("path", "") for source in descriptor["sources"])
    units = {f["name"]: f.get("unit") for f in descriptor["resources"][0]["schema"]["fields"]}
    assert units["training_compute"] == "FLOP" and units["training_time_hours"] == "hours"
    report = frictionless.validate(str(write_package(merged, tmp_path / "package")))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [task.stats["rows"] for task in report.tasks] == [len(merged.frame)] * 2


def test_frictionless_finds_a_value_that_breaks_the_schema(small, tmp_path):
    path = write_package(small, tmp_path / "package")
    csv = (tmp_path / "package" / "data.csv")
    csv.write_text(csv.read_text(encoding="utf-8").replace(",likely,", ",probably,", 1), encoding="utf-8")
    report = frictionless.validate(str(path))
    assert not report.valid
    assert {error[2] for error in report.flatten(["rowNumber", "fieldName", "type"])} == {"constraint-error"}


def test_an_epoch_only_package_has_only_epochs_licence(tmp_path):
    export = tmp_path / "epoch.csv"
    export.write_text(EPOCH, encoding="utf-8")
    descriptor = datapackage(build_dataset(None, [export], bundled=False))
    assert [licence["name"] for licence in descriptor["licenses"]] == ["CC-BY-4.0"] and "version" not in descriptor
    shutil.rmtree(tmp_path / "nothing", ignore_errors=True)


# --- an embed's words ------------------------------------------------------------------------

def test_an_embed_names_its_chart_the_filters_and_a_takeaway(small):
    view = view_from_query(small, "?domain=language&from=2019&model=day-net&chart=compute-vs-parameters")
    embed = embedded_chart(small.frame, view, "compute-vs-parameters", small.year_bounds)
    assert embed.title == "Training compute vs. parameters"
    assert embed.takeaway == "1 model with training compute; the largest: Day Net (3.1×10²³ FLOP, 2020)."
    assert small.year_bounds == (2019, 2020) and embed.filters == "language · 2019–2020"
    assert embed.view_query == "?domain=language&from=2019"   # the card is not part of the chart's view
    assert chart_of("<script>").key == "compute-vs-date" and chart_of(None).key == "compute-vs-date"
    assert describe_filters(DEFAULT_VIEW, (1950, 2025)) == "all models"
    custom = embedded_chart(small.frame, replace(DEFAULT_VIEW, axes=("parameters", "training_compute", "log", "log")),
                            "custom", small.year_bounds)
    assert custom.title == "Training compute (FLOP) vs. parameters"
    empty = embedded_chart(small.frame, replace(DEFAULT_VIEW, domains=("vision",)), "compute-vs-date", small.year_bounds)
    assert re.fullmatch(r"No model of this view has training compute\.", empty.takeaway)
