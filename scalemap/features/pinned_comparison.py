"""Compare 2–4 models: their stats cards side by side, each number with its source and
confidence, and how far each model is from the first (the reference) as a ×-ratio.

Ratios are `other / reference`, computed from the stored values (`CardRow.value`, which is
the `ModelEntry` measurement itself, never parsed back from text), written to 2 significant
figures by `format_ratio`: "×3.1", "×0.40", "×0.050", "×1.0", "×3,100"; below 0.001 or from
10,000 up in powers of ten, as `units.py` writes them: "×2.5×10⁵", "×10⁻⁶". A ratio is given
only when both numbers are there and measure the same thing:

- training data only in the same unit (tokens against images is no ratio);
- hardware by chip count, only when both counts are published and the chips are of one type
  (256 TPU v3 against 6,144 TPU v4 is no ratio; the row's note says why);
- training cost in whatever US-dollar year each estimate was made: years are *not* adjusted for
  inflation (the catalogue keeps the year, not a deflator); the row's note names the years when
  they differ.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scalemap.contract.units import power_of_ten
from scalemap.features.stats_card import NOT_DOCUMENTED, CardRow, card_facts, card_rows
from scalemap.sources.schema import ModelEntry

MIN_MODELS, MAX_MODELS = 2, 4
DIFFERS_ABOVE = 1.25   # a row differs when a model's value is more than 1.25× the first's, or less than 1/1.25


@dataclass(frozen=True)
class FactRow:
    label: str                 # "Organization", "Published", ...
    texts: tuple[str, ...]     # one per model, in the models' order
    differs: bool              # the texts are not all the same


@dataclass(frozen=True)
class ComparisonCell:
    card: CardRow                    # text, exact, source, confidence, method, value; "not documented"
    ratio: str | None = None         # "×3.1" against the reference; None for the reference itself
    ratio_value: float | None = None  # the same ratio as a number (this value / the reference's)


@dataclass(frozen=True)
class ComparisonRow:
    label: str                          # the card row's label, "Parameters", "Hardware", ...
    cells: tuple[ComparisonCell, ...]   # one per model, in the models' order
    differs: bool       # the first model's value and another's are both there, comparable, and apart by DIFFERS_ABOVE
    note: str | None = None   # why a ratio is missing or what it does not adjust for


@dataclass(frozen=True)
class PinnedComparison:
    names: tuple[str, ...]           # column headers; the first model is the reference
    facts: tuple[FactRow, ...]
    rows: tuple[ComparisonRow, ...]  # card order; a row any model has appears for all


def format_ratio(ratio: float) -> str:
    """3.0877 -> '×3.1'; 0.05 -> '×0.050'; 1 -> '×1.0'; 3140 -> '×3,100'; 2.5e5 -> '×2.5×10⁵'."""
    if not (ratio > 0 and math.isfinite(ratio)):
        raise ValueError(f"a ratio must be a positive number, not {ratio!r}")
    rounded = float(f"{ratio:.2g}")                  # 2 significant figures
    exponent = math.floor(math.log10(rounded))
    if -3 <= exponent < 4:
        return f"×{rounded:,.{max(0, 1 - exponent)}f}"
    mantissa = rounded / 10**exponent
    head = "" if abs(mantissa - 1) < 0.05 else f"{mantissa:.1f}×"
    return f"×{head}{power_of_ten(exponent)}"


def _unit(model: ModelEntry, field: str | None) -> str | None:
    """What a value counts, where models may differ in it: the unit of the training data, the
    chip of a hardware count."""
    if field == "training_data" and model.training_data:
        return model.training_data.unit
    if field == "hardware" and model.hardware:
        return model.hardware.type
    return None


def _merged_labels(cards: Sequence[Sequence[CardRow]]) -> list[str]:
    """Every label in card order: a label only some cards have goes after the one before it."""
    labels: list[str] = []
    for rows in cards:
        previous = None
        for row in rows:
            if row.label not in labels:
                labels.insert(labels.index(previous) + 1 if previous else 0, row.label)
            previous = row.label
    return labels


def _note(models: Sequence[ModelEntry], field: str | None, cells: Sequence[CardRow]) -> str | None:
    present = [(m, c) for m, c in zip(models, cells) if c.value is not None]
    if field == "training_data":
        units = list(dict.fromkeys(m.training_data.unit for m, _ in present))
        return f"different units ({', '.join(units)}): compared only in the same unit" if len(units) > 1 else None
    if field == "training_cost":
        years = sorted({m.training_cost.year for m, _ in present})
        if len(years) > 1:
            return f"{', '.join(map(str, years))} US dollars, not adjusted for inflation"
    if field == "hardware":
        types = list(dict.fromkeys(m.hardware.type for m, _ in present))
        if len(types) > 1:
            return f"different chips ({', '.join(types)}): counts compared only for the same chip"
    return None


def _row(label: str, models: Sequence[ModelEntry], cards: Sequence[CardRow]) -> ComparisonRow:
    field = next((c.field for c in cards if c.field), None)
    reference, ref_unit = cards[0].value, _unit(models[0], field)
    cells = [ComparisonCell(cards[0])]
    for model, card in zip(models[1:], cards[1:]):
        if reference is not None and card.value is not None and _unit(model, field) == ref_unit:
            ratio = card.value / reference
            cells.append(ComparisonCell(card, format_ratio(ratio), ratio))
        else:
            cells.append(ComparisonCell(card))
    # Flagged only where a ratio is given: both values there, in one unit, and far apart.
    differs = any(c.ratio_value is not None and not 1 / DIFFERS_ABOVE <= c.ratio_value <= DIFFERS_ABOVE
                  for c in cells[1:])
    return ComparisonRow(label, tuple(cells), differs, _note(models, field, cards))


def comparison_table(models: Sequence[ModelEntry]) -> PinnedComparison:
    """The stats cards of 2–4 models side by side; ratios against the first model."""
    models = list(models)
    if not MIN_MODELS <= len(models) <= MAX_MODELS:
        raise ValueError(f"compare {MIN_MODELS} to {MAX_MODELS} models, not {len(models)}")
    facts = [dict(card_facts(m)) for m in models]
    fact_rows = []
    for label in facts[0]:
        texts = tuple(f[label] for f in facts)
        fact_rows.append(FactRow(label, texts, len(set(texts)) > 1))
    cards = [card_rows(m) for m in models]
    by_label = [{row.label: row for row in rows} for rows in cards]
    rows = tuple(
        _row(label, models, [found.get(label) or CardRow(label, NOT_DOCUMENTED) for found in by_label])
        for label in _merged_labels(cards))
    return PinnedComparison(tuple(m.name for m in models), tuple(fact_rows), rows)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.17g}"   # round-trips, no thousands separators


def comparison_csv_rows(comparison: PinnedComparison) -> list[dict]:
    """A flat table for a CSV download: one line per fact and per card row, and for every model
    its text, value, source, confidence, method and ratio against the reference."""
    names = [name if comparison.names.count(name) == 1 else f"{name} ({i})"   # unique headers
             for i, name in enumerate(comparison.names, 1)]
    columns = ("text", "value", "source", "confidence", "method", "ratio")
    out = []
    for fact in comparison.facts:
        line = {"row": fact.label}
        for name, text in zip(names, fact.texts):
            line |= {f"{name}: {column}": text if column == "text" else "" for column in columns}
        out.append(line | {"differs": "yes" if fact.differs else "no", "note": ""})
    for row in comparison.rows:
        line = {"row": row.label}
        for name, cell in zip(names, row.cells):
            card = cell.card
            line |= {f"{name}: text": card.text, f"{name}: value": _number(card.value),
                     f"{name}: source": card.source or "", f"{name}: confidence": card.confidence or "",
                     f"{name}: method": card.method or "", f"{name}: ratio": cell.ratio or ""}
        out.append(line | {"differs": "yes" if row.differs else "no", "note": row.note or ""})
    return out
