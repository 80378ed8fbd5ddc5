"""The models of a view as rows to export: the page's "Download CSV", `GET /data.csv` and
`GET /api/models.json` all come from here, so they hold the same models and columns.

A view's models are the models table's: the filters (`view_state.filter_mask`) and, when
the search box holds text, its matches (`view_state.search_matches`); the table lists only
those, so `q=` narrows an export too. What the URL cannot hold is not applied: a box or
lasso selection on a chart, and the user's own uploaded models (the server never has them).

Each number comes with its confidence, its source (the number's own link, else the model's
first link, as the stats card cites it), how it was estimated (method, and any note on it)
and its origin ("ML Scale Map", or "Epoch AI (CC BY 4.0)" for a number taken from Epoch AI's
database). Dates keep their stated precision: "1950", "2020-05", "2020-05-28".

No Dash here: `components` serve these rows."""
from __future__ import annotations

import gc
import json
import math
from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pandas as pd

from scalemap.contract.view import DEFAULT_VIEW, ViewState, filter_mask, from_query, search_matches, to_query
from scalemap.dataset.table import slug
from scalemap.sources.epoch import credit
from scalemap.sources.schema import OUR_ORIGIN, is_web_link

FILE_PREFIX = "ml-scale-map"
MAX_FILE_NAME = 150          # characters of the name before its extension
MAX_NAME_PART = 40           # characters of one part (a domain list, an organization, the search)
DATE_FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
CHUNK_ROWS = 500             # rows built at a time when an export is streamed

# The numbers exported, each with these columns (`<number>_<part>`; the value is `<number>`).
NUMBERS = ("parameters", "active_parameters", "training_compute", "inference_flops",
           "training_data", "training_time_hours", "training_cost")
RANGE_PARTS = ("low", "high")   # an estimate's range; empty where none is stated
EXTRA_PARTS = {"training_data": ("unit",), "training_cost": ("year", "covers")}
PARTS = ("confidence", "source", "method", "origin")

DESCRIPTIVE_COLUMNS = ("id", "name", "organization", "country", "publication_date", "date_precision",
                       "domains", "task", "accessibility", "origin", "link")
NUMBER_COLUMNS = tuple(column for number in NUMBERS for column in (
    number, *(f"{number}_{part}" for part in (*RANGE_PARTS, *EXTRA_PARTS.get(number, ()))),
    *(f"{number}_{part}" for part in PARTS)))
HARDWARE_COLUMNS = ("hardware", "hardware_count", *(f"hardware_{part}" for part in PARTS))
COLUMNS = (*DESCRIPTIVE_COLUMNS, *NUMBER_COLUMNS, *HARDWARE_COLUMNS)
INTEGER_COLUMNS = ("training_cost_year", "hardware_count")
# The CSV's credit travels in its body as a last column, the same on every row: a comment line
# would break `pandas.read_csv` (and spreadsheets) unless told to skip it; a column is read as any
# other. (JSON has it beside the models, as "credit"; both answers carry the X-Data-Credit header.)
CREDIT_COLUMN = "data_credit"


def view_from_query(dataset, query: str | None) -> ViewState:
    """The view a query string names, against this dataset (as the page reads its URL);
    anything malformed or unknown falls back to the default."""
    return from_query(query, domains=dataset.domains, organizations=dataset.organizations,
                      model_ids=dataset.models, year_bounds=dataset.year_bounds)


def export_view(view: ViewState) -> ViewState:
    """Only what selects models: filters and search (not overlays, pins, the open card …)."""
    return replace(DEFAULT_VIEW, domains=view.domains, year_from=view.year_from, year_to=view.year_to,
                   organizations=view.organizations, search=view.search.strip())


def export_query(view: ViewState) -> str:
    """'?domain=language&from=2020': the query that selects the same models."""
    return to_query(export_view(view))


def view_mask(frame: pd.DataFrame, view: ViewState) -> pd.Series:
    """The rows the models table lists: the filters, narrowed to the search's matches."""
    mask = filter_mask(frame, view)
    if view.search.strip():
        mask &= search_matches(frame, view.search)
    return mask


def credit_line(dataset) -> str:
    """'Data: ML Scale Map catalogue 2026.12.1; Epoch AI (CC BY 4.0), epoch.ai/data', as
    applicable, with the catalogue's data version (scalemap.sources.release)."""
    parts = []
    if (dataset.frame["origin"] == OUR_ORIGIN).any() or not dataset.credits:
        version = getattr(dataset, "data_version", "")
        parts.append(f"{OUR_ORIGIN} catalogue" + (f" {version}" if version else ""))
    parts += [credit.removeprefix("Data: ") for credit in dataset.credits]
    return "Data: " + "; ".join(parts)


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value)
    return text if text else None


def _entries(models, model_ids: list[str]) -> list:
    transient = getattr(models, "transient", None)   # a ModelLookup: read at once, keep nothing
    return transient(model_ids) if transient else [models[model_id] for model_id in model_ids]


def _origins(models, model_id: str) -> dict[str, str] | None:
    provenance = getattr(models, "provenance", None)
    found = provenance(model_id) if provenance else None
    return found.origins if found is not None else None


def _number_columns(entry, origins: dict[str, str] | None) -> dict:
    row = {}
    for number in NUMBERS:
        item = getattr(entry, number)
        if item is None:
            continue
        source = entry.source_of(number)
        row[number] = item.value
        for part in (*RANGE_PARTS, *EXTRA_PARTS.get(number, ())):
            row[f"{number}_{part}"] = getattr(item, part)
        row[f"{number}_confidence"] = item.confidence.value
        row[f"{number}_source"] = source if is_web_link(source) else None
        row[f"{number}_method"] = " — ".join(filter(None, (item.method, item.note))) or None
        row[f"{number}_origin"] = credit((origins or {}).get(number, entry.origin))
    hardware = entry.hardware
    if hardware is not None:
        source = entry.source_of("hardware")
        row.update(hardware=hardware.type, hardware_count=hardware.count,
                   hardware_confidence=hardware.confidence.value,
                   hardware_source=source if is_web_link(source) else None,
                   hardware_method=hardware.note,
                   hardware_origin=credit((origins or {}).get("hardware", entry.origin)))
    return row


def publication_dates(frame: pd.DataFrame) -> pd.Series:
    """Each date at its stated precision: '1950', '2020-05', '2020-05-28'."""
    if frame.empty:
        return pd.Series([], index=frame.index, dtype=object)
    dates, precision = frame["date"], frame["date_precision"]
    return pd.Series(np.select([precision == "year", precision == "month"],
                               [dates.dt.strftime("%Y"), dates.dt.strftime("%Y-%m")],
                               dates.dt.strftime("%Y-%m-%d")), index=frame.index)


def export_records(dataset, view: ViewState) -> list[dict]:
    """One dict per model of the view, in the table's date order: every column of COLUMNS
    (None where unknown; `domains` a list, the model's colour domain first)."""
    return _records(dataset, dataset.frame[view_mask(dataset.frame, view)])


def _records(dataset, rows: pd.DataFrame) -> list[dict]:
    dates = publication_dates(rows)
    records = []
    entries = _entries(dataset.models, rows.index.tolist())
    for entry, model_id, name, organization, country, date, precision, domains, task, access, origin, link in zip(
            entries, rows.index, rows["name"], rows["organization"], rows["country"], dates, rows["date_precision"],
            rows["domains_label"], rows["task"], rows["accessibility"], rows["origin"], rows["link"]):
        record = dict.fromkeys(COLUMNS)
        record.update(id=model_id, name=name, organization=_text(organization), country=_text(country),
                      publication_date=date, date_precision=precision if precision in DATE_FORMATS else "day",
                      domains=domains.split(", "), task=_text(task), accessibility=_text(access),
                      origin=credit(_text(origin)), link=link if is_web_link(_text(link)) else None)
        record.update(_number_columns(entry, _origins(dataset.models, model_id)))
        records.append(record)
    return records


def export_frame(dataset, view: ViewState, records: list[dict] | None = None) -> pd.DataFrame:
    """The view's models as the CSV's table: domains joined by ', ', whole numbers as whole
    numbers, and text a spreadsheet would run as a formula neutralised; the credit last."""
    return _credited(_table(export_records(dataset, view) if records is None else records), dataset)


def _credited(table: pd.DataFrame, dataset) -> pd.DataFrame:
    table[CREDIT_COLUMN] = credit_line(dataset)
    return table


def _table(records: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    table["domains"] = table["domains"].map(", ".join) if len(table) else pd.Series(dtype=object)
    for column in INTEGER_COLUMNS:
        table[column] = pd.array([None if v is None or (isinstance(v, float) and math.isnan(v)) else int(v)
                                  for v in table[column]], dtype="Int64")
    return neutralise_formulas(table)


def export_csv(dataset, view: ViewState, records: list[dict] | None = None) -> str:
    return export_frame(dataset, view, records).to_csv(index=False)


def export_json(dataset, view: ViewState, records: list[dict] | None = None) -> dict:
    """`{"credit", "query", "dataset", "data_version", "count", "columns", "models"}`: the models
    as CSV's rows (domains a list; null where unknown), the credit their licence asks for, the
    query that selects them, the dataset's content hash and the catalogue's data version."""
    records = export_records(dataset, view) if records is None else records
    return {**_head(dataset, view, len(records)), "models": records}


def _head(dataset, view: ViewState, count: int) -> dict:
    return {"credit": credit_line(dataset), "query": export_query(view), "dataset": dataset.version,
            "data_version": getattr(dataset, "data_version", "") or None, "count": count,
            "columns": list(COLUMNS)}


def _chunks(dataset, positions: np.ndarray) -> Iterator[list[dict]]:
    for start in range(0, len(positions), CHUNK_ROWS):   # rows copied a chunk at a time, not all at once
        yield _records(dataset, dataset.frame.iloc[positions[start:start + CHUNK_ROWS]])
        # A chunk's entries and frames leave reference cycles that wait for the cyclic collector:
        # without this the garbage of every chunk piled up (21 MB at the peak for 10,000 models,
        # 6 MB with it, at no measurable cost).
        gc.collect(1)


def stream_csv(dataset, view: ViewState) -> Iterator[str]:
    """`export_csv`, CHUNK_ROWS rows at a time: the memory an answer takes does not grow
    with the models it holds."""
    positions = np.flatnonzero(view_mask(dataset.frame, view).to_numpy())
    yield _credited(_table([]), dataset).to_csv(index=False)   # the header
    for records in _chunks(dataset, positions):
        yield _credited(_table(records), dataset).to_csv(index=False, header=False)


def stream_json(dataset, view: ViewState) -> Iterator[str]:
    """`export_json` as JSON text, CHUNK_ROWS models at a time."""
    positions = np.flatnonzero(view_mask(dataset.frame, view).to_numpy())
    yield json.dumps(_head(dataset, view, len(positions)), ensure_ascii=False)[:-1] + ', "models": ['
    for number, records in enumerate(_chunks(dataset, positions)):
        yield ("" if number == 0 else ", ") + json.dumps(records, ensure_ascii=False, allow_nan=False)[1:-1]
    yield "]}"


def file_name(view: ViewState, year_bounds: tuple[int, int], extension: str = "csv") -> str:
    """What was filtered, in safe characters: 'ml-scale-map_language_2020-2025_q-gpt.csv';
    'ml-scale-map_all.csv' for every model."""
    parts = []
    if view.domains:
        parts.append(slug("-".join(view.domains), MAX_NAME_PART))
    if view.year_from is not None or view.year_to is not None:
        first = view.year_from if view.year_from is not None else year_bounds[0]
        last = view.year_to if view.year_to is not None else year_bounds[1]
        parts.append(str(first) if first == last else f"{first}-{last}")
    if view.organizations:
        parts.append(slug("org-" + "-".join(view.organizations), MAX_NAME_PART))
    if view.search.strip():
        parts.append(slug("q-" + view.search, MAX_NAME_PART) or "q")
    stem = "_".join([FILE_PREFIX, *(p for p in parts if p)] if parts else [FILE_PREFIX, "all"])
    return f"{stem[:MAX_FILE_NAME].rstrip('-_')}.{slug(extension, MAX_NAME_PART) or 'csv'}"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(rows: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would run as a formula (=HYPERLINK(…), +cmd…) start with an
    apostrophe instead, which spreadsheets show as text (OWASP's advice for CSV injection)."""
    def safe(cell):
        return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell
    text = rows.select_dtypes(include=["object", "string"]).columns
    return rows.assign(**{column: rows[column].map(safe) for column in text})
