"""The data as a Frictionless Data Package (`/datapackage.json`, and `data/datapackage.json` for
the bundled catalogue): the two exports of every model as resources — `data.csv` and the JSON
API `api/models.json` (its `models` array) — with each column's type and unit, the licences
and sources, and the data version.

Resource paths are relative, so the descriptor is the same wherever the app is served (and the
repository's copy is the served one, byte for byte, for the bundled catalogue); `frictionless
validate http://…/datapackage.json` reads the resources beside it."""
from __future__ import annotations

import json

from scalemap import DATA_DIR
from scalemap.features.citation import AUTHOR
from scalemap.features.export import COLUMNS, CREDIT_COLUMN, NUMBERS, RANGE_PARTS, credit_line
from scalemap.sources.epoch import ORIGIN as EPOCH
from scalemap.sources.schema import COST_SCOPES, DATA_UNITS, Accessibility, Confidence
from scalemap.sources.schema import OUR_ORIGIN as CATALOGUE

DATAPACKAGE_FILE = DATA_DIR / "datapackage.json"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
CSV_PATH, JSON_PATH = "data.csv", "api/models.json"
# The project's licence (pyproject.toml) covers the catalogue it ships; Epoch AI's data keep theirs.
CATALOGUE_LICENCE = {"name": "MIT", "path": "https://opensource.org/license/mit",
                     "title": "MIT License (the ML Scale Map project's licence, which covers its catalogue)"}
EPOCH_LICENCE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                 "title": "Creative Commons Attribution 4.0 (Epoch AI's data)"}
EPOCH_SOURCE = {"title": "Epoch AI, Data on Notable AI Models (CC BY 4.0)", "path": "https://epoch.ai/data"}
CATALOGUE_SOURCE = {"title": "ML Scale Map catalogue: papers, model cards and official posts, cited per number "
                             "(each number's *_source column)"}
UNITS = {"parameters": "parameters", "active_parameters": "parameters per token", "training_compute": "FLOP",
         "inference_flops": "FLOP per forward pass (per token for language models)",
         "training_data": "the unit in training_data_unit", "training_time_hours": "hours",
         "training_cost": "US dollars of the year in training_cost_year"}
DESCRIPTIONS = {
    "id": "the model's id in links (?model=…, /model/…)", "name": "common name",
    "organization": "who published it", "country": "the organization's country",
    "publication_date": "first publication at its stated precision: YYYY, YYYY-MM or YYYY-MM-DD",
    "date_precision": "how much of the date is known", "domains": "domains, the model's colour domain first",
    "task": "what it does", "accessibility": "how it can be used", "origin": "whose record the model is",
    "link": "the primary source", "hardware": "training hardware (chip type)",
    "hardware_count": "how many chips",
}


def _enum(values) -> dict:
    return {"constraints": {"enum": list(values)}}


ORIGINS = (CATALOGUE, f"{EPOCH} (CC BY 4.0)")


def _part_field(number: str, part: str) -> dict:
    name = f"{number}_{part}"
    if part in RANGE_PARTS:
        return {"name": name, "type": "number", "unit": UNITS[number],
                "description": f"the {part} end of {number}'s stated range"}
    if part == "unit":
        return {"name": name, "type": "string", "description": "what training_data counts", **_enum(DATA_UNITS)}
    if part == "year":
        return {"name": name, "type": "integer", "description": "the year of the training cost's dollars"}
    if part == "covers":
        return {"name": name, "type": "string", "description": "what the training cost paid for",
                **_enum(COST_SCOPES)}
    if part == "confidence":
        return {"name": name, "type": "string", "description": "confident: stated; likely: estimated from stated "
                "quantities (within ~3×); speculative: guessed inputs", **_enum(c.value for c in Confidence)}
    if part == "source":
        return {"name": name, "type": "string", "description": "the number's own source, else the model's link"}
    if part == "method":
        return {"name": name, "type": "string", "description": "how it was estimated, and any note on it"}
    return {"name": name, "type": "string", "description": "whose number it is", **_enum(ORIGINS)}


def fields(domains_as: str = "string") -> list[dict]:
    """The columns of the exports (`scalemap.features.export.COLUMNS`), in order, typed."""
    out = []
    for name in COLUMNS:
        if name in NUMBERS:
            out.append({"name": name, "type": "number", "unit": UNITS[name],
                        "description": f"{name.replace('_', ' ')}, in {UNITS[name]}"})
        elif name == "hardware_count":
            out.append({"name": name, "type": "integer", "unit": "chips", "description": DESCRIPTIONS[name]})
        elif name == "domains":
            out.append({"name": name, "type": domains_as, "description": DESCRIPTIONS[name]
                        + ("; separated by ', '" if domains_as == "string" else "")})
        elif name in DESCRIPTIONS:
            field = {"name": name, "type": "string", "description": DESCRIPTIONS[name]}
            if name == "date_precision":
                field.update(_enum(("year", "month", "day")))
            elif name == "accessibility":
                field.update(_enum(a.value for a in Accessibility))
            elif name == "origin":
                field.update(_enum(ORIGINS))
            elif name == "id":
                field["constraints"] = {"required": True, "unique": True}
            out.append(field)
        else:
            number, part = next((n, name[len(n) + 1:]) for n in (*NUMBERS, "hardware") if name.startswith(n + "_"))
            out.append(_part_field(number, part))
    return out


def _parts(dataset) -> tuple[bool, bool]:
    """(the catalogue's data are shown, Epoch AI's are)."""
    with_epoch = bool(dataset.credits)
    return bool((dataset.frame["origin"] == CATALOGUE).any() or not with_epoch), with_epoch


def licences(dataset) -> list[dict]:
    """The licences of the data shown: the catalogue's first, then Epoch AI's."""
    with_catalogue, with_epoch = _parts(dataset)
    return ([CATALOGUE_LICENCE] if with_catalogue else []) + ([EPOCH_LICENCE] if with_epoch else [])


def datapackage(dataset) -> dict:
    """The descriptor for `dataset` (the bundled catalogue, or with Epoch AI's data too)."""
    with_catalogue, with_epoch = _parts(dataset)
    version = getattr(dataset, "data_version", "")
    sources = ([CATALOGUE_SOURCE] if with_catalogue else []) + ([EPOCH_SOURCE] if with_epoch else [])
    descriptor = {
        "$schema": PROFILE,
        "name": "ml-scale-map",
        "title": "ML Scale Map: the scale of machine-learning models",
        "description": ("Parameters, training compute, training data, time, cost and hardware of machine-learning "
                        "models from 1950 on, each number with its confidence, range, source and method. "
                        + credit_line(dataset) + "."),
        **({"version": version} if version else {}),
        "keywords": ["machine learning", "training compute", "parameters", "AI models"],
        "contributors": [{"title": AUTHOR, "roles": ["creator"]}],
        "licenses": licences(dataset),
        "sources": sources,
        "resources": [
            {"name": "models", "title": "Every model, one row each (CSV)", "path": CSV_PATH, "type": "table",
             "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
             "description": "GET data.csv?<a view's query> gives a view's models; text a spreadsheet would run as "
                            "a formula starts with an apostrophe.",
             "schema": {"fields": [*fields("string"), {
                 "name": CREDIT_COLUMN, "type": "string",
                 "description": "whose data these are (the credit their licences ask for), the same on every row"}],
                 "primaryKey": ["id"], "missingValues": [""]}},
            {"name": "models-json", "title": "Every model, one object each (the JSON API)", "path": JSON_PATH,
             "type": "table", "format": "json", "mediatype": "application/json", "encoding": "utf-8",
             "description": "The `models` array of the JSON API; beside it: credit, query, dataset (content hash), "
                            "data_version, count and columns.",
             "dialect": {"json": {"property": "models", "keyed": True}},
             "schema": {"fields": fields("array"), "primaryKey": ["id"]}},
        ],
    }
    return descriptor


def datapackage_text(dataset) -> str:
    return json.dumps(datapackage(dataset), ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    """`python -m scalemap.features.datapackage`: write data/datapackage.json for the bundled catalogue."""
    from scalemap.dataset.build import build_dataset
    DATAPACKAGE_FILE.write_text(datapackage_text(build_dataset()), encoding="utf-8")
    print(f"wrote {DATAPACKAGE_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
