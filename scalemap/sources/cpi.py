"""Training costs in one year's dollars: the US CPI-U table of data/cpi.yaml (BLS)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from scalemap import DATA_DIR

CPI_FILE = DATA_DIR / "cpi.yaml"


@dataclass(frozen=True)
class PriceIndex:
    reference_year: int
    by_year: dict[int, float]
    source: str

    def factor(self, year: int) -> float | None:
        """What one dollar of `year` is worth in reference-year dollars (None: year unknown)."""
        if year > max(self.by_year):
            return 1.0   # newer than the table: taken as reference-year dollars
        index = self.by_year.get(year)
        return self.by_year[self.reference_year] / index if index else None

    def convert(self, cost: pd.Series, year: pd.Series) -> pd.Series:
        """Each cost in reference-year dollars; NaN where the cost or its year is unknown."""
        factors = year.map(lambda y: self.factor(int(y)) if pd.notna(y) else None).astype(float)
        return (cost.astype(float) * factors).where(np.isfinite(factors))


@lru_cache(maxsize=1)
def load_price_index(path: Path = CPI_FILE) -> PriceIndex:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    by_year = {int(year): float(value) for year, value in data["annual_average"].items()}
    reference = int(data["reference_year"])
    if reference not in by_year or any(value <= 0 for value in by_year.values()):
        raise ValueError(f"{path}: the reference year needs an index, and every index must be positive")
    return PriceIndex(reference, by_year, data["source"])
