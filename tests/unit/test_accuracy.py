"""Matching models across databases and judging agreement (no ../shared needed)."""
import datetime as dt

from scalemap.dataset.accuracy import NameIndex, compare
from scalemap.sources.schema import ModelEntry


def model(name, date="2020-01-01", aliases=(), parameters=None, compute=None, notes=None):
    return ModelEntry(
        name=name, aliases=list(aliases), organization="Lab", date=dt.date.fromisoformat(date),
        domains=["language"], notes=notes,
        parameters={"value": parameters, "confidence": "likely"} if parameters else None,
        training_compute={"value": compute, "confidence": "likely"} if compute else None)


def test_exact_names_win_over_variants():
    theirs = [model("ViT-G/14 (LiT)"), model("ViT-G/14")]
    assert NameIndex(theirs).find(model("ViT-G/14")).name == "ViT-G/14"


def test_a_qualifier_on_one_side_only_still_matches():
    index = NameIndex([model("Switch")])
    assert index.find(model("Switch-C (1.6T)", aliases=["Switch"])).name == "Switch"
    assert NameIndex([model("PaLM (540B)")]).find(model("PaLM")).name == "PaLM (540B)"


def test_different_variants_of_one_name_are_different_models():
    index = NameIndex([model("GShard (dense)"), model("GloVe (6B)"), model("GloVe (32B)")])
    assert index.find(model("GShard (600B MoE)")) is None
    assert index.find(model("GloVe (840B)")) is None


def test_an_ambiguous_base_name_matches_the_release_of_the_same_month_or_none():
    theirs = [model("GPT-4o (May 2024)", "2024-05-13"), model("GPT-4o (Aug 2024)", "2024-08-06"),
              model("Dropout (MNIST)", "2012-07-03"), model("Dropout (TIMIT)", "2012-07-03")]
    index = NameIndex(theirs)
    assert index.find(model("GPT-4o", "2024-05-13")).name == "GPT-4o (May 2024)"
    assert index.find(model("Dropout", "2012-07-03")) is None


def test_times_sign_and_letter_x_are_the_same():
    assert NameIndex([model("ResNeXt-101 (64×4d)")]).find(model("ResNeXt-101 (64x4d)")) is not None


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
