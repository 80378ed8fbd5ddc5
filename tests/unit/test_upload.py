"""Your own models: a file checked by the catalogue's rules, in memory, into the browser's columns."""
import pytest

from scalemap.features.upload import (
    ID_PREFIX,
    MAX_UPLOAD_BYTES,
    OverlayError,
    model_from_record,
    overlay_document,
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
    assert document["count"] == 1 and document["payload"]["columns"]["id"] == [ID_PREFIX + "mine-a"]
    assert document["payload"]["columns"]["training_compute"] == [8e22]
    record = document["records"][ID_PREFIX + "mine-a"]
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
