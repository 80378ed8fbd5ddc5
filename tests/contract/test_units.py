import pytest

from scalemap.contract.units import count_tick_label, flop_tick_label, format_count, format_flop, log_ticks


@pytest.mark.parametrize("value, text", [
    (400, "400"), (60_000, "60K"), (25.6e6, "25.6M"), (175e9, "175B"), (1.6e12, "1.6T"),
    (1e15, "10¹⁵"), (None, "not documented"), (float("nan"), "not documented")])
def test_counts_read_in_human_units(value, text):
    assert format_count(value) == text


@pytest.mark.parametrize("value, text", [
    (3.14e23, "3.1×10²³ FLOP"), (1e25, "10²⁵ FLOP"), (2.53e24, "2.5×10²⁴ FLOP"),
    (9.99e22, "10²³ FLOP"), (120, "120 FLOP")])
def test_flop_read_as_powers_of_ten(value, text):
    assert format_flop(value) == text


def test_log_ticks_never_use_e_notation_and_stay_readable():
    values, labels = log_ticks(400, 2e12, count_tick_label)
    assert labels[:4] == ["100", "1K", "10K", "100K"] and "1B" in labels and "1T" in labels
    values, labels = log_ticks(1e3, 1e27, flop_tick_label)
    assert len(values) <= 13 and all("e" not in label for label in labels)
    assert labels[0] == "10³" and labels[-1] == "10²⁷"
