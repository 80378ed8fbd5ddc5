"""Where the two sources disagree: every number of a model in both our catalogue and Epoch AI's
database that differs beyond the comparison's bounds (parameters 25%, training compute 2×), on
the pairs the merge joined (`scalemap.dataset.accuracy.merged_pairs`)."""
from __future__ import annotations

import pandas as pd

from scalemap.dataset.accuracy import DOCUMENTED_DIFFERENCE, compare_pairs, merged_pairs, stated_difference

COLUMNS = ("model", "id", "field", "ours", "epoch", "ratio", "our note")


def disagreements(dataset) -> pd.DataFrame:
    """One row per number where the two sources differ beyond the bounds; ratio = ours / Epoch's.
    Empty (with the columns) when no model is in both sources."""
    models = dataset.models
    pairs = merged_pairs(models)
    rows = []
    for found in compare_pairs((mine, other) for _, mine, other in pairs).disagreements:
        model_id, mine, _ = pairs[found.pair]
        note = stated_difference(mine)
        rows.append({"model": models[model_id].name, "id": model_id, "field": found.field,
                     "ours": found.ours, "epoch": found.theirs, "ratio": found.ratio,
                     "our note": f"{DOCUMENTED_DIFFERENCE} {note}" if note else ""})
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.sort_values(["field", "model"], key=lambda c: c.str.casefold(), ignore_index=True)
