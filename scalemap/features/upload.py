"""Your own models on the map: a file of them (our catalogue's YAML, or a CSV with Epoch AI's
columns), checked by the same rules as the bundled catalogue and Epoch's exports, returned as
the same columns the browser draws (scalemap.contract.payload) plus each model's record for its stats
card. Nothing is kept: the server reads the bytes in memory and answers; the browser holds the
result for its session (components/upload.py). A tab may hold several files: each model's id
names its file (`file_tag`), each is credited to "your file <name>", and all of them together
hold at most MAX_UPLOAD_MODELS models."""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import PurePath

from scalemap.contract.payload import frame_payload
from scalemap.contract.url import PRIVATE_ID_PREFIX
from scalemap.dataset.table import assign_ids, catalogue_frame, finish_frame
from scalemap.sources.catalogue import CatalogueFileError, LimitReached, Problem, read_entries
from scalemap.sources.epoch import import_epoch_bytes
from scalemap.sources.schema import ModelEntry

MAX_UPLOAD_BYTES = 512 * 1024
MAX_UPLOAD_MODELS = 2_000   # models a tab holds from all its files; a file's rows past that are not even parsed
MAX_UPLOAD_FILES = 10       # files a tab holds at once
ID_PREFIX = PRIVATE_ID_PREFIX   # an uploaded model's id: never one of the dataset's, never in a link
YOUR_FILE = "your file"     # whose data an uploaded model is: "your file mine.csv", never Epoch's or ours


class OverlayError(ValueError):
    """The file cannot be used at all (one line, for the page)."""


@dataclass
class Overlay:
    name: str
    models: list[ModelEntry]
    problems: list[Problem]
    read: int = 0              # entries or rows read, kept or not
    limit: str | None = None   # why the file's end was not read, if it was not

    @property
    def skipped(self) -> int:
        return max(0, self.read - len(self.models))


def file_name(filename: str) -> str:
    """The name a file is known by: its own name, no folders, at most 120 characters."""
    return PurePath(filename or "upload").name[:120] or "upload"


def file_tag(name: str) -> str:
    """A short tag of a file's name, in its models' ids ("mine~3f2a9c1b~secret-lm"): two files
    may hold models of one name; a file sent again under its name keeps its ids."""
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def credit_of(name: str) -> str:
    return f"{YOUR_FILE} {name}"


def read_upload(filename: str, data: bytes, max_models: int = MAX_UPLOAD_MODELS) -> Overlay:
    """The models of one file, at most `max_models` of them (what the tab has room for)."""
    name = file_name(filename)
    if len(data) > MAX_UPLOAD_BYTES:
        raise OverlayError(f"{name} is {len(data) / 1024:,.0f} KB; files up to {MAX_UPLOAD_BYTES // 1024} KB "
                           "can be added")
    suffix = PurePath(name).suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            models, problems, read = read_entries(data, name, max_records=max_models)
        elif suffix == ".csv":
            result = import_epoch_bytes(data, name, max_rows=max_models)
            models, problems, read = result.models, result.problems, result.rows_read
        else:
            raise OverlayError(f"{name}: add a .yaml file (the catalogue's format) or a .csv file "
                               "(Epoch AI's columns)")
    except CatalogueFileError as exc:   # not a catalogue, not an Epoch export
        raise OverlayError(str(exc)) from None
    seen, unique = set(), []
    for model in models:
        if model.name.casefold() in seen:
            problems.append(Problem(name, None, "name", "duplicate of a model above; kept the first",
                                    name=model.name))
            continue
        seen.add(model.name.casefold())
        unique.append(model)
    # A limit reached comes first: it says why the file's end is missing.
    problems = sorted(problems, key=lambda p: (not isinstance(p, LimitReached), p.line or 0))
    limit = next((f"the file holds {p.reason.split(':')[0]}: from line {p.line:,} on it was not read"
                  for p in problems if isinstance(p, LimitReached)), None)
    return Overlay(name, unique, problems, read, limit)


def overlay_document(overlay: Overlay) -> dict:
    """What the browser keeps: the models as payload columns, each model's record (its stats
    card is drawn from it), and the problems by line."""
    # Credited to the file, never to the catalogue or to Epoch AI (a CSV with Epoch's columns
    # is read by Epoch's importer, which names its rows Epoch's).
    models = [model.model_copy(update={"origin": credit_of(overlay.name)}) for model in overlay.models]
    frame = catalogue_frame(models)
    prefix = f"{ID_PREFIX}{file_tag(overlay.name)}~"
    ids = [prefix + i for i in assign_ids(frame["name"])] if len(frame) else []
    records = {i: model.model_dump(mode="json") for i, model in zip(ids, models)}
    finished = finish_frame(frame, ids) if ids else None
    if finished is not None:
        # A rank "in training compute when released" is among the catalogue's models; a file's
        # own ranking of its few models would claim "#1" falsely (and pass the frontier filter).
        finished["compute_rank"] = math.nan
    payload = frame_payload(finished) if ids else None
    return {"name": overlay.name, "count": len(ids), "read": overlay.read, "skipped": overlay.skipped,
            "limit": overlay.limit, "payload": payload, "records": records,
            "problems": [{"line": p.line, "entry": p.entry, "field": p.field, "reason": p.reason, "name": p.name}
                         for p in overlay.problems if not isinstance(p, LimitReached)]}   # (said in "limit")


def problem_at(problem: dict) -> int | None:
    """Where a problem's row or entry starts."""
    return problem.get("entry") or problem["line"]


def problem_rows(problems: list[dict]) -> list[list[dict]]:
    """Problems by the row (or entry) they are in, in file order: every problem of a row
    together. A problem with no line (a name given twice) is a row of its own."""
    rows: list[list[dict]] = []
    for problem in problems:
        at = problem_at(problem)
        if at is not None and rows and problem_at(rows[-1][0]) == at:
            rows[-1].append(problem)
        else:
            rows.append([problem])
    return rows


def model_from_record(record) -> ModelEntry | None:
    """A record the browser sends back, checked again (it passed through the browser), and
    credited to a file of the user's whatever it says."""
    try:
        model = ModelEntry.model_validate(record)
    except ValueError:
        return None
    if not model.origin.startswith(YOUR_FILE):
        model = model.model_copy(update={"origin": YOUR_FILE})
    return model


def held_files(uploaded) -> list[dict]:
    """The files a tab holds (its store: a list of documents; a single document, as one was
    kept before several files were), skipping anything that is not one."""
    files = uploaded if isinstance(uploaded, list) else [uploaded]
    return [f for f in files if isinstance(f, dict) and isinstance(f.get("records"), dict)]


def held_records(uploaded) -> dict:
    """Every uploaded model's record by id, from all the tab's files."""
    return {i: record for f in held_files(uploaded) for i, record in f["records"].items()}
