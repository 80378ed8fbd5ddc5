"""Log-linear trend fits per era, after Sevilla et al. 2022, "Compute Trends
Across Three Eras of Machine Learning" (arXiv:2202.05924).

log10(y) = a + b·t with t in decimal years; b gives the growth per year
(10^b) and the doubling time (12·log10 2 / b months). Intervals come from a
bootstrap over models (resampling rows), so they follow the data shown."""
from __future__ import annotations

import datetime as dt
import math
from collections import OrderedDict
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

LARGE_SCALE_Z = 0.76          # Sevilla et al.: log-compute z-score against nearby models
LARGE_SCALE_FROM = dt.date(2015, 9, 1)
LARGE_SCALE_WINDOW_YEARS = 2  # "models published within 2 years": a window centred on each model
BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_CHUNK_POINTS = 2_000_000
MIN_POINTS = 5


@dataclass(frozen=True)
class Era:
    key: str
    label: str
    start: dt.date
    end: dt.date | None             # None: open-ended
    large_scale_only: bool = False


DEFAULT_ERAS = (
    Era("pre-deep-learning", "Pre-deep-learning era", dt.date(1952, 1, 1), dt.date(2010, 1, 1)),
    Era("deep-learning", "Deep-learning era", dt.date(2010, 1, 1), None),
    Era("large-scale", "Large-scale models", LARGE_SCALE_FROM, None, large_scale_only=True),
)


@dataclass(frozen=True)
class TrendFit:
    era: Era
    metric: str                 # "training_compute" or "parameters"
    n: int
    slope: float                # orders of magnitude per year
    intercept: float
    slope_low: float            # 90% bootstrap interval of the slope
    slope_high: float
    t_start: float
    t_end: float
    # The same era fitted on confident and likely values only (None: fewer than MIN_POINTS),
    # and the 90% slope interval of a bootstrap that also draws each estimate within its range.
    sure: TrendFit | None = None
    ranged_low: float | None = None
    ranged_high: float | None = None

    @property
    def growth_per_year(self) -> float:
        return 10 ** self.slope

    @property
    def doubling_months(self) -> float:
        return 12 * math.log10(2) / self.slope if self.slope > 0 else math.inf

    @property
    def doubling_interval(self) -> tuple[float, float]:
        """Doubling time in months at the ends of the slope interval (fast, slow)."""
        fast = 12 * math.log10(2) / self.slope_high if self.slope_high > 0 else math.inf
        slow = 12 * math.log10(2) / self.slope_low if self.slope_low > 0 else math.inf
        return fast, slow

    def predict(self, years: np.ndarray) -> np.ndarray:
        return 10 ** (self.intercept + self.slope * years)

    def summary(self) -> str:
        fast, slow = self.doubling_interval
        text = (f"{self.era.label}: doubling every {self.doubling_months:.1f} months "
                f"(90% CI {fast:.1f}–{slow:.1f}), ×{self.growth_per_year:.2g} per year, n={self.n}")
        if self.ranged_low is not None:
            text += (f"; drawing each estimate within its range: ×{10 ** self.ranged_low:.2g}–"
                     f"×{10 ** self.ranged_high:.2g} per year")
        if self.sure is not None and self.sure.n < self.n:
            text += (f"; confident and likely values only: ×{self.sure.growth_per_year:.2g} per year "
                     f"(×{10 ** self.sure.slope_low:.2g}–×{10 ** self.sure.slope_high:.2g}), n={self.sure.n}")
        return text

    def for_browser(self) -> dict:
        """The few numbers the browser draws the line from (assets/components/charts.js)."""
        return {"metric": self.metric, "era": self.era.key, "slope": self.slope,
                "intercept": self.intercept, "tStart": self.t_start, "tEnd": self.t_end,
                "summary": self.summary(),
                "label": f"{self.era.label}: doubling every {self.doubling_months:.1f} months"}


def decimal_year(dates: pd.Series) -> np.ndarray:
    dates = pd.to_datetime(dates)
    start = pd.to_datetime(dates.dt.year.astype(str) + "-01-01")
    days_in_year = np.where(dates.dt.is_leap_year, 366.0, 365.0)
    return dates.dt.year.to_numpy() + (dates - start).dt.days.to_numpy() / days_in_year


def large_scale_mask(frame: pd.DataFrame, metric: str = "training_compute") -> pd.Series:
    """Models whose log-compute z-score is ≥ 0.76 among models within ±1 year of them.

    Vectorised: models sorted by date, each window found by binary search and its mean
    and spread read off cumulative sums, so 100,000 models take milliseconds, not minutes."""
    valid = frame[frame[metric] > 0]
    years = decimal_year(valid["date"])
    logs = np.log10(valid[metric].to_numpy())
    order = np.argsort(years, kind="stable")
    sorted_years, sorted_logs = years[order], logs[order]
    half = LARGE_SCALE_WINDOW_YEARS / 2
    # Windows are closed: |t_j - t_i| ≤ half, as the loop this replaces tested it.
    first = np.searchsorted(sorted_years, sorted_years - half, side="left")
    last = np.searchsorted(sorted_years, sorted_years + half, side="right")
    sums = np.concatenate(([0.0], np.cumsum(sorted_logs)))
    squares = np.concatenate(([0.0], np.cumsum(sorted_logs**2)))
    count = last - first
    mean = (sums[last] - sums[first]) / np.maximum(count, 1)
    variance = np.maximum((squares[last] - squares[first]) / np.maximum(count, 1) - mean**2, 0)
    std = np.sqrt(variance)
    with np.errstate(divide="ignore", invalid="ignore"):
        flags_sorted = (count >= 3) & (std > 1e-12) & ((sorted_logs - mean) / std >= LARGE_SCALE_Z)
    flags = np.empty_like(flags_sorted)
    flags[order] = flags_sorted
    mask = pd.Series(False, index=frame.index)
    mask.loc[valid.index] = flags
    return mask


def bootstrap_slopes(years: np.ndarray, logs: np.ndarray, samples: int = BOOTSTRAP_SAMPLES,
                     seed: int = 0, spans: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Least-squares slopes of `samples` resamples (with replacement) of the points, as array
    operations in chunks of about two million drawn points, so memory stays flat at any n.
    `spans` (log10 low, log10 high per point; equal where there is no range): each drawn
    point also takes a value drawn uniformly in log space within its range."""
    rng = np.random.default_rng(seed)
    n = len(years)
    x, y = years - years.mean(), logs - logs.mean()   # centred: no cancellation in the sums
    if spans is not None:
        low, width = spans[0] - logs.mean(), spans[1] - spans[0]
    chunk = max(1, min(samples, BOOTSTRAP_CHUNK_POINTS // n))
    slopes = []
    for start in range(0, samples, chunk):
        picks = rng.integers(0, n, size=(min(chunk, samples - start), n))
        px = x[picks]
        py = y[picks] if spans is None else low[picks] + width[picks] * rng.random(picks.shape)
        px -= px.mean(axis=1, keepdims=True)
        py -= py.mean(axis=1, keepdims=True)
        var = (px * px).sum(axis=1)
        ok = var > 0
        slopes.append((px * py).sum(axis=1)[ok] / var[ok])
    return np.concatenate(slopes)


def fit_trend(years: np.ndarray, values: np.ndarray, era: Era, metric: str,
              seed: int = 0, ranges: tuple[np.ndarray, np.ndarray] | None = None,
              sure: np.ndarray | None = None) -> TrendFit | None:
    """The fit of one era. `ranges` (low, high per point, NaN where none) adds the interval
    of a bootstrap that draws each estimate within its range; `sure` (True where the value is
    confident or likely) adds the fit on those values alone."""
    if len(years) < MIN_POINTS or np.ptp(years) < 1:
        return None
    logs = np.log10(values)
    slope, intercept = np.polyfit(years, logs, 1)
    low, high = np.percentile(bootstrap_slopes(years, logs, seed=seed), [5, 95])
    fit = TrendFit(era, metric, len(years), float(slope), float(intercept), float(low),
                   float(high), float(years.min()), float(years.max()))
    if ranges is not None and np.isfinite(ranges[0]).any():
        spans = (np.log10(np.where(np.isfinite(ranges[0]), ranges[0], values)),
                 np.log10(np.where(np.isfinite(ranges[1]), ranges[1], values)))
        r_low, r_high = np.percentile(bootstrap_slopes(years, logs, seed=seed, spans=spans), [5, 95])
        fit = replace(fit, ranged_low=float(r_low), ranged_high=float(r_high))
    if sure is not None and not sure.all():
        fit = replace(fit, sure=fit_trend(years[sure], values[sure], era, metric, seed))
    return fit


def fit_eras(frame: pd.DataFrame, metric: str = "training_compute",
             eras: tuple[Era, ...] = DEFAULT_ERAS) -> list[TrendFit]:
    """One fit per era with enough models that have `metric`."""
    valid = frame[frame[metric] > 0]
    if valid.empty:
        return []
    years = decimal_year(valid["date"])
    ranges = ((valid[f"{metric}_low"].to_numpy(dtype=float), valid[f"{metric}_high"].to_numpy(dtype=float))
              if f"{metric}_low" in valid else None)
    confidence = f"{metric}_confidence"
    sure = valid[confidence].ne("speculative").to_numpy() if confidence in valid else None
    large = large_scale_mask(valid, "training_compute") if any(e.large_scale_only for e in eras) else None
    fits = []
    for era in eras:
        start = era.start.year + (era.start.timetuple().tm_yday - 1) / 365.25
        in_era = years >= start
        if era.end is not None:
            in_era &= years < era.end.year + (era.end.timetuple().tm_yday - 1) / 365.25
        if era.large_scale_only:
            in_era &= large.to_numpy()
        fit = fit_trend(years[in_era], valid[metric].to_numpy()[in_era], era, metric,
                        ranges=(ranges[0][in_era], ranges[1][in_era]) if ranges else None,
                        sure=sure[in_era] if sure is not None else None)
        if fit is not None:
            fits.append(fit)
    return fits


def eras_with_boundaries(deep_learning_from: str = "2010-01",
                         large_scale_from: str = "2015-09") -> tuple[Era, ...]:
    """The default eras with user-chosen boundaries ("YYYY-MM")."""
    dl = dt.date(int(deep_learning_from[:4]), int(deep_learning_from[5:7]), 1)
    ls = dt.date(int(large_scale_from[:4]), int(large_scale_from[5:7]), 1)
    pre, deep, large = DEFAULT_ERAS
    return (Era(pre.key, pre.label, pre.start, dl), Era(deep.key, deep.label, dl, None),
            Era(large.key, large.label, ls, None, large_scale_only=True))


def fit_view(frame: pd.DataFrame, view) -> list[TrendFit]:
    """Compute and parameter fits per era for the models a view's filters keep, and the custom
    chart's quantity when it is drawn on a log scale over time (metric: its axis key,
    "training_data:tokens"; training data in that unit only)."""
    from scalemap.contract.view import custom_fit, filter_mask, sure_values

    rows = frame[filter_mask(frame, view)]
    if "sure" in view.only:   # speculative values left out, as the charts leave their points out
        rows = rows.assign(**{column: sure_values(rows, column, view)
                              for column in ("training_compute", "parameters", "training_data")})
    eras = eras_with_boundaries(view.deep_learning_from, view.large_scale_from)
    fits = fit_eras(rows, "training_compute", eras) + fit_eras(rows, "parameters", eras)
    if y := custom_fit(view.axes):
        column, _, unit = y.partition(":")
        chosen = rows[rows["training_data_unit"] == unit] if unit else rows
        fits += [replace(fit, metric=y) for fit in fit_eras(chosen, column, eras)]
    return fits


class FitCache:
    """Fits by (dataset version, filters): each set of filters is fitted once per process.
    Only what the fits depend on is in the key (not the search or the selected model)."""

    def __init__(self, size: int = 256):
        self.size = size
        self._fits: OrderedDict[tuple, list[TrendFit]] = OrderedDict()

    def fits(self, dataset, view) -> list[TrendFit]:
        from scalemap.contract.view import VIEW

        filters = VIEW.fits_view(view)
        key = (dataset.version, VIEW.to_query(filters))   # the browser's request key (filterQuery)
        if key not in self._fits:
            self._fits[key] = fit_view(dataset.frame, filters)
            if len(self._fits) > self.size:
                self._fits.popitem(last=False)
        self._fits.move_to_end(key)
        return self._fits[key]
