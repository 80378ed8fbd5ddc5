"""Your own models on the map: a file of them (our catalogue's YAML, or a CSV with Epoch AI's
columns), checked by the same rules as the bundled catalogue and Epoch's exports, returned as
the same columns the browser draws (scalemap.contract.payload) plus each model's record for its stats
card. Nothing is kept: the server reads the bytes in memory and answers; the browser holds the
result for its session (components/upload.py)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from scalemap.contract.payload import frame_payload
from scalemap.contract.url import PRIVATE_ID_PREFIX
from scalemap.dataset.table import assign_ids, catalogue_frame, finish_frame
from scalemap.sources.catalogue import CatalogueFileError, LimitReached, Problem, read_entries
from scalemap.sources.epoch import import_epoch_bytes
from scalemap.sources.schema import ModelEntry

MAX_UPLOAD_BYTES = 512 * 1024
MAX_UPLOAD_MODELS = 2_000   # entries or rows read from a file; the rest are not even parsed
ID_PREFIX = PRIVATE_ID_PREFIX   # an uploaded model's id: never one of the dataset's, never in a link


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


def read_upload(filename: str, data: bytes) -> Overlay:
    name = PurePath(filename or "upload").name[:120]
    if len(data) > MAX_UPLOAD_BYTES:
        raise OverlayError(f"{name} is {len(data) / 1024:,.0f} KB; files up to {MAX_UPLOAD_BYTES // 1024} KB "
                           "can be added")
    suffix = PurePath(name).suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            models, problems, read = read_entries(data, name, max_records=MAX_UPLOAD_MODELS)
        elif suffix == ".csv":
            result = import_epoch_bytes(data, name, max_rows=MAX_UPLOAD_MODELS)
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
    frame = catalogue_frame(overlay.models)
    ids = [ID_PREFIX + i for i in assign_ids(frame["name"])] if len(frame) else []
    records = {i: model.model_dump(mode="json") for i, model in zip(ids, overlay.models)}
    payload = frame_payload(finish_frame(frame, ids)) if ids else None
    return {"name": overlay.name, "count": len(ids), "read": overlay.read, "skipped": overlay.skipped,
            "limit": overlay.limit, "payload": payload, "records": records,
            "problems": [{"line": p.line, "field": p.field, "reason": p.reason, "name": p.name}
                         for p in overlay.problems if not isinstance(p, LimitReached)]}   # (said in "limit")


def model_from_record(record) -> ModelEntry | None:
    """A record the browser sends back, checked again (it passed through the browser)."""
    try:
        return ModelEntry.model_validate(record)
    except ValueError:
        return None
