"""The data contract: the columns the browser receives decode back to the dataset's table."""
import json

import pandas as pd
import pytest

from scalemap.contract.payload import COLUMNS, COLUMNS_BY_NAME, build_payload, payload_bytes
from scalemap.dataset.build import build_dataset
from scalemap.sources.schema import DOMAINS
from tests.support import EPOCH_SAMPLE


def decode(payload: dict, name: str) -> list:
    """What a column says, read the way the browser reads it."""
    column, kind = payload["columns"][name], COLUMNS_BY_NAME[name].kind
    if kind == "code":
        return [payload["codes"][name][i] if i >= 0 else None for i in column]
    if kind == "codes":
        return [tuple(payload["codes"][name][i] for i in indices) for indices in column]
    if kind == "domains":
        return [tuple(d for bit, d in enumerate(payload["codes"][name]) if mask & (1 << bit))
                for mask in column]
    if kind == "day":
        return [pd.Timestamp("1970-01-01") + pd.Timedelta(days=d) for d in column]
    if kind == "sparse":
        dense = [None] * payload["count"]
        for row, value in zip(column["at"], column["values"]):
            dense[row] = value
        return dense
    return column


@pytest.mark.parametrize("source", ["catalogue", "sample", pytest.param("notable", marks=pytest.mark.epoch)])
def test_every_column_decodes_to_the_table(source, request):
    paths = {"catalogue": [], "sample": [EPOCH_SAMPLE]}[source] if source != "notable" else \
        [request.getfixturevalue("epoch_csv")]
    dataset = build_dataset(epoch_paths=paths)
    payload = json.loads(payload_bytes(dataset))
    frame = dataset.frame
    assert payload["count"] == len(frame) and payload["version"] == dataset.version
    assert set(payload["columns"]) == {c.name for c in COLUMNS}
    for column in COLUMNS:
        values = decode(payload, column.name)
        assert len(values) == len(frame), column.name
        if column.name == "day":
            assert values == list(frame["date"])
        elif column.name == "aliases":
            assert values == [" ".join(a) for a in frame["aliases"]]
        elif column.kind in ("number", "sparse"):
            expected = [None if pd.isna(v) else float(v) for v in frame[column.name]]
            assert values == expected, column.name
        elif column.kind == "domains":   # a set: the first domain travels as primary_domain
            assert [set(v) for v in values] == [set(v) for v in frame[column.name]]
        elif column.kind == "code":
            expected = [None if v is None or (isinstance(v, float) and pd.isna(v)) else v
                        for v in frame[column.name]]
            assert values == expected, column.name
        else:
            assert values == list(frame[column.name]), column.name


def test_strings_are_said_once_and_domains_keep_their_order(bundled_dataset):
    payload = build_payload(bundled_dataset)
    organizations = payload["codes"]["organization"]
    assert len(organizations) == len(set(organizations)) < len(bundled_dataset.frame)
    assert payload["codes"]["domains"] == list(DOMAINS)
    assert payload["codes"]["parameters_confidence"] == ["confident", "likely", "speculative"]


def test_the_document_is_strict_json_and_small(bundled_dataset):
    body = payload_bytes(bundled_dataset)
    json.loads(body, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    assert len(body) / len(bundled_dataset.frame) < 200   # bytes a model, before compression
    print(f"\npayload: {len(body):,} bytes for {len(bundled_dataset.frame)} models")


def test_the_version_changes_when_the_data_change(write_catalogue):
    text = """\
- name: A Net
  organization: Lab
  date: 2020-01-01
  domains: [vision]
  links: [https://example.org/a]
  parameters: {value: 1e6, confidence: confident}
"""
    first = build_dataset([write_catalogue(text)])
    same = build_dataset([write_catalogue(text)])
    changed = build_dataset([write_catalogue(text.replace("1e6", "2e6"))])
    assert first.version == same.version != changed.version


def test_the_payload_says_each_numbers_unit_and_which_columns_tell_how_sure_it_is(bundled_dataset):
    from scalemap.contract.payload import NUMBERS, UNITS
    payload = build_payload(bundled_dataset)
    assert payload["numbers"] == NUMBERS and payload["contract"] >= 2
    for name, about in NUMBERS.items():
        assert COLUMNS_BY_NAME[name].kind == "number" and about["unit"] in (*UNITS, None), name
        assert all(about[part] in payload["columns"] for part in ("confidence", "low", "high") if about[part]), name
    assert NUMBERS["training_cost_real"]["confidence"] == "training_cost_confidence"   # as sure as the stated cost
    assert NUMBERS["training_compute"]["unit"] == "flop" and NUMBERS["hardware_count"]["confidence"] is None

