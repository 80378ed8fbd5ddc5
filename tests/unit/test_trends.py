"""Trend fits: exact on synthetic data, and reproducing Sevilla et al. 2022 on Epoch's data."""
import numpy as np
import pandas as pd
import pytest

from scalemap.dataset.build import build_dataset
from scalemap.features.trends import DEFAULT_ERAS, eras_with_boundaries, fit_eras, fit_trend, large_scale_mask


def synthetic(doubling_months: float, start="2010-01-01", n=60, noise=0.0, seed=0):
    dates = pd.date_range(start, periods=n, freq="MS")
    years = dates.year + (dates.day_of_year - 1) / 365.25
    rng = np.random.default_rng(seed)
    log_values = 15 + (years - years[0]) * 12 * np.log10(2) / doubling_months + rng.normal(0, noise, n)
    return pd.DataFrame({"date": dates, "training_compute": 10**log_values, "parameters": 10**log_values})


def test_a_clean_exponential_gives_back_its_doubling_time():
    fit = fit_eras(synthetic(6.0), eras=(DEFAULT_ERAS[1],))[0]
    assert fit.doubling_months == pytest.approx(6.0, rel=1e-3)
    assert fit.growth_per_year == pytest.approx(2**2, rel=1e-3)
    fast, slow = fit.doubling_interval
    assert fast == pytest.approx(6.0, rel=1e-3) and slow == pytest.approx(6.0, rel=1e-3)


def test_the_bootstrap_interval_brackets_the_estimate_and_widens_with_noise():
    quiet = fit_eras(synthetic(6.0, noise=0.1), eras=(DEFAULT_ERAS[1],))[0]
    noisy = fit_eras(synthetic(6.0, noise=1.0), eras=(DEFAULT_ERAS[1],))[0]
    for fit in (quiet, noisy):
        assert fit.slope_low <= fit.slope <= fit.slope_high
    assert (noisy.slope_high - noisy.slope_low) > 3 * (quiet.slope_high - quiet.slope_low)


def test_too_few_points_give_no_fit():
    assert fit_trend(np.array([2010.0, 2011.0]), np.array([1.0, 2.0]), DEFAULT_ERAS[1], "x") is None


def test_era_boundaries_are_editable():
    eras = eras_with_boundaries("2012-06", "2018-01")
    assert eras[0].end.isoformat() == "2012-06-01" and eras[1].start.isoformat() == "2012-06-01"
    assert eras[2].start.isoformat() == "2018-01-01" and eras[2].large_scale_only


def test_large_scale_models_stand_out_from_their_neighbours():
    frame = synthetic(12.0, n=48)
    frame.loc[20, "training_compute"] *= 1000
    mask = large_scale_mask(frame)
    assert mask[20] and mask.sum() <= 10


@pytest.mark.epoch
def test_fits_on_epoch_data_reproduce_the_published_figures(epoch_csv):
    """Sevilla et al. 2022 (arXiv:2202.05924): pre-2010 doubling 21.3 months (95% CI 17.0–29.3);
    2010–2022 5.6 months on their data; Epoch reports about 4.7× per year since 2010."""
    frame = build_dataset(epoch_paths=[epoch_csv], bundled=False).frame
    pre, deep, large = fit_eras(frame)
    to_2022 = fit_eras(frame[frame["date"] < "2023-01-01"], eras=(DEFAULT_ERAS[1],))[0]
    print(f"\npre-2010:        {pre.summary()}\n2010-2022:       {to_2022.summary()}\n"
          f"2010 on:         {deep.summary()}\nlarge-scale:     {large.summary()}")
    assert 17.0 <= pre.doubling_months <= 29.3
    assert 4.5 <= to_2022.doubling_months <= 7.5
    assert 3.5 <= deep.growth_per_year <= 5.5


def large_scale_by_loop(frame):
    """The definition, one model at a time (what large_scale_mask computes in arrays)."""
    from scalemap.features.trends import LARGE_SCALE_WINDOW_YEARS, LARGE_SCALE_Z, decimal_year
    years, logs = decimal_year(frame["date"]), np.log10(frame["training_compute"].to_numpy())
    flags = []
    for year, value in zip(years, logs):
        window = np.abs(years - year) <= LARGE_SCALE_WINDOW_YEARS / 2
        mean, std = logs[window].mean(), logs[window].std()
        flags.append(bool(window.sum() >= 3 and std > 0 and (value - mean) / std >= LARGE_SCALE_Z))
    return flags


@pytest.mark.parametrize("seed", range(5))
def test_the_vectorised_large_scale_mask_is_the_definition(seed):
    rng = np.random.default_rng(seed)
    n = 400
    dates = pd.to_datetime("2000-01-01") + pd.to_timedelta(np.sort(rng.integers(0, 9000, n)), unit="D")
    frame = pd.DataFrame({"date": dates, "training_compute": 10 ** rng.normal(20, 2, n)})
    frame.loc[rng.integers(0, n, 20), "date"] = frame["date"].iloc[0]   # models of the same day
    assert large_scale_mask(frame).tolist() == large_scale_by_loop(frame)


def test_the_bootstrap_is_the_same_whatever_its_chunks():
    from scalemap.features import trends
    frame = synthetic(6.0, noise=0.5, n=300)
    whole = fit_eras(frame, eras=(DEFAULT_ERAS[1],))[0]
    small_chunks = trends.BOOTSTRAP_CHUNK_POINTS
    try:
        trends.BOOTSTRAP_CHUNK_POINTS = 300 * 7   # 7 resamples a chunk
        chunked = fit_eras(frame, eras=(DEFAULT_ERAS[1],))[0]
    finally:
        trends.BOOTSTRAP_CHUNK_POINTS = small_chunks
    assert (chunked.slope_low, chunked.slope_high) == pytest.approx((whole.slope_low, whole.slope_high))


def test_fits_are_cached_per_dataset_and_filters_not_per_search(bundled_dataset):
    from scalemap.contract.view import ViewState
    from scalemap.features.trends import FitCache
    cache = FitCache(size=2)
    first = cache.fits(bundled_dataset, ViewState(domains=("language",)))
    assert cache.fits(bundled_dataset, ViewState(domains=("language",), search="GPT", selected="x")) is first
    assert cache.fits(bundled_dataset, ViewState(domains=("vision",))) is not first
    cache.fits(bundled_dataset, ViewState(domains=("games",)))          # the oldest entry goes
    assert cache.fits(bundled_dataset, ViewState(domains=("language",))) is not first


def test_the_custom_chart_gets_a_fit_of_its_quantity_over_time_in_one_unit(bundled_dataset):
    from dataclasses import replace as with_

    from scalemap.contract.view import DEFAULT_VIEW
    from scalemap.features.trends import fit_view

    view = with_(DEFAULT_VIEW, axes=("date", "training_data:tokens", "log", "log"))
    fits = {fit.metric: fit for fit in fit_view(bundled_dataset.frame, view) if fit.era.key == "deep-learning"}
    assert {"training_compute", "parameters", "training_data:tokens"} <= set(fits)
    frame = bundled_dataset.frame
    tokens = frame[(frame["training_data_unit"] == "tokens") & (frame["training_data"] > 0) & (frame["year"] >= 2010)]
    assert fits["training_data:tokens"].n == len(tokens)                       # tokens only, never images
    assert fits["training_data:tokens"].slope > 0
    linear = with_(view, axes=("date", "training_data:tokens", "log", "linear"))
    assert "training_data:tokens" not in {fit.metric for fit in fit_view(frame, linear)}   # no fit on a linear axis
