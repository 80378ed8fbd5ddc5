"""Our catalogue against an independent public database (Epoch AI) on the models both hold."""
import pytest

from scalemap.dataset.accuracy import compare, stated_difference
from scalemap.sources.catalogue import load_catalogue
from scalemap.sources.epoch import import_epoch_csv

pytestmark = pytest.mark.epoch


def test_parameters_within_25_percent_and_compute_within_2x_for_90_percent(epoch_csv):
    ours, _ = load_catalogue()
    theirs = import_epoch_csv(epoch_csv).models
    result = compare(ours, theirs)
    print(f"\nshared models: {result.shared}\n"
          f"parameters within 25%: {result.parameters}\n"
          f"training compute within 2x: {result.training_compute}")
    for disagreement in result.disagreements:
        print("  differs:", disagreement)
    assert result.shared >= 200
    # Issue 3: 90% agreement, where we differ on purpose the note says why.
    assert [str(d) for d in result.unexplained] == []   # (ratios only: Epoch's values stay out of the log)
    assert result.parameters.share_of_unexplained >= 0.90
    assert result.training_compute.share_of_unexplained >= 0.90
    # Ratchet on the raw figures (measured 2026-11-24): a change that makes more numbers
    # disagree fails here even if its note explains it.
    assert result.parameters.share >= 0.90
    assert result.training_compute.share >= 0.68


def test_every_documented_difference_says_why():
    ours, _ = load_catalogue()
    for model in ours:
        reason = stated_difference(model)
        if reason or "differs from other databases" in (model.notes or "").casefold():
            assert len(reason) > 40, f"{model.name}: the note must say why we differ"
