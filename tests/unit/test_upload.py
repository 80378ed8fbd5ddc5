"""Your own models: a file checked by the catalogue's rules, in memory, into the browser's columns."""
import pytest

from scalemap.features.stats_card import card_facts
from scalemap.features.upload import (
    ID_PREFIX,
    MAX_UPLOAD_BYTES,
    OverlayError,
    file_tag,
    held_records,
    model_from_record,
    overlay_document,
    problem_rows,
    read_upload,
)

YAML = b"""\
- name: Mine A
  organization: Me
  date: 2024-01-02
  domains: [language]
  links: [https://example.org/a]
  parameters: {value: 7e9, confidence: confident}
  training_compute: {value: 8e22, confidence: likely, method: "6N D"}
- name: Broken
  organization: Me
  date: 2024-13-02
  domains: [language]
  links: [https://example.org/b]
- name: mine a
  organization: Me
  date: 2024-01-02
  domains: [language]
  links: [https://example.org/c]
"""
CSV = (b"Model,Organization,Publication date,Parameters,Training compute (FLOP),Domain\n"
       b"X1,Lab,2023-05-01,1e9,2e21,Language\nX2,Lab,not a date,1e9,,Language\nX3,Lab,2022,-5,3e20,Vision\n")


def test_a_yaml_file_keeps_its_good_entries_and_names_the_bad_by_line():
    overlay = read_upload("mine.yaml", YAML)
    assert [m.name for m in overlay.models] == ["Mine A"]
    reasons = {(p.line, p.field): p.reason for p in overlay.problems}
    assert "month must be in 1..12" in reasons[(10, "date")]
    assert any("duplicate" in p.reason and p.name == "mine a" for p in overlay.problems)


def test_a_csv_file_with_epochs_columns_is_read_with_the_importers_rules():
    overlay = read_upload("../../etc/mine.csv", CSV)
    assert overlay.name == "mine.csv"                      # only the file's own name is kept
    assert [m.name for m in overlay.models] == ["X1", "X3"]
    assert {p.line for p in overlay.problems} >= {3, 4}   # the bad date; the negative parameters
    x3 = overlay.models[1]
    assert x3.parameters is None and x3.training_compute.value == 3e20


def test_the_document_holds_the_browsers_columns_and_each_record_for_its_card():
    document = overlay_document(read_upload("mine.yaml", YAML))
    own_id = f"{ID_PREFIX}{file_tag('mine.yaml')}~mine-a"
    assert document["count"] == 1 and document["payload"]["columns"]["id"] == [own_id]
    assert document["payload"]["columns"]["training_compute"] == [8e22]
    record = document["records"][own_id]
    assert model_from_record(record).name == "Mine A"
    assert model_from_record({**record, "date": "not a date"}) is None   # what comes back is checked again
    assert {p["line"] for p in document["problems"]} == {None, 10}


@pytest.mark.parametrize("name, data, message", [
    ("big.csv", b"x" * (MAX_UPLOAD_BYTES + 1), "files up to 512 KB"),
    ("notes.txt", b"hello", "add a .yaml file"),
    ("other.csv", b"a,b,c\n1,2,3\n", "not an Epoch AI export"),
    ("list.yaml", b"just: a mapping\n", "must be a YAML list of models"),
    ("empty.csv", b"  \n", "is empty"),
])
def test_files_that_cannot_be_used_say_why_in_one_line(name, data, message):
    with pytest.raises(OverlayError, match=message):
        read_upload(name, data)


def test_a_csv_with_epochs_columns_is_credited_to_your_file_never_to_epoch():
    # Issue 19.4a: Epoch's importer reads the CSV and names its rows Epoch's; the card said
    # "Data from: Epoch AI (CC BY 4.0)" for the user's own numbers.
    document = overlay_document(read_upload("mine.csv", CSV))
    assert document["payload"]["codes"]["origin"] == ["your file mine.csv"]
    for record in document["records"].values():
        facts = dict(card_facts(model_from_record(record)))
        assert facts["Data from"] == "your file mine.csv"
    forged = {**next(iter(document["records"].values())), "origin": "Epoch AI"}   # it passed through the browser
    assert dict(card_facts(model_from_record(forged)))["Data from"] == "your file"


def test_two_files_with_a_model_of_one_name_keep_both_and_each_its_own_id():
    first, second = (overlay_document(read_upload(name, YAML)) for name in ("a.yaml", "b.yaml"))
    assert first["payload"]["columns"]["id"] != second["payload"]["columns"]["id"]
    assert overlay_document(read_upload("a.yaml", YAML))["payload"]["columns"]["id"] == \
        first["payload"]["columns"]["id"]                       # a file sent again keeps its ids
    records = held_records([first, second])
    assert len(records) == 2 and {r["origin"] for r in records.values()} == {"your file a.yaml", "your file b.yaml"}
    assert held_records(first) == first["records"]             # the one-file store of before still reads
    assert held_records(["junk", None, {"records": 5}]) == {}


def test_an_uploaded_model_claims_no_rank_among_the_catalogues():
    # Ranked among its own file's few models, the hover said "#1 in training compute when released".
    document = overlay_document(read_upload("mine.csv", CSV))
    assert document["payload"]["columns"]["compute_rank"] == [None, None]


def test_every_problem_of_a_bad_row_is_reported_not_only_the_first():
    # Issue 19.4d: a row with a bad date, a bad number and a negative one said only "not a date".
    data = (b"Model,Organization,Publication date,Parameters,Training compute (FLOP),Domain\n"
            b"Broken,Lab,yesterday,lots,-3,Language\n,Lab,2020,1e9,,Language\nFine,Lab,2021,1e9,1e20,Language\n")
    overlay = read_upload("mine.csv", data)
    at_2 = [(p.field, p.reason) for p in overlay.problems if p.line == 2]
    assert [field for field, _ in at_2] == ["date", "parameters", "training_compute"], at_2
    assert "not a number: 'lots'" in at_2[1][1] and "not a positive number: '-3'" in at_2[2][1]
    assert [p.field for p in overlay.problems if p.line == 3] == ["name"]
    rows = problem_rows(overlay_document(overlay)["problems"])
    assert [len(row) for row in rows] == [3, 1]


def test_every_problem_of_a_bad_yaml_entry_is_reported_grouped_by_its_entry():
    data = b"""\
- name: No links
  organization: Me
  date: 2024-01-02
  domains: [nonsense]
  parameters: {value: -1, confidence: maybe}
- name: Fine
  organization: Me
  date: 2024-01-02
  domains: [language]
  links: [https://example.org/f]
"""
    document = overlay_document(read_upload("mine.yaml", data))
    fields = [p["field"] for p in document["problems"]]
    assert fields == ["links", "domains", "parameters.value", "parameters.confidence"], fields
    rows = problem_rows(document["problems"])
    assert len(rows) == 1 and {p["entry"] for p in rows[0]} == {1} and document["count"] == 1
