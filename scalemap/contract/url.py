"""How a view travels — as a URL query string and as the page's controls, both ways — driven
by a table of fields, one row (`Field`) per thing the view holds.

`scalemap/contract/view.py` declares the table; the browser receives the same table in the
page config and `assets/core/view.js` codes it the same way, kind by kind (tests/contract
proves both give the same views and links). A new field is a new row: neither codec changes.

The URL holds only what differs from the defaults, in the table's order. Parsing never raises:
a parameter that is malformed or names something unknown is dropped, so a hostile or stale link
opens the default view for that part. Ids of the user's own models (an uploaded file) never go
into a link.

Kinds of field (`Field.kind`):
  choice   one value: `allowed`, or (from a link) one of the dataset's `known` values
  choices  a tuple of choices, one key and one control per part (`allowed`, `default` per part)
  many     a repeated key (`domain=a&domain=b`): known values, each once, at most `max_count`
  set      a comma list in `allowed` order (`show=trends,ranges`), `spelling` for none of them
  text     as written, cut to `max_length`; `pattern` must match the whole of it
  flag     True or False; a link says `key=<spelling>` for the value that is not the default
  year     a year within the dataset's; its control is the year range, [from, to] (`part`)
  record   several keys into one value that a named rule (`check`, RULES) makes, or None
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, make_dataclass, replace
from dataclasses import field as dataclass_field
from urllib.parse import parse_qs, urlencode

KINDS = ("choice", "choices", "many", "set", "text", "flag", "year", "record")
KNOWN = ("domains", "organizations", "models")   # the dataset's lists a link's values are checked against
MAX_QUERY_FIELDS = 200
PRIVATE_ID_PREFIX = "mine~"   # a model of the user's own file (no catalogue id has a ~): never in a link
YEAR_PATTERN = r"^[0-9]{4}$"  # ASCII digits only: Python's int() and \d accept more than the browser reads


@dataclass(frozen=True)
class Field:
    """One thing the view holds: its name in both languages, its default, and how it travels."""
    name: str                               # the view's attribute, in Python and in the browser
    kind: str                               # how it is read and written (KINDS)
    default: object                         # the view nobody changed: never written to a link
    keys: tuple[str, ...]                   # its URL key (choices, record: one per part)
    controls: tuple[tuple[str, str], ...]   # (component id, property) showing it (choices: one per part)
    type: str = "object"                    # its Python type, as the ViewState annotation
    part: int | None = None                 # year: its index in the control's [from, to]
    allowed: tuple | None = None            # the values it may take (choices: a tuple per part)
    known: str | None = None                # or: the dataset's list (KNOWN) a link's value must be in;
                                            # a control may hold more (your own models' ids)
    max_count: int | None = None            # many: at most this many
    max_length: int | None = None           # text: cut to this many characters
    pattern: str | None = None              # text, year: the whole value matches it, else the default
    strip: bool = False                     # text: a control's value loses surrounding white space
    spelling: str | None = None             # flag: a link's word for "not the default"; set: for "none"
    items: tuple[str, ...] = ()             # record: the names of its parts, one per key
    check: str | None = None                # record: the rule (RULES) that makes its value, or None
    private: bool = False                   # may hold your own models' ids, which no link carries
    not_before: str | None = None           # year: before that field's year, a link sets neither
    fits: bool | str = False                # trend fits depend on it (a str: through that rule)
    steps: str | None = None                # changed in steps (typing, dragging): one history entry a run
    cleared: bool = False                   # "Clear filters" sets it back to its default

    def __post_init__(self):
        assert self.kind in KINDS, self.kind
        assert self.known is None or self.known in KNOWN, self.known
        assert len(self.keys) == (len(self.items) if self.kind == "record" else
                                  len(self.default) if self.kind == "choices" else 1), self.name
        assert len(self.controls) == (len(self.keys) if self.kind == "choices" else 1), self.name


def _texts(values) -> list[str]:
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []


def _unique(values) -> tuple:
    return tuple(dict.fromkeys(values))


def _matches(pattern: str | None, text: str) -> bool:
    """The whole text (as JavaScript's /^…$/.test reads it: no match before a final newline)."""
    return pattern is None or re.fullmatch(pattern, text) is not None


def _own(value) -> bool:
    return isinstance(value, str) and value.startswith(PRIVATE_ID_PREFIX)


class ViewCodec:
    """The view state type of a field table, and its URL and control codecs.

    `rules` holds the special rules the table names (record checks, fit rules), each also
    written once in assets/core/view.js under the same name."""

    def __init__(self, table: Sequence[Field], rules: Mapping[str, Callable]):
        self.fields = tuple(table)
        self.rules = rules
        names = [f.name for f in self.fields]
        assert len(set(names)) == len(names), "a field named twice"
        for f in self.fields:
            assert f.check is None or f.check in rules, f.check
            assert not isinstance(f.fits, str) or f.fits in rules, f.fits
        self.state = make_dataclass("ViewState", [(f.name, f.type, dataclass_field(default=f.default))
                                                  for f in self.fields], frozen=True)
        self.state.__module__ = __name__
        self.state.__doc__ = "What the user is looking at: one attribute per field of the view's table."
        self.default = self.state()
        # Every control once, in the table's order (the year range holds two fields).
        self.controls = tuple(dict.fromkeys(c for f in self.fields for c in f.controls))
        self.cleared_controls = tuple(dict.fromkeys(c for f in self.fields if f.cleared for c in f.controls))

    # --- the URL --------------------------------------------------------------------------------

    def to_query(self, view) -> str:
        """'?domain=language&from=2010' — what differs from the defaults; '' for the default view."""
        view = self.shareable(view)
        params: list[tuple[str, str]] = []
        for f in self.fields:
            params += _TO_LINK[f.kind](f, getattr(view, f.name))
        return "?" + urlencode(params) if params else ""

    def from_query(self, query: str | None, *, domains, organizations, model_ids,
                   year_bounds: tuple[int, int]):
        """Parse a query string against what exists; anything unknown falls back to the default."""
        try:
            params = parse_qs((query or "").lstrip("?"), keep_blank_values=False,
                              max_num_fields=MAX_QUERY_FIELDS)
        except ValueError:
            return self.default
        known = {"domains": set(domains), "organizations": set(organizations), "models": model_ids}
        context = _Context(params, known, year_bounds, self.rules)
        values = {f.name: _FROM_LINK[f.kind](f, context) for f in self.fields}
        for f in self.fields:   # a year range that ends before it starts: neither end
            before, after = values.get(f.not_before), values[f.name]
            if f.not_before and before is not None and after is not None and before > after:
                values[f.name], values[f.not_before] = f.default, self._field(f.not_before).default
        return self.state(**values)

    def shareable(self, view):
        """The view a link may carry: your own models stay in this tab (their cards open, their
        pins are compared) but never go into a link, or a server's log."""
        changes = {}
        for f in self.fields:
            value = getattr(view, f.name)
            if f.private and f.kind == "many" and any(_own(v) for v in value):
                changes[f.name] = tuple(v for v in value if not _own(v))
            elif f.private and _own(value):
                changes[f.name] = f.default
        return replace(view, **changes) if changes else view

    def fits_view(self, view):
        """The view as far as the trend fits depend on it (the rest at its defaults)."""
        kept = {f.name: (self.rules[f.fits](getattr(view, f.name)) if isinstance(f.fits, str)
                         else getattr(view, f.name)) for f in self.fields if f.fits}
        return replace(self.default, **kept)

    def filter_query(self, view) -> str:
        """The query of what the trend fits depend on: their cache key, in both languages."""
        return self.to_query(self.fits_view(view))

    # --- the controls ---------------------------------------------------------------------------

    def from_controls(self, values: Sequence, year_bounds: tuple[int, int]):
        """The view the controls show (values in `controls` order). Values equal to the defaults
        become defaults, and values the controls cannot hold (a hand-made request) too."""
        by_control = dict(zip(self.controls, values))
        return self.state(**{f.name: _FROM_CONTROLS[f.kind](f, [by_control.get(c) for c in f.controls],
                                                             year_bounds, self.rules)
                             for f in self.fields})

    def to_controls(self, view, year_bounds: tuple[int, int]) -> list:
        """The controls' values (in `controls` order) that show the view."""
        by_control: dict = {}
        for f in self.fields:
            value = getattr(view, f.name)
            if f.kind == "year":
                pair = by_control.setdefault(f.controls[0], list(year_bounds))
                pair[f.part] = year_bounds[f.part] if value is None else value
            elif f.kind == "choices":
                by_control.update(zip(f.controls, value))
            else:
                by_control[f.controls[0]] = (list(value) if f.kind in ("many", "set") else
                                             asdict(value) if f.kind == "record" and value is not None else value)
        return [by_control[c] for c in self.controls]

    # --- the browser ----------------------------------------------------------------------------

    def for_browser(self) -> dict:
        """The table as the browser reads it (attributes left at their defaults are left out)."""
        blank = {f.name: f.default for f in fields(Field)}
        table = [{key: value for key, value in asdict(f).items()
                  if key in ("name", "kind", "default", "keys", "controls") or key != "type" and value != blank[key]}
                 for f in self.fields]
        return {"fields": json.loads(json.dumps(table)), "controls": [list(c) for c in self.controls],
                "clearedControls": [list(c) for c in self.cleared_controls],
                "privatePrefix": PRIVATE_ID_PREFIX, "maxQueryFields": MAX_QUERY_FIELDS}

    def _field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class _Context:
    params: dict[str, list[str]]
    known: dict
    year_bounds: tuple[int, int]
    rules: Mapping[str, Callable]

    def last(self, key: str) -> str | None:
        values = self.params.get(key)
        return values[-1] if values else None

    def allows(self, f: Field, value) -> bool:
        return value in (self.known[f.known] if f.known else f.allowed)


# --- from a link: (field, context) -> value ---------------------------------------------------

def _choice_from_link(f, context):
    value = context.last(f.keys[0])
    return value if value is not None and context.allows(f, value) else f.default


def _choices_from_link(f, context):
    return tuple(value if (value := context.last(key)) is not None and value in allowed else default
                 for key, allowed, default in zip(f.keys, f.allowed, f.default))


def _many_from_link(f, context):
    return _unique(v for v in context.params.get(f.keys[0], []) if context.allows(f, v))[:f.max_count]


def _set_from_link(f, context):
    text = context.last(f.keys[0])
    if text is None:
        return f.default
    asked = text.split(",")
    return () if asked == [f.spelling] else tuple(v for v in f.allowed if v in asked) or f.default


def _text_from_link(f, context):
    value = context.last(f.keys[0])
    return value[:f.max_length] if value is not None and _matches(f.pattern, value) else f.default


def _flag_from_link(f, context):
    return (not f.default) if context.last(f.keys[0]) == f.spelling else f.default


def _year_from_link(f, context):
    value = context.last(f.keys[0])
    if value is None or not _matches(f.pattern, value):
        return f.default
    first, last = context.year_bounds
    return int(value) if first <= int(value) <= last else f.default


def _record_from_link(f, context):
    return context.rules[f.check](**{item: context.last(key) for key, item in zip(f.keys, f.items)})


# --- to a link: (field, value) -> [(key, text), ...] ------------------------------------------

def _choice_to_link(f, value):
    return [(f.keys[0], value)] if value is not None and value != f.default else []


def _choices_to_link(f, value):
    return [(key, part) for key, part, default in zip(f.keys, value, f.default) if part != default]


def _many_to_link(f, value):
    return [(f.keys[0], v) for v in value]


def _set_to_link(f, value):   # in `allowed` order: one spelling per view
    if set(value) == set(f.default):
        return []
    return [(f.keys[0], ",".join(v for v in f.allowed if v in value) or f.spelling)]


def _text_to_link(f, value):
    return [(f.keys[0], value)] if value != f.default else []


def _flag_to_link(f, value):
    return [(f.keys[0], f.spelling)] if value != f.default else []


def _year_to_link(f, value):
    return [(f.keys[0], str(value))] if value is not None else []


def _record_to_link(f, value):
    if value is None:
        return []
    return [(key, getattr(value, item)) for key, item in zip(f.keys, f.items) if getattr(value, item)]


# --- from the controls: (field, its controls' values, year bounds, rules) -> value ------------

def _choice_from_controls(f, values, _bounds, _rules):
    value = values[0]
    allowed = isinstance(value, str) and value != "" and (f.allowed is None or value in f.allowed)
    return value if allowed else f.default


def _choices_from_controls(f, values, _bounds, _rules):
    return tuple(value if isinstance(value, str) and value in allowed else default
                 for value, allowed, default in zip(values, f.allowed, f.default))


def _many_from_controls(f, values, _bounds, _rules):
    return _unique(v for v in _texts(values[0]) if f.allowed is None or v in f.allowed)[:f.max_count]


def _set_from_controls(f, values, _bounds, _rules):
    asked = _texts(values[0])
    return tuple(v for v in f.allowed if v in asked)


def _text_from_controls(f, values, _bounds, _rules):
    value = values[0]
    if not isinstance(value, str):
        return f.default
    value = value.strip() if f.strip else value
    return value[:f.max_length] if _matches(f.pattern, value) else f.default


def _flag_from_controls(f, values, _bounds, _rules):
    return (not f.default) if values[0] is (not f.default) else f.default


def _year_from_controls(f, values, bounds, _rules):
    years = values[0]   # [from, to]; anything else: the whole range
    if not (isinstance(years, list) and len(years) >= 2 and all(type(y) is int for y in years[:2])):
        return f.default
    return f.default if years[f.part] == bounds[f.part] else years[f.part]


def _record_from_controls(f, values, _bounds, rules):
    given = values[0]
    return rules[f.check](**{item: given.get(item) for item in f.items}) if isinstance(given, dict) else None


_FROM_LINK = {"choice": _choice_from_link, "choices": _choices_from_link, "many": _many_from_link,
              "set": _set_from_link, "text": _text_from_link, "flag": _flag_from_link,
              "year": _year_from_link, "record": _record_from_link}
_TO_LINK = {"choice": _choice_to_link, "choices": _choices_to_link, "many": _many_to_link,
            "set": _set_to_link, "text": _text_to_link, "flag": _flag_to_link,
            "year": _year_to_link, "record": _record_to_link}
_FROM_CONTROLS = {"choice": _choice_from_controls, "choices": _choices_from_controls,
                  "many": _many_from_controls, "set": _set_from_controls, "text": _text_from_controls,
                  "flag": _flag_from_controls, "year": _year_from_controls, "record": _record_from_controls}
