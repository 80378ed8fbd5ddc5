"""One model found in two sources: its numbers merged, each from the preferred source when
it has one and from the other otherwise, with where each came from. Two views of one rule:
`merge_frames` for the flat table (a column at a time), `merge_entries` for the full records
a stats card shows (built on demand, `ModelLookup`)."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scalemap.dataset.matching import MatchResult, match_frames, name_key
from scalemap.dataset.table import FIELD_COLUMNS, FLOAT_COLUMNS
from scalemap.sources.schema import SOURCED_FIELDS, ModelEntry


@dataclass(frozen=True)
class Provenance:
    """Where each number of a model found in two sources came from."""
    origins: dict[str, str]      # field -> the origin of the number the model shows
    primary: ModelEntry          # the preferred source's own record (before filling)
    other: ModelEntry            # the other source's own record

    def entry(self, origin: str) -> ModelEntry | None:
        """The record of one origin ("ML Scale Map", "Epoch AI"), if it is one of the two."""
        return next((e for e in (self.primary, self.other) if e.origin == origin), None)


def takes_other(primary_has, other_has):
    """Which source a merged model's field comes from, for one model or a column of them (numpy
    bools): the preferred one when it has the field, else the other (True)."""
    return np.logical_not(primary_has) & other_has


def merge_entries(primary: ModelEntry, other: ModelEntry) -> ModelEntry:
    """`primary`, each field it lacks taken from `other` (with that field's own source); the
    rule `_fill` applies to the table's columns (`FIELD_COLUMNS`)."""
    update = {name: getattr(other, name).model_copy(update={"source": other.source_of(name)})
              for name in FIELD_COLUMNS
              if takes_other(getattr(primary, name) is not None, getattr(other, name) is not None)}
    return primary.model_copy(update=update) if update else primary


def _leaves(record) -> list:
    """The sources' records a model's record pairs (itself, for a model of one source)."""
    return [*_leaves(record[0]), *_leaves(record[1])] if isinstance(record, tuple) else [record]


class ModelLookup(Mapping):
    """Model id -> `ModelEntry`. A catalogue entry is kept as loaded; an imported row
    (its position in its import's table) becomes an entry on first use, then is kept.
    A model in two sources is a pair of records, merged number by number (`merge_entries`)."""

    def __init__(self, records: dict[str, ModelEntry | int | tuple], build: Callable[[int], ModelEntry],
                 build_many: Callable[[list[int]], list[ModelEntry]] | None = None):
        self._records, self._build, self._build_many = records, build, build_many
        self._built: dict[str, ModelEntry] = {}

    def _resolve(self, record, read: Mapping[int, ModelEntry] = {}) -> ModelEntry:   # noqa: B006 (read only)
        """The entry of a record: kept as is, built from its import row (from `read` when it
        was read already), or a pair merged number by number."""
        if isinstance(record, ModelEntry):
            return record
        if isinstance(record, tuple):
            return merge_entries(self._resolve(record[0], read), self._resolve(record[1], read))
        return read[record] if record in read else self._build(record)

    def __getitem__(self, model_id: str) -> ModelEntry:
        if model_id not in self._built:
            record = self._records[model_id]   # KeyError for an unknown id, as a dict would
            self._built[model_id] = self._resolve(record)
        return self._built[model_id]

    def transient(self, model_ids: list[str]) -> list[ModelEntry]:
        """The entries of many models, imported rows read a table at a time (`build_many`),
        none kept: an export walks every model of a view once, and 100,000 kept entries would
        stay in the worker's memory."""
        records = [self._records[model_id] for model_id in model_ids]
        rows = [leaf for model_id, record in zip(model_ids, records) if model_id not in self._built
                for leaf in _leaves(record) if not isinstance(leaf, ModelEntry)]
        read = dict(zip(rows, self._build_many(rows))) if self._build_many and rows else {}
        return [self._built.get(model_id) or self._resolve(record, read)
                for model_id, record in zip(model_ids, records)]

    def provenance(self, model_id: str) -> Provenance | None:
        """For a model found in two sources: where each of its numbers came from."""
        record = self._records.get(model_id) if isinstance(model_id, str) else None
        if not isinstance(record, tuple):
            return None
        return Provenance(self._origins(record), self._resolve(record[0]), self._resolve(record[1]))

    def _origins(self, record) -> dict[str, str]:
        if not isinstance(record, tuple):
            entry = self._resolve(record)
            return {name: entry.origin for name in SOURCED_FIELDS if getattr(entry, name) is not None}
        origins = self._origins(record[0])
        other = self._resolve(record[1])
        for name in SOURCED_FIELDS:
            if takes_other(name in origins, getattr(other, name) is not None):
                origins[name] = other.origin
        return origins

    def records(self, model_id: str) -> list[ModelEntry]:
        """Each source's own record of a model (one, or those a merge joined, in merge order)."""
        return [self._resolve(leaf) for leaf in _leaves(self._records[model_id])]

    def merged_ids(self) -> list[str]:
        return [model_id for model_id, record in self._records.items() if isinstance(record, tuple)]

    def __contains__(self, model_id) -> bool:
        return isinstance(model_id, str) and model_id in self._records

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)


def _has(frame: pd.DataFrame, column: str) -> np.ndarray:
    """Which rows have the field whose first column (`FIELD_COLUMNS`) is `column`."""
    values = frame[column]
    return values.to_numpy(bool) if values.dtype == bool else values.notna().to_numpy()


def _fill(primary: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    """Rows of `primary`, each field it lacks taken from the same row of `other` with all its
    columns (`merge_entries`' rule, `FIELD_COLUMNS`), records paired, arXiv ids and names joined."""
    out = primary.copy()
    for columns in FIELD_COLUMNS.values():
        if not columns:
            continue
        take = takes_other(_has(primary, columns[0]), _has(other, columns[0]))
        for name in columns:
            values = out[name].to_numpy(copy=True)
            values = values.astype(float if name in FLOAT_COLUMNS else object) if values.dtype != bool else values
            values[take] = other[name].to_numpy()[take]
            out[name] = values
    out["_arxiv"] = [tuple(dict.fromkeys(a + b)) for a, b in zip(primary["_arxiv"], other["_arxiv"])]
    out["aliases"] = [tuple(dict.fromkeys(n for n in (*a, o, *oa) if name_key(n) != name_key(p)))
                      for p, a, o, oa in zip(primary["name"], primary["aliases"], other["name"], other["aliases"])]
    out["_record"] = pd.Series(list(zip(primary["_record"], other["_record"])), index=out.index, dtype=object)
    return out


def merge_frames(left: pd.DataFrame, right: pd.DataFrame, prefer_right: bool = False,
                 **matching) -> tuple[pd.DataFrame, MatchResult]:
    """Rows of both tables; a model in both (`scalemap.dataset.matching`) once, in `left`'s place, each
    number from the preferred table when it has one and from the other otherwise."""
    left, right = left.reset_index(drop=True), right.reset_index(drop=True)
    if left.empty or right.empty:
        return (right if left.empty else left), MatchResult()
    result = match_frames(left, right, **matching)
    if not result.pairs:
        return pd.concat([left, right], ignore_index=True), result
    pairs = pd.DataFrame([(p.left, p.right) for p in result.pairs], columns=["left", "right"])
    rank = pairs.groupby("left").cumcount()
    out = left.copy()
    for k in range(int(rank.max()) + 1):   # a second row of `right` for one model fills what is left
        round_ = pairs[rank == k]
        at, from_right = round_["left"].to_numpy(), round_["right"].to_numpy()
        mine = out.iloc[at].reset_index(drop=True)
        theirs = right.iloc[from_right].reset_index(drop=True)
        filled = _fill(theirs, mine) if prefer_right and k == 0 else _fill(mine, theirs)
        for column in out.columns:
            values = out[column].to_numpy(copy=True)
            if values.dtype != filled[column].dtype:
                values = values.astype(object)
            new = filled[column].to_numpy()
            if values.dtype == object:
                for position, value in zip(at, new):   # (tuples stay whole)
                    values[position] = value
            else:
                values[at] = new
            out[column] = values
    extra = np.ones(len(right), dtype=bool)
    extra[pairs["right"].to_numpy()] = False
    return pd.concat([out, right[extra]], ignore_index=True), result
