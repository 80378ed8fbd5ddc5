"""Judging agreement with another database on the models both hold, found by the merge's own
matcher (no ../shared needed)."""
import datetime as dt

import pytest

from scalemap.dataset.accuracy import compare, matched_pairs, merged_pairs
from scalemap.dataset.build import build_dataset
from scalemap.dataset.disagreements import disagreements
from scalemap.dataset.matching import match_frames
from scalemap.dataset.table import catalogue_frame
from scalemap.sources.catalogue import load_catalogue
from scalemap.sources.epoch import import_epoch_csv
from scalemap.sources.schema import ModelEntry
from tests.support import FIXTURES


def model(name, date="2020-01-01", aliases=(), parameters=None, compute=None, notes=None, organization="Lab"):
    return ModelEntry(
        name=name, aliases=list(aliases), organization=organization, date=dt.date.fromisoformat(date),
        domains=["language"], notes=notes,
        parameters={"value": parameters, "confidence": "likely"} if parameters else None,
        training_compute={"value": compute, "confidence": "likely"} if compute else None)


def names(pairs):
    return [(ours.name, theirs.name) for ours, theirs in pairs]


def test_the_same_model_is_found_by_the_merges_rules():
    ours = [model("Switch-C (1.6T)", aliases=["Switch"]), model("ResNeXt-101 (64×4d)"), model("GPT-3 175B"),
            model("LLaMA 7B", "2023-02-24"), model("PaLM"), model("Old Net", "2014-01-01")]
    theirs = [model("Switch"), model("ResNeXt-101 (64x4d)"), model("GPT-3 175B (davinci)"),
              model("LLaMA-7B", "2023-02-24", organization="Some protein lab"), model("PaLM (540B)"),
              model("Old Net", "2021-01-01")]
    assert names(matched_pairs(ours, theirs)) == [
        ("Switch-C (1.6T)", "Switch"),                   # one of our aliases
        ("ResNeXt-101 (64×4d)", "ResNeXt-101 (64x4d)"),  # × read as x
        ("GPT-3 175B", "GPT-3 175B (davinci)"),          # data/name-matches.yaml: the same model
    ]   # not: a "different" pair of the mapping file, a name with a qualifier, dates 7 years apart


def test_a_difference_counts_as_explained_only_when_the_note_names_that_number():
    ours = [model("A", parameters=1e9, compute=1e21,
                  notes="Differs from other databases: we count the frozen encoder in the parameters."),
            model("B", parameters=1e9, compute=1e21)]
    theirs = [model("A", parameters=3e9, compute=1e23), model("B", parameters=1.1e9, compute=1.5e21)]
    result = compare(ours, theirs)
    assert (result.parameters.compared, result.parameters.agree, result.parameters.explained) == (2, 1, 1)
    assert (result.training_compute.agree, result.training_compute.explained) == (1, 0)
    assert [(d.name, d.field) for d in result.unexplained] == [("A", "training_compute")]
    assert result.parameters.share == 0.5 and result.parameters.share_of_unexplained == 1.0
    assert str(result.unexplained[0]) == "A: training_compute ours / theirs = 0.01  [NOT EXPLAINED in notes]"


def test_the_accuracy_check_and_the_merge_count_the_same_models():
    # Two rows of Epoch's for Noisy Student, Switch by our alias, Big Net by its arXiv id; not PaLM.
    result = one_matcher_agrees(FIXTURES / "two-sources.yaml", FIXTURES / "two-sources-epoch.csv", expected_shared=6)
    assert sorted((d.name, d.field) for d in result.disagreements) == [
        ("Big Net", "parameters"), ("Noisy Student (EfficientNet-L2)", "parameters")]   # the second row


def one_matcher_agrees(catalogue, export, expected_shared=None):
    """The accuracy check (two lists), the merge (a built dataset) and "Where the sources
    disagree" find the same pairs and the same disagreements."""
    ours, theirs = load_catalogue([catalogue] if catalogue else None)[0], import_epoch_csv(export).models
    dataset = build_dataset([catalogue] if catalogue else None, [export])
    listed = names(matched_pairs(ours, theirs))
    merged = [(mine.name, other.name) for _, mine, other in merged_pairs(dataset.models)]
    merge = match_frames(catalogue_frame(ours), catalogue_frame(theirs))
    assert sorted(listed) == sorted(merged) and len(merged) == len(merge.pairs)
    if expected_shared is not None:
        assert len(listed) == expected_shared
    result = compare(ours, theirs)
    table = disagreements(dataset)
    assert result.shared == len(merge.pairs) and len(table) == len(result.disagreements)
    assert sorted(zip(table["field"], table["ratio"].round(9))) == \
        sorted((d.field, round(d.ratio, 9)) for d in result.disagreements)
    return result


@pytest.mark.epoch
def test_the_accuracy_check_and_the_merge_count_the_same_models_on_epochs_file(epoch_csv):
    result = one_matcher_agrees(None, epoch_csv)
    print(f"\nshared: {result.shared}")
    assert result.shared >= 255
