"""The data contract between Python and the browser, defined once.

The browser receives the dataset once per version, as one JSON document of columns,
and filters, highlights and redraws from it without asking the server again
(`assets/core/dataset.js` reads it). Row i of every column is model i, in the
order of `Dataset.frame` (by date). The document:

    {"contract": 2, "version": "<hash>", "count": n,
     "columns": {"<name>": [...], ...},      # one array per `COLUMNS` entry
     "codes": {"<name>": ["…", ...], ...},   # what a coded column's integers stand for
     "numbers": {"<name>": {"unit": "flop", "confidence": "<name>", "low": "<name>", "high": "<name>"}, ...},
     "credits": [...], "frontier_rank": 10,   # "frontier": among this many largest at release
     "data_version": "2026.12.1"}             # the catalogue's citable version, or ""

`numbers` says of each number column its unit (count | flop | usd, as units.format_range reads
them) and which columns hold its confidence and its range, where it has them: the browser
takes column names from the payload (`dataset.names`, checked), never restates them. The
browser checks `contract` and refuses a document of another version, loudly.

Kinds of column:
  text     strings ("" for none)
  number   floats, null where unknown
  sparse   numbers that most models lack, as {"at": [row, ...], "values": [float, ...]}
           (the browser expands it to a number column)
  day      publication date as whole days since 1970-01-01
  code     index into codes[name], -1 where unknown (strings said once, not per row)
  codes    a list of such indices per model (none: [])
  domains  bit mask: bit i set when the model is in codes["domains"][i]
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scalemap.dataset.table import FRONTIER_RANK, RANGED_COLUMNS, Dataset
from scalemap.sources.schema import DOMAINS, Confidence

CONTRACT = 2   # assets/core/dataset.js reads this version only (tests/contract keeps the two equal)
CONFIDENCES = tuple(c.value for c in Confidence)
UNITS = ("count", "flop", "usd")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str          # text | number | sparse | day | code | codes | domains
    meaning: str
    codes: tuple[str, ...] | None = None   # fixed code table; None: the values present, sorted
    unit: str | None = None                # number: how it reads (UNITS)
    confidence: str | None = None          # number: the column of its confidence
    range: tuple[str, str] | None = None   # number: the columns of its range's low and high ends


def _number(name: str, meaning: str, unit: str = "count", sure_as: str | None = None) -> Column:
    """A number column, with its confidence and range columns where it has them (`sure_as`: as
    sure as that column, its confidence's)."""
    ranged = name in RANGED_COLUMNS or sure_as is not None
    confidence = f"{sure_as or name}_confidence" if ranged else None
    return Column(name, "number", meaning, unit=unit, confidence=confidence,
                  range=(f"{name}_low", f"{name}_high") if ranged else None)


COLUMNS = (
    Column("id", "text", "model id, stable and URL-safe (?model=…)"),
    Column("name", "text", "common name"),
    Column("aliases", "text", "other names, separated by spaces"),
    Column("organization", "code", "who published it"),
    Column("organization_keys", "codes", "what an organization filter matches: each organization "
           "(data/organizations.yaml) and its group"),
    Column("organization_group", "code", "the first organization's group (or the organization)"),
    Column("country", "code", "the organization's country"),
    Column("day", "day", "first publication"),
    Column("date_precision", "code", "how much of the date is known", ("day", "month", "year")),
    Column("domains", "domains", "every domain of the model", DOMAINS),
    Column("primary_domain", "code", "the first domain: the model's colour", DOMAINS),
    Column("accessibility", "code", "open weights, api, unreleased or unknown"),
    Column("origin", "code", "whose record: ML Scale Map or Epoch AI"),
    _number("parameters", "total parameters"),
    _number("active_parameters", "mixture-of-experts: parameters used per token"),
    _number("training_compute", "training FLOP", "flop"),
    _number("inference_flops", "FLOP per forward pass", "flop"),
    _number("training_data", "training set size, in training_data_unit"),
    Column("training_data_unit", "code", "tokens, images …"),
    _number("training_time_hours", "wall-clock training time"),
    _number("training_cost", "US dollars of training_cost_year", "usd"),
    Column("training_cost_year", "number", "the year of the dollars"),
    _number("training_cost_real", "training cost in US dollars of data/cpi.yaml's reference year", "usd",
            sure_as="training_cost"),   # as sure as the stated cost
    _number("hardware_count", "accelerators used"),
    *(Column(f"{name}_confidence", "code", f"confidence of {name}", CONFIDENCES) for name in RANGED_COLUMNS),
    # An estimate's range (null: none stated): whiskers, hover texts and the table read them.
    *(Column(f"{name}_{end}", "sparse", f"the {end} end of {name}'s range")
      for name in (*RANGED_COLUMNS, "training_cost_real") for end in ("low", "high")),
    Column("training_cost_covers", "code", "what the training cost paid for", ("pretraining", "fine-tuning")),
    Column("compute_rank", "number", "rank in training compute among the models published by its "
           "day (1 = largest), up to 10 (the frontier); null beyond"),
)
COLUMNS_BY_NAME = {column.name: column for column in COLUMNS}
NUMBERS = {c.name: {"unit": c.unit, "confidence": c.confidence, "low": c.range and c.range[0],
                    "high": c.range and c.range[1]} for c in COLUMNS if c.kind == "number"}


def _days(dates: pd.Series) -> list[int]:
    return ((dates - pd.Timestamp("1970-01-01")) // pd.Timedelta(days=1)).astype(int).tolist()


def _coded(values: pd.Series, table: tuple[str, ...] | None) -> tuple[list[int], list[str]]:
    if table is None:
        table = tuple(sorted({v for v in values.dropna().unique() if v != ""}, key=str))
    index = {value: i for i, value in enumerate(table)}
    return [index.get(v, -1) for v in values.tolist()], list(table)


def _numbers(values: pd.Series) -> list[float | None]:
    floats = values.to_numpy(dtype=float, na_value=np.nan)
    return np.where(np.isfinite(floats), floats, None).tolist()


def encode_column(frame: pd.DataFrame, column: Column) -> tuple[list, list[str] | None]:
    """(the column's array, its code table or None)."""
    if column.name == "day":
        return _days(frame["date"]), None
    values = frame[column.name]
    if column.kind == "text":
        if column.name == "aliases":
            return [" ".join(a) for a in values], None
        return values.fillna("").astype(str).tolist(), None
    if column.kind == "number":
        return _numbers(values), None
    if column.kind == "sparse":
        floats = values.to_numpy(dtype=float, na_value=np.nan)
        at = np.flatnonzero(np.isfinite(floats))
        return {"at": at.tolist(), "values": floats[at].tolist()}, None
    if column.kind == "codes":
        table = tuple(sorted({v for vs in values.unique() for v in vs}, key=str))
        index = {value: i for i, value in enumerate(table)}
        coded = {vs: [index[v] for v in vs] for vs in values.unique()}
        return [coded[vs] for vs in values.tolist()], list(table)
    if column.kind == "domains":
        bits = {domain: 1 << i for i, domain in enumerate(column.codes)}
        return [sum(bits[d] for d in ds) for ds in values], list(column.codes)
    return _coded(values, column.codes)


def frame_payload(frame: pd.DataFrame, version: str = "", credits: tuple[str, ...] = ()) -> dict:
    columns, codes = {}, {}
    for column in COLUMNS:
        columns[column.name], table = encode_column(frame, column)
        if table is not None:
            codes[column.name] = table
    return {"contract": CONTRACT, "version": version, "count": len(frame),
            "columns": columns, "codes": codes, "numbers": NUMBERS, "credits": list(credits),
            "frontier_rank": FRONTIER_RANK}


def build_payload(dataset: Dataset) -> dict:
    return {**frame_payload(dataset.frame, dataset.version, dataset.credits), "data_version": dataset.data_version}


def payload_bytes(dataset: Dataset) -> bytes:
    """The payload as compact UTF-8 JSON, the body the browser fetches."""
    return json.dumps(build_payload(dataset), ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode()
