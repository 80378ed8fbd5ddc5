"""Where the two sources disagree: every number of a model in both our catalogue and Epoch AI's
database that differs beyond the comparison's bounds (parameters 25%, training compute 2×)."""
from __future__ import annotations

import pandas as pd

from scalemap.dataset.accuracy import DOCUMENTED_DIFFERENCE, agrees, stated_difference

COLUMNS = ("model", "id", "field", "ours", "epoch", "ratio", "our note")
FIELDS = ("parameters", "training_compute")
OURS, EPOCH = "ML Scale Map", "Epoch AI"


def disagreements(dataset) -> pd.DataFrame:
    """One row per number where the two sources differ beyond the bounds; ratio = ours / Epoch's.
    Empty (with the columns) when no model is in both sources."""
    models = dataset.models
    rows = []
    for model_id in (models.merged_ids() if hasattr(models, "merged_ids") else ()):
        provenance = models.provenance(model_id)
        ours, theirs = provenance.entry(OURS), provenance.entry(EPOCH)
        if ours is None or theirs is None:
            continue
        note = stated_difference(ours)
        for field in FIELDS:
            a, b = getattr(ours, field), getattr(theirs, field)
            if a is not None and b is not None and not agrees(field, a.value, b.value):
                rows.append({"model": models[model_id].name, "id": model_id, "field": field,
                             "ours": a.value, "epoch": b.value, "ratio": a.value / b.value,
                             "our note": f"{DOCUMENTED_DIFFERENCE} {note}" if note else ""})
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.sort_values(["field", "model"], key=lambda c: c.str.casefold(), ignore_index=True)
