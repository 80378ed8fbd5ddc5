"""The bundled catalogue's release: a version a person can cite (`2026.12.1`), bound to one content.

`data/version.yaml` names the version, its date and the SHA-256 of the catalogue it was made
from (`catalogue_digest`: the models as validated, so comments and layout do not count). A
catalogue that matches is that version; one that differs (edited since, or another catalogue
altogether) is `<the release>+<its own digest, 8 characters>`, so no one cites a version for
data it does not describe. `ml-scale-map diff … --release VERSION` writes a new one."""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from scalemap import DATA_DIR
from scalemap.sources.schema import ModelEntry

VERSION_FILE = DATA_DIR / "version.yaml"
VERSION_PATTERN = re.compile(r"^\d{4}\.\d{1,2}\.\d{1,3}$")   # year.month.release of that month
TITLE = "ML Scale Map catalogue"


@dataclass(frozen=True)
class Release:
    version: str              # 2026.12.1
    date: str                 # YYYY-MM-DD, the day it was released
    catalogue_sha256: str     # catalogue_digest of the models it holds


def catalogue_digest(entries: Iterable[ModelEntry]) -> str:
    """SHA-256 of the models as validated, in name order: the same data give the same digest
    whatever the files' layout, comments or order."""
    records = sorted((entry.model_dump(mode="json") for entry in entries), key=lambda r: r["name"].casefold())
    text = json.dumps(records, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_release(path: Path = VERSION_FILE) -> Release | None:
    """The release `path` records; None when the file is missing or does not read as one."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(data, dict):
        return None
    version, date, digest = (str(data.get(key, "")) for key in ("version", "date", "catalogue_sha256"))
    if not (VERSION_PATTERN.match(version) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)
            and re.fullmatch(r"[0-9a-f]{64}", digest)):
        return None
    return Release(version, date, digest)


def write_release(release: Release, path: Path = VERSION_FILE) -> None:
    Path(path).write_text(
        "# The bundled catalogue's version (see scalemap/sources/release.py): cite it with this\n"
        "# number. catalogue_sha256 binds it to one content; `ml-scale-map diff <old> data/catalogue\n"
        "# --release <version>` writes a new one, with its entry in CHANGELOG.md.\n"
        f"version: {release.version}\ndate: {release.date}\ncatalogue_sha256: {release.catalogue_sha256}\n",
        encoding="utf-8")


def data_version(entries: Iterable[ModelEntry], release: Release | None) -> str:
    """'2026.12.1' for the released catalogue; '2026.12.1+1a2b3c4d' for one that differs from it
    ('unreleased+…' when no release is recorded)."""
    digest = catalogue_digest(entries)
    if release is not None and digest == release.catalogue_sha256:
        return release.version
    return f"{release.version if release else 'unreleased'}+{digest[:8]}"


def is_release(version: str) -> bool:
    return bool(VERSION_PATTERN.match(version or ""))
