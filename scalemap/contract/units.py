"""Numbers in human units: 175B parameters, 3.1×10²³ FLOP, 1.4T tokens."""
from __future__ import annotations

import math

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))


def power_of_ten(exponent: int) -> str:
    return "10" + str(exponent).translate(_SUPERSCRIPT)


def _trim(number: float, digits: int = 3) -> str:
    text = f"{number:.{digits}g}"
    return text.replace("e+", "e")


def format_count(value: float | None) -> str:
    """175e9 -> '175B'; 1.6e12 -> '1.6T'; 400 -> '400'; beyond 1000T -> '1.2×10¹⁸'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not documented"
    if value >= 1e15:
        return format_scientific(value)
    for scale, suffix in _SCALES:
        if value >= scale:
            return _trim(value / scale) + suffix
    return _trim(value)


def format_scientific(value: float | None, unit: str = "") -> str:
    """3.14e23 -> '3.1×10²³' (+ unit); small values stay plain."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not documented"
    suffix = f" {unit}" if unit else ""
    if value < 1e4:
        return _trim(value) + suffix
    exponent = math.floor(math.log10(value))
    mantissa = value / 10**exponent
    if round(mantissa, 1) >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    head = "" if abs(mantissa - 1) < 0.05 else f"{mantissa:.1f}×"
    return f"{head}{power_of_ten(exponent)}{suffix}"


def format_range(low: float | None, high: float | None, kind: str = "count") -> str:
    """An estimate's range in the units of its number: '1.5×10²⁶–6×10²⁶ FLOP', '1T–2.2T',
    '$30M–$100M'; '' without one. `kind`: count | flop | usd."""
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return ""
    if kind == "flop":
        return f"{format_scientific(low)}–{format_scientific(high)} FLOP"
    if kind == "usd":
        return f"${format_count(low)}–${format_count(high)}"
    return f"{format_count(low)}–{format_count(high)}"


def format_flop(value: float | None) -> str:
    return format_scientific(value, "FLOP")


def format_hours(hours: float | None) -> str:
    if hours is None or (isinstance(hours, float) and math.isnan(hours)):
        return "not documented"
    if hours >= 48:
        return f"{_trim(hours / 24)} days"
    return f"{_trim(hours)} hours"


def format_usd(value: float | None, year: int | None = None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not documented"
    text = "$" + format_count(value)
    return f"{text} ({year} USD)" if year else text


def format_exact(value: float) -> str:
    """The exact stored value, for the title attribute next to a human unit."""
    return f"{value:,.0f}" if value == int(value) and value < 1e21 else f"{value:.6g}"


def count_tick_label(value: float) -> str:
    """Axis tick for parameter-like counts at powers of ten: 1, 10, 100, 1K ... 1T, 10T."""
    return format_count(value) if value < 1e15 else power_of_ten(round(math.log10(value)))


def log_ticks(lo: float, hi: float, label=count_tick_label, max_ticks: int = 12):
    """Tick values and labels at powers of ten covering [lo, hi], thinned to stay readable."""
    first, last = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    # Every decade while that stays readable, else every third (1K, 1M, 1B, 1T), else wider.
    step = 1 if last - first + 1 <= max_ticks else 3 * max(1, math.ceil((last - first + 1) / (3 * max_ticks)))
    exponents = range(first - first % step, last + 1, step)
    values = [float(f"1e{e}") for e in exponents]   # correctly rounded, as the browser reads "1e23"
    return values, [label(v) for v in values]


def flop_tick_label(value: float) -> str:
    return power_of_ten(round(math.log10(value)))
