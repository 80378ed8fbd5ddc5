"""The figures README.md states about the data, computed from the data: the README holds them
between marker comments, `tests/data/test_readme_figures.py` fails when they drift, and

    python -m scalemap.readme_figures --write [--epoch PATH]

writes them in again (Datasette keeps its docs true the same way)."""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from scalemap import ROOT
from scalemap.sources.catalogue import load_catalogue
from scalemap.sources.linkcheck import cited_urls
from scalemap.sources.schema import DOMAINS

README = ROOT / "README.md"


def _count_by(items) -> str:
    return ", ".join(f"{key} {n}" for key, n in items)


def catalogue_block(models=None) -> str:
    """What ships in the bundled catalogue, as README prose."""
    if models is None:
        models, _ = load_catalogue()
    domains = Counter(d for m in models for d in m.domains)
    compute = [m.training_compute for m in models if m.training_compute]
    confidences = Counter(c.confidence.value for c in compute)
    years = Counter(m.date.year for m in models if m.date.year >= 2019)
    ranged = sum(1 for m in models for field in ("parameters", "active_parameters", "training_compute",
                                                   "training_data", "training_cost")
                 if (item := getattr(m, field)) is not None and item.low is not None)
    above = lambda threshold: sum(1 for c in compute if c.value >= threshold)  # noqa: E731
    first, last = min(m.date.year for m in models), max(m.date.year for m in models)
    return (
        f"{len(models)} models from {first} to {last} — "
        f"{_count_by((d, domains[d]) for d in sorted(DOMAINS, key=lambda d: -domains[d]) if domains[d])} "
        f"(a model may have several domains); {sum(1 for m in models if m.parameters)} with a parameter "
        f"count, {len(compute)} with training compute ({confidences['confident']} stated, "
        f"{confidences['likely']} likely, {confidences['speculative']} speculative estimates), "
        f"{above(1e25)} at or above 10²⁵ FLOP and {above(1e26)} at or above 10²⁶; {ranged} numbers "
        f"with a stated range; {sum(1 for m in models if m.training_cost)} with a training cost; "
        f"by year since 2019: {_count_by(sorted(years.items()))}; {len(cited_urls(models))} cited links."
    )


def epoch_block(epoch_path) -> str:
    """The merge with Epoch AI's Notable Models file, as README prose: one matcher, so the models
    merged are the models compared."""
    import numpy as np

    from scalemap.dataset.accuracy import compare_pairs, merged_pairs
    from scalemap.dataset.build import build_dataset
    from scalemap.dataset.matching import RULES, duplicates
    from scalemap.dataset.merge import merge_frames
    from scalemap.dataset.table import catalogue_frame, imported_frame
    from scalemap.sources.epoch import ORIGIN, import_epoch_csv

    ours = catalogue_frame(load_catalogue()[0])
    theirs = imported_frame(import_epoch_csv(epoch_path).table, ORIGIN)
    ours["_record"], theirs["_record"] = np.arange(len(ours)), np.arange(len(theirs))
    merged, result = merge_frames(ours, theirs)
    counts = result.counts()
    agreement = compare_pairs((mine, other) for _, mine, other in merged_pairs(
        build_dataset(epoch_paths=[Path(epoch_path)]).models))
    if agreement.shared != len(result.pairs):
        raise AssertionError(f"the merge joins {len(result.pairs)} rows, the comparison {agreement.shared}")
    p, c = agreement.parameters, agreement.training_compute
    return (f"{len(result.pairs)} of its rows are models of ours and merged into them "
            f"({', '.join(f'{counts.get(rule, 0)} by {rule}' for rule in RULES)}), "
            f"{len(result.kept_apart)} kept apart, {len(duplicates(merged))} cross-source duplicates left; "
            f"on those {agreement.shared}, parameter counts agree within 25% for {p.share:.1%} "
            f"({p.agree} of {p.compared}) and training compute within 2× for {c.share:.1%} "
            f"({c.agree} of {c.compared}), {len(agreement.disagreements)} numbers where the sources disagree.")


def _marked(name: str) -> re.Pattern:
    return re.compile(rf"(<!-- {name} -->\n)(.*?)(\n<!-- /{name} -->)", re.S)


def stated(name: str, text: str | None = None) -> str | None:
    """The block README.md states between its markers (None: no markers)."""
    found = _marked(name).search(README.read_text() if text is None else text)
    return found.group(2) if found else None


def write(blocks: dict[str, str]) -> None:
    text = README.read_text()
    for name, block in blocks.items():
        if not _marked(name).search(text):
            raise SystemExit(f"README.md has no <!-- {name} --> … <!-- /{name} --> markers")
        text = _marked(name).sub(lambda m, block=block: m.group(1) + block + m.group(3), text)
    README.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the figures into README.md")
    parser.add_argument("--epoch", help="Epoch AI's notable_ai_models.csv, for the merge figures")
    args = parser.parse_args(argv)
    blocks = {"catalogue-figures": catalogue_block()}
    if args.epoch:
        blocks["epoch-figures"] = epoch_block(args.epoch)
    if args.write:
        write(blocks)
    for name, block in blocks.items():
        print(f"{name}: {block}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
