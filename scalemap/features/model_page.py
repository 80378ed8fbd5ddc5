"""One model's page (`/model/<id>`), as data: every number with its source, confidence, range
and method; the model's numbers in each loaded source side by side; the data versions in which
they changed; schema.org JSON-LD; how to cite it; and, per number, a prefilled report of a
wrong number. `components/model_page.py` renders it as HTML that needs no JavaScript.

A wrong-number report is plain text (to paste into the project's tracker) or a YAML
correction file (`correction_yaml`), both naming the model, the field, the data version, the
current value and its source, with blanks for the correct value, its source and confidence."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from urllib.parse import quote

import yaml

from scalemap.features.citation import AUTHOR, EPOCH_CITATION, TITLE, bibtex, citation_text
from scalemap.features.stats_card import NOT_DOCUMENTED, CardRow, card_facts, card_rows, credit
from scalemap.features.versions import Changelog, change_line
from scalemap.sources.schema import ModelEntry, is_web_link

EPOCH = "Epoch AI"
UNITS = {"parameters": "parameters", "active_parameters": "parameters", "training_compute": "FLOP",
         "inference_flops": "FLOP", "layers": "layers", "width": "units", "depth": "layers",
         "training_time_hours": "hours", "hardware": "chips"}
REPORTABLE = frozenset(UNITS) | {"training_data", "training_cost"}


@dataclass(frozen=True)
class SourceRecord:
    """One loaded source's own record of the model: its name and its rows (label -> row)."""
    origin: str                  # "ML Scale Map", "Epoch AI (CC BY 4.0)"
    rows: dict[str, CardRow]


@dataclass(frozen=True)
class HistoryLine:
    version: str
    date: str
    text: str                    # 'training compute: 1.8×10²⁵ FLOP (likely) → … '


@dataclass
class ModelPage:
    id: str
    name: str
    facts: list[tuple[str, str]]
    rows: list[CardRow]                       # the numbers the map shows
    sources: list[SourceRecord]               # every loaded source's own numbers
    links: list[str]
    notes: str | None
    history: list[HistoryLine]
    added_in: str | None                      # the data version that added it, if the log says
    data_version: str
    page_url: str
    map_url: str                              # the map, this model selected
    citation: str
    bibtex: str
    json_ld: dict
    credits: list[str] = field(default_factory=list)   # Epoch AI's, when its numbers are shown

    @property
    def json_ld_text(self) -> str:
        """The JSON-LD for a <script> element: '<' escaped, so no text closes the element."""
        return json.dumps(self.json_ld, ensure_ascii=False, indent=1).replace("<", "\\u003c")

    @property
    def field_labels(self) -> list[str]:
        """The number rows of the side-by-side table, in the card's order."""
        return [row.label for row in self.rows]


def _source_records(entry: ModelEntry, provenance) -> list[SourceRecord]:
    records = [provenance.primary, provenance.other] if provenance is not None else [entry]
    return [SourceRecord(credit(record.origin), {row.label: row for row in card_rows(record)}) for record in records]


def _history(model_id: str, changelog: Changelog) -> list[HistoryLine]:
    lines = []
    for version, date, change in changelog.model_history(model_id):
        text = change_line(change)
        lines.append(HistoryLine(version, date, text.split(" · ", 1)[1] if " · " in text else text))
    return lines


def _property(row: CardRow, entry: ModelEntry) -> dict:
    item = getattr(entry, row.field) if row.field else None
    unit = UNITS.get(row.field)
    if row.field == "training_data" and item is not None:
        unit = item.unit
    if row.field == "training_cost" and item is not None:
        unit = f"US dollars of {item.year}"
    value = {"@type": "PropertyValue", "propertyID": row.field, "name": row.label, "value": row.value}
    if row.field == "hardware" and entry.hardware is not None:
        value["description"] = row.text
    if unit:
        value["unitText"] = unit
    low, high = getattr(item, "low", None), getattr(item, "high", None)
    if low is not None and high is not None:
        value.update(minValue=low, maxValue=high)
    notes = [f"confidence: {row.confidence}"] if row.confidence else []
    if row.method:
        notes.append(row.method)
    if notes:
        value["description"] = "; ".join(([value["description"]] if "description" in value else []) + notes)
    if row.source:
        value["url"] = row.source
    return value


def json_ld(entry: ModelEntry, model_id: str, rows: list[CardRow], page_url: str, base_url: str,
            data_version: str, release_date: str | None, licence: dict) -> dict:
    """schema.org: the page is a `Dataset` (this model's numbers) within the catalogue, about the
    model (a `CreativeWork`)."""
    about = {"@type": "CreativeWork", "name": entry.name, "creator": {"@type": "Organization",
                                                                       "name": entry.organization}}
    about["datePublished"] = entry.date.isoformat()[:{"year": 4, "month": 7}.get(entry.date_precision, 10)]
    if entry.links:
        about["url"] = entry.links[0]
    if entry.aliases:
        about["alternateName"] = list(entry.aliases)
    data = {
        "@context": "https://schema.org", "@type": "Dataset",
        "@id": page_url, "url": page_url, "identifier": model_id,
        "name": f"{entry.name}: parameters, training compute and data ({TITLE})",
        "description": (f"The scale of {entry.name} ({entry.organization}, {about['datePublished'][:4]}): "
                        "each number with its source, confidence, range and how it was estimated."),
        "creator": {"@type": "Organization", "name": AUTHOR},
        "isPartOf": {"@type": "Dataset", "name": TITLE, "url": base_url, **({"version": data_version}
                                                                          if data_version else {})},
        "about": about, "license": licence.get("path"), "isAccessibleForFree": True,
        "citation": [link for link in entry.links if is_web_link(link)],
        "variableMeasured": [_property(row, entry) for row in rows if row.value is not None or
                             (row.field == "hardware" and row.text != NOT_DOCUMENTED)],
    }
    if data_version:
        data["version"] = data_version
    if release_date:
        data["dateModified"] = release_date
    return data


def model_page(dataset, model_id: str, changelog: Changelog, base_url: str, release_date: str | None = None,
               licence: dict | None = None, accessed: dt.date | None = None) -> ModelPage | None:
    """The page of a model of `dataset`; None for an id it does not hold. `base_url` ends in '/'."""
    if not isinstance(model_id, str) or model_id not in dataset.models:
        return None
    models = dataset.models
    entry = models[model_id]
    provenance = models.provenance(model_id) if hasattr(models, "provenance") else None
    rows = card_rows(entry, provenance)
    page_url = f"{base_url}model/{quote(model_id)}"
    version = getattr(dataset, "data_version", "")
    # Epoch AI's numbers are on the page when the model is theirs or in both (the side-by-side table).
    from_epoch = entry.origin == EPOCH or provenance is not None and provenance.entry(EPOCH) is not None
    return ModelPage(
        id=model_id, name=entry.name, facts=card_facts(entry), rows=rows,
        sources=_source_records(entry, provenance), links=[link for link in entry.links if is_web_link(link)],
        notes=entry.notes, history=_history(model_id, changelog), added_in=changelog.added_in(model_id),
        data_version=version, page_url=page_url, map_url=f"{base_url}?model={quote(model_id)}",
        citation=citation_text(page_url, version, release_date, accessed, model=entry.name),
        bibtex=bibtex(page_url, version, release_date, accessed, model=entry.name, model_id=model_id),
        json_ld=json_ld(entry, model_id, rows, page_url, base_url, version, release_date, licence or {}),
        credits=[EPOCH_CITATION] if from_epoch else [])


# --- "report a wrong number" ----------------------------------------------------------------

def _row(page: ModelPage, field_name: str) -> CardRow | None:
    return next((row for row in page.rows if row.field == field_name), None)


def report_text(page: ModelPage, field_name: str) -> str | None:
    """The issue to paste into the tracker for one number; None for a field the page lacks."""
    row = _row(page, field_name)
    if row is None or field_name not in REPORTABLE:
        return None
    current = row.text + (f" (exactly {row.exact})" if row.exact else "")
    lines = [f"Wrong number: {page.name} · {row.label}", "",
             f"Model: {page.name} (id {page.id})", f"Page: {page.page_url}",
             f"Data version: {page.data_version or 'not stated'}", f"Field: {field_name}",
             f"Current value: {current}" + (f", {row.sureness}" if row.sureness else ""),
             f"Current source: {row.source or 'none'}"]
    if row.method:
        lines.append(f"How it was estimated: {row.method}")
    if row.origin:
        lines.append(f"Origin: {row.origin}")
    lines += ["", "Correct value: ", "Source that states it (a link): ",
              "Confidence (confident: stated; likely: estimated from stated numbers; speculative): ",
              "Anything else we should know: "]
    return "\n".join(lines) + "\n"


def correction_yaml(page: ModelPage, field_name: str) -> str | None:
    """A correction file for one number (the format README's "Report a wrong number" documents)."""
    row = _row(page, field_name)
    if row is None or field_name not in REPORTABLE:
        return None
    current = {"text": row.text}
    if row.value is not None:
        current["value"] = row.value
    for key in ("confidence", "range", "source", "method"):
        if getattr(row, key):
            current[key] = getattr(row, key)
    document = {"model": page.name, "id": page.id, "data_version": page.data_version or None,
                "field": field_name, "current": current,
                "correct": {"value": None, "confidence": None, "source": None, "note": None}}
    head = ("# A correction to the ML Scale Map catalogue. Fill in `correct` (value: a number, e.g. 2.1e25;\n"
            "# confidence: confident, likely or speculative; source: the link that states it) and attach\n"
            "# this file to an issue in the project's tracker.\n")
    return head + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def report_path(model_id: str, field_name: str, suffix: str = "") -> str:
    return f"model/{quote(model_id)}/report/{quote(field_name)}{suffix}"


def model_page_path(model_id: str) -> str:
    """The page's address relative to the map's ('model/gpt-4')."""
    return f"model/{quote(model_id)}"
