"""Takeaway titles and trend labels: stated only from fits that mean something."""
import dataclasses

import numpy as np
import pandas as pd

from scalemap.features.takeaways import MIN_MODELS_FOR_A_TREND, meaningful, takeaway, trend_label
from scalemap.features.trends import DEFAULT_ERAS, fit_trend

DEEP = DEFAULT_ERAS[1]


def fit_of(years, values, metric="training_compute"):
    return fit_trend(np.asarray(years, float), np.asarray(values, float), DEEP, metric)


def steady(n=40, per_year=4.0, noise=0.0, seed=0):
    rng = np.random.default_rng(seed)
    years = np.linspace(2010, 2024, n)
    return years, 1e18 * per_year ** (years - 2010) * 10 ** rng.normal(0, noise, n)


def frame_of(years, values, metric="training_compute"):
    return pd.DataFrame({"name": [f"M{i}" for i in range(len(years))], metric: values,
                         "date": pd.to_datetime([f"{int(y)}-06-01" for y in years])})


def test_a_clear_trend_is_stated_with_its_interval():
    years, values = steady(noise=0.2)
    fit = fit_of(years, values)
    assert meaningful(fit)
    title = takeaway("compute-vs-date", frame_of(years, values), [fit])
    assert title.startswith("Training compute of the 40 models shown grew ×")
    assert "a year since 2010 (90% interval ×" in title
    assert trend_label(fit).startswith("Deep-learning era: doubling every ")
    assert "(90% CI " in trend_label(fit)


def test_a_cloud_with_no_trend_is_not_labelled_and_the_title_names_the_record_instead():
    rng = np.random.default_rng(1)
    years = rng.uniform(2010, 2024, 60)
    values = 10 ** rng.uniform(18, 24, 60)                  # no growth with time, wide scatter
    fit = fit_of(years, values)
    assert fit is not None and not meaningful(fit)
    assert trend_label(fit) is None
    shown = frame_of(years, values)
    title = takeaway("compute-vs-date", shown, [fit])
    assert "grew" not in title
    assert title.endswith(f"the largest, {shown.loc[shown['training_compute'].idxmax(), 'name']}: "
                          + title.rsplit(': ', 1)[1])


def test_too_few_models_are_never_a_trend():
    years, values = steady(n=MIN_MODELS_FOR_A_TREND - 1)
    assert not meaningful(fit_of(years, values))


def test_an_empty_view_says_so():
    assert takeaway("compute-vs-date", frame_of([], []), []) == "No model shown matches the filters"


def test_the_fit_of_another_quantity_or_era_is_not_used():
    years, values = steady(noise=0.1)
    fit = dataclasses.replace(fit_of(years, values), metric="parameters")
    assert "grew" not in takeaway("compute-vs-date", frame_of(years, values), [fit])
