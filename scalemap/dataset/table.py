"""The dataset the app serves: the models, and one flat table of them.

`build_dataset` runs once per process at start-up; the result is read-only,
so gunicorn workers each hold their own copy and no request ever changes it.
The table is built a column at a time; a model's full record (`ModelEntry`)
is built only when its stats card is asked for."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from scalemap.dataset.matching import arxiv_ids
from scalemap.sources.catalogue import Problem
from scalemap.sources.cpi import load_price_index
from scalemap.sources.epoch import CREDIT
from scalemap.sources.organizations import load_organizations
from scalemap.sources.schema import DOMAINS, SOURCED_FIELDS, ModelEntry

EPOCH_CREDIT = f"Data: {CREDIT}, epoch.ai/data"
NUMERIC_COLUMNS = ("parameters", "active_parameters", "training_compute", "inference_flops",
                   "training_data", "training_time_hours", "training_cost", "hardware_count")
# Numbers that carry a confidence and may carry a range (`<name>_low`, `<name>_high`).
RANGED_COLUMNS = ("parameters", "active_parameters", "training_compute", "training_data", "training_cost")
RANGE_COLUMNS = tuple(f"{name}_{end}" for name in RANGED_COLUMNS for end in ("low", "high"))
CONFIDENCE_COLUMNS = tuple(f"{name}_confidence" for name in RANGED_COLUMNS)
FLOAT_COLUMNS = frozenset((*NUMERIC_COLUMNS, *RANGE_COLUMNS, "training_cost_year"))
# Each field of a record that names its own source, and the table's columns that hold it: a
# field's columns travel together (a merge takes all of them from one source), the first says
# whether the model has the field. Fields with no columns (layers, width, depth) are in the card only.
FIELD_COLUMNS: dict[str, tuple[str, ...]] = {field: () for field in SOURCED_FIELDS} | {
    **{name: (name, f"{name}_confidence", f"{name}_low", f"{name}_high") for name in RANGED_COLUMNS},
    "inference_flops": ("inference_flops",),
    "training_time_hours": ("training_time_hours",),
    "hardware": ("_has_hardware", "hardware_count"),
}
FIELD_COLUMNS["training_data"] += ("training_data_unit",)
FIELD_COLUMNS["training_cost"] += ("training_cost_year", "training_cost_covers")
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

@dataclass
class Dataset:
    models: Mapping[str, ModelEntry]       # by model id
    frame: pd.DataFrame                    # one row per model, index = model id, sorted by date
    problems: list[Problem] = field(default_factory=list)
    report: list[str] = field(default_factory=list)   # import summary lines, shown at start-up
    credits: tuple[str, ...] = ()
    # The catalogue's citable version (scalemap.sources.release): '2026.12.1', or
    # '2026.12.1+1a2b3c4d' for a catalogue that differs from it; '' when none is loaded.
    data_version: str = ""

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


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str, limit: int | None = None) -> str:
    """`text` in URL- and file-safe characters, the one rule for ids and file names: accents
    dropped (Ü is u), every other run of characters outside a-z and 0-9 one hyphen, at most
    `limit` characters; '' when nothing is left."""
    text = text.casefold()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    safe = _NOT_SLUG.sub("-", text).strip("-")
    return safe[:limit].strip("-") if limit is not None else safe


def assign_ids(names: pd.Series) -> list[str]:
    """Stable URL-safe ids from names (the same data give the same ids in every worker):
    the slug of the name ('model' for a name with none), and -2, -3 … after the first model
    of that slug."""
    slugs = pd.Series([slug(name) or "model" for name in names], index=names.index, dtype=object)
    repeat = slugs.groupby(slugs).cumcount()
    ids = slugs.where(repeat == 0, slugs + "-" + (repeat + 1).astype(str))
    if ids.is_unique:
        return ids.tolist()
    return _assign_ids_one_by_one(slugs)   # a suffixed id equals another name's slug: rare


def _assign_ids_one_by_one(slugs) -> list[str]:
    taken: set[str] = set()
    ids = []
    for base in slugs:
        candidate, suffix = base, 2
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
