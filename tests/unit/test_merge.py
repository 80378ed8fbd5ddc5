"""Merging Epoch AI's database with the catalogue: field by field, without doubling or
confusing models (scalemap.dataset.matching, data/name-matches.yaml)."""
import io

import numpy as np
import pandas as pd
import pytest

from scalemap.dataset.build import build_dataset
from scalemap.dataset.matching import NameMatches, duplicates, load_name_matches
from scalemap.dataset.merge import merge_frames
from scalemap.dataset.table import catalogue_frame, imported_frame
from scalemap.sources.catalogue import load_catalogue
from scalemap.sources.epoch import ORIGIN, import_epoch_csv
from tests.support import EPOCH_SAMPLE, FIXTURES

HEADER = "Model,Organization,Publication date,Domain,Parameters,Training compute (FLOP),Confidence,Link"
CATALOGUE = """\
- name: GPT-4
  organization: OpenAI
  date: 2023-03-15
  domains: [language]
  links: [https://arxiv.org/abs/2303.08774]
  notes: "Differs from other databases: OpenAI states no parameter count."
- name: Big Net
  organization: Lab
  date: 2020-01-01
  domains: [language]
  links: [https://arxiv.org/abs/2001.00001]
  parameters: {value: 10e9, confidence: confident}
  training_compute: {value: 1e22, confidence: likely}
  notes: "Differs from other databases: we count the compute of the base model too."
- name: Old Net
  organization: Lab
  date: 2015-01-01
  domains: [vision]
  links: [https://example.org/old]
  parameters: {value: 1e6, confidence: confident}
- name: GPT-3 175B
  organization: OpenAI
  date: 2020-05-28
  domains: [language]
  links: [https://arxiv.org/abs/2005.14165]
  parameters: {value: 175e9, confidence: confident}
"""
EXPORT = HEADER + """
GPT-4 (Mar 2023),OpenAI,2023-03-15,Language,1.8e12,2.1e25,Speculative,https://arxiv.org/abs/2303.08774
Big Net v1,Lab,2020-01-01,Language,1.1e10,2e21,Confident,https://arxiv.org/abs/2001.00001
Old Net,Other Lab,2021-06-01,Vision,1e6,,Likely,https://example.org/new
GPT-3 175B (davinci),OpenAI,2020-05-28,Language,1.746e11,3.14e23,Confident,https://arxiv.org/abs/2005.14165
"""


@pytest.fixture
def sources(tmp_path, write_catalogue):
    catalogue = write_catalogue(CATALOGUE.replace("- name: GPT-4\n", "- name: GPT-4\n  aliases: [GPT-4 (Mar 2023)]\n"))
    export = tmp_path / "export.csv"
    export.write_text(EXPORT, encoding="utf-8")
    return catalogue, export


def test_each_number_comes_from_the_preferred_source_when_it_has_one(sources):
    catalogue, export = sources
    ours = build_dataset([catalogue], [export], prefer="catalogue")
    gpt4 = ours.models["gpt-4"]
    assert gpt4.origin == "ML Scale Map"
    assert gpt4.training_compute.value == 2.1e25 and gpt4.parameters.value == 1.8e12   # filled from Epoch
    assert gpt4.training_compute.source == "https://arxiv.org/abs/2303.08774"
    assert ours.frame.loc["gpt-4", "training_compute"] == 2.1e25
    assert ours.frame.loc["gpt-4", "training_compute_confidence"] == "speculative"
    provenance = ours.models.provenance("gpt-4")
    assert provenance.origins["training_compute"] == ORIGIN and provenance.primary.training_compute is None
    big = ours.models["big-net"]
    assert big.training_compute.value == 1e22 and ours.models.provenance("big-net").origins["training_compute"] == "ML Scale Map"
    assert ours.models.provenance("old-net") is None            # kept apart: dates 6.4 years apart
    assert "gpt-3-175b-davinci" not in ours.models               # the mapping file joins them
    theirs = build_dataset([catalogue], [export], prefer="epoch")
    big = theirs.models["big-net-v1"]
    assert big.training_compute.value == 2e21 and big.origin == ORIGIN   # --prefer epoch, per number
    gpt3 = theirs.models["gpt-3-175b-davinci"]
    assert gpt3.parameters.value == 1.746e11


def test_the_report_says_how_each_pair_merged_and_why_others_were_kept_apart(sources):
    catalogue, export = sources
    report = "\n".join(build_dataset([catalogue], [export]).report)
    assert ("export.csv: 3 models in both sources merged (1 by mapping file, 0 by name, 1 by alias, "
            "1 by arXiv id); 1 candidate pairs kept apart (1 dates too far apart)") in report


def test_different_pairs_in_the_mapping_file_never_merge():
    matches = load_name_matches()
    assert matches.is_different("LLaMA 7B", "LLaMA-7B", "Some protein lab")
    assert not matches.is_different("LLaMA 7B", "LLaMA-7B", "Meta AI")
    assert matches.is_different("DDPM (CIFAR-10)", "DDPM")
    assert "gpt3175bdavinci" in matches.same["gpt3175b"]


def _frames(epoch_csv):
    entries, _ = load_catalogue()
    ours = catalogue_frame(entries)
    ours["_record"] = np.arange(len(ours))
    theirs = imported_frame(import_epoch_csv(epoch_csv).table, ORIGIN)
    theirs["_record"] = np.arange(len(theirs))
    return ours, theirs


def test_merging_the_sample_pairs_each_shared_model_by_its_rule():
    ours, theirs = _frames(EPOCH_SAMPLE)
    before, _ = merge_frames(ours, theirs, matches=NameMatches({}, {}), by_arxiv_id=False)
    after, result = merge_frames(ours, theirs)
    kept_apart = ("Xception", "Xception", "name xception")   # another lab's "Xception", four years on
    assert duplicates(before) == [kept_apart, ("Inception v3", "Rethinking Inception (v3)", "arXiv 1512.00567")]
    assert duplicates(after) == [kept_apart]   # two models, and still reported
    assert sorted((ours.iloc[p.left]["name"], theirs.iloc[p.right]["name"], p.rule) for p in result.pairs) == [
        ("BERT-Large", "BERT-Large", "name"), ("Chinchilla", "Chinchilla", "name"),
        ("Codex (12B)", "Codex", "mapping file"), ("ELMo", "ELMo", "name"),
        ("GPT-3 175B", "GPT-3 175B (davinci)", "mapping file"),
        ("Inception v3", "Rethinking Inception (v3)", "arXiv id"), ("LLaMA 7B", "LLaMA-7B", "name"),
        ("PaLM 540B", "PaLM 540B", "name"), ("SqueezeNet", "SqueezeNet", "name"), ("YOLOv2", "YOLOv2", "name")]
    [apart] = result.kept_apart
    assert (theirs.iloc[apart.right]["name"], apart.reason) == ("Xception", "dates 4.3 years apart")
    assert len(after) == len(ours) + len(theirs) - len(result.pairs)


@pytest.mark.epoch
def test_merging_epochs_file_leaves_no_duplicates(epoch_csv):
    ours, theirs = _frames(epoch_csv)
    before, before_result = merge_frames(ours, theirs, matches=NameMatches({}, {}), by_arxiv_id=False)
    after, result = merge_frames(ours, theirs)
    found_before, found_after = duplicates(before), duplicates(after)
    print(f"\nduplicates before (name and alias only): {len(found_before)}; after: {len(found_after)}")
    print(f"before: {len(before_result.pairs)} merged; after: {result.report_line('notable')}")
    for pair in result.kept_apart:
        print("  kept apart:", ours.iloc[pair.left]["name"], "|", theirs.iloc[pair.right]["name"], "|", pair.reason)
    for found in found_after:
        print("  duplicate:", found)
    filled = {column: int(after[column].iloc[:len(ours)].notna().sum() - ours[column].notna().sum())
              for column in ("parameters", "training_compute", "training_data", "hardware_count", "training_cost")}
    print("catalogue models given a number by Epoch:", filled)
    assert len(found_before) >= 40
    assert found_after == []
    assert len(result.pairs) >= 255


def test_the_card_says_which_source_each_number_came_from_and_shows_both_where_they_differ(sources):
    from components.stats_card import render_card
    from scalemap.features.stats_card import card_rows
    catalogue, export = sources
    dataset = build_dataset([catalogue], [export])
    rows = {r.field: r for r in card_rows(dataset.models["gpt-4"], dataset.models.provenance("gpt-4"))}
    assert rows["training_compute"].origin == "from Epoch AI (CC BY 4.0)" and rows["training_compute"].other is None
    rows = {r.field: r for r in card_rows(dataset.models["big-net"], dataset.models.provenance("big-net"))}
    assert rows["training_compute"].origin is None                       # ours
    assert rows["training_compute"].other == "Epoch AI (CC BY 4.0): 2.0×10²¹ FLOP"
    assert rows["training_compute"].other_note.startswith("Differs from other databases: we count")
    assert rows["parameters"].other is None                              # 10B against 11B: within 25%
    text = str(render_card(dataset.models["big-net"], dataset.models.provenance("big-net")))
    assert "Epoch AI (CC BY 4.0): 2.0×10²¹ FLOP" in text and "we count the compute of the base model" in text
    assert "from Epoch AI" not in str(render_card(dataset.models["old-net"], dataset.models.provenance("old-net")))


# A model on which the two sources disagree and which has our note, and how many rows at least.
DISAGREEING = {"epoch-sample.csv": ("BERT-Large", 1), "notable_ai_models.csv": ("ELMo", 40)}


def test_where_the_sources_disagree(epoch_export):
    from dash.exceptions import PreventUpdate
    from flask import Flask

    from app import make_layout
    from components.dataset_access import CONFIG_KEY
    from components.disagreements import download_disagreements
    from scalemap.dataset.disagreements import disagreements
    from scalemap.features.export import credit_line
    model, at_least = DISAGREEING[epoch_export.name]
    dataset = build_dataset(epoch_paths=[epoch_export])
    table = disagreements(dataset)
    counts = table["field"].value_counts().to_dict()
    explained = (table["our note"] != "").sum()
    print(f"\ndisagreements: {len(table)} ({counts}); {explained} with our note")
    assert list(table.columns) == ["model", "id", "field", "ours", "epoch", "ratio", "our note"]
    assert len(table) >= at_least and (table["ratio"] == table["ours"] / table["epoch"]).all()
    bound = table["field"].map({"parameters": 1.25, "training_compute": 2.0})   # only real disagreements
    assert ((table["ratio"] > bound) | (table["ratio"] < 1 / bound)).all()
    noted = table[(table["model"] == model) & (table["field"] == "training_compute")]
    assert len(noted) == 1 and noted["our note"].iloc[0].startswith("Differs from other databases:")
    assert "Where the sources disagree" in str(make_layout(dataset))
    assert "Where the sources disagree" not in str(make_layout(build_dataset()))
    server = Flask(__name__)                                  # the button's download: the table, as CSV
    server.config[CONFIG_KEY] = dataset
    with server.app_context():
        sent = download_disagreements(1)
        with pytest.raises(PreventUpdate):
            download_disagreements(None)
    assert sent["filename"] == "ml-scale-map-disagreements.csv"
    downloaded = pd.read_csv(io.StringIO(sent["content"]), keep_default_na=False)
    assert list(downloaded.columns) == [*table.columns, "data_credit"] and len(downloaded) == len(table)
    assert set(downloaded["data_credit"]) == {credit_line(dataset)}   # the catalogue's version, Epoch AI's credit
    assert model in set(downloaded["model"])


def records_against_table(dataset) -> list[str]:
    """Where a merged model's record (`merge_entries`) and its table row (`_fill`) differ, over
    every column `FIELD_COLUMNS` gives the table."""
    from scalemap.dataset.table import FIELD_COLUMNS
    ids = dataset.models.merged_ids()
    columns = [c for field in FIELD_COLUMNS.values() for c in field if c != "_has_hardware"]   # (not served)
    from_records = catalogue_frame([dataset.models[model_id] for model_id in ids])[columns]
    from_table = dataset.frame.loc[ids, columns].reset_index(drop=True)
    same = (from_records == from_table) | (from_records.isna() & from_table.isna())
    return [f"{ids[row]}: {column}" for column in columns for row in np.flatnonzero(~same[column].to_numpy())]


@pytest.mark.parametrize("prefer", ["catalogue", "epoch"])
def test_the_records_and_the_table_merge_by_one_rule(prefer):
    # Epoch lists Noisy Student twice (data/name-matches.yaml joins both rows to ours).
    dataset = build_dataset([FIXTURES / "two-sources.yaml"], [FIXTURES / "two-sources-epoch.csv"], prefer=prefer)
    assert len(dataset.models.merged_ids()) == 5 and len(dataset.frame) == 7
    assert records_against_table(dataset) == []
    by_name = dataset.frame.set_index(dataset.frame["date_label"] + " " + dataset.frame["organization"])
    noisy, small = by_name.loc["2019-11-11 Google"], by_name.loc["2021-01-01 Lab"]
    if prefer == "catalogue":   # ours where we have it, then the first row of Epoch's, then the second
        assert (noisy["parameters_low"], noisy["hardware_count"], noisy["training_compute"]) == (450e6, 2048, 8e22)
        assert noisy["training_data"] == 3e8 and noisy["training_cost"] == 20000
        assert (small["training_cost"], small["training_cost_low"], small["training_compute"]) == (900, 500, 6e20)
    else:                       # a field travels whole: Epoch's parameters come without our range
        assert noisy["parameters"] == 4.8e8 and np.isnan(noisy["parameters_low"]) and noisy["hardware_count"] == 1024
        assert (small["training_cost"], small["training_cost_year"]) == (1500, 2023) and np.isnan(small["training_cost_low"])


@pytest.mark.epoch
@pytest.mark.parametrize("prefer", ["catalogue", "epoch"])
def test_the_records_and_the_table_merge_epochs_file_by_one_rule(epoch_csv, prefer):
    dataset = build_dataset(epoch_paths=[epoch_csv], prefer=prefer)
    assert len(dataset.models.merged_ids()) >= 255
    assert records_against_table(dataset) == []
