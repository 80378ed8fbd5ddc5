"""Which rows of two sources are the same model.

Rules, in order; a row is matched at most once on each side (several rows of the new source
may join one of ours only through the mapping file):

1. the reviewed mapping file `data/name-matches.yaml` ("same" pairs; "different" pairs are
   never matched by any rule);
2. the same normalised name (`name_key`);
3. one of our `aliases`;
4. the same arXiv id, when exactly one unmatched row on each side cites it.

A pair found by rules 2–4 whose dates are more than `MAX_DATE_GAP` apart or whose parameter
counts differ by more than `MAX_PARAMETER_RATIO` is not merged but reported ("kept apart")."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from scalemap import DATA_DIR
from scalemap.sources.epoch import ORIGIN

NAME_MATCHES = DATA_DIR / "name-matches.yaml"
MAX_DATE_GAP = pd.Timedelta(days=2 * 365 + 60)   # "about two years"
MAX_PARAMETER_RATIO = 10.0
RULES = ("mapping file", "name", "alias", "arXiv id")
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})", re.IGNORECASE)


def arxiv_ids(links) -> tuple[str, ...]:
    """The arXiv ids (2005.14165; no version) the links point at."""
    return tuple(dict.fromkeys(m.group(1) for link in links or () for m in _ARXIV.finditer(str(link))))


_NOT_NAME = re.compile(r"[^\w.]+|_")


def name_key(name: str) -> str:
    """Normalised name for matching the same model across sources: case, spaces and
    punctuation dropped, letters of any script kept (PanGu-α is not PanGu-Σ), × read as x."""
    return _NOT_NAME.sub("", name.casefold().replace("×", "x"))


@dataclass(frozen=True)
class NameMatches:
    same: dict[str, tuple[str, ...]]                      # our name key -> their name keys, in the file's order
    different: dict[tuple[str, str], str | None]          # (ours, theirs) -> unless_organization

    def is_different(self, ours: str, theirs: str, their_organization: str = "") -> bool:
        key = (name_key(ours), name_key(theirs))
        if key not in self.different:
            return False
        unless = self.different[key]
        return not (unless and unless.casefold() in their_organization.casefold())


@lru_cache(maxsize=4)
def load_name_matches(path: Path = NAME_MATCHES) -> NameMatches:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    # (In the file's order: where two of their rows join one of ours, the first listed fills first.)
    same = {name_key(ours): tuple(dict.fromkeys(name_key(t) for t in theirs))
            for ours, theirs in (data.get("same") or {}).items()}
    different: dict[tuple[str, str], str | None] = {}
    for ours, theirs in (data.get("different") or {}).items():
        for item in theirs:
            name, unless = (item["name"], item.get("unless_organization")) if isinstance(item, dict) else (item, None)
            different[(name_key(ours), name_key(name))] = unless
    return NameMatches(same, different)


@dataclass(frozen=True)
class Pair:
    left: int                 # row position in the left (existing) table
    right: int                # row position in the right (new) table
    rule: str                 # one of RULES


@dataclass(frozen=True)
class KeptApart:
    left: int
    right: int
    rule: str
    reason: str               # "dates 4.1 years apart", "parameters differ 15×"


@dataclass
class MatchResult:
    pairs: list[Pair] = field(default_factory=list)
    kept_apart: list[KeptApart] = field(default_factory=list)

    def counts(self) -> Counter:
        return Counter(p.rule for p in self.pairs)

    def report_line(self, source: str) -> str:
        counts = self.counts()
        merged = ", ".join(f"{counts.get(rule, 0)} by {rule}" for rule in RULES)
        line = f"{source}: {len(self.pairs)} models in both sources merged ({merged})"
        if self.kept_apart:
            reasons = Counter(k.reason.split(" ", 1)[0] for k in self.kept_apart)
            line += (f"; {len(self.kept_apart)} candidate pairs kept apart ("
                     + ", ".join(f"{n} {why} too far apart" if why == "dates" else f"{n} {why} too different"
                                 for why, n in sorted(reasons.items())) + ")")
        return line


def _implausible(dates: tuple, parameters: tuple) -> str | None:
    gap = abs(dates[0] - dates[1])
    if gap > MAX_DATE_GAP:
        return f"dates {gap.days / 365.25:.1f} years apart"
    a, b = parameters
    if a == a and b == b and max(a, b) > MAX_PARAMETER_RATIO * min(a, b):   # (NaN != NaN)
        return f"parameters differ {max(a, b) / min(a, b):.0f}×"
    return None


def match_frames(left: pd.DataFrame, right: pd.DataFrame, matches: NameMatches | None = None,
                 by_arxiv_id: bool = True) -> MatchResult:
    """Pairs of rows of `left` (ours, or what is loaded so far) and `right` (a new import)
    that are the same model. Both need name, aliases, organization, date, parameters and
    `_arxiv` (a tuple of arXiv ids)."""
    matches = load_name_matches() if matches is None else matches
    result = MatchResult()
    if left.empty or right.empty:
        return result
    l_names, l_aliases = left["name"].tolist(), left["aliases"].tolist()
    r_names, r_organizations = right["name"].tolist(), right["organization"].fillna("").tolist()
    l_dates, r_dates = list(left["date"]), list(right["date"])
    l_parameters, r_parameters = left["parameters"].tolist(), right["parameters"].tolist()
    right_by_key: dict[str, int] = {}
    for position, name in enumerate(r_names):
        right_by_key.setdefault(name_key(name), position)
    used_left: set[int] = set()
    used_right: set[int] = set()

    def different(l_pos: int, r_pos: int) -> bool:
        return any(matches.is_different(n, r_names[r_pos], r_organizations[r_pos])
                   for n in (l_names[l_pos], *l_aliases[l_pos]))

    def consider(l_pos: int, r_pos: int, rule: str) -> None:
        if l_pos in used_left or r_pos in used_right or different(l_pos, r_pos):
            return
        reason = _implausible((l_dates[l_pos], r_dates[r_pos]), (l_parameters[l_pos], r_parameters[r_pos]))
        if reason:
            result.kept_apart.append(KeptApart(l_pos, r_pos, rule, reason))
            used_right.add(r_pos)   # reported once, under the first rule that found it
            return
        result.pairs.append(Pair(l_pos, r_pos, rule))
        used_left.add(l_pos)
        used_right.add(r_pos)

    # 1. the mapping file: every listed name of theirs joins ours
    if matches.same:
        for l_pos, name in enumerate(l_names):
            for key in matches.same.get(name_key(name), ()):
                r_pos = right_by_key.get(key)
                if r_pos is not None and r_pos not in used_right and not different(l_pos, r_pos):
                    result.pairs.append(Pair(l_pos, r_pos, "mapping file"))
                    used_right.add(r_pos)
                    used_left.add(l_pos)
    # 2, 3. names, then aliases
    for l_pos, name in enumerate(l_names):
        if (r_pos := right_by_key.get(name_key(name))) is not None:
            consider(l_pos, r_pos, "name")
    for l_pos, aliases in enumerate(l_aliases):
        for alias in aliases:
            if (r_pos := right_by_key.get(name_key(alias))) is not None:
                consider(l_pos, r_pos, "alias")

    if not by_arxiv_id:
        return result

    # 4. arXiv ids cited by one unmatched row on each side
    def by_arxiv(frame: pd.DataFrame, used: set[int]) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for position, ids in enumerate(frame["_arxiv"]):
            for arxiv in ids:
                found.setdefault(arxiv, []).append(position)
        return {a: [p for p in ps if p not in used] for a, ps in found.items()}
    left_arxiv, right_arxiv = by_arxiv(left, used_left), by_arxiv(right, used_right)
    for arxiv, rights in right_arxiv.items():
        lefts = left_arxiv.get(arxiv, [])
        if len(lefts) == 1 and len(rights) == 1:
            consider(lefts[0], rights[0], "arXiv id")
    return result


def duplicates(frame: pd.DataFrame, matches: NameMatches | None = None) -> list[tuple[str, str, str]]:
    """Pairs of rows from different origins that share a name key or an arXiv id and that the
    mapping file does not call different models: (first name, second name, what they share).
    `frame` needs name, aliases, organization, origin and `_arxiv`."""
    matches = load_name_matches() if matches is None else matches
    by: dict[str, list[int]] = {}
    for position, (name, aliases, ids) in enumerate(zip(frame["name"], frame["aliases"], frame["_arxiv"])):
        for key in dict.fromkeys([name_key(name), *map(name_key, aliases)]):
            by.setdefault("name " + key, []).append(position)
        for arxiv in ids:
            by.setdefault("arXiv " + arxiv, []).append(position)
    found = []
    seen = set()
    names, origins, organizations = frame["name"].tolist(), frame["origin"].tolist(), frame["organization"].tolist()
    for shared, positions in by.items():
        for i in positions:
            for j in positions:
                if i < j and origins[i] != origins[j] and (i, j) not in seen:
                    a, b = (i, j) if origins[i] != ORIGIN else (j, i)
                    if matches.is_different(names[a], names[b], organizations[b] or ""):
                        continue
                    seen.add((i, j))
                    found.append((names[a], names[b], shared))
    return found
