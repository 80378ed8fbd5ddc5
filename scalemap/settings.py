"""Every setting in one table of (name, default, environment variable, help).

The command line and gunicorn (which can only pass environment variables to
`app:server`) read the same table, so the two can never disagree."""
from __future__ import annotations

import argparse
import math
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from limits import parse_many
from limits.storage import SCHEMES as RATE_LIMIT_STORES

from scalemap.sources.catalogue import DEFAULT_CATALOGUE_DIR
from scalemap.sources.epoch_cache import DEADLINE, EPOCH_URLS, MAX_MB, default_cache_dir


class SettingsError(ValueError):
    """A setting's value cannot work; the message is one line naming it."""


@dataclass(frozen=True)
class Settings:
    host: str = field(default="127.0.0.1", metadata={
        "env": "SCALEMAP_HOST", "help": "address to listen on (0.0.0.0 for every interface)"})
    port: int = field(default=8050, metadata={"env": "SCALEMAP_PORT", "help": "port to listen on"})
    catalogue: tuple[Path, ...] = field(default=(DEFAULT_CATALOGUE_DIR,), metadata={
        "env": "SCALEMAP_CATALOGUE", "flag": "--catalogue",
        "help": "catalogue YAML file or folder; repeat for several (env: separated by ':')"})
    epoch: tuple[Path, ...] = field(default=(), metadata={
        "env": "SCALEMAP_EPOCH_CSV", "flag": "--epoch",
        "help": "an Epoch AI CSV export to load too, or 'latest' for the newest copy fetched by "
                "fetch-epoch; repeat for several (env: separated by ':')"})
    epoch_only: bool = field(default=False, metadata={
        "env": "SCALEMAP_EPOCH_ONLY", "help": "show only the Epoch AI data, not the bundled catalogue"})
    prefer: str = field(default="catalogue", metadata={
        "env": "SCALEMAP_PREFER", "choices": ("catalogue", "epoch"),
        "help": "which record wins when a model is in both the catalogue and an Epoch export"})
    epoch_cache: Path = field(default_factory=default_cache_dir, metadata={
        "env": "SCALEMAP_EPOCH_CACHE", "flag": "--cache-dir",
        "help": "the folder fetch-epoch downloads into and '--epoch latest' reads from"})
    epoch_url: tuple[str, ...] = field(default=EPOCH_URLS, metadata={
        "env": "SCALEMAP_EPOCH_URL", "flag": "--url",
        "help": "fetch-epoch: a CSV export to download instead of Epoch AI's; repeat for several "
                "(env: separated by spaces)"})
    fetch_timeout: float = field(default=60.0, metadata={
        "env": "SCALEMAP_FETCH_TIMEOUT", "flag": "--timeout", "metavar": "SECONDS",
        "help": "fetch-epoch: seconds to wait for the server to answer or send more"})
    fetch_deadline: float = field(default=DEADLINE, metadata={
        "env": "SCALEMAP_FETCH_DEADLINE", "flag": "--deadline", "metavar": "SECONDS",
        "help": "fetch-epoch: seconds one file may take to arrive in all"})
    fetch_max_mb: float = field(default=MAX_MB, metadata={
        "env": "SCALEMAP_FETCH_MAX_MB", "flag": "--max-mb", "metavar": "MB",
        "help": "fetch-epoch: the most megabytes one file may hold (gzip undone)"})
    upload_rate: str = field(default="10 per minute; 60 per hour", metadata={
        "env": "SCALEMAP_UPLOAD_RATE", "metavar": "RATE",
        "help": "how many files one address may check (your own models), e.g. '10 per minute; 60 per hour'"})
    upload_checks: int = field(default=1, metadata={
        "env": "SCALEMAP_UPLOAD_CHECKS", "metavar": "N",
        "help": "how many uploaded files the whole server checks at once; each holds a worker while it is "
                "checked, and a file sent while all are busy is answered 'busy, try again in a moment' "
                "(keep it below the number of workers)"})
    export_rate: str = field(default="60 per minute", metadata={
        "env": "SCALEMAP_EXPORT_RATE", "metavar": "RATE",
        "help": "how many /data.csv and /api/models.json answers one address may ask for"})
    rate_limit_storage: str = field(default="memory://", metadata={
        "env": "SCALEMAP_RATE_LIMIT_STORAGE", "metavar": "URI",
        "help": "where the rate limits count: memory:// (each worker counts alone) or a store the workers "
                "share, e.g. redis://host:6379 (Flask-Limiter's storage URIs)"})
    debug: bool = field(default=False, metadata={
        "env": "SCALEMAP_DEBUG", "help": "Dash debug mode with hot reload (never in production)"})


def _parse(setting, raw: str):
    if setting.type in (bool, "bool"):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if setting.type in (int, "int"):
        return int(raw)
    if setting.type in (float, "float"):
        return float(raw)
    if "tuple[str" in str(setting.type):   # URLs hold ':', so they are separated by spaces
        return tuple(raw.split())
    if "tuple" in str(setting.type):
        return tuple(Path(p) for p in raw.split(os.pathsep) if p)
    if setting.type in (Path, "Path"):
        return Path(raw)
    return raw


def _check(settings: Settings, origin: dict[str, str]) -> Settings:
    """`SettingsError` (one line, naming where the value came from) for a value that cannot work."""
    flags = {f.name: f.metadata.get("flag", "--" + f.name.replace("_", "-")) for f in fields(Settings)}

    def refuse(name: str, why: str):
        raise SettingsError(f"{origin.get(name, flags[name])}={getattr(settings, name)!r}: {why}")
    if not 1 <= settings.port <= 65535:
        refuse("port", "a port is a whole number from 1 to 65535")
    if not (math.isfinite(settings.fetch_timeout) and settings.fetch_timeout > 0):
        refuse("fetch_timeout", "the timeout is a number of seconds, more than 0")
    if not (math.isfinite(settings.fetch_deadline) and settings.fetch_deadline > 0):
        refuse("fetch_deadline", "the deadline is a number of seconds, more than 0")
    if not (math.isfinite(settings.fetch_max_mb) and settings.fetch_max_mb > 0):
        refuse("fetch_max_mb", "the size limit is a number of megabytes, more than 0")
    if settings.upload_checks < 1:
        refuse("upload_checks", "at least one file must be checkable at a time")
    for name in ("upload_rate", "export_rate"):
        try:
            if not parse_many(getattr(settings, name)):
                raise ValueError
        except ValueError:
            refuse(name, "a rate is written like '10 per minute' or '10/minute; 60/hour'")
    scheme = settings.rate_limit_storage.partition("://")[0]
    if "://" not in settings.rate_limit_storage or scheme.startswith("async") or scheme not in RATE_LIMIT_STORES:
        refuse("rate_limit_storage", "a store's URI starts memory://, redis://, memcached://, mongodb:// …")
    for setting in fields(Settings):
        choices = setting.metadata.get("choices")
        if choices and getattr(settings, setting.name) not in choices:
            refuse(setting.name, f"must be one of {', '.join(choices)}")
    return settings


def _argument_type(setting):
    kind = str(setting.type)
    return (int if kind == "int" else float if kind == "float"
            else Path if "Path" in kind else str)


def settings_from_env(environ=os.environ) -> Settings:
    """The settings the environment gives; `SettingsError` (one line) for a value that cannot work."""
    values, origin = {}, {}
    for setting in fields(Settings):
        name = setting.metadata["env"]
        raw = environ.get(name)
        if raw not in (None, ""):
            origin[setting.name] = name
            try:
                values[setting.name] = _parse(setting, raw)
            except ValueError:
                kind = "a whole number" if "int" in str(setting.type) else "a number"
                raise SettingsError(f"{name}={raw!r}: not {kind}") from None
    return _check(Settings(**values), origin)


def workers_from_env(environ=os.environ, cpus: int | None = None) -> int:
    """gunicorn's worker count: WEB_CONCURRENCY, else 2 to 4 by the CPUs. 0 workers would serve
    nothing and say nothing, so it is refused (`SettingsError`) like any other junk."""
    raw = environ.get("WEB_CONCURRENCY", "").strip()
    if not raw:
        return max(2, min(4, cpus or os.cpu_count() or 1))
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(f"WEB_CONCURRENCY={raw!r}: the number of workers is a whole number, 1 or more")
    return int(raw)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    for setting in fields(Settings):
        meta = setting.metadata
        flag = meta.get("flag", "--" + setting.name.replace("_", "-"))
        help_text = f"{meta['help']} (env {meta['env']})"
        if "bool" in str(setting.type):
            parser.add_argument(flag, dest=setting.name, action="store_true", default=None, help=help_text)
        elif "tuple" in str(setting.type):
            parser.add_argument(flag, dest=setting.name, action="append", type=_argument_type(setting),
                                metavar="PATH" if "Path" in str(setting.type) else "URL",
                                default=None, help=help_text)
        else:
            parser.add_argument(flag, dest=setting.name, default=None, help=help_text,
                                type=_argument_type(setting), choices=meta.get("choices"),
                                metavar=meta.get("metavar", "PATH" if "Path" in str(setting.type) else None))


def settings_from_args(args: argparse.Namespace, environ=os.environ) -> Settings:
    """Command-line values over environment variables over defaults."""
    base = settings_from_env(environ)
    given = {f.name: getattr(args, f.name) for f in fields(Settings)
             if getattr(args, f.name, None) is not None}
    given = {k: tuple(v) if isinstance(v, list) else v for k, v in given.items()}
    origin = {f.name: f.metadata["env"] for f in fields(Settings) if environ.get(f.metadata["env"]) not in (None, "")}
    origin = {name: env for name, env in origin.items() if name not in given}
    return _check(Settings(**{**{f.name: getattr(base, f.name) for f in fields(Settings)}, **given}), origin)
