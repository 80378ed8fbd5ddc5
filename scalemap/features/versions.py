"""What changed between two catalogues, and the change log of the bundled one.

`ml-scale-map diff OLD NEW` compares two catalogues — folders or files, or git revisions
(`HEAD~3`, `v1:data/catalogue`) read with `git show` — and prints the models added and
removed and every number that changed, old → new, with its confidence and source.
With `--release VERSION` it also records NEW as that version: an entry in
`data/changelog.json` (the changes, for the program: model pages, links made with an older
version) and `data/CHANGELOG.md` (the same, for people), and `data/version.yaml`.

A number is matched by model name (case-insensitive) and field. Its parts are its value,
range (low, high), confidence and source, and for three fields the unit that goes with it
(training data's unit, the training cost's year, the hardware's chip type); the hardware's
number is its chip count. A change of any part is listed; `numbers_changed` counts those
that change a number (value, range, confidence, unit), not a source that moved."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from scalemap import DATA_DIR, ROOT
from scalemap.contract.units import format_count, format_flop, format_hours, format_range, format_usd
from scalemap.dataset.table import assign_ids
from scalemap.sources.catalogue import CatalogueFileError, load_catalogue, read_entries
from scalemap.sources.release import Release, catalogue_digest, is_release, write_release
from scalemap.sources.schema import NUMBER_FIELDS, ModelEntry

CHANGELOG_JSON = DATA_DIR / "changelog.json"
CHANGELOG_MD = DATA_DIR / "CHANGELOG.md"
CATALOGUE_IN_GIT = "data/catalogue"
FIELDS = (*NUMBER_FIELDS, "hardware")
UNIT_OF = {"training_data": "unit", "training_cost": "year", "hardware": "type"}
NUMBER_PARTS = ("value", "low", "high", "confidence", "unit")   # what makes a number change
LABELS = {"parameters": "parameters", "active_parameters": "active parameters",
          "training_compute": "training compute", "inference_flops": "inference FLOP",
          "training_data": "training data", "layers": "layers", "width": "width", "depth": "depth",
          "training_time_hours": "training time", "training_cost": "training cost", "hardware": "hardware"}


class DiffError(Exception):
    """One side of a diff cannot be read (one line, naming it)."""


@dataclass(frozen=True)
class Number:
    """One number of one model, as one catalogue holds it."""
    value: float | None
    confidence: str | None
    source: str | None
    low: float | None = None
    high: float | None = None
    unit: str | int | None = None   # training data's unit, the cost's year, the hardware's chip


@dataclass(frozen=True)
class NumberChange:
    id: str            # the model's id in the newer catalogue (links: ?model=, /model/<id>)
    name: str
    field: str
    old: Number | None   # None: the number is new
    new: Number | None   # None: the number was taken out

    @property
    def parts(self) -> tuple[str, ...]:
        """Which parts changed: value, low, high, confidence, unit, source."""
        old, new = self.old or Number(None, None, None), self.new or Number(None, None, None)
        return tuple(part for part in (*NUMBER_PARTS, "source") if getattr(old, part) != getattr(new, part))

    @property
    def changes_a_number(self) -> bool:
        return any(part in NUMBER_PARTS for part in self.parts)


@dataclass(frozen=True)
class ModelRef:
    id: str
    name: str


@dataclass
class CatalogueDiff:
    old_label: str
    new_label: str
    old_count: int
    new_count: int
    added: list[ModelRef] = field(default_factory=list)
    removed: list[ModelRef] = field(default_factory=list)
    changed: list[NumberChange] = field(default_factory=list)

    @property
    def numbers_changed(self) -> int:
        return sum(change.changes_a_number for change in self.changed)

    def summary(self) -> str:
        models = len({change.id for change in self.changed})
        return (f"{self.old_count} models → {self.new_count}: {len(self.added)} added, {len(self.removed)} "
                f"removed, {self.numbers_changed} numbers changed in {models} models"
                + (f" ({len(self.changed) - self.numbers_changed} sources changed alone)"
                   if len(self.changed) > self.numbers_changed else ""))


def _number(entry: ModelEntry, name: str) -> Number | None:
    item = getattr(entry, name)
    if item is None:
        return None
    if name == "hardware":
        return Number(float(item.count) if item.count else None, item.confidence.value,
                      item.source or (entry.links[0] if entry.links else None), unit=item.type)
    unit = getattr(item, UNIT_OF[name]) if name in UNIT_OF else None
    return Number(item.value, item.confidence.value, entry.source_of(name), item.low, item.high, unit)


def _ids(entries: list[ModelEntry]) -> list[str]:
    """The ids the app gives these models (the catalogue's rows come first in its table)."""
    return assign_ids(pd.Series([entry.name for entry in entries], dtype=object)) if entries else []


def diff_entries(old: list[ModelEntry], new: list[ModelEntry], old_label: str = "old",
                 new_label: str = "new") -> CatalogueDiff:
    """Models added and removed (by name, case-insensitive) and every number that changed."""
    old_by_name = {entry.name.casefold(): entry for entry in old}
    new_ids = dict(zip((entry.name.casefold() for entry in new), _ids(new)))
    old_ids = dict(zip((entry.name.casefold() for entry in old), _ids(old)))
    diff = CatalogueDiff(old_label, new_label, len(old), len(new))
    seen = set()
    for entry in new:
        key = entry.name.casefold()
        seen.add(key)
        before = old_by_name.get(key)
        if before is None:
            diff.added.append(ModelRef(new_ids[key], entry.name))
            continue
        for name in FIELDS:
            was, now = _number(before, name), _number(entry, name)
            if was != now:
                diff.changed.append(NumberChange(new_ids[key], entry.name, name, was, now))
    diff.removed = [ModelRef(old_ids[key], entry.name) for key, entry in old_by_name.items() if key not in seen]
    return diff


# --- reading a side: a folder or file, or a git revision ------------------------------------

def _git(*args: str, repo: Path = ROOT) -> bytes:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True).stdout
    except FileNotFoundError:
        raise DiffError("git is not installed") from None
    except subprocess.CalledProcessError as exc:
        raise DiffError(exc.stderr.decode("utf-8", "replace").strip().splitlines()[0]
                        if exc.stderr else f"git {' '.join(args)} failed") from None


def read_side(spec: str, repo: Path = ROOT) -> tuple[str, list[ModelEntry]]:
    """(a label, the models) of a catalogue folder or file, or of `REV` / `REV:path` in git
    (the path defaulting to data/catalogue). A broken entry is skipped, as the app skips it."""
    path = Path(spec)
    if path.exists():
        try:
            entries, _ = load_catalogue([path])
        except CatalogueFileError as exc:
            raise DiffError(str(exc)) from None
        return str(path), entries
    revision, _, folder = spec.partition(":")
    folder = (folder or CATALOGUE_IN_GIT).strip("/")
    try:
        commit = _git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", repo=repo).decode().strip()
    except DiffError:
        commit = ""
    if not commit:
        raise DiffError(f"{spec!r} is neither a catalogue folder or file nor a git revision")
    names = [name for name in _git("ls-tree", "-r", "--name-only", commit, "--", folder + "/", repo=repo)
             .decode("utf-8").splitlines() if name.endswith((".yaml", ".yml"))]
    if not names:   # a single file named
        names = [name for name in _git("ls-tree", "--name-only", commit, "--", folder, repo=repo)
                 .decode("utf-8").splitlines() if name.endswith((".yaml", ".yml"))]
    if not names:
        raise DiffError(f"{spec!r}: no catalogue files at {folder} in {commit[:12]}")
    entries: list[ModelEntry] = []
    seen: set[str] = set()
    for name in sorted(names):
        models, _, _ = read_entries(_git("show", f"{commit}:{name}", repo=repo), f"{commit[:12]}:{name}")
        for model in models:   # the first of a name is kept, as load_catalogue keeps it
            if model.name.casefold() not in seen:
                seen.add(model.name.casefold())
                entries.append(model)
    return f"{folder} at {commit[:12]} ({revision})", entries


def diff(old_spec: str, new_spec: str, repo: Path = ROOT) -> CatalogueDiff:
    old_label, old = read_side(old_spec, repo)
    new_label, new = read_side(new_spec, repo)
    return diff_entries(old, new, old_label, new_label)


# --- words -----------------------------------------------------------------------------------

def format_number(field_name: str, number: Number | None) -> str:
    """'2.1×10²⁵ FLOP (speculative, 1×10²⁵–4×10²⁵)', or '—' for none."""
    if number is None:
        return "—"
    if field_name == "hardware":
        text = f"{number.value:,.0f} × {number.unit}" if number.value else str(number.unit)
    else:
        text = _human(field_name, number.value, number)
    if number.low is not None and number.high is not None:
        kind = {"training_compute": "flop", "inference_flops": "flop", "training_cost": "usd"}.get(field_name, "count")
        text += f", range {format_range(number.low, number.high, kind)}"
    return f"{text} ({number.confidence})" if number.confidence else text


def _human(field_name: str, value: float | None, number: Number) -> str:
    if value is None:
        return "—"
    if field_name in ("training_compute", "inference_flops"):
        return format_flop(value)
    if field_name == "training_cost":
        return format_usd(value, number.unit if isinstance(number.unit, int) else None)
    if field_name == "training_time_hours":
        return format_hours(value)
    text = format_count(value)
    return f"{text} {number.unit}" if field_name == "training_data" and number.unit else text


def change_line(change: NumberChange) -> str:
    """'GPT-4 · training compute: 2.1×10²⁵ FLOP (speculative) → 2.5×10²⁵ FLOP (likely); source a → b'."""
    text = (f"{change.name} · {LABELS[change.field]}: {format_number(change.field, change.old)} → "
            f"{format_number(change.field, change.new)}")
    old_source = change.old.source if change.old else None
    new_source = change.new.source if change.new else None
    if old_source != new_source and change.old and change.new:
        text += f"; source {old_source or '—'} → {new_source or '—'}"
    elif change.new and new_source:
        text += f"; source {new_source}"
    return text


def diff_text(result: CatalogueDiff) -> str:
    lines = [f"{result.old_label} → {result.new_label}", result.summary()]
    if result.added:
        lines += ["", f"Added ({len(result.added)}):", *(f"  + {model.name}" for model in result.added)]
    if result.removed:
        lines += ["", f"Removed ({len(result.removed)}):", *(f"  - {model.name}" for model in result.removed)]
    if result.changed:
        lines += ["", f"Changed ({len(result.changed)}):", *(f"  {change_line(c)}" for c in result.changed)]
    return "\n".join(lines) + "\n"


# --- the change log --------------------------------------------------------------------------

def _number_record(number: Number | None) -> dict | None:
    return None if number is None else {k: v for k, v in asdict(number).items() if v is not None}


def _number_from(record: Mapping | None) -> Number | None:
    return None if record is None else Number(**{part: record.get(part) for part in
                                                  ("value", "confidence", "source", "low", "high", "unit")})


def changelog_entry(version: str, date: str, result: CatalogueDiff) -> dict:
    return {"version": version, "date": date, "against": result.old_label, "models": result.new_count,
            "summary": result.summary(),
            "added": [asdict(model) for model in result.added],
            "removed": [asdict(model) for model in result.removed],
            "changed": [{"id": c.id, "name": c.name, "field": c.field, "old": _number_record(c.old),
                         "new": _number_record(c.new)} for c in result.changed]}


@dataclass(frozen=True)
class Changelog:
    """Every release, newest first, as `data/changelog.json` holds them."""
    entries: tuple[dict, ...] = ()

    @property
    def versions(self) -> list[str]:
        return [entry["version"] for entry in self.entries]

    def changes(self, entry: dict) -> list[NumberChange]:
        return [NumberChange(c["id"], c["name"], c["field"], _number_from(c.get("old")), _number_from(c.get("new")))
                for c in entry.get("changed", ())]

    def changes_since(self, version: str, current: str | None = None) -> list[NumberChange] | None:
        """Every change after `version` up to `current` (default: the newest), oldest first;
        None when `version` is not a release this log knows."""
        versions = self.versions
        if version not in versions:
            return None
        newest = versions.index(current) if current in versions else 0
        newer = self.entries[newest:versions.index(version)]
        return [change for entry in reversed(newer) for change in self.changes(entry)]

    def model_history(self, model_id: str) -> list[tuple[str, str, NumberChange]]:
        """(version, date, change) for each change of this model's numbers, newest first."""
        return [(entry["version"], entry["date"], change) for entry in self.entries
                for change in self.changes(entry) if change.id == model_id]

    def added_in(self, model_id: str) -> str | None:
        return next((entry["version"] for entry in reversed(self.entries)
                     if any(model["id"] == model_id for model in entry.get("added", ()))), None)


def load_changelog(path: Path = CHANGELOG_JSON) -> Changelog:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Changelog()
    entries = data.get("versions") if isinstance(data, dict) else None
    return Changelog(tuple(e for e in entries if isinstance(e, dict) and is_release(e.get("version", "")))
                     if isinstance(entries, list) else ())


def numbers_changed(since: str, model_ids: Iterable[str], changelog: Changelog | None = None,
                    current: str | None = None) -> int | None:
    """How many numbers of these models changed after data version `since` (up to `current`,
    default the newest release): each (model, field) once, however often it changed; a source
    that moved alone is not a changed number. None when `since` is not a known release (a link
    from a fork, or junk): the caller says nothing rather than a wrong count."""
    answer = changes_since_answer(since, current, changelog)
    if not answer["known"]:
        return None
    wanted = set(model_ids)
    return sum(model_id in wanted for model_id, _ in answer["changed"])


def changes_since_answer(since: str, current: str | None, changelog: Changelog | None = None) -> dict:
    """What a link made with data version `since` needs to say what changed (the page's note,
    /api/changes-since/<since>): each (model id, field) whose number changed after `since` up to
    `current`, once; `known` False when `since` is not a release this log holds (a fork's link,
    junk), and the page then gives no count rather than a wrong one."""
    changes = (changelog or load_changelog()).changes_since(since, current) if is_release(since) else None
    pairs = sorted({(c.id, c.field) for c in changes or () if c.changes_a_number})
    return {"since": since, "current": current, "known": changes is not None, "changed": [list(p) for p in pairs]}


def changelog_markdown(changelog: Changelog) -> str:
    """data/CHANGELOG.md: each release, newest first, written from data/changelog.json."""
    lines = ["# Changes to the bundled catalogue", "",
             "Each data version, newest first: the models added and removed and every number that changed",
             "(old → new, with its confidence and source). Written by `ml-scale-map diff OLD NEW --release",
             "VERSION` from `data/changelog.json`; do not edit by hand.", ""]
    for entry in changelog.entries:
        lines += [f"## {entry['version']} ({entry['date']})", "",
                  f"Against {entry['against']}: {entry['summary']}.", ""]
        if entry["added"]:
            lines += [f"**Added ({len(entry['added'])})**: " + ", ".join(m["name"] for m in entry["added"]) + ".", ""]
        if entry["removed"]:
            lines += [f"**Removed ({len(entry['removed'])})**: " + ", ".join(m["name"] for m in entry["removed"])
                      + ".", ""]
        changes = changelog.changes(entry)
        if changes:
            lines += [f"**Changed ({len(changes)})**:", ""]
            lines += [f"- {change_line(change)}" for change in changes]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def record_release(version: str, result: CatalogueDiff, new_entries: list[ModelEntry], date: str | None = None,
                   data_dir: Path = DATA_DIR) -> Release:
    """NEW recorded as `version`: its entry in changelog.json (replacing one of that version),
    CHANGELOG.md written again, and version.yaml."""
    if not is_release(version):
        raise DiffError(f"version {version!r}: write it as YEAR.MONTH.N, e.g. 2026.12.1")
    date = date or dt.date.today().isoformat()
    log = load_changelog(data_dir / CHANGELOG_JSON.name)
    entries = [changelog_entry(version, date, result), *(e for e in log.entries if e["version"] != version)]
    (data_dir / CHANGELOG_JSON.name).write_text(
        json.dumps({"versions": entries}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (data_dir / CHANGELOG_MD.name).write_text(changelog_markdown(Changelog(tuple(entries))), encoding="utf-8")
    release = Release(version, date, catalogue_digest(new_entries))
    write_release(release, data_dir / "version.yaml")
    return release


def main(argv: list[str] | None = None) -> int:
    """`ml-scale-map diff OLD NEW [--json] [--release VERSION]`."""
    parser = argparse.ArgumentParser(
        prog="ml-scale-map diff", description="What changed between two catalogues: models added and removed, "
        "and every number that changed (old → new, confidence, source).")
    parser.add_argument("old", help="a catalogue folder or file, or a git revision (REV or REV:path; the path "
                                    f"defaults to {CATALOGUE_IN_GIT})")
    parser.add_argument("new", help="the same, newer")
    parser.add_argument("--json", action="store_true", help="print the changes as JSON")
    parser.add_argument("--release", metavar="VERSION",
                        help="record NEW as this data version (e.g. 2026.12.2): data/changelog.json, "
                             "data/CHANGELOG.md and data/version.yaml")
    parser.add_argument("--date", help="with --release: its date (YYYY-MM-DD; default today)")
    args = parser.parse_args(argv)
    try:
        old_label, old = read_side(args.old)
        new_label, new = read_side(args.new)
        result = diff_entries(old, new, old_label, new_label)
        if args.release:
            release = record_release(args.release, result, new, args.date)
            print(f"recorded data version {release.version} ({release.date}) in {DATA_DIR}", file=sys.stderr)
    except DiffError as exc:
        print(f"ml-scale-map diff: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(changelog_entry(args.release or "", args.date or "", result), ensure_ascii=False, indent=1))
    else:
        sys.stdout.write(diff_text(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
