"""Training-compute estimates, the two ways the field makes them (and our catalogue records them):

- arithmetic: C ≈ 6·N·D (`from_tokens`), N parameters — *active* parameters per token for a
  mixture-of-experts model — and D training tokens;
- hardware: chips × peak FLOP/s × utilisation × time (`from_hardware`), with the peaks of
  `data/accelerators.yaml` (`load_accelerators`).

Each gives its `method` string in the catalogue's own words, ready to paste into an entry:

    python -m scalemap.features.estimate --chips 8 --chip "TPU v3" --utilisation 0.1 --days 85 --replicas 32
    python -m scalemap.features.estimate --parameters 175e9 --tokens 300e9
    python -m scalemap.features.estimate --list-chips
"""
from __future__ import annotations

import argparse
import difflib
import math
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scalemap import DATA_DIR
from scalemap.contract.units import format_flop
from scalemap.sources.schema import is_web_link

ACCELERATORS_FILE = DATA_DIR / "accelerators.yaml"

PRECISIONS = ("fp32", "tf32", "bf16", "fp16", "fp8", "int8")

SIX_ND_NOTE = (
    "C ≈ 6·N·D counts 2 FLOP per parameter per token forward and 4 backward, so it holds for "
    "dense decoder-only transformers whose every parameter touches every token (attention over "
    "long contexts adds a little). Use the active parameters per token for a mixture-of-experts "
    "model. It does not apply as is to encoder–decoder models (a token passes through the encoder "
    "or the decoder, not both: about half the parameters per token), to convolutional nets "
    "(weights are reused at every position: count forward FLOP per example × 3 × examples seen), "
    "or to models trained on something other than tokens (images, frames, games): there, "
    "forward FLOP × 3 × examples."
)

_SECONDS = {"seconds": 1.0, "hours": 3600.0, "days": 86400.0}


class AcceleratorTableError(ValueError):
    """The accelerator table cannot be used; the message names the file and the row."""


class UnknownChip(KeyError):
    def __init__(self, name: str, suggestions: list[str]):
        self.name, self.suggestions = name, suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown chip {name!r}{hint} (--list-chips lists them)")

    def __str__(self) -> str:
        return self.args[0]


# --- the table -------------------------------------------------------------------------------

_Peak = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def _https(url: str) -> str:
    if not (is_web_link(url) and url.strip().startswith("https://")):
        raise ValueError(f"{url!r} is not an https:// link")
    return url


class Accelerator(_Strict):
    name: str = Field(min_length=1)
    aliases: list[str] = []
    vendor: str
    year: Annotated[int, Field(ge=1950, le=2100)]
    per: Literal["chip", "board"] = "chip"   # what one count of this row is
    chips: Annotated[int, Field(gt=1)] | None = None   # chips on a board
    cores: Annotated[int, Field(gt=0)] | None = None   # TensorCores per TPU chip
    peak_flops: dict[str, _Peak] = Field(min_length=1)    # precision -> FLOP/s (OP/s for int8), dense
    default_precision: str
    source: str
    note: str | None = None

    @field_validator("source")
    @classmethod
    def _source_is_https(cls, source: str) -> str:
        return _https(source)

    @field_validator("peak_flops")
    @classmethod
    def _known_precisions(cls, peaks: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(peaks) - set(PRECISIONS))
        if unknown:
            raise ValueError(f"unknown precision {', '.join(unknown)} (known: {', '.join(PRECISIONS)})")
        return peaks

    @model_validator(mode="after")
    def _consistent(self):
        if self.default_precision not in self.peak_flops:
            raise ValueError(f"default_precision {self.default_precision!r} has no peak_flops figure")
        if self.per == "board" and self.chips is None:
            raise ValueError("a board row must say how many chips it holds (chips:)")
        if self.per == "chip" and self.chips is not None:
            raise ValueError("chips: only applies to per: board")
        return self

    @property
    def short_name(self) -> str:
        """'TPU v3', 'A100', 'H100 SXM': the name as the catalogue's methods write it."""
        return re.sub(r"^(?:(?:NVIDIA|Google|AMD|Huawei|GeForce|Tesla|Instinct)\s+)+", "", self.name)

    @property
    def default_peak(self) -> float:
        return self.peak_flops[self.default_precision]

    def peak(self, precision: str | None = None) -> float:
        precision = precision or self.default_precision
        if precision not in self.peak_flops:
            raise ValueError(f"{self.name} has no published {precision} peak "
                             f"(it has {', '.join(self.peak_flops)})")
        return self.peak_flops[precision]


class Utilisation(_Strict):
    default: Annotated[float, Field(gt=0, le=1)]
    low: Annotated[float, Field(gt=0, le=1)]
    high: Annotated[float, Field(gt=0, le=1)]
    applies_to: str
    note: str = Field(min_length=20)
    sources: list[str] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _sources_https(cls, sources: list[str]) -> list[str]:
        return [_https(s) for s in sources]

    @model_validator(mode="after")
    def _ordered(self):
        if not self.low <= self.default <= self.high:
            raise ValueError("utilisation must satisfy low ≤ default ≤ high")
        return self


class AcceleratorTable(_Strict):
    accelerators: list[Accelerator] = Field(min_length=1)
    utilisation: Utilisation

    @model_validator(mode="after")
    def _unique_names(self):
        seen: dict[str, str] = {}
        for chip in self.accelerators:
            for spelling in (chip.name, *chip.aliases):
                key = normalise_chip_name(spelling)
                if key in seen and seen[key] != chip.name:
                    raise ValueError(f"{spelling!r} names both {seen[key]} and {chip.name}")
                seen[key] = chip.name
        return self

    @property
    def by_key(self) -> dict[str, Accelerator]:
        return {normalise_chip_name(s): chip for chip in self.accelerators
                for s in (chip.name, *chip.aliases)}

    def find(self, name: str) -> Accelerator:
        """The row for a chip name or any of its aliases (case, spaces, hyphens and the vendor
        name do not matter: "TPUv3", "Google TPU v3" and "tpu-v3" are the same chip)."""
        key = normalise_chip_name(name)
        keys = self.by_key
        if key in keys:
            return keys[key]
        close = difflib.get_close_matches(key, list(keys), n=6, cutoff=0.6)
        names = list(dict.fromkeys(keys[k].name for k in close))[:3]
        raise UnknownChip(name, names)


_VENDOR_WORDS = re.compile(r"\b(nvidia|google|amd|huawei|tesla|geforce|cloud|instinct)\b")


def normalise_chip_name(name: str) -> str:
    text = _VENDOR_WORDS.sub(" ", name.casefold())
    return re.sub(r"[\s\-_()/.,]+", "", text)


def _row_label(data, index: int) -> str:
    try:
        return f"accelerators[{index}] ({data['accelerators'][index]['name']})"
    except (KeyError, IndexError, TypeError):
        return f"accelerators[{index}]"


def load_accelerators(path: Path | str | None = None) -> AcceleratorTable:
    """The validated accelerator table. Raises AcceleratorTableError naming the file and row."""
    path = Path(path) if path is not None else ACCELERATORS_FILE
    return _load(path.resolve())


@lru_cache(maxsize=8)
def _load(path: Path) -> AcceleratorTable:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AcceleratorTableError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise AcceleratorTableError(f"{path}: not YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise AcceleratorTableError(f"{path}: expected 'accelerators:' and 'utilisation:' sections")
    try:
        return AcceleratorTable.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = list(error["loc"])
        where = ".".join(str(part) for part in loc) or "table"
        if len(loc) >= 2 and loc[0] == "accelerators" and isinstance(loc[1], int):
            rest = ".".join(str(part) for part in loc[2:])
            where = _row_label(data, loc[1]) + (f": {rest}" if rest else "")
        message = error["msg"].removeprefix("Value error, ")
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise AcceleratorTableError(f"{path}: {where}: {message}{more}") from None


# --- numbers in the catalogue's style ----------------------------------------------------------

def _sci(value: float, digits: int = 3) -> str:
    """1.23e14, 7.34e6, 0.3, 128 — as the catalogue's methods write them."""
    if value == int(value) and abs(value) < 1e5:
        return str(int(value))
    if 1e-3 <= abs(value) < 1e4:
        return f"{value:.{digits}g}"
    text = f"{value:.{digits}g}".replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")
    return text


def _engineering(value: float) -> str:
    """175e9, 540.35e9, 2e12, 6.74e9 — the N= and D= of the catalogue's 6·N·D methods."""
    if value < 1000:
        return f"{value:g}"
    exponent = 3 * (math.floor(math.log10(value)) // 3)
    mantissa = round(value / 10**exponent, 6)
    if mantissa >= 1000:   # rounding carried over
        mantissa, exponent = mantissa / 1000, exponent + 3
    return f"{mantissa:g}e{exponent}"


# --- arithmetic: 6·N·D ---------------------------------------------------------------------------

def _positive(name: str, value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, not {value!r}") from None
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a positive finite number, not {value!r}")
    return number


def _flop(value: float) -> float:
    """An estimate's FLOP, refused (ValueError, one line) when the product of finite inputs
    leaves the floats (1e308 × 2T is infinite; 1e-200 × 1e-200 is 0)."""
    if not (math.isfinite(value) and value > 0):
        raise ValueError("the estimate is out of range: the inputs multiply to "
                         + ("more than 1.8e308 FLOP" if value > 0 else "less than 5e-324 FLOP"))
    return value


def from_tokens(parameters: float, tokens: float, *, factor: float = 6) -> float:
    """C ≈ factor · N · D FLOP (factor 6: forward 2 + backward 4 per parameter per token).

    For a mixture-of-experts model pass the *active* parameters per token, not the total.
    See SIX_ND_NOTE for models where 6·N·D does not apply."""
    return _flop(_positive("factor", factor) * _positive("parameters", parameters)
                 * _positive("tokens", tokens))


def tokens_method(parameters: float, tokens: float, *, factor: float = 6) -> str:
    """The catalogue's method string: '6·N·D, N=175e9, D=300e9 tokens'."""
    _positive("parameters", parameters), _positive("tokens", tokens)
    head = "6·N·D" if factor == 6 else f"{_sci(_positive('factor', factor))}·N·D"
    return f"{head}, N={_engineering(parameters)}, D={_engineering(tokens)} tokens"


# --- hardware: chips × peak FLOP/s × utilisation × time -----------------------------------------

@dataclass(frozen=True)
class Estimate:
    value: float                  # FLOP (at the central utilisation)
    low: float                    # = value unless utilisation was a range
    high: float
    method: str                   # to paste into a catalogue entry's `method:`
    inputs: dict = field(default_factory=dict)

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    def describe(self) -> str:
        text = format_flop(self.value)
        if self.is_range:
            text += f" (range {format_flop(self.low)} – {format_flop(self.high)})"
        return text


UtilisationInput = float | tuple[float, float]


def _utilisation(value) -> tuple[float, float, float]:
    """(low, central, high); a range's central value is its midpoint."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError("a utilisation range is (low, high)")
        low, high = (_fraction(v) for v in value)
        if low > high:
            raise ValueError(f"utilisation range {low}–{high}: low is above high")
        return low, (low + high) / 2, high
    single = _fraction(value)
    return single, single, single


def _fraction(value) -> float:
    number = _positive("utilisation", value)
    if number > 1:
        raise ValueError(f"utilisation is a fraction of peak, 0 < u ≤ 1 (0.4 means 40%), not {value!r}")
    return number


def _duration(hours, days, seconds) -> tuple[float, str]:
    given = {k: v for k, v in (("hours", hours), ("days", days), ("seconds", seconds)) if v is not None}
    if len(given) != 1:
        raise ValueError("give the training time once: hours=, days= or seconds=")
    (unit, amount), = given.items()
    amount = _positive(unit, amount)
    total = amount * _SECONDS[unit]
    text = f"{_sci(total)} s"
    if unit != "seconds":
        text += f" ({_sci(amount, 4)} {unit})"
    return total, text


def from_hardware(chips: float, chip: str | Accelerator | None, *, hours: float | None = None,
                  days: float | None = None, seconds: float | None = None,
                  utilisation: UtilisationInput, precision: str | None = None, replicas: float = 1,
                  peak_flops: float | None = None, replicas_label: str = "replicas",
                  table: AcceleratorTable | None = None) -> Estimate:
    """chips × peak FLOP/s × utilisation × replicas × time.

    `chip` is a name from data/accelerators.yaml (any alias) or an Accelerator; its peak at
    `precision` (default: the chip's default precision) is used unless `peak_flops` overrides
    it (then `chip` may be None, or a name only used in the method string). `utilisation` is a
    fraction or a (low, high) range: the value is then at the range's midpoint, and
    low/high at its ends. `replicas` multiplies everything (independent runs, agents of a
    population), written as '× 32 replicas' (or `replicas_label`)."""
    chips = _positive("chips", chips)
    replicas = _positive("replicas", replicas)
    u_low, u_mid, u_high = _utilisation(utilisation)
    total_seconds, time_text = _duration(hours, days, seconds)

    accelerator = None
    if isinstance(chip, Accelerator):
        accelerator = chip
    elif chip is not None and peak_flops is None:
        accelerator = (table or load_accelerators()).find(chip)
    if peak_flops is not None:
        peak = _positive("peak FLOP/s", peak_flops)
        peak_text = f"{_sci(peak)} FLOP/s"
        used_precision = precision
    elif accelerator is not None:
        used_precision = precision or accelerator.default_precision
        peak = accelerator.peak(used_precision)
        peak_text = f"{_sci(peak)} ({used_precision} peak per {accelerator.per})"
    else:
        raise ValueError("name a chip from the accelerator table, or give peak_flops")

    label = (accelerator.short_name if accelerator is not None
             else (chip if isinstance(chip, str) else ""))
    if label.endswith("board") and chips != 1:
        label += "s"
    chips_text = f"{_sci(chips)} {label}".strip()
    u_text = _sci(u_mid) if u_low == u_high else f"{_sci(u_low)}–{_sci(u_high)}"

    head = "chips × peak FLOP/s × utilisation"
    factors = [chips_text, peak_text, u_text]
    if replicas != 1:
        head += f" × {replicas_label}"
        factors.append(f"{_sci(replicas)} {replicas_label}")
    head += " × time"
    factors.append(time_text)
    method = f"{head}: " + " × ".join(factors)

    base = chips * peak * replicas * total_seconds
    _flop(base * u_low), _flop(base * u_high)
    return Estimate(
        value=base * u_mid, low=base * u_low, high=base * u_high, method=method,
        inputs={"chips": chips, "chip": accelerator.name if accelerator else label or None,
                "peak_flops": peak, "precision": used_precision, "utilisation": (u_low, u_high)
                if u_low != u_high else u_mid, "replicas": replicas, "seconds": total_seconds})


def tokens_estimate(parameters: float, tokens: float, *, factor: float = 6) -> Estimate:
    value = from_tokens(parameters, tokens, factor=factor)
    return Estimate(value, value, value, tokens_method(parameters, tokens, factor=factor),
                    {"parameters": parameters, "tokens": tokens, "factor": factor})


# --- command line -------------------------------------------------------------------------------

_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}


def parse_number(text: str) -> float:
    """'175e9', '175B', '1.4T', '7,300' -> float (positive, finite)."""
    raw = text.strip().replace(",", "").replace("_", "")
    scale = 1.0
    if raw and raw[-1].lower() in _SUFFIX:
        scale, raw = _SUFFIX[raw[-1].lower()], raw[:-1]
    try:
        value = float(raw) * scale
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{text!r} must be a positive finite number")
    return value


def parse_utilisation(text: str) -> float | tuple[float, float]:
    """'0.4', '40%', '0.3-0.5', '30%–50%', '30-50%' -> a fraction or a (low, high) range: the
    one reading of the command line and the page. A percentage is written with its '%' (one at
    the end of a range covers both ends); a bare number above 1 is refused, never guessed."""
    text = text.strip()
    parts = re.split(r"\s*(?:–|—|-|\.\.|to)\s*(?=\d|\.)", text)
    percent = text.endswith("%")
    values = []
    for part in parts:
        number = parse_number(part.strip().rstrip("%"))
        if not (percent or part.endswith("%")) and number > 1:
            raise ValueError(f"{part.strip()!r}: utilisation is a fraction of peak from 0 to 1 (0.4), "
                             "or a percentage with its sign (40%)")
        values.append(number / 100 if percent or part.endswith("%") else number)
    if len(values) == 1:
        return _fraction(values[0])
    if len(values) == 2:
        return _utilisation(tuple(values))[0], _utilisation(tuple(values))[2]
    raise ValueError(f"{text!r}: give one utilisation (0.4) or a range (0.3-0.5)")


class _Parser(argparse.ArgumentParser):
    def error(self, message):   # one line, no usage dump
        self.exit(2, f"error: {message} (see --help)\n")


def _typed(convert):
    def wrapped(text):
        try:
            return convert(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    wrapped.__name__ = convert.__name__
    return wrapped


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m scalemap.features.estimate",
                     description="Estimate training compute and print the catalogue `method` to paste.",
                     epilog=SIX_ND_NOTE)
    hw = parser.add_argument_group("hardware: chips × peak FLOP/s × utilisation × time")
    hw.add_argument("--chips", type=_typed(parse_number), help="number of chips (or boards)")
    hw.add_argument("--chip", help='accelerator name, e.g. "TPU v3", "A100", "H100" (--list-chips)')
    hw.add_argument("--peak", type=_typed(parse_number), help="peak FLOP/s per chip, overriding the table")
    hw.add_argument("--precision", choices=PRECISIONS, help="which peak to use (default: the chip's)")
    hw.add_argument("--utilisation", "--utilization", type=_typed(parse_utilisation),
                    help="fraction of peak achieved: 0.4, 40%%, or a range 0.3-0.5 (default: table's)")
    hw.add_argument("--replicas", type=_typed(parse_number), default=1.0,
                    help="independent copies (population members, agents), default 1")
    time = hw.add_mutually_exclusive_group()
    time.add_argument("--hours", type=_typed(parse_number))
    time.add_argument("--days", type=_typed(parse_number))
    time.add_argument("--seconds", type=_typed(parse_number))
    ar = parser.add_argument_group("arithmetic: 6·N·D")
    ar.add_argument("--parameters", type=_typed(parse_number),
                    help="N: parameters (active parameters per token for mixture-of-experts)")
    ar.add_argument("--tokens", type=_typed(parse_number), help="D: training tokens")
    ar.add_argument("--factor", type=_typed(parse_number), default=6.0, help="FLOP per parameter per token (6)")
    parser.add_argument("--list-chips", action="store_true", help="list the accelerator table and exit")
    parser.add_argument("--table", type=Path, default=None, help="accelerator table (default data/accelerators.yaml)")
    return parser


def _list_chips(table: AcceleratorTable) -> str:
    lines = []
    for chip in table.accelerators:
        peaks = ", ".join(f"{p} {_sci(v)}" for p, v in chip.peak_flops.items())
        per = f"per board of {chip.chips}" if chip.per == "board" else "per chip"
        lines.append(f"{chip.name:<26} {per:<17} default {chip.default_precision:<5} {peaks}")
    u = table.utilisation
    lines.append(f"utilisation: default {u.default}, range {u.low}–{u.high} ({u.applies_to})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        table = load_accelerators(args.table)
    except AcceleratorTableError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.list_chips:
        print(_list_chips(table))
        return 0

    hardware = any(v is not None for v in (args.chips, args.chip, args.peak, args.hours, args.days,
                                           args.seconds, args.utilisation))
    arithmetic = args.parameters is not None or args.tokens is not None
    try:
        if hardware and arithmetic:
            raise ValueError("give either hardware (--chips …) or arithmetic (--parameters, --tokens), not both")
        if arithmetic:
            if args.parameters is None or args.tokens is None:
                raise ValueError("6·N·D needs both --parameters and --tokens")
            result = tokens_estimate(args.parameters, args.tokens, factor=args.factor)
        elif hardware:
            if args.chips is None:
                raise ValueError("--chips is required")
            if args.chip is None and args.peak is None:
                raise ValueError("--chip (or --peak FLOP/s) is required")
            if args.hours is None and args.days is None and args.seconds is None:
                raise ValueError("give the training time: --hours, --days or --seconds")
            utilisation = args.utilisation
            if utilisation is None:
                utilisation = table.utilisation.default
            result = from_hardware(args.chips, args.chip, hours=args.hours, days=args.days,
                                   seconds=args.seconds, utilisation=utilisation,
                                   precision=args.precision, replicas=args.replicas,
                                   peak_flops=args.peak, table=table)
        else:
            raise ValueError("nothing to estimate: give --chips/--chip/--days/--utilisation, "
                             "or --parameters/--tokens (or --list-chips)")
    except (ValueError, UnknownChip) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(result.describe())
    print(f"value: {_sci(result.value, 2)}")
    print(f'method: "{result.method}"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
