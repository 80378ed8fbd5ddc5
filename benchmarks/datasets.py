"""Benchmark datasets: Epoch-format CSVs of any size, generated from Epoch AI's Notable
Models export in ../shared (never committed), with unique names and jittered values.

`python -m benchmarks.datasets 3000 100000` writes them to benchmarks/.data/ (seeded, so
the same sizes give the same files)."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
EPOCH_CSV = REPO.parent / "shared" / "data" / "epoch" / "notable_ai_models.csv"
OUT_DIR = REPO / "benchmarks" / ".data"
JITTERED = ("Parameters", "Training compute (FLOP)", "Training dataset size (gradients)",
            "Training time (hours)", "Hardware quantity", "Training compute cost (2023 USD)")


def generated_csv(rows: int, seed: int = 0, source: Path = EPOCH_CSV, out_dir: Path = OUT_DIR) -> Path:
    """An Epoch-format CSV of `rows` models: rows of `source` (the real export) drawn with
    replacement, renamed "<name> #k", numbers × 10^N(0, 0.15), dates moved by up to ±180 days.
    Written once to `out_dir` (another source needs another `out_dir`)."""
    out = out_dir / f"epoch-{rows}-seed{seed}.csv"
    if out.exists():
        return out
    real = pd.read_csv(source, dtype=str, keep_default_na=False)
    rng = np.random.default_rng(seed)
    frame = real.iloc[rng.integers(0, len(real), rows)].reset_index(drop=True)
    frame["Model"] = [f"{name.strip()} #{i}" for i, name in enumerate(frame["Model"])]
    for column in JITTERED:
        values = pd.to_numeric(frame[column], errors="coerce")
        jittered = values * 10 ** rng.normal(0, 0.15, rows)
        frame[column] = np.where(values.notna(), jittered.map("{:.6g}".format), frame[column])
    dates = pd.to_datetime(frame["Publication date"], errors="coerce")
    moved = dates + pd.to_timedelta(rng.integers(-180, 181, rows), unit="D")
    moved = moved.clip(upper=pd.Timestamp("2025-12-31"))
    frame["Publication date"] = np.where(dates.notna(), moved.dt.strftime("%Y-%m-%d"),
                                         frame["Publication date"])
    out_dir.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out, index=False)
    return out


if __name__ == "__main__":
    for size in sys.argv[1:] or ("3000", "100000"):
        print(generated_csv(int(size)))
