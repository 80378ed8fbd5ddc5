"""Load the bundled catalogue (YAML files of `ModelEntry` records).

A broken record is reported with file, line, field and reason, and skipped;
the other records load. A file that cannot be read at all raises
`CatalogueFileError` with one clear line."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from pydantic import ValidationError

from scalemap import DATA_DIR
from scalemap.sources.schema import ModelEntry

DEFAULT_CATALOGUE_DIR = DATA_DIR / "catalogue"
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CatalogueFileError(Exception):
    """A catalogue file is missing, unreadable or not a YAML list."""


@dataclass(frozen=True)
class Problem:
    """One record (or row) that was skipped or changed, and why."""
    file: str
    line: int | None
    field: str | None
    reason: str
    name: str | None = None
    entry: int | None = None   # the first line of the entry the problem is in, where it is not `line`

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        what = f" [{self.name}]" if self.name else ""
        field = f" {self.field}:" if self.field else ""
        return f"{where}{what}{field} {self.reason}"


class LimitReached(Problem):
    """The rest of a file was not read: it holds more entries or rows than allowed."""


def catalogue_files(path: Path) -> list[Path]:
    """The .yaml files of a folder (or the file given), regular files or links to them; for a
    folder, a FIFO, device or sub-folder named *.yaml is left out (`load_catalogue` says so):
    opening a FIFO waits for a writer for ever."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
        if not files:
            raise CatalogueFileError(f"catalogue folder {path} holds no .yaml files")
        return files
    if not path.exists():
        raise CatalogueFileError(f"catalogue file {path} does not exist")
    if not path.is_file():
        raise CatalogueFileError(f"catalogue file {path} is not a regular file")
    return [path]


def _key_lines(item: yaml.Node) -> dict[str, int]:
    """Each field's line inside a record (0-based, the first of a key given twice)."""
    lines: dict[str, int] = {}
    if isinstance(item, yaml.MappingNode):
        for key, _ in item.value:
            if isinstance(key, yaml.ScalarNode):
                lines.setdefault(key.value, key.start_mark.line)
    return lines


MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_RECORD_BYTES = 256 * 1024
# The largest real entry holds 111 keys and values, 3 levels deep. These bounds are checked on
# the parser's events, before anything is built: 50,000 keys in one entry cost a few ms to refuse.
MAX_ENTRY_VALUES = 1_000
MAX_ENTRY_DEPTH = 10
_RECORD_START = re.compile(rb"^-( |$)")                 # "- name: …" at the left margin
_MARGIN_TEXT = re.compile(rb"^[^\s#]")                  # anything else there but a comment
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class _Chunk:
    line: int          # first line in the file (1-based)
    data: bytes
    is_record: bool    # a "- " entry; otherwise a stray line at the left margin


def _chunks(data: bytes, max_records: int | None = None) -> tuple[list[_Chunk], int | None]:
    """The file cut into its top-level entries before any parsing, so a broken entry costs only
    itself: an entry runs from its "- " to the next line at the left margin. A line at the
    margin that starts no entry (a document marker, an unindented field) stands alone.
    With `max_records`, the cutting stops at the entry after that many; its line is returned."""
    chunks: list[_Chunk] = []
    parts: list[bytes] = []   # the open entry's lines, joined once (adding bytes to bytes is quadratic)
    records, stopped = 0, None

    def close() -> None:
        if parts:
            chunks[-1].data = b"".join(parts)
            parts.clear()

    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        if _RECORD_START.match(line):
            records += 1
            if max_records is not None and records > max_records:
                stopped = number
                break
            close()
            chunks.append(_Chunk(number, b"", True))
            parts.append(line)
        elif _MARGIN_TEXT.match(line):
            close()
            chunks.append(_Chunk(number, line, False))
        elif chunks and chunks[-1].is_record:
            parts.append(line)
    close()
    return chunks, stopped


def _refusal(text: str) -> str | None:
    """Why an entry is refused before it is built, read from the parser's events (linear, no
    recursion): an alias (YAML's '*name', which can multiply one value into millions: a
    'billion laughs'), more keys and values than any model needs, or nesting too deep."""
    loader = _YamlLoader(text)
    values = depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                return "YAML aliases (*name) are not allowed"
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                values += 1
                if values > MAX_ENTRY_VALUES:
                    return f"more than {MAX_ENTRY_VALUES:,} keys and values in one entry"
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_ENTRY_DEPTH:
                    return f"nested more than {MAX_ENTRY_DEPTH} levels deep"
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()
    return None


def _twice(node: yaml.Node) -> str | None:
    """A key given twice in any mapping of the entry (a set per mapping: linear)."""
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        return key.value
                    seen.add(key.value)
                stack += (key, value)
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return None


def _failing_field(loader, item: yaml.Node) -> tuple[str | None, int]:
    """(field, line) of the value that could not be built, found by building each in turn."""
    if isinstance(item, yaml.MappingNode):
        for key, value in item.value:
            try:
                loader.construct_object(value, deep=True)
            except (ValueError, TypeError, OverflowError, yaml.YAMLError):
                return str(key.value), key.start_mark.line + 1
    return None, item.start_mark.line + 1


_PLACEHOLDER_LINK = "https://example.org/"   # stands in for missing links while the rest is checked


def _parse_record(path: Path, chunk: _Chunk) -> tuple[ModelEntry | None, list[Problem]]:
    where = lambda line, field=None, name=None: (str(path), line, field, name)  # noqa: E731
    if len(chunk.data) > MAX_RECORD_BYTES:
        return None, [Problem(*where(chunk.line)[:3], f"entry is {len(chunk.data):,} bytes, more than "
                              f"{MAX_RECORD_BYTES:,}; skipped")]
    try:
        text = chunk.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = chunk.line + chunk.data[:exc.start].count(b"\n")
        return None, [Problem(str(path), line, None, f"not UTF-8 (byte 0x{chunk.data[exc.start]:02x}); "
                              "entry skipped")]
    if bad := _CONTROL.search(text):
        line = chunk.line + text[:bad.start()].count("\n")
        return None, [Problem(str(path), line, None, f"control character U+{ord(bad.group()):04X}; entry skipped")]
    loader = None
    try:
        if refused := _refusal(text):
            return None, [Problem(str(path), chunk.line, None, f"{refused}; entry skipped")]
        loader = _YamlLoader(text)
        item = loader.get_single_node().value[0]
        if (twice := _twice(item)) is not None:
            return None, [Problem(str(path), chunk.line, None, f"the key {twice!r} is given twice; entry skipped")]
        data = loader.construct_object(item, deep=True)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = chunk.line + mark.line if mark else chunk.line
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [Problem(str(path), line, None, f"unreadable YAML: {reason}; entry skipped")]
    except (ValueError, TypeError, OverflowError) as exc:   # e.g. date: 2020-13-45, read as a date
        field, line = _failing_field(loader, item)
        return None, [Problem(str(path), chunk.line - 1 + line, field, f"unreadable value: {exc}; entry skipped")]
    finally:
        if loader is not None:
            loader.dispose()
    key_lines = _key_lines(item)
    field_line = lambda field: chunk.line + key_lines.get(field, item.start_mark.line)  # noqa: E731
    if not isinstance(data, dict):
        return None, [Problem(str(path), chunk.line, None, "a model must be a mapping of fields")]
    name = data.get("name") if isinstance(data.get("name"), str) else None
    problems = []
    if not data.get("links"):   # said, and the entry still checked: every problem of it at once
        problems.append(Problem(str(path), field_line("links"), "links",
                                "at least one http(s) link to the primary source is required", name=name))
        data = {**data, "links": [_PLACEHOLDER_LINK]}
    try:
        model = ModelEntry.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"]) or None
            top = str(error["loc"][0]) if error["loc"] else None
            problems.append(Problem(str(path), field_line(top), field, error["msg"], name=name))
        return None, problems
    return (None, problems) if problems else (model, [])


def load_file(path: Path) -> tuple[list[ModelEntry], list[Problem]]:
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise CatalogueFileError(f"cannot read catalogue file {path}: {exc}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise CatalogueFileError(f"catalogue file {path} is larger than {MAX_FILE_BYTES // 2**20} MB")
    return load_bytes(data, path)


def load_bytes(data: bytes, path: Path | str,
               max_records: int | None = None) -> tuple[list[ModelEntry], list[Problem]]:
    """The models of a catalogue file's content (`path` names it in problems): for a file the
    user uploads, which is never written to disk. With `max_records`, entries after that many
    are not read (one problem says so)."""
    models, problems, _ = read_entries(data, path, max_records)
    return models, problems


def read_entries(data: bytes, path: Path | str,
                 max_records: int | None = None) -> tuple[list[ModelEntry], list[Problem], int]:
    """`load_bytes`, and how many entries were read (kept or not)."""
    while data.startswith(b"\xef\xbb\xbf"):   # byte-order marks, even repeated
        data = data[3:]
    chunks, stopped = _chunks(data, max_records)
    if not any(chunk.is_record for chunk in chunks):
        return (*_load_whole(path, data), 0)
    models, problems = [], []
    for chunk in chunks:
        if not chunk.is_record:
            text = chunk.data.decode("utf-8", "replace").strip()
            problems.append(Problem(str(path), chunk.line, None,
                                    f"{text[:40]!r} is outside any model entry (entries start with '- ', "
                                    "their fields are indented); line ignored"))
            continue
        model, found = _parse_record(path, chunk)
        problems += [replace(p, entry=chunk.line) for p in found]
        if model is not None:
            models.append(model)
    if stopped is not None:
        problems.append(LimitReached(str(path), stopped, None, f"more than {max_records:,} entries: this one "
                                     "and those after it were not read"))
    return models, problems, sum(chunk.is_record for chunk in chunks)


def _load_whole(path: Path, data: bytes) -> tuple[list[ModelEntry], list[Problem]]:
    """A file with no "- " entries at the margin: empty, or not a list of models."""
    try:
        root = yaml.compose(data.decode("utf-8"), Loader=_YamlLoader)
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CatalogueFileError(f"catalogue file {path} is not a YAML list of models: "
                                 f"{str(exc).splitlines()[0]}") from None
    if root is None or (isinstance(root, yaml.SequenceNode) and not root.value):
        return [], []
    raise CatalogueFileError(f"catalogue file {path} must be a YAML list of models, one '- ' entry each")


def load_catalogue(paths: list[Path] | Path | None = None) -> tuple[list[ModelEntry], list[Problem]]:
    """Every valid model from the given files or folders; duplicates by name are reported."""
    if paths is None:
        paths = [DEFAULT_CATALOGUE_DIR]
    if isinstance(paths, (str, Path)):
        paths = [paths]
    models: list[ModelEntry] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in paths:
        for file in catalogue_files(Path(path)):
            if not file.is_file():   # only in a folder: a file named alone must be regular
                problems.append(Problem(str(file), None, None, "not a regular file (a FIFO, device or "
                                        "folder); skipped"))
                continue
            file_models, file_problems = load_file(file)
            problems.extend(file_problems)
            for model in file_models:
                key = model.name.casefold()
                if key in seen:
                    problems.append(Problem(str(file), None, "name",
                                            f"duplicate of a model in {seen[key]}; kept the first",
                                            name=model.name))
                    continue
                seen[key] = str(file)
                models.append(model)
    return models, problems


def main(argv: list[str] | None = None) -> int:
    """`python -m scalemap.sources.catalogue [PATH ...]`: validate and count."""
    from collections import Counter

    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])] or None
    try:
        models, problems = load_catalogue(paths)
    except CatalogueFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(f"problem: {problem}")
    domains = Counter(d for m in models for d in m.domains)
    print(f"{len(models)} models valid, {len(problems)} problems")
    print("domains: " + ", ".join(f"{d} {n}" for d, n in domains.most_common()))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
