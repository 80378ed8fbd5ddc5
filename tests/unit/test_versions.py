"""Data versions and `ml-scale-map diff`: a constructed pair of catalogues (folders and git
revisions), the change log written from it, and the count a link made with an older version needs."""
import json
import subprocess

import pytest

from app import main as app_main
from scalemap.features.versions import (
    Changelog,
    changes_since_answer,
    diff,
    diff_entries,
    diff_text,
    load_changelog,
    numbers_changed,
    read_side,
    record_release,
)
from scalemap.sources.catalogue import load_catalogue
from scalemap.sources.release import catalogue_digest, data_version, load_release
from tests.support import REPO

OLD = """\
- name: Alpha LM
  organization: Lab
  date: 2020-01-01
  domains: [language]
  links: [https://example.org/alpha]
  parameters: {value: 1e9, confidence: confident}
  training_compute: {value: 1e21, confidence: speculative, low: 3e20, high: 3e21}
- name: Beta Net
  organization: Lab
  date: 2019
  domains: [vision]
  links: [https://example.org/beta]
  parameters: {value: 5e7, confidence: confident}
- name: Gone Model
  organization: Lab
  date: 2018
  domains: [games]
  links: [https://example.org/gone]
"""
# Alpha: compute value and confidence changed, its range too; parameters' source moved alone.
# Beta: training data added. Gone Model removed; Delta added.
NEW = """\
- name: Beta Net
  organization: Lab
  date: 2019
  domains: [vision]
  links: [https://example.org/beta]
  parameters: {value: 5e7, confidence: confident}
  training_data: {value: 1.2e6, unit: images, confidence: confident}
- name: Alpha LM
  organization: Lab
  date: 2020-01-01
  domains: [language]
  links: [https://example.org/alpha]
  parameters: {value: 1e9, confidence: confident, source: "https://example.org/alpha-card"}
  training_compute: {value: 2e21, confidence: likely, low: 1.5e21, high: 2.5e21, method: "6·N·D"}
- name: Delta
  organization: Lab
  date: 2021
  domains: [language]
  links: [https://example.org/delta]
"""


@pytest.fixture
def pair(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "old" / "models.yaml").write_text(OLD, encoding="utf-8")
    (tmp_path / "new" / "models.yaml").write_text(NEW, encoding="utf-8")
    return tmp_path / "old", tmp_path / "new"


def test_a_diff_lists_models_added_and_removed_and_every_changed_number(pair):
    result = diff(str(pair[0]), str(pair[1]))
    assert [m.name for m in result.added] == ["Delta"] and [m.name for m in result.removed] == ["Gone Model"]
    changes = {(c.id, c.field): c for c in result.changed}
    assert set(changes) == {("alpha-lm", "parameters"), ("alpha-lm", "training_compute"),
                            ("beta-net", "training_data")}
    compute = changes["alpha-lm", "training_compute"]
    assert (compute.old.value, compute.new.value) == (1e21, 2e21)
    assert (compute.old.confidence, compute.new.confidence) == ("speculative", "likely")
    assert set(compute.parts) == {"value", "low", "high", "confidence"} and compute.changes_a_number
    source_only = changes["alpha-lm", "parameters"]
    assert source_only.parts == ("source",) and not source_only.changes_a_number
    assert changes["beta-net", "training_data"].old is None and changes["beta-net", "training_data"].new.unit == "images"
    assert result.numbers_changed == 2
    assert result.summary() == ("3 models → 3: 1 added, 1 removed, 2 numbers changed in 2 models "
                                "(1 sources changed alone)")
    text = diff_text(result)
    assert ("Alpha LM · training compute: 10²¹ FLOP, range 3.0×10²⁰–3.0×10²¹ FLOP (speculative) → "
            "2.0×10²¹ FLOP, range 1.5×10²¹–2.5×10²¹ FLOP (likely); source https://example.org/alpha") in text
    assert ("Alpha LM · parameters: 1B (confident) → 1B (confident); source https://example.org/alpha → "
            "https://example.org/alpha-card") in text
    assert "  + Delta" in text and "  - Gone Model" in text


def test_the_same_catalogue_in_another_order_has_no_changes_and_one_digest(pair, tmp_path):
    reordered = tmp_path / "reordered.yaml"
    entries = NEW.split("- name: ")[1:]
    reordered.write_text("".join("- name: " + entry for entry in reversed(entries)), encoding="utf-8")
    new, _ = load_catalogue([pair[1]])
    again, _ = load_catalogue([reordered])
    result = diff_entries(new, again)
    assert not (result.added or result.removed or result.changed)
    assert catalogue_digest(new) == catalogue_digest(again)


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_a_diff_reads_two_git_revisions(tmp_path):
    repo = tmp_path / "repo"
    (repo / "data" / "catalogue").mkdir(parents=True)
    git(repo, "init", "-q")
    for text, message in ((OLD, "old"), (NEW, "new")):
        (repo / "data" / "catalogue" / "models.yaml").write_text(text, encoding="utf-8")
        git(repo, "add", ".")
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", message)
    result = diff("HEAD~1", "HEAD", repo=repo)
    assert result.numbers_changed == 2 and [m.name for m in result.added] == ["Delta"]
    assert result.old_label.startswith("data/catalogue at ") and result.old_label.endswith("(HEAD~1)")
    label, entries = read_side("HEAD:data/catalogue/models.yaml", repo=repo)   # one file at a revision
    assert len(entries) == 3 and "HEAD" in label


def test_a_side_that_is_neither_a_folder_nor_a_revision_is_one_clear_line(capsys, pair):
    assert app_main(["diff", "no-such-thing", str(pair[1])]) == 2
    assert capsys.readouterr().err.strip() == ("ml-scale-map diff: 'no-such-thing' is neither a catalogue folder "
                                               "or file nor a git revision")


def test_a_release_writes_the_change_log_and_the_version(pair, tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    old, _ = load_catalogue([pair[0]])
    new, _ = load_catalogue([pair[1]])
    record_release("2026.12.1", diff_entries(old, old, "start", "start"), old, "2026-12-01", data_dir=data)
    release = record_release("2026.12.2", diff_entries(old, new, "a", "b"), new, "2026-12-05", data_dir=data)
    assert load_release(data / "version.yaml") == release and release.catalogue_sha256 == catalogue_digest(new)
    assert data_version(new, release) == "2026.12.2"
    assert data_version(old, release) == f"2026.12.2+{catalogue_digest(old)[:8]}"   # differs: never cited as it
    log = load_changelog(data / "changelog.json")
    assert log.versions == ["2026.12.2", "2026.12.1"]
    markdown = (data / "CHANGELOG.md").read_text(encoding="utf-8")
    assert markdown.index("## 2026.12.2 (2026-12-05)") < markdown.index("## 2026.12.1 (2026-12-01)")
    assert "**Added (1)**: Delta." in markdown and "**Removed (1)**: Gone Model." in markdown
    assert "- Beta Net · training data: — → 1.2M images (confident); source https://example.org/beta" in markdown
    # Recording a version again replaces its entry, it does not add a second.
    record_release("2026.12.2", diff_entries(old, new, "a", "b"), new, "2026-12-05", data_dir=data)
    assert load_changelog(data / "changelog.json").versions == ["2026.12.2", "2026.12.1"]
    with pytest.raises(Exception, match="YEAR.MONTH.N"):
        record_release("december", diff_entries(old, new), new, data_dir=data)


def _log(*entries) -> Changelog:
    return Changelog(tuple(entries))


def _change(model_id, field, old, new, source="https://example.org/s"):
    number = lambda value: None if value is None else {"value": value, "confidence": "likely", "source": source}  # noqa: E731
    return {"id": model_id, "name": model_id, "field": field, "old": number(old), "new": number(new)}


def test_numbers_changed_since_a_version_counts_each_number_of_the_view_once():
    log = _log(
        {"version": "2026.12.3", "date": "2026-12-20", "changed": [
            _change("a", "parameters", 2, 3), _change("c", "parameters", 1, 2),
            {**_change("a", "training_compute", 5, 5), "new": {"value": 5, "confidence": "likely",
                                                              "source": "https://example.org/moved"}}]},
        {"version": "2026.12.2", "date": "2026-12-10", "changed": [
            _change("a", "parameters", 1, 2), _change("b", "training_compute", None, 7)]},
        {"version": "2026.12.1", "date": "2026-12-01", "changed": [_change("a", "layers", 1, 2)]},
    )
    # a.parameters changed twice (counted once), b gained a number; c is not in the view; the
    # source that moved alone is no changed number; 2026.12.1's own change is not "since" it.
    assert numbers_changed("2026.12.1", ["a", "b"], log) == 2
    assert numbers_changed("2026.12.2", ["a", "b"], log) == 1
    assert numbers_changed("2026.12.3", ["a", "b", "c"], log) == 0
    assert numbers_changed("2026.12.1", ["a", "b"], log, current="2026.12.2") == 2
    assert numbers_changed("2026.12.1", [], log) == 0
    assert numbers_changed("2019.1.1", ["a"], log) is None          # not a release this log knows
    assert numbers_changed("2026.12.1+abcd1234", ["a"], log) is None
    history = log.model_history("a")
    assert [(version, change.field) for version, _, change in history] == [
        ("2026.12.3", "parameters"), ("2026.12.3", "training_compute"), ("2026.12.2", "parameters"),
        ("2026.12.1", "layers")]


def test_a_links_data_version_gets_the_numbers_changed_since_each_once():
    log = _log(
        {"version": "2026.12.2", "date": "2026-12-10", "changed": [
            _change("a", "parameters", 1, 2), _change("a", "parameters", 2, 3), _change("b", "training_compute", None, 7),
            {**_change("c", "training_compute", 5, 5), "new": {"value": 5, "confidence": "likely",
                                                              "source": "https://example.org/moved"}}]},
        {"version": "2026.12.1", "date": "2026-12-01", "changed": [_change("a", "layers", 1, 2)]},
    )
    answer = changes_since_answer("2026.12.1", "2026.12.2", log)
    assert answer == {"since": "2026.12.1", "current": "2026.12.2", "known": True,
                      "changed": [["a", "parameters"], ["b", "training_compute"]]}   # a moved source is no number
    assert changes_since_answer("2026.12.2", "2026.12.2", log)["changed"] == []
    for junk in ("2019.1.1", "2026.12.1+abcd1234", "", "<script>", "2026.12.1" * 50):
        assert changes_since_answer(junk, "2026.12.2", log)["known"] is False


def test_the_changelog_file_reads_back_what_a_release_wrote(tmp_path):
    path = tmp_path / "changelog.json"
    path.write_text(json.dumps({"versions": [{"version": "junk"}, {"version": "2026.12.1", "date": "2026-12-01",
                                                                   "changed": []}]}), encoding="utf-8")
    assert load_changelog(path).versions == ["2026.12.1"]        # an entry that is not a release is left out
    path.write_text("not json", encoding="utf-8")
    assert load_changelog(path).versions == []
    assert load_changelog(tmp_path / "missing.json").versions == []


REAL_PAIR = ("92bc30d^", "92bc30d")   # two real revisions of data/catalogue: ranges given to two estimates


def _has_revisions(*revisions) -> bool:
    return all(subprocess.run(["git", "-C", str(REPO), "rev-parse", "--verify", "--quiet", f"{r}^{{commit}}"],
                              capture_output=True).returncode == 0 for r in revisions)


@pytest.mark.skipif(not _has_revisions(*REAL_PAIR), reason="this clone lacks the project's history")
def test_ml_scale_map_diff_on_two_real_revisions(capsys):
    assert app_main(["diff", *REAL_PAIR]) == 0
    out = capsys.readouterr().out
    assert "1060 models → 1060: 0 added, 0 removed, 2 numbers changed in 2 models" in out
    assert "Nemotron-4 340B · training compute: 1.8×10²⁵ FLOP (likely) → 1.8×10²⁵ FLOP, range" in out
    assert app_main(["diff", REAL_PAIR[0], "data/catalogue", "--json"]) == 0
    entry = json.loads(capsys.readouterr().out)
    assert {(c["id"], c["field"]) for c in entry["changed"]} >= {("nemotron-4-340b", "training_compute"),
                                                                ("pangu-ultra", "training_compute")}


def test_diff_help_is_its_own(capsys):
    with pytest.raises(SystemExit) as stop:
        app_main(["diff", "--help"])
    assert stop.value.code == 0 and "usage: ml-scale-map diff" in capsys.readouterr().out
