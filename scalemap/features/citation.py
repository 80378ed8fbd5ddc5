"""How to cite the data: plain text (APA style) and BibTeX, with the data version and the date
it was read, for the whole catalogue and for one model's page; and the Epoch AI credit that
goes with them whenever its data are shown."""
from __future__ import annotations

import datetime as dt
import re

AUTHOR = "ML Scale Map contributors"
TITLE = "ML Scale Map catalogue"
EPOCH_CITATION = ('Epoch AI, "Data on Notable AI Models" (CC BY 4.0), https://epoch.ai/data; '
                  "cite it alongside whenever its numbers are used")


def _year(release_date: str | None, accessed: dt.date) -> str:
    return release_date[:4] if release_date and re.match(r"\d{4}", release_date) else str(accessed.year)


def _version_part(version: str) -> str:
    return f" (Version {version})" if version else ""


def citation_text(url: str, version: str, release_date: str | None = None, accessed: dt.date | None = None,
                  model: str | None = None) -> str:
    """'ML Scale Map contributors. (2026). GPT-4. In ML Scale Map catalogue (Version 2026.12.1)
    [Data set]. Retrieved 6 December 2026, from https://…/model/gpt-4'."""
    accessed = accessed or dt.date.today()
    where = f"{model}. In {TITLE}" if model else TITLE
    return (f"{AUTHOR}. ({_year(release_date, accessed)}). {where}{_version_part(version)} [Data set]. "
            f"Retrieved {accessed.day} {accessed.strftime('%B %Y')}, from {url}")


_BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_^~])")


def bibtex_escape(text: str) -> str:
    """Text safe inside a BibTeX field: its special characters escaped, braces balanced."""
    def escape(match: re.Match) -> str:
        char = match.group(1)
        return {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}.get(char, "\\" + char)
    return _BIBTEX_SPECIAL.sub(escape, text)


def bibtex_key(version: str, model_id: str | None = None) -> str:
    parts = ["mlscalemap", model_id or "", version]
    return re.sub(r"[^A-Za-z0-9:._-]+", "-", "-".join(p for p in parts if p)).strip("-")


def bibtex(url: str, version: str, release_date: str | None = None, accessed: dt.date | None = None,
           model: str | None = None, model_id: str | None = None) -> str:
    """A @misc entry (BibTeX and biblatex both read it) with the version and the access date."""
    accessed = accessed or dt.date.today()
    title = f"{model} --- {TITLE}" if model else TITLE
    fields = [("author", f"{{{AUTHOR}}}"), ("title", f"{{{bibtex_escape(title)}}}"),
              ("year", _year(release_date, accessed))]
    if version:
        fields.append(("version", bibtex_escape(version)))
    fields += [("howpublished", f"\\url{{{bibtex_escape(url)}}}"), ("url", bibtex_escape(url)),
               ("urldate", accessed.isoformat()),
               ("note", f"Data set{', version ' + bibtex_escape(version) if version else ''}; "
                        f"accessed {accessed.isoformat()}")]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{bibtex_key(version, model_id)},\n{body}\n}}"
