"""The frontier of training compute: how many models of a view passed 10²³ … 10²⁶ FLOP each
year, a model whose estimate's range straddles a threshold counted apart as "possibly above".
(Each model's rank in compute when released is `dataset.compute_rank_at_release`.)"""
from __future__ import annotations

import numpy as np
import pandas as pd

THRESHOLDS = (1e23, 1e24, 1e25, 1e26)


def threshold_counts(frame: pd.DataFrame, view, since: int = 2015) -> pd.DataFrame:
    """Per publication year from `since`: for each threshold, the models of the view whose
    compute is above it for sure (the low end of its range, or the value where none is
    stated, at or above it) and those possibly above it (the range straddles it).
    Columns '≥1e25' and '≥1e25?' for each threshold; one row per year with a model."""
    from scalemap.contract.view import filter_mask, sure_values

    rows = frame[filter_mask(frame, view)]
    compute = sure_values(rows, "training_compute", view)
    rows = rows[(compute > 0) & (rows["year"] >= since)]
    value = compute[rows.index].to_numpy(dtype=float)
    low = rows["training_compute_low"].to_numpy(dtype=float)
    high = rows["training_compute_high"].to_numpy(dtype=float)
    low, high = np.where(np.isfinite(low), low, value), np.where(np.isfinite(high), high, value)
    columns = {}
    for threshold in THRESHOLDS:
        label = f"≥{threshold:.0e}".replace("e+", "e")
        columns[label] = low >= threshold
        columns[f"{label}?"] = (low < threshold) & (high >= threshold)
    table = pd.DataFrame(columns, index=rows["year"].to_numpy()).groupby(level=0).sum()
    return table.astype(int)
