"""Compare our catalogue with another database on the models both hold.

Used by the accuracy test against Epoch AI's export: parameter counts should
agree within 25% and training compute within a factor of 2."""
from __future__ import annotations

import re
from dataclasses import dataclass

from scalemap.dataset.matching import name_key
from scalemap.sources.schema import ModelEntry

PARAMETER_TOLERANCE = 0.25
COMPUTE_FACTOR = 2.0
SAME_RELEASE_DAYS = 31


def split_name(name: str) -> tuple[str, str]:
    """Base and qualifier keys of one name: 'PaLM (540B)' -> ('palm', '540b')."""
    qualifier = " ".join(re.findall(r"\(([^)]*)\)", name))
    return name_key(re.sub(r"\([^)]*\)", "", name)), name_key(qualifier)


class NameIndex:
    """Finds the same model in another list by name or alias.

    An exact (normalised) name wins. Failing that, names match on their base when
    at most one side has a qualifier: 'Switch' is 'Switch (1.6T)', but
    'GShard (600B MoE)' is not 'GShard (dense)'. A base shared by several variants
    matches the one released within a month of ours, or none."""

    def __init__(self, models: list[ModelEntry]):
        self._exact: dict[str, ModelEntry] = {}
        self._by_base: dict[str, list[tuple[ModelEntry, str]]] = {}
        for model in models:
            for name in _names(model):
                self._exact.setdefault(name_key(name), model)
                base, qualifier = split_name(name)
                self._by_base.setdefault(base, []).append((model, qualifier))

    def find(self, model: ModelEntry) -> ModelEntry | None:
        for name in _names(model):
            if (hit := self._exact.get(name_key(name))) is not None:
                return hit
        candidates: dict[int, ModelEntry] = {}
        for name in _names(model):
            base, qualifier = split_name(name)
            for other, other_qualifier in self._by_base.get(base, []):
                if not (qualifier and other_qualifier):
                    candidates[id(other)] = other
        if len(candidates) > 1:  # versions of one product: 'GPT-4 (Mar 2023)', 'GPT-4 (Jun 2023)'
            candidates = {k: other for k, other in candidates.items()
                          if abs((other.date - model.date).days) <= SAME_RELEASE_DAYS}
        return next(iter(candidates.values())) if len(candidates) == 1 else None


def _names(model: ModelEntry) -> tuple[str, ...]:
    return (model.name, *model.aliases)


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
    name: str
    field: str
    ours: float
    theirs: float
    explained: bool   # our notes say why we differ on this number

    def __str__(self) -> str:
        why = "" if self.explained else "  [NOT EXPLAINED in notes]"
        return (f"{self.name}: {self.field} ours {self.ours:.3g}, theirs {self.theirs:.3g} "
                f"(×{self.ours / self.theirs:.2g}){why}")


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


def compare(ours: list[ModelEntry], theirs: list[ModelEntry]) -> AccuracyReport:
    index = NameIndex(theirs)
    shared = [(model, found) for model in ours if (found := index.find(model)) is not None]
    agreements, disagreements = {}, []
    for field in FIELD_WORDS:
        compared = agree = explained = 0
        for mine, other in shared:
            a, b = getattr(mine, field), getattr(other, field)
            if a is None or b is None:
                continue
            compared += 1
            if agrees(field, a.value, b.value):
                agree += 1
            else:
                disagreements.append(Disagreement(mine.name, field, a.value, b.value, explains(mine, field)))
                explained += disagreements[-1].explained
        agreements[field] = Agreement(compared, agree, explained)
    return AccuracyReport(len(shared), agreements["parameters"], agreements["training_compute"], disagreements)
