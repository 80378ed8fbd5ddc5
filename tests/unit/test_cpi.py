"""Training costs in one year's dollars: the CPI-U table and the conversion."""
import pandas as pd
import pytest

from scalemap.sources.cpi import load_price_index


def test_a_2020_dollar_is_worth_about_1_21_dollars_of_2024():
    index = load_price_index()
    assert index.reference_year == 2024 and index.source.startswith("https://")
    assert index.factor(2020) == pytest.approx(313.689 / 258.811)      # BLS annual averages
    assert index.factor(2024) == 1.0 and index.factor(2026) == 1.0     # newer than the table: as is
    assert index.factor(1990) is None                                  # before the table: unknown


def test_costs_convert_by_their_own_year_and_unknown_years_stay_unknown():
    index = load_price_index()
    cost = pd.Series([4.6e6, 1e5, 2e3, None])
    year = pd.Series([2020, 2024, 1995, 2021])
    real = index.convert(cost, year)
    assert real[0] == pytest.approx(4.6e6 * 313.689 / 258.811) and real[1] == 1e5
    assert pd.isna(real[2]) and pd.isna(real[3])


def test_the_table_rises_year_on_year_but_for_2009():
    years = load_price_index().by_year
    falls = [y for y in sorted(years)[1:] if years[y] < years[y - 1]]
    assert falls == [2009]   # the one annual fall in CPI-U since 2000, as BLS records it
