/* Numbers in human units (175B, 3.1×10²³ FLOP), as scalemap/units.py writes them.
 * The same text in the browser as in Python: tests/contract/test_python_and_js_agree.py compares the two
 * on every number of the catalogue and of Epoch's file. Python rounds halves to even on the
 * exact binary value; so does fixedDigits() here. */
(function () {
  "use strict";
  const scalemap = (window.scalemap = window.scalemap || {});
  const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
  const SCALES = [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "K"]];
  const NOT_DOCUMENTED = "not documented";

  function powerOfTen(exponent) {
    return `10${String(exponent).replace(/[-0-9]/g, (c) => SUPERSCRIPT[c])}`;
  }

  // Python's f"{x:.{d}f}" for x ≥ 0 (and < 1e21): halves round to even on the exact binary value,
  // where toFixed() rounds them up. A true half is rare, so exact digits are read only near one.
  function fixedDigits(x, d) {
    const rough = x.toFixed(d);
    const scaled = x * 10 ** d;
    if (Math.abs(scaled - Math.floor(scaled) - 0.5) > 1e-6) return rough;
    const exact = x.toFixed(Math.min(100, d + 60));      // every digit of the double
    const cut = exact.indexOf(".") + 1 + d;
    if (exact[cut] !== "5" || !/^0*$/.test(exact.slice(cut + 1))) return rough;
    const down = exact.slice(0, d ? cut : cut - 1);
    return Number(down.slice(-1)) % 2 === 0 ? down : rough;
  }

  // x > 0 to p significant digits, halves to even: [p digits, exponent of the first digit].
  // toExponential() rounds halves up; only a value whose next digits read 5000… can be a half,
  // so only then are the exact digits read (they are slow to get).
  function significant(x, p) {
    const [mantissa, exponent] = x.toExponential(p - 1).split("e");
    const next = x.toExponential(p + 3).replace(".", "").slice(p, p + 4);
    if (next !== "5000" && next !== "4999") return [mantissa.replace(".", ""), Number(exponent)];
    const [exactMantissa, exactExponent] = x.toExponential(100).split("e");   // 101 digits
    const digits = exactMantissa.replace(".", "");
    if (digits[p] === "5" && /^0*$/.test(digits.slice(p + 1)) && Number(digits[p - 1]) % 2 === 0) {
      return [digits.slice(0, p), Number(exactExponent)];   // exactly half, and even below: down
    }
    return [mantissa.replace(".", ""), Number(exponent)];
  }

  const stripZeros = (text) => (text.includes(".") ? text.replace(/\.?0+$/, "") : text);

  // Python's format(x, ".{p}g") for x ≥ 0.
  function formatG(x, p) {
    if (x === 0) return "0";
    const [digits, e] = significant(x, p);
    if (e < -4 || e >= p) {
      const mantissa = stripZeros(`${digits[0]}.${digits.slice(1)}`);
      return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
    }
    if (e < 0) return stripZeros(`0.${"0".repeat(-e - 1)}${digits}`);
    const fraction = digits.slice(e + 1);
    return fraction ? stripZeros(`${digits.slice(0, e + 1)}.${fraction}`) : digits;
  }

  function trim(x, digits = 3) {
    return formatG(x, digits).replace("e+", "e");
  }

  const missing = (value) => value === null || value === undefined || Number.isNaN(value);

  function formatScientific(value, unit = "") {
    if (missing(value)) return NOT_DOCUMENTED;
    const suffix = unit ? ` ${unit}` : "";
    if (value < 1e4) return trim(value) + suffix;
    let exponent = Math.floor(Math.log10(value));
    let mantissa = value / Number(`1e${exponent}`);
    if (Number(fixedDigits(mantissa, 1)) >= 10) {
      mantissa /= 10;
      exponent += 1;
    }
    const head = Math.abs(mantissa - 1) < 0.05 ? "" : `${fixedDigits(mantissa, 1)}×`;
    return `${head}${powerOfTen(exponent)}${suffix}`;
  }

  function formatCount(value) {
    if (missing(value)) return NOT_DOCUMENTED;
    if (value >= 1e15) return formatScientific(value);
    for (const [scale, suffix] of SCALES) {
      if (value >= scale) return trim(value / scale) + suffix;
    }
    return trim(value);
  }

  const formatFlop = (value) => formatScientific(value, "FLOP");
  // units.format_range: an estimate's range in its number's units, "" without one.
  function formatRange(low, high, kind = "count") {
    if (missing(low) || missing(high)) return "";
    if (kind === "flop") return `${formatScientific(low)}–${formatScientific(high)} FLOP`;
    if (kind === "usd") return `$${formatCount(low)}–$${formatCount(high)}`;
    return `${formatCount(low)}–${formatCount(high)}`;
  }
  const countTickLabel = (value) =>
    value < 1e15 ? formatCount(value) : powerOfTen(Math.round(Math.log10(value)));
  const flopTickLabel = (value) => powerOfTen(Math.round(Math.log10(value)));

  // Tick values and labels at powers of ten covering [lo, hi], thinned to stay readable.
  function logTicks(lo, hi, label = countTickLabel, maxTicks = 12) {
    const first = Math.floor(Math.log10(lo));
    const last = Math.ceil(Math.log10(hi));
    const decades = last - first + 1;
    const step = decades <= maxTicks ? 1 : 3 * Math.max(1, Math.ceil(decades / (3 * maxTicks)));
    const values = [];
    for (let e = first - (((first % step) + step) % step); e <= last; e += step) values.push(Number(`1e${e}`));
    return [values, values.map(label)];
  }

  scalemap.units = { powerOfTen, formatG, formatScientific, formatCount, formatFlop, formatRange,
                     countTickLabel, flopTickLabel, logTicks, NOT_DOCUMENTED };
})();
