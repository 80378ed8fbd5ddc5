"""Compare 2–4 models: cards side by side, ratios against the first model, on real catalogue models."""
import csv
import io

import pytest

from scalemap.features.pinned_comparison import (
    DIFFERS_ABOVE,
    PinnedComparison,
    comparison_csv_rows,
    comparison_table,
    format_ratio,
)
from scalemap.features.stats_card import NOT_DOCUMENTED, card_facts, card_rows
from scalemap.sources.catalogue import load_catalogue


@pytest.fixture(scope="module")
def models():
    entries, problems = load_catalogue()
    assert problems == []
    return {m.name: m for m in entries}


@pytest.fixture(scope="module")
def three(models) -> PinnedComparison:
    return comparison_table([models["GPT-3 175B"], models["PaLM 540B"], models["Chinchilla"]])


def rows_of(comparison: PinnedComparison) -> dict:
    return {row.label: row for row in comparison.rows}


def test_names_facts_and_rows_in_card_order(three, models):
    assert three.names == ("GPT-3 175B", "PaLM 540B", "Chinchilla")
    gpt3 = models["GPT-3 175B"]
    assert [f.label for f in three.facts] == [label for label, _ in card_facts(gpt3)]
    facts = {f.label: f for f in three.facts}
    assert facts["Organization"].texts == ("OpenAI (United States)", "Google Research (United States)",
                                           "Google DeepMind (United Kingdom)")
    assert facts["Organization"].differs and not facts["Domain"].differs
    # None of the three is a mixture of experts: the card's rows, in the card's order.
    assert [r.label for r in three.rows] == [r.label for r in card_rows(gpt3)]
    assert all(len(r.cells) == 3 for r in three.rows)


def test_parameter_ratio_is_computed_from_the_stored_values(three, models):
    parameters = rows_of(three)["Parameters"]
    reference, palm, chinchilla = parameters.cells
    assert reference.ratio is None and reference.ratio_value is None   # the reference column
    assert palm.ratio_value == pytest.approx(540.35e9 / 175e9)
    assert palm.ratio_value == models["PaLM 540B"].parameters.value / models["GPT-3 175B"].parameters.value
    assert palm.ratio == "×3.1"
    assert chinchilla.ratio == "×0.40"                                # 70B / 175B, 2 significant figures
    assert palm.card.text == "540B" and palm.card.value == 540.35e9
    assert palm.card.source == "https://arxiv.org/abs/2204.02311" and palm.card.confidence == "confident"
    data = rows_of(three)["Training data"]
    assert [c.ratio for c in data.cells] == [None, "×2.6", "×4.7"]   # 780B and 1.4T tokens against 300B


def test_missing_values_give_no_ratio(three):
    rows = rows_of(three)
    time = rows["Training time"]     # only PaLM's is documented
    assert [c.card.text for c in time.cells] == [NOT_DOCUMENTED, "64 days", NOT_DOCUMENTED]
    assert [c.ratio for c in time.cells] == [None, None, None] and not time.differs
    cost = rows["Training cost"]     # only GPT-3's (the reference)
    assert cost.cells[0].card.value == 4.6e6 and [c.ratio for c in cost.cells] == [None, None, None]
    depth = rows["Depth (hidden layers)"]   # Chinchilla has none
    assert depth.cells[1].ratio is not None and depth.cells[2].ratio is None


def test_rows_are_the_union_of_the_cards(models):
    comparison = comparison_table([models["GPT-3 175B"], models["Mixtral 8x7B"]])
    labels = [r.label for r in comparison.rows]
    assert labels == [r.label for r in card_rows(models["Mixtral 8x7B"])]   # the longer card
    # Every card keeps one order: a mixture of experts' card is a dense one plus one row.
    assert [label for label in labels if label != "Active parameters (per token)"] == \
        [r.label for r in card_rows(models["GPT-3 175B"])]
    assert labels.index("Active parameters (per token)") == labels.index("Parameters") + 1
    active = rows_of(comparison)["Active parameters (per token)"]
    assert active.cells[0].card.text == NOT_DOCUMENTED and active.cells[0].card.value is None
    assert active.cells[1].card.value == models["Mixtral 8x7B"].active_parameters.value
    assert active.cells[1].ratio is None and not active.differs
    # The same row list whichever model comes first.
    flipped = comparison_table([models["Mixtral 8x7B"], models["GPT-3 175B"]])
    assert [r.label for r in flipped.rows] == labels


@pytest.mark.parametrize("count", [0, 1, 5])
def test_two_to_four_models_only(models, count):
    entries = list(models.values())[:count]
    with pytest.raises(ValueError, match=f"compare 2 to 4 models, not {count}"):
        comparison_table(entries)


def test_four_models_are_fine(models):
    names = ["GPT-3 175B", "PaLM 540B", "Chinchilla", "Gato"]
    assert comparison_table([models[n] for n in names]).names == tuple(names)


def test_differs_flag(three, models):
    rows = rows_of(three)
    assert rows["Parameters"].differs                    # 540B and 70B against GPT-3's 175B
    # Against the first (GPT-3's 96): 118 is ×1.23 and 80 is ×0.83, both within 1.25× of it, though
    # 118 is 1.48× 80: the ratios shown are to the first, and so is the flag.
    assert not rows["Layers"].differs
    assert 118 / 96 < DIFFERS_ABOVE < 118 / 80
    assert rows_of(comparison_table([models["Chinchilla"], models["PaLM 540B"]]))["Layers"].differs
    same = comparison_table([models["GPT-3 175B"], models["GPT-3 175B"]])
    assert not any(r.differs for r in same.rows) and not any(f.differs for f in same.facts)
    assert {c.ratio for r in same.rows for c in r.cells[1:] if c.card.value} == {"×1.0"}


def test_hardware_compares_chip_counts_only_of_the_same_chip_when_both_are_published(three, models):
    assert [c.ratio for c in rows_of(three)["Hardware"].cells] == [None, None, None]   # GPT-3: no count
    hardware = rows_of(comparison_table([models["Gato"], models["PaLM 540B"]]))["Hardware"]
    assert [c.card.value for c in hardware.cells] == [256, 6144]
    assert hardware.cells[1].ratio is None and not hardware.differs          # TPU v3 against TPU v4: no ratio
    assert hardware.note == "different chips (Google TPU v3, Google TPU v4): counts compared only for the same chip"
    same_chip = [m for m in models.values() if m.hardware and m.hardware.count
                 and m.hardware.type == models["PaLM 540B"].hardware.type and m.name != "PaLM 540B"]
    other = same_chip[0]
    hardware = rows_of(comparison_table([models["PaLM 540B"], other]))["Hardware"]
    assert hardware.cells[1].ratio_value == pytest.approx(other.hardware.count / 6144) and hardware.note is None


def test_a_row_is_flagged_only_where_the_first_model_and_another_both_have_values_that_differ(models):
    # PaLM's training time alone is documented: nothing to compare, nothing flagged.
    time = rows_of(comparison_table([models["GPT-3 175B"], models["PaLM 540B"], models["Chinchilla"]]))["Training time"]
    assert not time.differs
    # The first model without a value: the others may differ from each other, but no ratio, no flag.
    first_lacks = comparison_table([models["Chinchilla"], models["GPT-3 175B"], models["PaLM 540B"]])
    cost = rows_of(first_lacks)["Training cost"]
    assert cost.cells[0].card.value is None and not cost.differs


def test_training_data_is_compared_only_in_the_same_unit(models):
    data = rows_of(comparison_table([models["GPT-3 175B"], models["DALL-E"]]))["Training data"]
    assert [c.card.text for c in data.cells] == ["300B tokens", "250M image-text pairs"]
    assert data.cells[1].ratio is None and not data.differs
    assert data.note == "different units (tokens, image-text pairs): compared only in the same unit"


def test_training_cost_years_are_named_not_adjusted(models):
    cost = rows_of(comparison_table([models["GPT-3 175B"], models["DeepSeek-V3"]]))["Training cost"]
    assert cost.cells[1].ratio_value == pytest.approx(5.576e6 / 4.6e6)
    assert cost.cells[1].ratio == "×1.2"
    assert cost.note == "2020, 2024 US dollars, not adjusted for inflation"


@pytest.mark.parametrize("ratio, text", [
    (540.35 / 175, "×3.1"), (0.4, "×0.40"), (0.05, "×0.050"), (1, "×1.0"), (9.96, "×10"),
    (24, "×24"), (3140, "×3,100"), (0.0012, "×0.0012"), (2.5e5, "×2.5×10⁵"), (1e-6, "×10⁻⁶"),
    (9.9e-4, "×9.9×10⁻⁴"),
])
def test_ratio_format(ratio, text):
    assert format_ratio(ratio) == text


@pytest.mark.parametrize("bad", [0, -1, float("inf"), float("nan")])
def test_ratio_format_rejects_non_ratios(bad):
    with pytest.raises(ValueError):
        format_ratio(bad)


def test_csv_rows_carry_sources_confidences_and_ratios(three):
    lines = comparison_csv_rows(three)
    assert [line["row"] for line in lines] == [f.label for f in three.facts] + [r.label for r in three.rows]
    assert len({tuple(line) for line in lines}) == 1    # every line has the same columns
    by_row = {line["row"]: line for line in lines}
    parameters = by_row["Parameters"]
    assert parameters["GPT-3 175B: value"] == "175000000000"
    assert parameters["GPT-3 175B: source"] == "https://arxiv.org/abs/2005.14165"
    assert parameters["PaLM 540B: confidence"] == "confident"
    assert parameters["PaLM 540B: ratio"] == "×3.1" and parameters["GPT-3 175B: ratio"] == ""
    assert parameters["differs"] == "yes"
    cost = by_row["Training cost"]
    assert cost["GPT-3 175B: source"] == "https://lambdalabs.com/blog/demystifying-gpt-3"
    assert cost["GPT-3 175B: confidence"] == "speculative"
    assert cost["GPT-3 175B: method"].startswith("Lambda Labs")
    assert cost["PaLM 540B: text"] == NOT_DOCUMENTED and cost["PaLM 540B: source"] == ""
    assert by_row["Organization"]["Chinchilla: text"] == "Google DeepMind (United Kingdom)"
    # It writes and reads back as CSV.
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(lines[0]))
    writer.writeheader()
    writer.writerows(lines)
    assert list(csv.DictReader(io.StringIO(out.getvalue()))) == lines


def test_csv_headers_stay_unique_for_the_same_name_twice(models):
    lines = comparison_csv_rows(comparison_table([models["Chinchilla"], models["Chinchilla"]]))
    assert "Chinchilla (1): text" in lines[0] and "Chinchilla (2): text" in lines[0]
