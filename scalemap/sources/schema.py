"""The catalogue schema: one `ModelEntry` per ML model, every number a
`Measurement` that carries its own source link and confidence."""
from __future__ import annotations

import datetime as dt
import re
import sys
from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DOMAINS = (
    "language", "vision", "games", "biology", "speech", "multimodal",
    "robotics", "recommendation", "science", "other",
)
# Domains a user is most likely to reach for, shown first in the filter.
NAMED_DOMAINS = ("vision", "language", "games", "biology")

DATA_UNITS = (
    "tokens", "words", "images", "image-text pairs", "bytes", "examples",
    "frames", "hours of audio", "games", "steps", "episodes", "sequences",
    "structures", "other",
)


class Confidence(str, Enum):
    confident = "confident"      # stated in the primary source, or exact arithmetic on stated numbers
    likely = "likely"            # estimated from stated quantities (e.g. 6·N·D); within ~3x
    speculative = "speculative"  # rough estimate with guessed inputs; order of magnitude


class Accessibility(str, Enum):
    open_weights = "open weights"
    api = "api"
    unreleased = "unreleased"
    unknown = "unknown"


_URL = re.compile(r"^https?://\S+$")


def is_web_link(text: str | None) -> bool:
    """Only http(s) links are ever rendered as links (no javascript:, data:, ...)."""
    return bool(text) and bool(_URL.match(text.strip()))


MAX_TEXT = 20_000   # characters in any text field (notes are the longest: a few thousand)
SMALLEST_VALUE = sys.float_info.min   # below: a subnormal float, no physical quantity here


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True,
                              str_max_length=MAX_TEXT)


class Measurement(_Strict):
    """A number with where it came from and how sure we are of it."""
    value: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    confidence: Confidence
    source: str | None = None   # omitted: the model's first link
    method: str | None = None   # how an estimate was made (6·N·D, chips × FLOP/s × utilisation × time)
    note: str | None = None
    # The range an estimate could plausibly take (required of speculative numbers in the
    # bundled catalogue, encouraged for likely ones): low ≤ value ≤ high.
    low: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    high: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _range_holds_the_value(self):
        if (self.low is None) != (self.high is None):
            raise ValueError("a range needs both low and high")
        if self.low is not None and not self.low <= self.value <= self.high:
            raise ValueError(f"range {self.low:g}–{self.high:g} does not hold the value {self.value:g}")
        return self

    @property
    def has_range(self) -> bool:
        return self.low is not None and (self.low < self.value or self.value < self.high)

    @field_validator("value")
    @classmethod
    def _not_subnormal(cls, value: float) -> float:
        if value < SMALLEST_VALUE:   # 5e-324 and the like: no quantity, and log10 of it breaks axes
            raise ValueError(f"{value!r} is too small to be a physical quantity (below {SMALLEST_VALUE:.3g})")
        return value


class DataSize(Measurement):
    unit: str

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        if unit not in DATA_UNITS:
            raise ValueError(f"unit must be one of {', '.join(DATA_UNITS)}")
        return unit


COST_SCOPES = ("pretraining", "fine-tuning")


class Cost(Measurement):
    year: Annotated[int, Field(ge=1950, le=2100)]   # the year of the US dollars
    # What the dollars paid for: a fine-tune's cost is never set against pretraining compute.
    covers: str = "pretraining"

    @field_validator("covers")
    @classmethod
    def _known_scope(cls, covers: str) -> str:
        if covers not in COST_SCOPES:
            raise ValueError(f"covers must be one of {', '.join(COST_SCOPES)}")
        return covers


class Hardware(_Strict):
    type: str
    count: Annotated[int, Field(gt=0)] | None = None
    confidence: Confidence
    source: str | None = None
    note: str | None = None


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")

OUR_ORIGIN = "ML Scale Map"   # the origin of the bundled catalogue's records
NUMBER_FIELDS = (
    "parameters", "active_parameters", "training_compute", "inference_flops",
    "training_data", "layers", "width", "depth", "training_time_hours", "training_cost",
)
SOURCED_FIELDS = (*NUMBER_FIELDS, "hardware")   # fields that may name their own `source`


class ModelEntry(_Strict):
    name: str = Field(min_length=1, max_length=300)
    aliases: list[str] = []   # other names the model goes by (search, and matching other databases)
    organization: str = Field(min_length=1)
    country: str | None = None
    date: dt.date
    date_precision: str = "day"  # day | month | year: how much of `date` is known
    domains: list[str] = Field(min_length=1)
    task: str | None = None
    accessibility: Accessibility = Accessibility.unknown
    links: list[str] = []   # primary source first; required in the bundled catalogue (tested)
    parameters: Measurement | None = None
    active_parameters: Measurement | None = None  # mixture-of-experts: parameters used per token
    training_compute: Measurement | None = None   # FLOP
    inference_flops: Measurement | None = None    # FLOP per forward pass (per token for language models)
    training_data: DataSize | None = None
    layers: Measurement | None = None
    width: Measurement | None = None              # hidden size / nodes per layer
    depth: Measurement | None = None              # number of hidden layers
    hardware: Hardware | None = None
    training_time_hours: Measurement | None = None
    training_cost: Cost | None = None             # USD of `year`
    notes: str | None = None
    seed_card: bool = False  # one of the 19 stats cards of the ML Scale Map article
    origin: str = OUR_ORIGIN  # whose data this record is: ours, or "Epoch AI" for imports

    @model_validator(mode="before")
    @classmethod
    def _parse_partial_date(cls, data):
        """Accept 1958, "1989-11" or 2020-05-28 and remember the precision."""
        if isinstance(data, dict) and not isinstance(data.get("date"), dt.date):
            raw = str(data.get("date", "")).strip()
            match = _PARTIAL_DATE.match(raw)
            if match:   # otherwise the date field itself reports the bad value
                year, month, day = match.groups()
                try:
                    date = dt.date(int(year), int(month or 1), int(day or 1))
                except ValueError:
                    return data
                data = {**data, "date": date,
                        "date_precision": "day" if day else "month" if month else "year"}
        return data

    @field_validator("date", mode="before")
    @classmethod
    def _date_is_a_date(cls, value):
        """A date reaches here as a date (see _parse_partial_date), never as a bare number:
        `date: 0` would otherwise read as 1970-01-01."""
        if not isinstance(value, dt.date):
            raise ValueError(f"{str(value)[:30]!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
        return value

    @field_validator("date")
    @classmethod
    def _date_in_range(cls, date: dt.date) -> dt.date:
        if not dt.date(1940, 1, 1) <= date <= dt.date.today() + dt.timedelta(days=366):
            raise ValueError(f"date {date} is outside 1940 to next year")
        return date

    @field_validator("domains")
    @classmethod
    def _known_domains(cls, domains: list[str]) -> list[str]:
        cleaned = [d.strip().lower() for d in domains]
        unknown = [d for d in cleaned if d not in DOMAINS]
        if unknown:
            raise ValueError(f"unknown domain {unknown[0]!r}; use one of {', '.join(DOMAINS)}")
        return list(dict.fromkeys(cleaned))

    @field_validator("links")
    @classmethod
    def _links_are_web(cls, links: list[str]) -> list[str]:
        bad = [link for link in links if not is_web_link(link)]
        if bad:
            raise ValueError(f"link {bad[0]!r} is not an http(s) URL")
        return links

    @model_validator(mode="after")
    def _sources_are_web(self):
        for field, source in self.own_sources().items():
            if not is_web_link(source):
                raise ValueError(f"{field}.source {source!r} is not an http(s) URL")
        return self

    def own_sources(self) -> dict[str, str]:
        """Field -> the `source` URL its number names itself (not the model's first link)."""
        return {field: item.source for field in SOURCED_FIELDS
                if (item := getattr(self, field)) is not None and item.source is not None}

    def source_of(self, field: str) -> str | None:
        item = getattr(self, field)
        if item is None:
            return None
        return item.source or (self.links[0] if self.links else None)
