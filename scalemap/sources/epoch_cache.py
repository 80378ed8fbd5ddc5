"""Download Epoch AI's current CSV exports into a cache folder (`ml-scale-map fetch-epoch`),
and find the newest cached copy again (`--epoch latest`).

A download goes to a temporary file in the cache folder; only when it arrived whole (every byte
its Content-Length promised) and reads as an Epoch export (the importer's own header check, on
the whole file) does it replace the cached copy, with `os.replace`. A failed, cut-short, stalled
or non-CSV download therefore never replaces a good file. `fetched.json` beside the files
records, for each, where and when it was fetched.

Bounds: each file must arrive within `deadline` seconds and be at most `max_bytes` (after gzip
is undone); a redirect is followed only within the link's own host and to http(s). The temporary
file goes on any exit (an error, Ctrl-C, SIGTERM through the command line; one left by a killed
run goes at the next fetch of that file).

Standard library only (urllib): no Dash, no extra dependency."""
from __future__ import annotations

import datetime as dt
import glob
import http.client
import json
import os
import re
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

from scalemap.sources.epoch import EpochFormatError, import_epoch_csv

# Epoch AI's public download links (epoch.ai/data, CC BY 4.0), first the one `--epoch latest`
# opens when several were fetched together.
EPOCH_URLS = (
    "https://epoch.ai/data/notable_ai_models.csv",
    "https://epoch.ai/data/large_scale_ai_models.csv",
    "https://epoch.ai/data/all_ai_models.csv",
)
SIDECAR = "fetched.json"
LATEST = "latest"
CHUNK = 64 * 1024
MAX_MB = 200          # Epoch's largest export is a few MB: this is a runaway or the wrong file
DEADLINE = 600.0      # seconds for one file to arrive, however steadily it trickles in
USER_AGENT = "ml-scale-map (+https://epoch.ai/data)"


class FetchError(Exception):
    """A download failed; the cached copy, if any, is untouched. The message is one line."""


@dataclass(frozen=True)
class Fetched:
    """One cached export, as recorded in `fetched.json`."""
    file: str         # its name in the cache folder
    url: str
    fetched: str      # when, ISO 8601 in UTC (its first ten characters are the date)
    bytes: int
    models: int       # rows the importer kept

    @property
    def date(self) -> str:
        return self.fetched[:10]


def default_cache_dir(environ=os.environ, platform: str = sys.platform) -> Path:
    """The platform's cache folder for this program: ~/.cache/ml-scale-map/epoch on Linux
    (or $XDG_CACHE_HOME), ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows."""
    home = Path.home()
    if platform.startswith("win"):
        base = Path(environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif platform == "darwin":
        base = home / "Library" / "Caches"
    else:
        base = Path(environ.get("XDG_CACHE_HOME") or home / ".cache")
    return base / "ml-scale-map" / "epoch"


def file_name(url: str) -> str:
    """The cache file for a URL: the last part of its path, made safe, ending in .csv."""
    last = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", last).strip("._") or "epoch"
    return name if name.lower().endswith(".csv") else name + ".csv"


# --- the record of what was fetched ---------------------------------------------------------------

def cached(cache_dir: Path) -> dict[str, Fetched]:
    """The cached exports that are still on disk, by file name, in the order they were recorded."""
    try:
        records = json.loads((Path(cache_dir) / SIDECAR).read_text(encoding="utf-8"))["files"]
        entries = {name: Fetched(**{k: record[k] for k in Fetched.__dataclass_fields__})
                   for name, record in records.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    return {name: entry for name, entry in entries.items() if (Path(cache_dir) / name).is_file()}


def _record(cache_dir: Path, entries: list[Fetched]) -> None:
    records = cached(cache_dir)
    for entry in entries:
        records.pop(entry.file, None)
        records[entry.file] = entry
    _write_atomically(Path(cache_dir) / SIDECAR, json.dumps(
        {"source": "Epoch AI (CC BY 4.0), https://epoch.ai/data",
         "files": {name: asdict(entry) for name, entry in records.items()}}, indent=2) + "\n")


def _write_atomically(path: Path, text: str) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def latest(cache_dir: Path) -> Path:
    """The newest cached copy: of the export fetched last (the first of its URL list when several
    were fetched together). Any other cached export opens by its path in the cache folder."""
    entries = cached(cache_dir)
    if not entries:
        raise EpochFormatError(f"no Epoch AI export is cached in {cache_dir}: "
                               f"run ml-scale-map fetch-epoch first")
    newest = max(entries.values(), key=lambda entry: entry.fetched)   # the first of equals
    return Path(cache_dir) / newest.file


def resolve_epoch_paths(paths, cache_dir: Path) -> tuple[Path, ...]:
    """`--epoch` values with `latest` replaced by the newest cached file."""
    return tuple(latest(cache_dir) if str(path) == LATEST else Path(path) for path in paths)


# --- downloading ---------------------------------------------------------------------------------

def _human(count: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:,.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1000
    raise AssertionError


class Progress:
    """A plain-text progress line on a stream: the percentage when the size is known, the bytes
    otherwise. On a terminal it redraws in place; elsewhere (a log) it writes the last state only."""

    def __init__(self, label: str, total: int | None, stream: TextIO | None = None):
        self.label, self.total = label, total
        self.stream = sys.stderr if stream is None else stream
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.shown_at = 0.0
        self.text = ""

    def _line(self, done: int) -> str:
        if self.total:
            share = min(done / self.total, 1.0)
            bar = "#" * round(share * 20)
            return f"{self.label} [{bar:<20}] {share:4.0%} of {_human(self.total)}"
        return f"{self.label} {_human(done)}"

    def update(self, done: int) -> None:
        self.text = self._line(done)
        now = time.monotonic()
        if self.live and now - self.shown_at >= 0.1:
            self.shown_at = now
            self.stream.write("\r" + self.text)
            self.stream.flush()

    def end(self, outcome: str) -> None:
        self.stream.write(("\r" if self.live else "") + f"{self.text} {outcome}".strip() + "\n")
        self.stream.flush()


def fetch(url: str, cache_dir: Path, timeout: float = 60.0, stream: TextIO | None = None,
          now: dt.datetime | None = None, *, max_bytes: int = MAX_MB * 10**6,
          deadline: float = DEADLINE) -> Fetched:
    """Download one export into `cache_dir` (made if missing) and record it; `timeout` is how
    long to wait for the server to answer or send more, `deadline` how long the whole file may
    take, `max_bytes` how large it may be. Raises `FetchError` (one line) and leaves the cached
    copy as it was when the download fails, stops short or is not an Epoch export."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http(s) links can be fetched")
    if not timeout > 0:
        raise FetchError(f"the timeout must be more than 0 seconds, not {timeout:g}")
    cache_dir = Path(cache_dir)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FetchError(f"cannot make the cache folder {cache_dir}: {exc.strerror or exc}") from exc
    name = file_name(url)
    for leftover in cache_dir.glob(f".{glob.escape(name)}.*.part"):   # from a run that was killed
        leftover.unlink(missing_ok=True)
    now = now or dt.datetime.now(dt.UTC)
    handle, temp_name = tempfile.mkstemp(dir=cache_dir, prefix=f".{name}.", suffix=".part")
    temp = Path(temp_name)
    progress = Progress(name, None, stream)
    try:
        with os.fdopen(handle, "wb") as file:
            size = _download(url, file, timeout, progress, max_bytes, deadline)
        try:
            models = len(import_epoch_csv(temp).table)
        except EpochFormatError as exc:
            raise FetchError(f"{url} is not an Epoch AI CSV export: "
                             f"{str(exc).replace(str(temp), 'the file')}") from None
        if not models:
            raise FetchError(f"{url} holds no models: not a plausible Epoch AI export")
        os.replace(temp, cache_dir / name)
    except FetchError as exc:
        progress.end("failed")
        raise FetchError(f"{exc}{_kept(cache_dir, name)}") from None
    except OSError as exc:   # the disk, not the network (those are FetchErrors by now)
        progress.end("failed")
        raise FetchError(f"cannot write {cache_dir / name}: {exc.strerror or exc}"
                         f"{_kept(cache_dir, name)}") from None
    finally:
        temp.unlink(missing_ok=True)
    entry = Fetched(file=name, url=url, fetched=now.replace(microsecond=0).isoformat(),
                    bytes=size, models=models)
    _record(cache_dir, [entry])
    progress.end(f"done, {models:,} models")
    return entry


def _kept(cache_dir: Path, name: str) -> str:
    entry = cached(cache_dir).get(name)
    if entry:
        return f"; kept the copy fetched {entry.date}"
    return "; kept the file already there" if (cache_dir / name).exists() else ""


class _SameHost(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only within the link's own host, and only to http(s): a mirror's link
    must not send the download (and its requests) anywhere else."""

    def __init__(self, url: str):
        self.url, self.host = url, (urllib.parse.urlsplit(url).hostname or "").lower()

    def http_error_302(self, req, fp, code, msg, headers):
        target = headers.get("location") or headers.get("uri")
        if target:   # checked here, before urllib's own check, so every refusal reads the same
            target = urllib.parse.urljoin(req.full_url, target)
            parts = urllib.parse.urlsplit(target)
            if parts.scheme.lower() not in ("http", "https") or (parts.hostname or "").lower() != self.host:
                fp.close()
                raise FetchError(f"{self.url}: the server redirected to {target[:200]}, off {self.host} or "
                                 "not http(s); not followed")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _download(url: str, file, timeout: float, progress: Progress, max_bytes: int = MAX_MB * 10**6,
              deadline: float = DEADLINE) -> int:
    """Copy the response body into `file`, gzip undone; the number of bytes, or `FetchError`."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/csv, */*",
                                                   "Accept-Encoding": "gzip, identity"})
    opener = urllib.request.build_opener(_SameHost(url))
    started = time.monotonic()
    done = received = 0   # bytes written (gzip undone), bytes received
    answered, inflate = False, None
    too_big = lambda: FetchError(f"{url}: more than {_human(max_bytes)}, the most a file may be "  # noqa: E731
                                 "(--max-mb)")
    try:
        with opener.open(request, timeout=timeout) as response:
            answered = True
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            gzipped = response.headers.get("Content-Encoding", "").strip().lower() == "gzip"
            if total is not None and total > max_bytes and not gzipped:
                raise too_big()
            progress.total = total
            progress.update(0)
            # read1: what has arrived, so a server sending a byte at a time still meets the deadline
            while chunk := response.read1(CHUNK):
                if not received and (gzipped or chunk[:2] == b"\x1f\x8b"):   # gzip, sent as such or as a file
                    inflate = zlib.decompressobj(wbits=31)
                received += len(chunk)
                data = inflate.decompress(chunk, max_bytes + 1 - done) if inflate else chunk
                done += len(data)
                if done > max_bytes or (inflate and inflate.unconsumed_tail):
                    raise too_big()
                file.write(data)
                progress.update(received)
                if time.monotonic() - started > deadline:
                    raise FetchError(f"{url}: not arrived after {deadline:g} s, the most a file may take "
                                     f"(--deadline); {_human(received)} so far")
            if inflate is not None:
                if not inflate.eof:
                    raise FetchError(f"{url}: the gzip stream stops short after {_human(received)}")
                file.write(inflate.flush())
    except urllib.error.HTTPError as exc:
        exc.close()
        raise FetchError(f"{url}: the server answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise FetchError(f"{url}: no answer within {timeout:g} s (timeout)") from None
        raise FetchError(f"{url}: cannot connect: {getattr(reason, 'strerror', None) or reason}") from None
    except TimeoutError:
        if not answered:
            raise FetchError(f"{url}: no answer within {timeout:g} s (timeout)") from None
        raise FetchError(f"{url}: the server stopped sending for {timeout:g} s after "
                         f"{_human(received)} (timeout)") from None
    except zlib.error as exc:
        raise FetchError(f"{url}: not readable gzip: {exc}") from None
    except (OSError, ValueError, EOFError, http.client.HTTPException) as exc:   # reset connections, broken chunked bodies
        raise FetchError(f"{url}: the download broke off after {_human(received)}: "
                         f"{type(exc).__name__}{': ' + str(exc) if str(exc) else ''}") from None
    if total is not None and received < total:
        raise FetchError(f"{url}: the connection closed after {_human(received)} of {_human(total)}")
    if not done:
        raise FetchError(f"{url}: the server sent an empty file")
    return done


def fetch_all(urls, cache_dir: Path, timeout: float = 60.0, stream: TextIO | None = None, *,
              max_bytes: int = MAX_MB * 10**6, deadline: float = DEADLINE) -> tuple[list[Fetched], list[str]]:
    """Fetch every URL (one failure does not stop the others): what was fetched, and one line
    per failure. The downloads of one run share its time, so `latest` picks the first of them."""
    now = dt.datetime.now(dt.UTC)
    done, failed = [], []
    for url in urls:
        try:
            done.append(fetch(url, cache_dir, timeout, stream, now, max_bytes=max_bytes, deadline=deadline))
        except FetchError as exc:
            failed.append(str(exc))
        except Exception as exc:   # a fault of ours: still one line, and the other files are fetched
            failed.append(f"{url}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    return done, failed
