"""The frontier view: rank in compute when released, the frontier filter, counts above the
compute thresholds (with ranges that straddle them), and fits that show their uncertainty."""
import numpy as np
import pandas as pd
import pytest

from scalemap.contract.view import ViewState, filter_mask, from_query, to_query
from scalemap.dataset.build import build_dataset
from scalemap.dataset.table import compute_rank_at_release
from scalemap.features.frontier import threshold_counts
from scalemap.features.trends import DEFAULT_ERAS, fit_trend


def test_rank_counts_only_what_was_published_by_that_day():
    dates = pd.to_datetime(["2020-01-01", "2021-01-01", "2021-01-01", "2022-01-01", "2023-01-01"])
    compute = pd.Series([1e22, 5e21, 2e22, np.nan, 3e21])
    ranks = compute_rank_at_release(pd.Series(dates), compute, top=2)
    # 2021's two models do not outrank each other; no compute, no rank; third largest: beyond top 2
    assert ranks[0] == 1 and ranks[1] == 2 and ranks[2] == 1
    assert np.isnan(ranks[3]) and np.isnan(ranks[4])


@pytest.fixture(scope="module")
def bundled():
    return build_dataset()


def test_the_frontier_filter_keeps_the_top_ten_at_release(bundled):
    frame = bundled.frame
    kept = frame[filter_mask(frame, ViewState(only=("frontier",)))]
    assert len(kept) and (kept["compute_rank"] <= 10).all()
    assert {"gpt-3-175b", "gpt-4"} <= set(kept.index)
    assert from_query(to_query(ViewState(only=("sure", "frontier"))), domains=[], organizations=[], model_ids=(),
                      year_bounds=bundled.year_bounds).only == ("frontier", "sure")   # one spelling


def test_a_range_that_straddles_a_threshold_counts_as_possibly_above(write_catalogue):
    dataset = build_dataset([write_catalogue("""\
- name: Sure Big
  organization: Lab
  date: 2025-03-01
  domains: [language]
  links: [https://example.org/a]
  training_compute: {value: 3e25, low: 2e25, high: 5e25, confidence: likely, method: "6·N·D, N=1e12, D=5e12 tokens"}
- name: Maybe Huge
  organization: Lab
  date: 2025-06-01
  domains: [language]
  links: [https://example.org/b]
  training_compute: {value: 2e26, low: 7e25, high: 4e26, confidence: speculative, method: "ratio to Sure Big: 7×"}
""")])
    counts = threshold_counts(dataset.frame, ViewState()).loc[2025]
    assert counts["≥1e25"] == 2 and counts["≥1e25?"] == 0
    assert counts["≥1e26"] == 0 and counts["≥1e26?"] == 1
    sure_only = threshold_counts(dataset.frame, ViewState(only=("sure",))).loc[2025]
    assert sure_only["≥1e25"] == 1 and sure_only["≥1e26?"] == 0   # the speculative one is left out


def test_fits_report_the_sure_values_and_a_bootstrap_within_the_ranges():
    years = np.linspace(2015, 2025, 40)
    values = 10 ** (20 + 0.5 * (years - 2015))
    low, high = values / 10, values * 10
    sure = np.arange(40) % 4 != 0
    fit = fit_trend(years, values, DEFAULT_ERAS[1], "training_compute", ranges=(low, high), sure=sure)
    assert fit.sure is not None and fit.sure.n == sure.sum()
    assert fit.ranged_low < fit.slope_low <= fit.slope_high < fit.ranged_high   # wider with the ranges
    assert "confident and likely values only" in fit.summary() and "within its range" in fit.summary()
