"""Our numbers against another database's, on the models both hold.

Which models both hold is the merge's own rule (`scalemap.dataset.matching`): the pairs
`matched_pairs` finds in two lists are the pairs a merge of them joins (`merged_pairs`), so the
accuracy test, the README's figures and "Where the sources disagree" count the same models.
Parameter counts agree within 25%, training compute within a factor of 2."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scalemap.dataset.matching import NameMatches, match_frames
from scalemap.dataset.table import catalogue_frame
from scalemap.sources.schema import OUR_ORIGIN, ModelEntry

PARAMETER_TOLERANCE = 0.25
COMPUTE_FACTOR = 2.0


def matched_pairs(ours: list[ModelEntry], theirs: list[ModelEntry],
                  matches: NameMatches | None = None) -> list[tuple[ModelEntry, ModelEntry]]:
    """(our record, theirs) for each of their records a merge would join to one of ours, in
    our order."""
    result = match_frames(catalogue_frame(ours), catalogue_frame(theirs), matches)
    return [(ours[p.left], theirs[p.right]) for p in sorted(result.pairs, key=lambda p: (p.left, p.right))]


def merged_pairs(models: Mapping[str, ModelEntry]) -> list[tuple[str, ModelEntry, ModelEntry]]:
    """(model id, our record, another source's record) for each record a merge joined to one of
    ours, from a built dataset's models (`ModelLookup`)."""
    pairs = []
    for model_id in (models.merged_ids() if hasattr(models, "merged_ids") else ()):
        records = models.records(model_id)
        pairs += [(model_id, mine, other) for mine in records if mine.origin == OUR_ORIGIN
                  for other in records if other.origin != OUR_ORIGIN]
    return pairs


# A note sentence that starts with this explains why we differ on purpose; it must
# name the number it is about (see FIELD_WORDS).
DOCUMENTED_DIFFERENCE = "Differs from other databases:"
FIELD_WORDS = {"parameters": ("parameter", "weight"), "training_compute": ("compute", "flop")}


def stated_difference(model: ModelEntry) -> str:
    """The text after 'Differs from other databases:' in the model's notes ('' if none)."""
    notes = model.notes or ""
    at = notes.casefold().find(DOCUMENTED_DIFFERENCE.casefold())
    return notes[at + len(DOCUMENTED_DIFFERENCE):].strip() if at >= 0 else ""


def explains(model: ModelEntry, field: str) -> bool:
    """Whether the model's notes say why its `field` differs from other databases."""
    reason = stated_difference(model).casefold()
    return any(word in reason for word in FIELD_WORDS[field])


@dataclass(frozen=True)
class Disagreement:
    pair: int         # its pair's position in what was compared
    name: str
    field: str
    ours: float
    theirs: float
    explained: bool   # our notes say why we differ on this number

    @property
    def ratio(self) -> float:
        return self.ours / self.theirs

    def __str__(self) -> str:
        # (the ratio only: another database's values are not ours to print)
        why = "" if self.explained else "  [NOT EXPLAINED in notes]"
        return f"{self.name}: {self.field} ours / theirs = {self.ratio:.2g}{why}"


@dataclass(frozen=True)
class Agreement:
    compared: int
    agree: int
    explained: int   # disagreements our notes explain

    @property
    def share(self) -> float:
        return self.agree / self.compared if self.compared else 1.0

    @property
    def share_of_unexplained(self) -> float:
        """Agreement once the differences we explain are set aside."""
        rest = self.compared - self.explained
        return self.agree / rest if rest else 1.0

    def __str__(self) -> str:
        return (f"{self.agree}/{self.compared} = {self.share:.1%} agree; {self.explained} of the "
                f"{self.compared - self.agree} differences explained in notes")


@dataclass(frozen=True)
class AccuracyReport:
    shared: int
    parameters: Agreement
    training_compute: Agreement
    disagreements: list[Disagreement]

    @property
    def unexplained(self) -> list[Disagreement]:
        return [d for d in self.disagreements if not d.explained]


def agrees(field: str, ours: float, theirs: float) -> bool:
    ratio = ours / theirs
    if field == "parameters":
        return abs(ratio - 1) <= PARAMETER_TOLERANCE
    return 1 / COMPUTE_FACTOR <= ratio <= COMPUTE_FACTOR


def compare_pairs(pairs: Iterable[tuple[ModelEntry, ModelEntry]]) -> AccuracyReport:
    """Agreement on each number both records of each pair (ours, theirs) give."""
    pairs = list(pairs)
    agreements, disagreements = {}, []
    for field in FIELD_WORDS:
        compared = agree = explained = 0
        for position, (mine, other) in enumerate(pairs):
            a, b = getattr(mine, field), getattr(other, field)
            if a is None or b is None:
                continue
            compared += 1
            if agrees(field, a.value, b.value):
                agree += 1
            else:
                disagreements.append(Disagreement(position, mine.name, field, a.value, b.value, explains(mine, field)))
                explained += disagreements[-1].explained
        agreements[field] = Agreement(compared, agree, explained)
    return AccuracyReport(len(pairs), agreements["parameters"], agreements["training_compute"], disagreements)


def compare(ours: list[ModelEntry], theirs: list[ModelEntry], matches: NameMatches | None = None) -> AccuracyReport:
    """Our records against another database's, on the models a merge of the two joins."""
    return compare_pairs(matched_pairs(ours, theirs, matches))
