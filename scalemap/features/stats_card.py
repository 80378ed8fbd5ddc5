"""The stats card of one model as plain rows, for the web panel, CSV and tests."""
from __future__ import annotations

from dataclasses import dataclass, replace

from scalemap.contract.units import format_count, format_exact, format_flop, format_hours, format_range, format_usd
from scalemap.sources.epoch import ORIGIN, credit
from scalemap.sources.schema import OUR_ORIGIN, ModelEntry, is_web_link

NOT_DOCUMENTED = "not documented"


@dataclass(frozen=True)
class CardRow:
    label: str
    text: str                     # human units, or "not documented"
    exact: str | None = None      # the stored value, shown on hover
    source: str | None = None     # only http(s) links are ever kept here
    confidence: str | None = None
    method: str | None = None     # how an estimate was made, and any note on the number
    value: float | None = None    # the number itself (hardware: the chip count), for comparisons
    field: str | None = None      # the ModelEntry field the row shows ("parameters", "hardware")
    origin: str | None = None     # "from Epoch AI (CC BY 4.0)": a model in two sources, this number from Epoch
    other: str | None = None      # the other source's value where the two disagree ("Epoch AI (CC BY 4.0): 1.8T")
    other_note: str | None = None  # our "Differs from other databases" sentence, if the notes have one
    range: str | None = None      # an estimate's range in the number's units ("1.5×10²⁶–6×10²⁶ FLOP")

    @property
    def sureness(self) -> str | None:
        """The confidence in words with the range: 'likely 1.5×10²⁶–6×10²⁶ FLOP'."""
        if not self.confidence:
            return None
        return f"{self.confidence} {self.range}" if self.range else self.confidence


RANGE_KINDS = {"training_compute": "flop", "inference_flops": "flop", "training_cost": "usd"}


def _range(item, field: str) -> str | None:
    if item.low is None:
        return None
    text = format_range(item.low, item.high, RANGE_KINDS.get(field, "count"))
    unit = getattr(item, "unit", None)
    return f"{text} {unit}" if unit else text


def _measure(model: ModelEntry, field: str, label: str, formatter) -> CardRow:
    item = getattr(model, field)
    if item is None:
        return CardRow(label, NOT_DOCUMENTED, field=field)
    source = model.source_of(field)
    text = formatter(item)
    return CardRow(label, text, format_exact(item.value), source if is_web_link(source) else None,
                   item.confidence.value, " — ".join(filter(None, (item.method, item.note))) or None,
                   item.value, field, range=_range(item, field))


def _with_sources(rows: list[CardRow], model: ModelEntry, provenance) -> list[CardRow]:
    """For a model in two sources: which source each number came from, and the other
    source's value where the two disagree beyond the comparison's bounds."""
    from scalemap.dataset.accuracy import DOCUMENTED_DIFFERENCE, agrees, stated_difference
    formats = {"parameters": format_count, "training_compute": format_flop}
    ours = provenance.entry(OUR_ORIGIN)
    note = stated_difference(ours) if ours else ""
    out = []
    for row in rows:
        origin = provenance.origins.get(row.field)
        if origin is None:
            out.append(row)
            continue
        updates = {"origin": f"from {credit(origin)}"} if origin == ORIGIN else {}
        if row.field in formats:
            other = provenance.other if provenance.primary.origin == origin else provenance.primary
            shown, theirs = getattr(model, row.field), getattr(other, row.field)
            if shown is not None and theirs is not None and not agrees(row.field, shown.value, theirs.value):
                updates["other"] = f"{credit(other.origin)}: {formats[row.field](theirs.value)}"
                updates["other_note"] = f"{DOCUMENTED_DIFFERENCE} {note}" if note else None
        out.append(replace(row, **updates))
    return out


def card_rows(model: ModelEntry, provenance=None) -> list[CardRow]:
    """The card's numbers; `provenance` (`scalemap.dataset.merge.Provenance`) for a model found in
    two sources adds where each number came from and the other source's differing values."""
    rows = _card_rows(model)
    return _with_sources(rows, model, provenance) if provenance is not None else rows


def _card_rows(model: ModelEntry) -> list[CardRow]:
    count = lambda m: format_count(m.value)  # noqa: E731
    rows = [
        _measure(model, "parameters", "Parameters", count),
        _measure(model, "active_parameters", "Active parameters (per token)", count),
        _measure(model, "layers", "Layers", count),
        _measure(model, "width", "Width / nodes", count),
        _measure(model, "depth", "Depth (hidden layers)", count),
        _measure(model, "training_compute", "Training compute", lambda m: format_flop(m.value)),
        _measure(model, "inference_flops", "Inference per forward pass",
                 lambda m: format_flop(m.value)),
        _measure(model, "training_data", "Training data",
                 lambda m: f"{format_count(m.value)} {m.unit}"),
        _measure(model, "training_time_hours", "Training time", lambda m: format_hours(m.value)),
        _measure(model, "training_cost", "Training cost",
                 lambda m: format_usd(m.value, m.year) + (" (a fine-tune)" if m.covers == "fine-tuning" else "")),
    ]
    if model.active_parameters is None:
        rows = [r for r in rows if r.label != "Active parameters (per token)"]
    hardware = model.hardware
    at = len(rows) - 1   # just before the training cost, with or without the active parameters row
    if hardware is None:
        rows.insert(at, CardRow("Hardware", NOT_DOCUMENTED, field="hardware"))
    else:
        text = f"{hardware.count:,} × {hardware.type}" if hardware.count else hardware.type
        source = model.source_of("hardware")
        rows.insert(at, CardRow("Hardware", text, None, source if is_web_link(source) else None,
                               hardware.confidence.value, hardware.note,
                               float(hardware.count) if hardware.count else None, "hardware"))
    return rows


def card_facts(model: ModelEntry) -> list[tuple[str, str]]:
    """The descriptive lines above the numbers."""
    precision = {"day": "%d %B %Y", "month": "%B %Y", "year": "%Y"}[model.date_precision]
    return [
        ("Organization", model.organization + (f" ({model.country})" if model.country else "")),
        ("Published", model.date.strftime(precision).lstrip("0")),
        ("Domain", ", ".join(model.domains)),
        ("Task", model.task or NOT_DOCUMENTED),
        ("Accessibility", model.accessibility.value),
        ("Data from", credit(model.origin)),
    ]
