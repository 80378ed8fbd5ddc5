"""Import Epoch AI's CSV exports (Notable / All / Large-Scale AI Models, any release).

The header decides which columns mean what, so exports with other column sets
load too. Every row is checked on its own: a bad number drops that value
(reported), a row with no name or date is skipped (reported), and a row with
neither parameters nor compute is still a model with a stats card.

The checks run on whole columns (pandas), not row by row, so a 100,000-row
export loads in seconds. They are the checks the schema makes, so every kept
row becomes a valid `ModelEntry` when its stats card is first asked for
(`entry_from_record`); nothing builds 100,000 of them at start-up."""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from scalemap.sources.catalogue import CatalogueFileError, LimitReached, Problem
from scalemap.sources.schema import MAX_TEXT, SMALLEST_VALUE, ModelEntry, is_web_link

ORIGIN = "Epoch AI"
CREDIT = f"{ORIGIN} (CC BY 4.0)"   # its licence asks for the credit wherever its data is shown


def credit(origin: str | None) -> str | None:
    """The name a record's origin is credited under: Epoch AI's with its licence."""
    return CREDIT if origin == ORIGIN else origin

# Our field -> the header names Epoch has used for it, newest first.
COLUMN_ALIASES = {
    "name": ("Model", "System"),
    "organization": ("Organization", "Organization(s)", "Organisation"),
    "date": ("Publication date",),
    "domain": ("Domain",),
    "task": ("Task",),
    "parameters": ("Parameters",),
    "parameters_notes": ("Parameters notes",),
    "training_compute": ("Training compute (FLOP)",),
    "training_compute_notes": ("Training compute notes",),
    # The size of the training set, in Epoch's data points (older exports) ...
    "training_data": ("Training dataset size (datapoints)", "Training dataset size"),
    # ... or (newer exports) the data points used in gradient updates over the whole run:
    # dataset size × epochs, counted per domain (tokens; for ADM, 1.94M steps × 256 images ×
    # 512² pixels = 1.3e14). Not a dataset size and, outside language, in no fixed unit.
    "data_seen": ("Training dataset size (gradients)",),
    "epochs": ("Epochs",),
    "training_data_notes": ("Dataset size notes",),
    "confidence": ("Confidence",),
    "link": ("Link",),
    "country": ("Country (of organization)", "Country (from Organization)", "Country"),
    "hardware": ("Training hardware",),
    "hardware_count": ("Hardware quantity",),
    "training_time_hours": ("Training time (hours)",),
    "accessibility": ("Model accessibility",),
    "accessibility_notes": ("Accessibility notes",),
    "base_model": ("Base model",),
}
COST_COLUMN = re.compile(r"^Training (?:compute )?cost \((\d{4}) USD\)$")
REQUIRED = ("name", "date")
NEEDS_ONE_OF = ("parameters", "training_compute")
MAX_NAME = 300   # ModelEntry.name's limit
THOUSANDS = r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?([eE][+-]?\d+)?$"   # 1,024 or 2,500.5; not 1,2e3
# The columns of ImportResult.table, one row per kept model.
TABLE_COLUMNS = ("name", "organization", "country", "date", "date_precision", "domains", "task",
                 "accessibility", "links", "source", "confidence", "data_unit", "notes",
                 "parameters", "parameters_method", "training_compute", "training_compute_method",
                 "training_data", "training_data_method", "training_time_hours",
                 "training_time_hours_method", "hardware", "hardware_count", "training_cost",
                 "training_cost_year")
# Columns that repeat a few values many times (cleaned once per distinct value).
REPEATED = {"organization", "country", "domain", "task", "confidence", "accessibility", "hardware",
            "base_model"}
# Words in Epoch's dataset-size notes that say what a data point is -> our unit.
UNIT_HINTS = (("image-text pairs", "image-text pairs"), ("text-image pairs", "image-text pairs"),
              ("tokens", "tokens"), ("words", "words"), ("images", "images"), ("frames", "frames"),
              ("episodes", "episodes"), ("games", "games"), ("sequences", "sequences"),
              ("structures", "structures"), ("hours", "hours of audio"), ("examples", "examples"),
              ("samples", "examples"))
_UNIT_HINT = re.compile(r"\b(" + "|".join(re.escape(word) for word, _ in UNIT_HINTS) + r")\b", re.IGNORECASE)
SEEN_NOTE = ("Epoch AI's 'Training dataset size (gradients)': data points used in gradient updates over "
             "the whole training run (dataset size × epochs), not the dataset's size")
# Measurements read from the file: field -> the column of notes that says how it was made.
MEASURED = {"parameters": "parameters_notes", "training_compute": "training_compute_notes",
            "training_data": "training_data_notes", "training_time_hours": None}

DOMAIN_MAP = {
    "language": "language", "vision": "vision", "image generation": "vision", "video": "vision",
    "3d modeling": "vision", "multimodal": "multimodal", "speech": "speech", "audio": "speech",
    "games": "games", "biology": "biology", "medicine": "biology", "robotics": "robotics",
    "driving": "robotics", "recommendation": "recommendation", "mathematics": "science",
    "earth science": "science", "materials science": "science", "science": "science",
}
CONFIDENCE_MAP = {"confident": "confident", "likely": "likely", "speculative": "speculative"}
ACCESSIBILITY_MAP = {"open weights": "open weights", "api access": "api", "hosted access": "api",
                     "unreleased": "unreleased"}
# The schema's date rules (scalemap.sources.schema.ModelEntry): YYYY, YYYY-MM or YYYY-MM-DD, 1940 to next year.
_PARTIAL_DATE = r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$"
EARLIEST_DATE = pd.Timestamp("1940-01-01")


class EpochFormatError(CatalogueFileError):
    """The file is missing, unreadable, or not an Epoch AI export."""


@dataclass
class ImportResult:
    path: str
    table: pd.DataFrame = field(default_factory=pd.DataFrame)   # one row per kept model
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)   # how the file was read, when not plain UTF-8 CSV

    @cached_property
    def models(self) -> list[ModelEntry]:
        """Every kept row as a `ModelEntry` (built on first use: the app needs only a few)."""
        return [entry_from_record(record) for record in self.table.to_dict("records")]

    def report_lines(self) -> list[str]:
        fixed = len(self.problems) - self.skipped
        lines = [f"{Path(self.path).name}: {self.rows_read} rows read, {len(self.table)} kept, "
                 f"{self.skipped} skipped, {fixed} values dropped"
                 + "".join(f"; {note}" for note in self.notes)]
        reasons: dict[str, int] = {}
        for problem in self.problems:
            key = re.sub(r"'[^']*'", "'…'", problem.reason)
            reasons[key] = reasons.get(key, 0) + 1
        lines += [f"  {count} × {reason}" for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1])]
        return lines


_LINK_SEPARATORS = re.compile(r"[\s,]+")


def clean_name(raw: str) -> str:
    """Runs of white space (newlines in names) made one space, none at the ends."""
    return " ".join(raw.split())


def map_domains(raw: str) -> list[str]:
    domains = [DOMAIN_MAP.get(part.strip().lower(), "other") for part in raw.split(",") if part.strip()]
    return list(dict.fromkeys(domains)) or ["other"]


def _accessibility(raw: str) -> str:
    lowered = raw.strip().lower()
    for prefix, value in ACCESSIBILITY_MAP.items():
        if lowered.startswith(prefix):
            return value
    return "unknown"


def clean_list(raw: str) -> str | None:
    """Epoch's comma-separated lists ("Language modeling,Language modeling/generation") as one
    clean, de-duplicated list: "Language modeling/generation". An item a combined item spells
    out ("Language modeling" and "Language generation" beside "Language modeling/generation")
    is dropped."""
    items = list(dict.fromkeys(" ".join(part.split()) for part in raw.split(",") if part.strip()))
    by_key = {item.casefold(): item for item in items}
    covered = set()
    for item in items:
        if "/" in item:
            head, tail = item.split("/", 1)
            covered |= {head.strip().casefold(), f"{head.strip().rsplit(' ', 1)[0]} {tail.strip()}".casefold()}
    kept = [item for key, item in by_key.items() if key not in covered]
    return ", ".join(kept) or None


def data_unit(notes: str, domains: tuple[str, ...]) -> str:
    """The unit of a dataset size: what Epoch's notes call its data points, else the domain's
    usual one (tokens for language, images for vision, examples otherwise)."""
    for match in _UNIT_HINT.finditer(notes or ""):
        unit = dict(UNIT_HINTS)[match.group(1).lower()]
        if unit != "hours of audio" or "speech" in domains:
            return unit
    return {"language": "tokens", "vision": "images"}.get(domains[0], "examples")


def _links(raw: str) -> tuple[str, ...]:
    return tuple(part for part in _LINK_SEPARATORS.split(raw) if is_web_link(part) and len(part) <= MAX_TEXT)


def _columns(header: list[str]) -> tuple[dict[str, int], tuple[int, int] | None]:
    positions: dict[str, int] = {}
    for i, name in enumerate(header):   # the first of two same-named columns counts
        positions.setdefault(str(name).strip().lstrip("\ufeff").strip(), i)
    found = {}
    for ours, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            if alias in positions:
                found[ours] = positions[alias]
                break
    cost = next(((i, int(m.group(1))) for name, i in positions.items()
                 if (m := COST_COLUMN.match(name))), None)
    return found, cost


# --- reading: cells as text, and the file line each row ends on ----------------------------------

@contextmanager
def _reading(path):
    """A file that cannot be read, said as the import's own error."""
    try:
        yield
    except FileNotFoundError:
        raise EpochFormatError(f"Epoch file {path} does not exist") from None
    except OSError as exc:
        raise EpochFormatError(f"cannot read Epoch file {path}: {exc}") from exc


def _not_empty(data: bytes, name) -> bytes:
    """`data`, unless it holds only white space and a byte-order mark."""
    if not re.search(rb"[^\s\xef\xbb\xbf]", data):
        raise EpochFormatError(f"{name} is empty, not an Epoch AI CSV export")
    return data


def _read_bytes(path: Path) -> bytes:
    with _reading(path):
        return _not_empty(Path(path).read_bytes(), path)


class _NeedsCarefulReader(Exception):
    """The fast reader cannot follow this file (odd quoting): read it row by row instead."""


@dataclass
class _Read:
    header: list[str]
    frame: pd.DataFrame                      # the data rows, cells as text, padded to the header
    problems: list[Problem]                  # rows that could not be read at all
    lines: Callable[[], np.ndarray]          # the line each row of `frame` ends on (asked for
                                             # only when a problem must name it: it costs a scan)


def _record_end_lines(data: bytes) -> np.ndarray:
    """The line each CSV record ends on, header included: a newline ends a record unless it
    lies inside quotes, that is, unless an odd number of quotes comes before it."""
    bytes_ = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(bytes_ == 0x0A)
    quotes = np.flatnonzero(bytes_ == 0x22)
    lines = np.flatnonzero(np.searchsorted(quotes, newlines) % 2 == 0) + 1
    if data and not data.endswith(b"\n"):   # the last record runs to the end of the file
        lines = np.append(lines, len(newlines) + 1)
    return lines


@dataclass(frozen=True)
class _Dialect:
    encoding: str    # utf-8 (a byte-order mark or several are dropped), or cp1252 when not UTF-8
    delimiter: str   # , ; or tab: whichever makes the header an Epoch header

    def notes(self) -> list[str]:
        return (["read as Windows-1252 (the file is not UTF-8)"] if self.encoding == "cp1252" else []) + \
               ([f"columns separated by {self.delimiter!r}"] if self.delimiter != "," else [])


def _dialect(path: Path) -> _Dialect:
    """Encoding and delimiter, from the first 64 KB."""
    with open(path, "rb") as file:
        return _dialect_of(file.read(65536))


def _dialect_of(head: bytes) -> _Dialect:
    try:
        head.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as exc:
        encoding = "utf-8" if exc.start >= len(head) - 3 else "cp1252"   # a character cut at 64 KB
    # A lone carriage return ends a line too (the readers agree), and the csv module refuses one
    # inside a line it is handed.
    first_line = re.split(rb"\r\n?|\n", head, maxsplit=1)[0].decode(encoding, "replace").lstrip("\ufeff")
    best = ","
    for delimiter in (",", ";", "\t"):
        try:
            header = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:   # e.g. a NUL byte
            header = []
        columns, _ = _columns(header)
        if all(key in columns for key in REQUIRED):
            best = delimiter
            break
    return _Dialect(encoding, best)


def _read_fast(path: Path, dialect: _Dialect) -> _Read:
    """pandas' C parser: the whole file at once, from the file (the bytes are read only if a
    problem needs line numbers)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        try:
            frame = pd.read_csv(path, header=None, dtype=object, keep_default_na=False, na_filter=False,
                                skip_blank_lines=False, engine="c", on_bad_lines="warn",
                                encoding=dialect.encoding, sep=dialect.delimiter)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
            raise _NeedsCarefulReader from exc   # (a UnicodeDecodeError is a ValueError too)
    too_long = {int(m.group(1)) - 1: int(m.group(2)) for w in caught if
                (m := re.match(r"Skipping line (\d+): expected \d+ fields, saw (\d+)", str(w.message)))}
    records = len(frame) + len(too_long)
    read_records = np.setdiff1d(np.arange(records), list(too_long))   # record numbers of frame's rows

    def end_lines() -> np.ndarray:
        lines = _record_end_lines(_read_bytes(path))
        if len(lines) != records:
            raise _NeedsCarefulReader
        return lines

    header = [str(cell) for cell in frame.iloc[0]]
    problems = []
    if too_long:
        lines = end_lines()
        problems = [Problem(str(path), int(lines[record]), None,
                            f"row has {fields} fields, header has {len(header)}")
                    for record, fields in too_long.items()]
    return _Read(header, frame.iloc[1:].reset_index(drop=True), problems,
                 lambda: end_lines()[read_records[1:]])


def _read_careful(path: Path, data: bytes, dialect: _Dialect, max_rows: int | None = None) -> _Read:
    """Python's csv module, row by row: slow, but a broken row costs only that row. With
    `max_rows`, rows after that many are not read (one problem says so)."""
    try:
        text = data.decode(dialect.encoding)
    except UnicodeDecodeError:   # not UTF-8 after its first 64 KB
        text = data.decode("cp1252", "replace")
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=dialect.delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise EpochFormatError(f"{path} is empty, not an Epoch AI CSV export") from None
    rows, lines, problems = [], [], []
    while True:
        if max_rows is not None and len(rows) + len(problems) >= max_rows:
            try:
                more = next(reader, None) is not None
            except csv.Error:
                more = True
            if more:
                problems.append(LimitReached(str(path), reader.line_num, None, f"more than {max_rows:,} rows: "
                                             "this one and those after it were not read"))
            break
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(str(path), reader.line_num, None, f"unreadable CSV: {exc}"))
            continue
        if len(row) > len(header):
            problems.append(Problem(str(path), reader.line_num, None,
                                    f"row has {len(row)} fields, header has {len(header)}"))
            continue
        rows.append(row + [""] * (len(header) - len(row)))
        lines.append(reader.line_num)
    frame = pd.DataFrame(rows, columns=range(len(header)), dtype=object)
    line_numbers = np.array(lines, dtype=int)
    return _Read(header, frame, problems, lambda: line_numbers)


# --- checking and cleaning, a column at a time ----------------------------------------------------

class _Rows:
    """The cells of the rows being imported, and the problems found in them."""

    def __init__(self, path: str, frame: pd.DataFrame, columns: dict[str, int],
                 lines: Callable[[], np.ndarray]):
        self.path, self.frame, self.columns = path, frame, columns
        self._line_numbers, self._lines = lines, None
        self.problems: list[Problem] = []
        self.names = pd.Series([""] * len(frame), index=frame.index, dtype=object)
        self._text: dict[str, pd.Series] = {}

    def lines(self) -> np.ndarray:
        if self._lines is None:
            self._lines = self._line_numbers()
        return self._lines

    def subset(self, keep: np.ndarray) -> _Rows:
        rows = _Rows(self.path, self.frame[keep].reset_index(drop=True), self.columns,
                     lambda: self.lines()[keep])
        rows.names = self.names[keep].reset_index(drop=True)
        return rows

    def text(self, key: str) -> pd.Series:
        if key not in self._text:
            if key not in self.columns:
                self._text[key] = pd.Series("", index=self.frame.index, dtype=object)
            elif key in REPEATED:   # a few values many times: strip each once
                self._text[key] = _by_unique(self.frame.iloc[:, self.columns[key]], str.strip)
            else:
                self._text[key] = self.frame.iloc[:, self.columns[key]].str.strip()
        return self._text[key]

    def clean(self, key: str) -> pd.Series:
        """Text with runs of white space (newlines in names) made one space."""
        text = self.text(key)
        return _by_unique(text, clean_name) if key in REPEATED else text.map(clean_name)

    def report(self, where: pd.Series, field: str | None, reason) -> None:
        """One problem per row where `where` holds; `reason` is text, or a function of the
        row's position that returns it (so messages are built for problem rows only)."""
        for position in np.flatnonzero(where.to_numpy()):
            text = reason if isinstance(reason, str) else reason(position)
            self.problems.append(Problem(self.path, int(self.lines()[position]), field,
                                         text, self.names.iloc[position] or None))

    def number(self, key: str, column: int | None = None, dropped: str = "; value dropped") -> pd.Series:
        """Positive finite numbers (NaN where blank); a bad one is dropped and reported (with
        `dropped` after its reason: a skipped row's values are not dropped one by one)."""
        if column is None and key not in self.columns:
            return pd.Series(np.nan, index=self.frame.index)
        raw = self.frame.iloc[:, self.columns[key] if column is None else column]
        values = pd.to_numeric(raw, errors="coerce").astype(float)   # white space around is fine
        unread = values.isna()
        if unread.any():   # blank, "1,024" (thousands: read without the commas), or not a number
            raw = raw.copy()
            raw[unread] = raw[unread].str.strip()
            thousands = unread & raw.str.match(THOUSANDS)
            values[thousands] = pd.to_numeric(raw[thousands].str.replace(",", "", regex=False), errors="coerce")
        given = values.notna()
        given[unread] = raw[unread] != ""
        quoted = lambda position: repr(raw.iloc[position].strip()[:30])  # noqa: E731
        self.report(given & values.isna(), key, lambda i: f"not a number: {quoted(i)}{dropped}")
        sensible = np.isfinite(values) & (values >= SMALLEST_VALUE)
        bad = given & values.notna() & ~sensible
        self.report(bad, key, lambda i: f"not a positive number: {quoted(i)}{dropped}")
        return values.where(sensible)


def _dates(text: pd.Series):
    """(timestamp or NaT, precision, why the date is refused or ''). Full dates parse in
    one vectorised call; only the rest (YYYY-MM, YYYY, junk) go through the pattern."""
    stamps = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").where(text.str.len() == 10)
    precision = pd.Series("day", index=text.index, dtype=object)
    rest = stamps.isna() & (text != "")
    if rest.any():
        parts = text[rest].str.extract(_PARTIAL_DATE)
        year, month, day = (pd.to_numeric(parts[i], errors="coerce") for i in range(3))
        partial = pd.to_datetime(pd.DataFrame({"year": year.fillna(2000), "month": month.fillna(1),
                                               "day": day.fillna(1)}), errors="coerce")
        stamps[rest] = partial.where(year.notna())
        precision[rest] = np.where(day.notna(), "day", np.where(month.notna(), "month", "year"))
    latest = pd.Timestamp(dt.date.today() + dt.timedelta(days=366))
    outside = stamps.notna() & ((stamps < EARLIEST_DATE) | (stamps > latest))

    def reason(position: int) -> str:
        if pd.isna(stamps.iloc[position]):
            return f"not a date (YYYY-MM-DD, YYYY-MM or YYYY): {text.iloc[position][:30]!r}; row skipped"
        return f"date {stamps.iloc[position]:%Y-%m-%d} is outside 1940 to next year; row skipped"
    return stamps, precision, stamps.isna() | outside, reason


def _by_unique(text: pd.Series, function) -> pd.Series:
    """`function` of each distinct value once (columns repeat a few values many times)."""
    if text.empty:
        return pd.Series([], index=text.index, dtype=object)
    return text.map({value: function(value) for value in text.unique()})


def import_epoch_csv(path: Path | str) -> ImportResult:
    path = Path(path)
    with _reading(path):
        if not path.stat().st_size:
            raise EpochFormatError(f"{path} is empty, not an Epoch AI CSV export")
        dialect = _dialect(path)
        try:
            result = _import(str(path), _read_fast(path, dialect))
        except _NeedsCarefulReader:
            result = _import(str(path), _read_careful(path, _read_bytes(path), dialect))
    result.notes = dialect.notes()
    return result


def import_epoch_bytes(data: bytes, name: str, max_rows: int | None = None) -> ImportResult:
    """An export's content (`name` names it in problems), read row by row: for a file the user
    uploads, which is never written to disk. With `max_rows`, rows after that many are not read."""
    dialect = _dialect_of(_not_empty(data, name)[:65536])
    result = _import(name, _read_careful(name, data, dialect, max_rows))
    result.notes = dialect.notes()
    return result


def _import(path: str, read: _Read) -> ImportResult:
    columns, cost = _columns(read.header)
    missing = [c for c in REQUIRED if c not in columns]
    if missing or not any(c in columns for c in NEEDS_ONE_OF):
        header = read.header
        raise EpochFormatError(
            f"{path} is not an Epoch AI export: expected columns 'Model' (or 'System'), "
            f"'Publication date', and 'Parameters' or 'Training compute (FLOP)'; "
            f"found {', '.join(repr(h) for h in header[:8])}{'…' if len(header) > 8 else ''}")
    frame = read.frame.reindex(columns=range(len(read.header)), fill_value="")
    rows = _Rows(path, frame, columns, read.lines)
    # A row of empty cells is no row: only rows without a name can be one, so look only there.
    blank = rows.text("name") == ""
    blank[blank] = (frame[blank].apply(lambda cells: cells.str.strip()) == "").all(axis=1)
    rows = rows.subset(~blank.to_numpy())
    result = _clean(rows, cost)
    unread = [p for p in read.problems if not isinstance(p, LimitReached)]   # rows read, but broken
    result.rows_read = len(rows.frame) + len(unread)
    result.skipped += len(unread)
    result.problems = sorted(read.problems + result.problems, key=lambda p: p.line or 0)
    return result


def _clean(rows: _Rows, cost: tuple[int, int] | None) -> ImportResult:
    names = rows.clean("name")
    rows.names = names
    dates, precision, refused, date_problem = _dates(rows.text("date"))
    # Every reason a row is skipped is reported, not only the first (and below, its bad values).
    no_name = names == ""
    long_name = names.str.len() > MAX_NAME
    long_organization = rows.clean("organization").str.len() > MAX_TEXT
    no_date = rows.text("date") == ""
    bad_date = ~no_date & refused
    candidate = ~(no_name | long_name | long_organization | no_date | bad_date)
    duplicate = candidate & names.str.casefold().where(candidate).duplicated(keep="first")
    rows.report(no_name, "name", "no model name; row skipped")
    rows.report(long_name, "name", f"name longer than {MAX_NAME} characters; row skipped")
    rows.report(long_organization, "organization", f"longer than {MAX_TEXT:,} characters; row skipped")
    rows.report(no_date, "date", "no publication date; row skipped")
    rows.report(bad_date, "date", date_problem)
    rows.report(duplicate, "name", "duplicate name; kept the first row")
    keep = (candidate & ~duplicate).to_numpy()
    skipped = int((~keep).sum())
    if skipped:
        _check_values(rows.subset(~keep), cost, rows.problems)

    if not keep.any():
        return ImportResult(rows.path, pd.DataFrame(columns=TABLE_COLUMNS), rows.problems, skipped=skipped)
    kept = rows.subset(keep)
    domains = _by_unique(kept.text("domain"), lambda raw: tuple(map_domains(raw)))
    links = _by_unique(kept.text("link"), _links)
    country = kept.clean("country")
    task = _by_unique(kept.text("task"), lambda raw: clean_list(raw) or "")
    for key, text in (("country", country), ("task", task)):
        too_long = text.str.len() > MAX_TEXT
        kept.report(too_long, key, f"longer than {MAX_TEXT:,} characters; value dropped")
        text[too_long] = ""
    raw_confidence = kept.text("confidence")
    base_model = kept.text("base_model")
    table = pd.DataFrame({
        "name": kept.names,
        "organization": kept.clean("organization").replace("", "not documented"),
        "country": country.replace("", None),
        "date": dates[keep].reset_index(drop=True),
        "date_precision": precision[keep].reset_index(drop=True),
        "domains": domains,
        "task": task.replace("", None),
        "accessibility": _by_unique(kept.text("accessibility"), _accessibility),
        "links": links,
        "source": links.map(lambda found: found[0] if found else None),
        "confidence": raw_confidence.str.lower().map(CONFIDENCE_MAP).fillna("likely"),
        "data_unit": None,
        "notes": ("Epoch confidence: " + raw_confidence.str.slice(0, 100).replace("", "not given") + "."
                  + np.where(base_model != "", " Base model: " + base_model.str.slice(0, 1000) + ".", "")
                  + (" " + kept.text("accessibility_notes").str.slice(0, 1000)).str.rstrip()),
    })
    for name, notes in MEASURED.items():
        table[name] = kept.number(name)
        table[f"{name}_method"] = (kept.text(notes).str.slice(0, 2000).replace("", None)
                                   if notes else None)
    table["hardware"] = _by_unique(kept.text("hardware"), lambda raw: (clean_list(raw) or "")[:200]).replace("", None)
    _training_data(kept, table)
    count = kept.number("hardware_count").where(table["hardware"].notna())
    table["hardware_count"] = count.where(count >= 1).map(math.floor, na_action="ignore")
    table["training_cost"], table["training_cost_year"] = np.nan, None
    if cost is not None:
        usd = kept.number("cost", column=cost[0])
        if 1950 <= cost[1] <= 2100:
            table["training_cost"], table["training_cost_year"] = usd, cost[1]
        else:
            kept.report(usd.notna(), "training_cost",
                        f"the cost column's year {cost[1]} is outside 1950–2100; value dropped")
    problems = rows.problems + kept.problems
    return ImportResult(rows.path, table, problems, skipped=skipped)


def _check_values(skipped: _Rows, cost: tuple[int, int] | None, problems: list[Problem]) -> None:
    """The bad values of rows skipped for another reason, reported too: the file's author then
    mends each row once, not once per problem."""
    for key in (*MEASURED, "data_seen", "epochs", "hardware_count"):
        if key in skipped.columns:
            skipped.number(key, dropped="")
    if cost is not None:
        skipped.number("cost", column=cost[0], dropped="")
    for key in ("country", "task"):
        skipped.report(skipped.clean(key).str.len() > MAX_TEXT, key, f"longer than {MAX_TEXT:,} characters")
    problems += skipped.problems


def _training_data(kept: _Rows, table: pd.DataFrame) -> None:
    """The training data and its unit: a dataset size (older exports) in the unit its notes
    name; or, where only the data points used in gradient updates are given (newer exports),
    that count, in tokens for language and multimodal models and otherwise in no named unit
    ("other"), with the method saying what was counted."""
    notes = kept.text("training_data_notes")
    domains = table["domains"]
    if "training_data" in kept.columns:
        units = [data_unit(n, d) for n, d in zip(notes, domains)]
        table["data_unit"] = pd.Series(units, index=table.index, dtype=object)
        return
    seen = kept.number("data_seen")
    epochs = kept.number("epochs")
    table["training_data"] = seen
    language = domains.map(lambda ds: ds[0] in ("language", "multimodal"))
    table["data_unit"] = np.where(language, "tokens", "other")
    epochs_text = epochs.map(lambda e: f"; {e:g} epochs" if e == e else "", na_action=None).fillna("")
    method = (SEEN_NOTE + epochs_text + np.where(notes != "", " — " + notes.str.slice(0, 2000), ""))
    table["training_data_method"] = method.where(seen.notna())


def _given(value):
    """None for a missing cell (None, or NaN in pandas' text and number columns)."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _measurement(record: dict, name: str, **extra) -> dict | None:
    if _given(record[name]) is None:
        return None
    return {"value": record[name], "confidence": record["confidence"], "source": _given(record["source"]),
            "method": _given(record.get(f"{name}_method")), **extra}


def entry_from_record(record: dict) -> ModelEntry:
    """The `ModelEntry` of one row of `ImportResult.table`."""
    entry = {
        "name": record["name"],
        "organization": record["organization"],
        "country": _given(record["country"]),
        "date": record["date"].date(),
        "date_precision": record["date_precision"],
        "domains": list(record["domains"]),
        "task": _given(record["task"]),
        "accessibility": record["accessibility"],
        "links": list(record["links"]),
        "parameters": _measurement(record, "parameters"),
        "training_compute": _measurement(record, "training_compute"),
        "training_data": _measurement(record, "training_data", unit=record["data_unit"]),
        "training_time_hours": _measurement(record, "training_time_hours"),
        "training_cost": _measurement(record, "training_cost", year=record["training_cost_year"]),
        "notes": record["notes"],
        "origin": ORIGIN,
    }
    if _given(record["hardware"]) is not None:
        count = _given(record["hardware_count"])
        entry["hardware"] = {"type": record["hardware"], "confidence": record["confidence"],
                             "source": _given(record["source"]),
                             "count": None if count is None else int(count)}
    return ModelEntry.model_validate({k: v for k, v in entry.items() if v is not None})
