"""Clean organization names: split joint work, map spellings to one canonical name, group.

`data/organizations.yaml` lists each canonical organization once, with the spellings
(`aliases`) that mean it and an optional parent `group` ("Google Brain" → group "Google").
`Organizations.split(raw)` turns a raw `organization` string from the catalogue or an Epoch
export into a tuple of canonical names.

How a raw string is split (documented here, tested in tests/unit/test_organizations.py):

1. Members are separated by "," ";" "/" and newlines, but never inside brackets:
   "BigCode (Hugging Face, ServiceNow)" is one member. ("/" is how Epoch writes one
   organization's two names, "University of Montreal / Université de Montréal": both halves
   map to the same name and are de-duplicated.)
2. Adjacent pieces whose joined text is a known spelling stay together, so an alias may hold a
   separator ("University of California, Berkeley").
3. " & " and " and " split only when every piece is a known organization: they occur inside
   names too ("Texas A&M", "Singapore University of Technology & Design", "University of
   Science and Technology of China"). "Google & Stanford University" splits; those do not.
   A leading "and " (the Oxford comma of "A, B, and C") is dropped.
4. Each member is looked up by its key: case, accents, dashes, apostrophes, full stops and
   runs of white space do not matter, and "Univ" means "University". A member not found is
   tried once more without a trailing parenthesis ("Carnegie Mellon University (CMU)" →
   "Carnegie Mellon University").
5. Members in the file's `ignore` list ("not documented", "others", …) are dropped; a string of
   nothing else gives an empty tuple. A member matching no entry keeps its spelling with white
   space collapsed, and is reported by `unmapped`.

The result keeps the order of first appearance and holds each name once.

Groups are one level deep: a group is a name ("Google"), and may also be an organization,
which then belongs to its own group. A group's organization may not sit in another group,
which also rules out cycles."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from scalemap import DATA_DIR

DEFAULT_PATH = DATA_DIR / "organizations.yaml"

_SEPARATORS = ",;/\n"
_OPEN, _CLOSE = "([{", ")]}"
_MAX_JOIN = 4                                   # pieces an alias with separators may span
_SOFT_SPLIT = re.compile(r"\s+(?:&|and)\s+", re.IGNORECASE)
_TRAILING_PARENS = re.compile(r"^(.*?\S)\s*\([^()]*\)$")
_LEADING_AND = re.compile(r"^and\s+", re.IGNORECASE)
_DASHES = re.compile(r"[\u002d\u2010-\u2015\u2212]")
_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc`´]")
_UNIV = re.compile(r"\buniv\b")


class OrganizationsFileError(ValueError):
    """The organizations file is missing, not YAML of the expected shape, or inconsistent."""


def key(text: str) -> str:
    """The lookup key of a spelling: "Université de Montréal" and "universite de montreal",
    "Xi’an" and "Xi'an", "Wisconsin–Madison" and "Wisconsin Madison", "Univ." and "University"
    give one key."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _APOSTROPHES.sub("'", _DASHES.sub(" ", text)).replace(".", " ")
    return _UNIV.sub("university", " ".join(text.split()))


def clean(text: str) -> str:
    """Runs of white space made one space, none at the ends."""
    return " ".join(text.split())


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1)
    group: str | None = None
    aliases: tuple[str, ...] = ()

    @field_validator("name", "group")
    @classmethod
    def _clean_name(cls, value: str | None) -> str | None:
        if value is not None and not clean(value):
            raise ValueError("must not be blank")
        return None if value is None else clean(value)

    @field_validator("aliases")
    @classmethod
    def _clean_aliases(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not clean(alias) for alias in value):
            raise ValueError("an alias is blank")
        return tuple(clean(alias) for alias in value)


class OrganizationsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    ignore: tuple[str, ...] = ()
    organizations: tuple[Entry, ...]


def _pieces(raw: str) -> list[tuple[int, int]]:
    """(start, end) of each piece between separators outside brackets. Unbalanced brackets:
    split as if there were none."""
    for respect_brackets in (True, False):
        spans, depth, start = [], 0, 0
        for i, char in enumerate(raw):
            if respect_brackets and char in _OPEN:
                depth += 1
            elif respect_brackets and char in _CLOSE:
                depth = max(depth - 1, 0)
            elif char in _SEPARATORS and depth == 0:
                spans.append((start, i))
                start = i + 1
        spans.append((start, len(raw)))
        if depth == 0:
            return spans
    return spans


class Organizations:
    """The reviewed mapping: canonical names, their spellings and their groups."""

    def __init__(self, entries: Iterable[Entry], ignore: Iterable[str] = ()):
        self.entries = tuple(entries)
        problems: list[str] = []
        self._canonical: dict[str, str] = {}             # key of any spelling → canonical name
        self._group: dict[str, str] = {}                 # canonical name → its group
        names: dict[str, str] = {}
        for entry in self.entries:
            if key(entry.name) in names:
                problems.append(f"{entry.name!r} is listed twice (also as {names[key(entry.name)]!r})")
            names[key(entry.name)] = entry.name
        for entry in self.entries:
            for spelling in (entry.name, *entry.aliases):
                other = self._canonical.setdefault(key(spelling), entry.name)
                if other != entry.name:
                    problems.append(f"{spelling!r} maps to both {other!r} and {entry.name!r}")
        self._ignore = frozenset(key(word) for word in ignore)
        for word in ignore:
            if key(word) in self._canonical:
                problems.append(f"ignored word {word!r} is also {self._canonical[key(word)]!r}")
        group_names: dict[str, str] = {}
        for entry in self.entries:
            if entry.group is None:
                continue
            spelled = group_names.setdefault(key(entry.group), entry.group)
            if spelled != entry.group:
                problems.append(f"group {entry.group!r} of {entry.name!r} is spelled {spelled!r} elsewhere")
            known = self._canonical.get(key(entry.group))
            if known is not None and known != entry.group:
                problems.append(f"group {entry.group!r} of {entry.name!r} is a spelling of "
                                f"{known!r}: use that name")
            self._group[entry.name] = entry.group
        by_name = {entry.name: entry for entry in self.entries}
        for group in group_names.values():
            if group in by_name:                        # a group that is an organization too
                own = by_name[group].group
                if own is not None and own != group:
                    problems.append(f"group {group!r} is itself in group {own!r}: groups are one "
                                    "level deep (this also rules out cycles)")
                self._group.setdefault(group, group)
        if problems:
            raise OrganizationsFileError("; ".join(problems))
        self.names = tuple(sorted(by_name, key=str.casefold))
        self._resolve = lru_cache(maxsize=65_536)(self._split_uncached)

    @classmethod
    def from_file(cls, path: Path | str = DEFAULT_PATH) -> Organizations:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise OrganizationsFileError(f"{path}: {exc}") from exc
        try:
            parsed = OrganizationsFile.model_validate(data)
        except ValidationError as exc:
            raise OrganizationsFileError(f"{path}: {exc}") from exc
        try:
            return cls(parsed.organizations, parsed.ignore)
        except OrganizationsFileError as exc:
            raise OrganizationsFileError(f"{path}: {exc}") from exc

    # --- lookup -----------------------------------------------------------------------------

    def canonical(self, spelling: str) -> str | None:
        """The canonical name of one organization's spelling, or None if it is not listed."""
        return self._canonical.get(key(spelling))

    def group_of(self, name: str) -> str | None:
        """The group of an organization (any listed spelling), or None."""
        canonical = self.canonical(name)
        return self._group.get(canonical) if canonical is not None else None

    def groups(self) -> dict[str, tuple[str, ...]]:
        """Each group, sorted, with its member organizations, sorted (a group that is an
        organization lists itself)."""
        members: dict[str, list[str]] = {}
        for name in self.names:
            if name in self._group:
                members.setdefault(self._group[name], []).append(name)
        return {group: tuple(members[group]) for group in sorted(members, key=str.casefold)}

    def split(self, raw: str) -> tuple[str, ...]:
        """The canonical members of a raw organization string (see the module's docstring)."""
        return self._resolve(raw)[0]

    def unmapped(self, raw_strings: Iterable[str]) -> list[str]:
        """The distinct members of these raw strings that match no entry, sorted."""
        found: dict[str, str] = {}
        for raw in dict.fromkeys(raw_strings):
            for part in self._resolve(raw)[1]:
                found.setdefault(key(part), part)
        return sorted(found.values(), key=str.casefold)

    # --- splitting --------------------------------------------------------------------------

    def _known(self, text: str) -> bool:
        k = key(text)
        return k in self._canonical or k in self._ignore

    def _member(self, text: str) -> tuple[list[str], list[str]]:
        """(canonical names, unmapped spellings) of one piece between separators."""
        text = _LEADING_AND.sub("", clean(text))
        k = key(text)
        if not k or k in self._ignore:
            return [], []
        if k in self._canonical:
            return [self._canonical[k]], []
        soft = _SOFT_SPLIT.split(text)
        if len(soft) > 1 and all(self._known(piece) for piece in soft):
            return [self._canonical[key(p)] for p in soft if key(p) not in self._ignore], []
        bare = _TRAILING_PARENS.match(text)
        if bare and key(bare.group(1)) in self._canonical:
            return [self._canonical[key(bare.group(1))]], []
        return [text], [text]

    def _split_uncached(self, raw: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        raw = raw if isinstance(raw, str) else ""
        if key(raw) in self._ignore:                   # "n/a" before "/" splits it
            return (), ()
        spans = _pieces(raw)
        names: dict[str, str] = {}                    # key → name, first spelling kept
        unknown: dict[str, str] = {}
        i = 0
        while i < len(spans):
            for j in range(min(i + _MAX_JOIN, len(spans)) - 1, i, -1):
                joined = raw[spans[i][0]:spans[j][1]]
                if self._known(joined):
                    found, missing = self._member(joined)
                    i = j + 1
                    break
            else:
                found, missing = self._member(raw[spans[i][0]:spans[i][1]])
                i += 1
            for name in found:
                names.setdefault(key(name), name)
            for part in missing:
                unknown.setdefault(key(part), part)
        return tuple(names.values()), tuple(unknown.values())


@lru_cache(maxsize=8)
def load_organizations(path: Path | str = DEFAULT_PATH) -> Organizations:
    """The organizations file, read and checked once per path."""
    return Organizations.from_file(path)
