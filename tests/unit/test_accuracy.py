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


CATALOGUE = """\
- name: GPT-3 175B
  organization: OpenAI
  date: 2020-05-28
  domains: [language]
  links: [https://arxiv.org/abs/2005.14165]
  parameters: {value: 175e9, confidence: confident}
  training_compute: {value: 3.1e23, confidence: confident}
- name: Noisy Student (EfficientNet-L2)
  organization: Google
  date: 2019-11-11
  domains: [vision]
  links: [https://arxiv.org/abs/1911.04252]
  parameters: {value: 480e6, confidence: likely}
- name: Switch-C (1.6T)
  aliases: [Switch]
  organization: Google
  date: 2021-01-11
  domains: [language]
  links: [https://arxiv.org/abs/2101.03961]
  parameters: {value: 1.6e12, confidence: confident}
- name: PaLM
  organization: Google
  date: 2022-04-04
  domains: [language]
  links: [https://example.org/palm]
  parameters: {value: 540e9, confidence: confident}
- name: Big Net
  organization: Lab
  date: 2020-01-01
  domains: [language]
  links: [https://arxiv.org/abs/2001.00001]
  parameters: {value: 10e9, confidence: confident}
"""
# Epoch-format rows: two for Noisy Student (the mapping file joins both), Switch by our alias,
# Big Net by its arXiv id, and a "PaLM (540B)" that no rule joins to our PaLM.
EXPORT = """\
Model,Organization,Publication date,Domain,Parameters,Training compute (FLOP),Confidence,Link
GPT-3 175B (davinci),OpenAI,2020-05-28,Language,1.75e11,3.14e23,Confident,https://arxiv.org/abs/2005.14165
Noisy Student (L2),Google,2019-11-11,Vision,4.8e8,8e22,Likely,https://arxiv.org/abs/1911.04252
EfficientNet-L2,Google,2019-11-11,Vision,2e9,9e22,Likely,https://arxiv.org/abs/1911.04252
Switch,Google,2021-01-11,Language,1.57e12,8.2e22,Likely,https://arxiv.org/abs/2101.03961
PaLM (540B),Google,2022-04-04,Language,5.4e11,2.5e24,Confident,https://example.org/palm
Big Net v2,Lab,2020-01-01,Language,3e10,,Likely,https://arxiv.org/abs/2001.00001
"""


def test_the_accuracy_check_and_the_merge_count_the_same_models(tmp_path, write_catalogue):
    catalogue, export = write_catalogue(CATALOGUE), tmp_path / "export.csv"
    export.write_text(EXPORT, encoding="utf-8")
    one_matcher_agrees(catalogue, export, expected_shared=5)


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
