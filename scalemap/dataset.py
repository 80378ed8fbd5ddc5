"""The dataset the app serves: the models, and one flat table of them.

`build_dataset` runs once per process at start-up; the result is read-only,
so gunicorn workers each hold their own copy and no request ever changes it.
The table is built a column at a time; a model's full record (`ModelEntry`)
is built only when its stats card is asked for."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from scalemap.catalogue import Problem, load_catalogue
from scalemap.cpi import load_price_index
from scalemap.organizations import load_organizations
from scalemap.matching import MatchResult, arxiv_ids, match_frames
from scalemap.schema import DOMAINS, SOURCED_FIELDS, ModelEntry

EPOCH_CREDIT = "Data: Epoch AI (CC BY 4.0), epoch.ai/data"
NUMERIC_COLUMNS = ("parameters", "active_parameters", "training_compute", "inference_flops",
                   "training_data", "training_time_hours", "training_cost", "hardware_count")
# Numbers that carry a confidence and may carry a range (`<name>_low`, `<name>_high`).
RANGED_COLUMNS = ("parameters", "active_parameters", "training_compute", "training_data", "training_cost")
RANGE_COLUMNS = tuple(f"{name}_{end}" for name in RANGED_COLUMNS for end in ("low", "high"))
CONFIDENCE_COLUMNS = tuple(f"{name}_confidence" for name in RANGED_COLUMNS)
FLOAT_COLUMNS = frozenset((*NUMERIC_COLUMNS, *RANGE_COLUMNS, "training_cost_year"))
FRONTIER_RANK = 10   # a "frontier model": among the 10 largest in training compute when released
TABLE_STRIDE = 10**9   # rows of one import fit below this
FRAME_COLUMNS = (
    "id", "name", "aliases", "organization", "country", "date", "date_precision", "year",
    "domains", "primary_domain", "task", "accessibility", "origin", *NUMERIC_COLUMNS,
    *RANGE_COLUMNS, "training_data_unit", "training_cost_year", "training_cost_covers",
    *CONFIDENCE_COLUMNS, "link", "date_label", "domains_label", "search_key",
    "organization_keys", "organization_group", "training_cost_real", "training_cost_real_low",
    "training_cost_real_high", "compute_rank",
)


@dataclass(frozen=True)
class Provenance:
    """Where each number of a model found in two sources came from."""
    origins: dict[str, str]      # field -> the origin of the number the model shows
    primary: ModelEntry          # the preferred source's own record (before filling)
    other: ModelEntry            # the other source's own record

    def entry(self, origin: str) -> ModelEntry | None:
        """The record of one origin ("ML Scale Map", "Epoch AI"), if it is one of the two."""
        return next((e for e in (self.primary, self.other) if e.origin == origin), None)


def merge_entries(primary: ModelEntry, other: ModelEntry) -> ModelEntry:
    """`primary`, each number it lacks taken from `other` (with that number's own source)."""
    update = {}
    for name in SOURCED_FIELDS:
        item = getattr(other, name)
        if getattr(primary, name) is None and item is not None:
            update[name] = item.model_copy(update={"source": other.source_of(name)}) \
                if name != "hardware" else item.model_copy(update={"source": item.source or (other.links[0] if other.links else None)})
    return primary.model_copy(update=update) if update else primary


class ModelLookup(Mapping):
    """Model id -> `ModelEntry`. A catalogue entry is kept as loaded; an imported row
    (its position in its import's table) becomes an entry on first use, then is kept.
    A model in two sources is a pair of records, merged number by number (`merge_entries`)."""

    def __init__(self, records: dict[str, ModelEntry | int | tuple], build: Callable[[int], ModelEntry],
                 build_many: Callable[[list[int]], list[ModelEntry]] | None = None):
        self._records, self._build, self._build_many = records, build, build_many
        self._built: dict[str, ModelEntry] = {}

    def _resolve(self, record) -> ModelEntry:
        if isinstance(record, ModelEntry):
            return record
        if isinstance(record, tuple):
            return merge_entries(self._resolve(record[0]), self._resolve(record[1]))
        return self._build(record)

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
        rows: list = []

        def parts(record):
            if isinstance(record, tuple):
                for part in record:
                    parts(part)
            elif not isinstance(record, ModelEntry):
                rows.append(record)
        for model_id, record in zip(model_ids, records):
            if model_id not in self._built:
                parts(record)
        read = dict(zip(rows, self._build_many(rows))) if self._build_many and rows else {}

        def resolve(record) -> ModelEntry:
            if isinstance(record, ModelEntry):
                return record
            if isinstance(record, tuple):
                return merge_entries(resolve(record[0]), resolve(record[1]))
            return read[record] if record in read else self._build(record)
        return [self._built.get(model_id) or resolve(record) for model_id, record in zip(model_ids, records)]

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
            if name not in origins and getattr(other, name) is not None:
                origins[name] = other.origin
        return origins

    def merged_ids(self) -> list[str]:
        return [model_id for model_id, record in self._records.items() if isinstance(record, tuple)]

    def __contains__(self, model_id) -> bool:
        return isinstance(model_id, str) and model_id in self._records

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)


@dataclass
class Dataset:
    models: Mapping[str, ModelEntry]       # by model id
    frame: pd.DataFrame                    # one row per model, index = model id, sorted by date
    problems: list[Problem] = field(default_factory=list)
    report: list[str] = field(default_factory=list)   # import summary lines, shown at start-up
    credits: tuple[str, ...] = ()

    @cached_property
    def domains(self) -> list[str]:
        present = {d for ds in self.frame["domains"].unique() for d in ds}
        return [d for d in DOMAINS if d in present]

    @cached_property
    def year_bounds(self) -> tuple[int, int]:
        if self.frame.empty:
            return 1950, 2025
        return int(self.frame["year"].min()), int(self.frame["year"].max())

    @cached_property
    def organizations(self) -> list[str]:
        """What the organization filter offers: every organization present (its canonical
        name, data/organizations.yaml) and every group one of them belongs to."""
        present = {key for keys in self.frame["organization_keys"].unique() for key in keys}
        return sorted(present, key=str.casefold)

    @cached_property
    def organization_groups(self) -> dict[str, tuple[str, ...]]:
        """Each group with a model here, and its members that have one."""
        present = {name for names in self.frame["organization_keys"].unique() for name in names}
        return {group: kept for group, members in load_organizations().groups().items()
                if group in present and (kept := tuple(m for m in members if m in present))}

    @cached_property
    def version(self) -> str:
        """A short hash of the table's content: it names the payload URL, so a browser
        caches one dataset for good and fetches again only when the data change."""
        # (domains and aliases are tuples, which pandas cannot hash: domains_label and
        # search_key carry them.)
        digest = hashlib.sha256(pd.util.hash_pandas_object(
            self.frame.drop(columns=["domains", "aliases", "organization_keys"]), index=True).to_numpy().tobytes())
        digest.update(repr(self.credits).encode())
        return digest.hexdigest()[:16]


_NOT_NAME = re.compile(r"[^\w.]+|_")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def name_key(name: str) -> str:
    """Normalised name for matching the same model across sources: case, spaces and
    punctuation dropped, letters of any script kept (PanGu-α is not PanGu-Σ), × read as x."""
    return _NOT_NAME.sub("", name.casefold().replace("×", "x"))


def _slug(name: str) -> str:
    return _NOT_SLUG.sub("-", name.casefold()).strip("-") or "model"


def assign_ids(names: pd.Series) -> list[str]:
    """Stable URL-safe ids from names (the same data give the same ids in every worker):
    the slug of the name, and -2, -3 … after the first model of that slug."""
    slugs = names.str.casefold().str.replace(_NOT_SLUG, "-", regex=True).str.strip("-").replace("", "model")
    repeat = slugs.groupby(slugs).cumcount()
    ids = slugs.where(repeat == 0, slugs + "-" + (repeat + 1).astype(str))
    if ids.is_unique:
        return ids.tolist()
    return _assign_ids_one_by_one(names)   # a suffixed id equals another name's slug: rare


def _assign_ids_one_by_one(names) -> list[str]:
    taken: set[str] = set()
    ids = []
    for name in names:
        base = candidate = _slug(name)
        suffix = 2
        while candidate in taken:
            candidate, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(candidate)
        ids.append(candidate)
    return ids


def _measure(model: ModelEntry, name: str, part: str = "value"):
    item = getattr(model, name)
    numeric = part in ("value", "low", "high")
    if item is None:
        return float("nan") if numeric else None
    if part == "confidence":
        return item.confidence.value
    value = getattr(item, part)
    return float("nan") if numeric and value is None else value


def catalogue_frame(models: list[ModelEntry]) -> pd.DataFrame:
    """The table's columns for validated catalogue entries (one row each, in order)."""
    return pd.DataFrame({
        "name": [m.name for m in models],
        "aliases": [tuple(m.aliases) for m in models],
        "organization": [m.organization for m in models],
        "country": [m.country for m in models],
        "date": pd.to_datetime([m.date for m in models]),
        "date_precision": [m.date_precision for m in models],
        "domains": [tuple(m.domains) for m in models],
        "task": [m.task for m in models],
        "accessibility": [m.accessibility.value for m in models],
        "origin": [m.origin for m in models],
        **{column: [_measure(m, column) for m in models] for column in NUMERIC_COLUMNS
           if column != "hardware_count"},
        "hardware_count": [float(m.hardware.count) if m.hardware and m.hardware.count else np.nan
                           for m in models],
        **{f"{column}_{end}": [_measure(m, column, end) for m in models]
           for column in RANGED_COLUMNS for end in ("low", "high")},
        "training_data_unit": [_measure(m, "training_data", "unit") for m in models],
        "training_cost_year": [_measure(m, "training_cost", "year") for m in models],
        "training_cost_covers": [_measure(m, "training_cost", "covers") for m in models],
        **{f"{column}_confidence": [_measure(m, column, "confidence") for m in models]
           for column in RANGED_COLUMNS},
        "link": [m.links[0] if m.links else None for m in models],
        "_arxiv": [arxiv_ids(m.links) for m in models],
        "_has_hardware": [m.hardware is not None for m in models],
    })


def imported_frame(table: pd.DataFrame, origin: str) -> pd.DataFrame:
    """The table's columns for rows of an import (`ImportResult.table`), a column at a time."""
    confidence = table["confidence"]
    return pd.DataFrame({
        "name": table["name"],
        "aliases": [()] * len(table),
        "organization": table["organization"],
        "country": table["country"],
        "date": table["date"],
        "date_precision": table["date_precision"],
        "domains": table["domains"],
        "task": table["task"],
        "accessibility": table["accessibility"],
        "origin": origin,
        **{column: table[column] if column in table else np.nan for column in NUMERIC_COLUMNS},
        **{column: np.nan for column in RANGE_COLUMNS},
        "training_data_unit": table["data_unit"].where(table["training_data"].notna()),
        "training_cost_year": table["training_cost_year"].where(table["training_cost"].notna()),
        "training_cost_covers": pd.Series("pretraining", index=table.index, dtype=object)
                                  .where(table["training_cost"].notna(), None),
        **{f"{column}_confidence": confidence.where(table[column].notna()) if column in table
           else pd.Series(None, index=table.index, dtype=object) for column in RANGED_COLUMNS},
        "link": table["source"],
        "_arxiv": table["links"].map(arxiv_ids) if len(table) else [],
        "_has_hardware": table["hardware"].notna(),
    })


def finish_frame(frame: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Ids, derived columns and date order for the merged table."""
    frame = frame.reset_index(drop=True)
    frame.insert(0, "id", ids)
    frame["year"] = frame["date"].dt.year.astype(int)
    frame["primary_domain"] = frame["domains"].map(lambda ds: ds[0])
    frame["date_label"] = frame["date"].dt.strftime("%Y-%m-%d")
    # The first domain (the model's colour), then the others in DOMAINS order, as the browser
    # writes them from the payload's domain bits.
    labels = {ds: ", ".join([ds[0], *(d for d in DOMAINS if d in ds[1:])]) for ds in frame["domains"].unique()}
    frame["domains_label"] = frame["domains"].map(labels)
    # Search matches name, aliases and organization; lower() as the browser's toLowerCase().
    names = frame["name"] + frame["aliases"].map(lambda a: "".join(" " + x for x in a))
    frame["search_key"] = (names + " " + frame["organization"]).str.lower()
    frame["organization_keys"] = organization_keys(frame["organization"])
    frame["organization_group"] = organization_group(frame["organization"])
    # A cost in today's dollars, for the cost axis: pretraining only (a fine-tune's dollars
    # are never set against pretraining compute; the card and table still show them).
    prices, pretraining = load_price_index(), frame["training_cost_covers"].ne("fine-tuning")
    for suffix in ("", "_low", "_high"):
        frame[f"training_cost_real{suffix}"] = prices.convert(
            frame[f"training_cost{suffix}"].where(pretraining), frame["training_cost_year"])
    frame = frame.set_index("id", drop=False).sort_values("date", kind="stable")
    frame["compute_rank"] = compute_rank_at_release(frame["date"], frame["training_compute"])
    return frame[list(FRAME_COLUMNS)]


def compute_rank_at_release(dates: pd.Series, compute: pd.Series, top: int = FRONTIER_RANK) -> np.ndarray:
    """Each model's rank in training compute among the models published up to its day
    (1 = the most ever trained by then), for ranks up to `top`; NaN beyond it or without
    compute. A heap of the `top` largest so far keeps it O(n log top) at 100,000 models."""
    import heapq
    ranks = np.full(len(compute), np.nan)
    order = np.argsort(dates.to_numpy(), kind="stable")
    values = compute.to_numpy(dtype=float)
    days = dates.to_numpy()
    largest: list[float] = []   # the `top` largest computes published before the current day
    start = 0
    while start < len(order):   # one day at a time: models of one day do not outrank each other
        end = start
        while end < len(order) and days[order[end]] == days[order[start]]:
            end += 1
        day = [i for i in order[start:end] if values[i] > 0]
        for i in day:
            above = sum(v > values[i] for v in largest)
            if above < top:
                ranks[i] = above + 1
        for i in day:
            heapq.heappush(largest, values[i])
            if len(largest) > top:
                heapq.heappop(largest)
        start = end
    return ranks


def organization_keys(organization: pd.Series) -> pd.Series:
    """What an organization filter matches a model by: each of its organizations (joint work
    split, spellings made one by data/organizations.yaml) and the group each belongs to."""
    organizations = load_organizations()

    def keys(raw: str) -> tuple[str, ...]:
        names = organizations.split(raw)
        groups = (organizations.group_of(name) for name in names)
        return tuple(dict.fromkeys([*names, *(g for g in groups if g)]))
    return organization.map({raw: keys(raw) for raw in organization.unique()})


def organization_group(organization: pd.Series) -> pd.Series:
    """The group of a model's first organization (Google for DeepMind), or that organization."""
    organizations = load_organizations()

    def group(raw: str) -> str | None:
        names = organizations.split(raw)
        return (organizations.group_of(names[0]) or names[0]) if names else None
    return organization.map({raw: group(raw) for raw in organization.unique()})


def name_keys(frame: pd.DataFrame) -> pd.Series:
    """`name_key` of every name and alias: one row per name, indexed by the model's row."""
    has_aliases = frame["aliases"].map(len) > 0
    names = frame["name"]
    if has_aliases.any():
        with_aliases = frame.loc[has_aliases, "name"].map(lambda n: (n,)) + frame.loc[has_aliases, "aliases"]
        names = pd.concat([names[~has_aliases], with_aliases.explode()]).sort_index(kind="stable")
    return names.str.casefold().str.replace("×", "x").str.replace(_NOT_NAME, "", regex=True)


# A number's frame column -> the columns that travel with it.
TRAVEL = {column: (f"{column}_confidence", f"{column}_low", f"{column}_high") for column in RANGED_COLUMNS}
TRAVEL["training_data"] += ("training_data_unit",)
TRAVEL["training_cost"] += ("training_cost_year", "training_cost_covers")


def _fill(primary: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    """Rows of `primary`, each number it lacks taken from the same row of `other` (as
    `merge_entries` does for the full records), records paired, arXiv ids and names joined."""
    out = primary.copy()
    for column in NUMERIC_COLUMNS:
        if column == "hardware_count":
            take = ~primary["_has_hardware"].to_numpy(bool) & other["_has_hardware"].to_numpy(bool)
        else:
            take = primary[column].isna().to_numpy() & other[column].notna().to_numpy()
        for name in (column, *TRAVEL.get(column, ())):
            values = out[name].to_numpy(copy=True).astype(float if name in FLOAT_COLUMNS else object)
            values[take] = other[name].to_numpy()[take]
            out[name] = values
    out["_has_hardware"] = primary["_has_hardware"].to_numpy(bool) | other["_has_hardware"].to_numpy(bool)
    out["_arxiv"] = [tuple(dict.fromkeys(a + b)) for a, b in zip(primary["_arxiv"], other["_arxiv"])]
    out["aliases"] = [tuple(dict.fromkeys(n for n in (*a, o, *oa) if name_key(n) != name_key(p)))
                      for p, a, o, oa in zip(primary["name"], primary["aliases"], other["name"], other["aliases"])]
    out["_record"] = pd.Series(list(zip(primary["_record"], other["_record"])), index=out.index, dtype=object)
    return out


def merge_frames(left: pd.DataFrame, right: pd.DataFrame, prefer_right: bool = False,
                 **matching) -> tuple[pd.DataFrame, MatchResult]:
    """Rows of both tables; a model in both (`scalemap.matching`) once, in `left`'s place, each
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


def build_dataset(catalogue_paths: list[Path] | None = None, epoch_paths: list[Path] = (),
                  prefer: str = "catalogue", bundled: bool = True) -> Dataset:
    """Load the bundled catalogue and any Epoch AI exports and merge them.

    Raises CatalogueFileError / EpochFormatError for files that cannot be used at all."""
    from scalemap.epoch_import import ORIGIN, entry_from_record, import_epoch_csv

    problems: list[Problem] = []
    report: list[str] = []
    entries: list[ModelEntry] = []
    if bundled:
        entries, problems = load_catalogue(catalogue_paths)
        report.append(f"catalogue: {len(entries)} models loaded, {len(problems)} problems")
    frame = catalogue_frame(entries)
    # Where each row's full record comes from: a catalogue entry, or a row of an import table.
    frame["_record"] = pd.Series(entries, dtype=object)
    tables: list[pd.DataFrame] = []
    credits: tuple[str, ...] = ()
    for path in epoch_paths:
        result = import_epoch_csv(path)
        problems.extend(result.problems)
        report.extend(result.report_lines())
        imported = imported_frame(result.table, ORIGIN)
        tables.append(result.table)
        # (import number, row): one int, so 100,000 rows cost no Python objects of their own.
        imported["_record"] = (len(tables) - 1) * TABLE_STRIDE + np.arange(len(result.table))
        frame, matched = merge_frames(frame, imported, prefer_right=prefer == "epoch")
        report.append(matched.report_line(Path(path).name) + f"; each number from the {prefer} "
                      f"record when it has one")
        unmapped = load_organizations().unmapped(result.table["organization"].unique())
        if unmapped:
            report.append(f"{Path(path).name}: {len(unmapped)} organization names are not in "
                          f"data/organizations.yaml (each filters as itself): " + "; ".join(unmapped[:20])
                          + (" …" if len(unmapped) > 20 else ""))
        credits = (EPOCH_CREDIT,)
    frame = frame.reset_index(drop=True)
    ids = assign_ids(frame["name"])

    def build_entry(record: int) -> ModelEntry:
        table, row = divmod(record, TABLE_STRIDE)
        return entry_from_record(tables[table].iloc[row].to_dict())

    def build_entries(records: list[int]) -> list[ModelEntry]:
        """Many rows at once: one `iloc` and `to_dict` per table, not per row (10× faster)."""
        located = [divmod(int(record), TABLE_STRIDE) for record in records]
        read = {}
        for table in {table for table, _ in located}:
            rows = [row for t, row in located if t == table]
            read.update(zip(((table, row) for row in rows), tables[table].iloc[rows].to_dict("records")))
        return [entry_from_record(read[place]) for place in located]
    models = ModelLookup(dict(zip(ids, frame.pop("_record"))), build_entry, build_entries)
    return Dataset(models, finish_frame(frame.drop(columns=["_arxiv", "_has_hardware"]), ids),
                   problems, report, credits)
