"""Check that every link the catalogue cites still answers.

`python -m scalemap.sources.linkcheck [PATH ...]` — a maintainer's tool: it needs the network, so
the test suite runs it only against a local server. Exit status 1 when a link is broken."""
from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from scalemap.sources.catalogue import CatalogueFileError, load_catalogue
from scalemap.sources.schema import ModelEntry

# Some publishers refuse urllib's default agent.
_HEADERS = {"User-Agent": "Mozilla/5.0 (ml-scale-map link check)"}


def cited_urls(models: list[ModelEntry]) -> dict[str, list[str]]:
    """Every URL the catalogue cites -> where it is cited ('GPT-3 175B (links)')."""
    cited: dict[str, list[str]] = {}
    for model in models:
        for url in model.links:
            cited.setdefault(url, []).append(f"{model.name} (links)")
        for field, url in model.own_sources().items():
            cited.setdefault(url, []).append(f"{model.name} ({field})")
    return cited


def problem_with(url: str, timeout: float) -> str | None:
    """None when the URL answers with a success status, else why not.

    HEAD first (cheap); servers that refuse HEAD get a GET."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers=_HEADERS)
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return None
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 405, 501):
                continue
            return f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            return str(getattr(exc, "reason", exc))
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scalemap.sources.linkcheck", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="catalogue files or folders (default: the bundled one)")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds per request")
    parser.add_argument("--workers", type=int, default=16, help="requests in parallel")
    args = parser.parse_args(argv)
    try:
        models, _ = load_catalogue(args.paths or None)
    except CatalogueFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    cited = cited_urls(models)
    with ThreadPoolExecutor(max_workers=max(1, args.workers)) as pool:
        problems = dict(zip(cited, pool.map(lambda url: problem_with(url, args.timeout), cited)))
    broken = {url: why for url, why in problems.items() if why}
    for url, why in sorted(broken.items()):
        print(f"broken: {url} ({why}) — cited by {', '.join(cited[url])}")
    print(f"{len(cited)} links, {len(cited) - len(broken)} answer, {len(broken)} broken")
    if cited and len(broken) == len(cited):
        print("no link answered: is this machine online?")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
