"""``indexdrift.toml``: environments, the baseline, ignore rules and waivers.

Secrets never live in this file. A password comes from an environment variable the file
names (``password_env``), a MySQL option file (``defaults_file``), PostgreSQL's passfile
or service file, or a prompt. A URL with a password in it is refused.

Connection options of an env (timeouts, TLS, where the password comes from) travel to
the readers as query parameters of its URL, so a URL typed on the command line can carry
them too (``mysql://app@db/shop?ssl_ca=ca.pem&connect_timeout=5``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from indexdrift.core.errors import InputError
from indexdrift.core.i18n import Message
from indexdrift.core.inputfile import check_depth, read_input
from indexdrift.model.kinds import KINDS
from indexdrift.sources import MAX_TIMEOUT
from indexdrift.sources.configfile import (
    CONFIG_NAME,
    DEFAULT_IGNORED_TABLES,
    IgnoreRules,
)
from indexdrift.sources.configfile import find_config as find_config  # where it was
from indexdrift.sources.urls import is_url, parse_url, redact

# Env keys that become URL query parameters (the readers know them).
_URL_OPTIONS = ("password_env", "defaults_file", "ssl_ca", "ssl_cert", "ssl_key",
                "ssl_verify_identity", "sslmode", "sslrootcert", "sslcert", "sslkey",
                "passfile", "service", "connect_timeout", "read_timeout")
# min_targets / expect_targets: how many targets a fleet must have (indexdrift.sources.fleet).
_COUNT_KEYS = ("min_targets", "expect_targets")
_ENV_KEYS = {"source", "sources", "schemas", "columns", *_COUNT_KEYS, *_URL_OPTIONS}
_TOP_KEYS = {"baseline", "jobs", "connect_timeout", "read_timeout", "envs", "ignore", "waivers",
             "scratch"}
_WAIVER_KEYS = {"env", "table", "index", "column", "kind", "reason", "expires"}
_IGNORE_KEYS = {"defaults", "tables", "indexes"}
_SECRET_KEYS = {"password", "passwd", "pass", "secret", "pwd"}
# Names as the command line accepts them in NAME=SOURCE (fleet targets become ENV.TARGET).
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
_TARGET = re.compile(r"^[A-Za-z0-9_.-]+$")


@dataclass(frozen=True, slots=True)
class Waiver:
    """A known, accepted difference: which findings it covers, why, and until when."""

    table: str
    reason: str
    env: str = "*"
    index: str | None = None
    column: str | None = None  # for column findings (--objects columns)
    kind: str | None = None
    expires: dt.date | None = None
    number: int = 0  # position in the file (1-based), for messages

    def describe(self) -> str:
        """A short label such as ``waiver 2 (dev: orders.ix_debug)``."""
        target = self.table + (f".{self.index or self.column}"
                               if self.index or self.column else "")
        return f"waiver {self.number} ({self.env}: {target})"


@dataclass(slots=True)
class EnvConfig:
    """One env of the file: a single source, a list of targets, or a schema pattern."""

    name: str
    source: str | None = None  # single target (URL with options as params, or a file)
    targets: dict[str, str] | None = None  # fleet: shard name -> source
    schemas: str | None = None  # fleet: LIKE pattern expanded on the ``source`` server
    # information_schema.COLUMNS export of a file env (--objects columns reads it).
    columns: str | None = None
    # A fleet with fewer targets (min) or another number (expect) fails the run (exit 2).
    min_targets: int | None = None
    expect_targets: int | None = None

    @property
    def is_fleet(self) -> bool:
        """True when the env names more than one target (or a pattern of them)."""
        return self.targets is not None or self.schemas is not None


@dataclass(slots=True)
class Config:
    """Everything ``indexdrift.toml`` says."""

    path: str | None = None
    envs: dict[str, EnvConfig] = field(default_factory=dict)
    baseline: str | None = None
    jobs: int | None = None
    ignore: IgnoreRules = field(default_factory=IgnoreRules)
    waivers: list[Waiver] = field(default_factory=list)
    # The scratch server schema files are loaded on (``--scratch`` wins; sources/scratch.py).
    scratch: str | None = None


def load_config(path: str | Path) -> Config:
    """Read and validate a config file; every problem is one InputError naming the key."""
    import tomllib  # lazy: a run without indexdrift.toml never parses TOML (start-up time)

    shown = str(path)
    raw = read_input(path, shown)
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(shown, Message("error.config.not_utf8")) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(shown, Message("error.config.toml", reason=redact(str(exc)))) from None
    except RecursionError:
        raise InputError(shown, Message("error.config.toml_deep")) from None
    except ValueError:  # an integer of more digits than Python converts (4,300)
        raise InputError(shown, Message("error.config.toml_digits")) from None
    check_depth(data, shown)
    return parse_config(data, shown)


def parse_config(data: dict[str, Any], shown: str = CONFIG_NAME) -> Config:
    """Build a Config from already-parsed TOML data."""
    _check_keys(data, _TOP_KEYS, shown, "")
    config = Config(path=shown)
    defaults = {k: data[k] for k in ("connect_timeout", "read_timeout") if k in data}
    for key, value in defaults.items():
        _number(value, shown, key)
    envs = data.get("envs", {})
    if not isinstance(envs, dict):
        raise InputError(shown, Message("error.config.envs_table"))
    for name, body in envs.items():
        if not _NAME.match(name):
            raise InputError(shown, Message("error.config.env_name", name=name))
        config.envs[name] = _env(name, body, defaults, shown)
    baseline = data.get("baseline")
    if baseline is not None:
        if not isinstance(baseline, str) or (config.envs and baseline not in config.envs):
            raise InputError(shown, Message("error.config.baseline_unknown",
                                                 baseline=repr(baseline),
                                                 envs=", ".join(config.envs)))
        if config.envs and config.envs[baseline].is_fleet:
            raise InputError(shown, Message("error.config.baseline_fleet",
                                                 baseline=repr(baseline)))
        config.baseline = baseline
    jobs = data.get("jobs")
    if jobs is not None:
        if not isinstance(jobs, int) or isinstance(jobs, bool) or not 1 <= jobs <= 256:
            raise InputError(shown, Message("error.config.jobs"))
        config.jobs = jobs
    if "scratch" in data:
        # A URL with a password is refused as an env's is; ``sqlite:`` is not a URL.
        config.scratch = _with_options(_string(data["scratch"], shown, "scratch"), {},
                                       shown, "scratch")
    config.ignore = _ignore(data.get("ignore", {}), shown)
    waivers = data.get("waivers", [])
    if not isinstance(waivers, list):
        raise InputError(shown, Message("error.config.waivers_array"))
    config.waivers = [_waiver(i, w, shown) for i, w in enumerate(waivers, start=1)]
    return config


def _check_keys(table: dict, allowed: set[str], shown: str, where: str) -> None:
    for key in table:
        if key.lower() in _SECRET_KEYS or key.lower().endswith("password"):
            raise InputError(shown, Message("error.config.secret_key", item=f"{where}{key}"))
        if key not in allowed:
            raise InputError(shown, Message("error.config.unknown_key", item=f"{where}{key}",
                                             known=", ".join(sorted(allowed))))


def _number(value: object, shown: str, key: str) -> float:
    # TOML has inf and nan: neither is a number of seconds (sources.url_timeouts agrees).
    if (isinstance(value, bool) or not isinstance(value, int | float)
            or not 0 < value <= MAX_TIMEOUT):
        raise InputError(shown, Message("error.config.seconds", item=key,
                                         most=f"{MAX_TIMEOUT:.0f}"))
    return float(value)


def _string(value: object, shown: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(shown, Message("error.config.string", item=key))
    return value


def _with_options(source: str, options: dict[str, Any], shown: str, where: str) -> str:
    """A URL source with the env's options as query parameters; files are left as they are."""
    if not is_url(source):
        if options:
            raise InputError(shown, Message("error.config.url_options", where=where,
                                             options=", ".join(sorted(options))))
        return source
    try:
        url = parse_url(source)
    except ValueError as exc:
        raise InputError(shown, f"{where}: {exc}") from None
    if url.password is not None:
        raise InputError(shown, Message("error.config.url_password", where=where,
                                         url=url.redacted))
    pairs = []
    for key, value in options.items():
        if isinstance(value, bool):
            value = "1" if value else "0"
        pairs.append(f"{quote(key)}={quote(str(value), safe='')}")
    if not pairs:
        return source
    return source + ("&" if "?" in source else "?") + "&".join(pairs)


def target_count(value: object, where: str) -> int:
    """A fleet's min_targets / expect_targets: a whole number of targets, 1 or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(Message("error.config.target_count", where=where, value=repr(value)))
    return value


def _env(name: str, body: object, defaults: dict[str, Any], shown: str) -> EnvConfig:
    env = _env_sources(name, body, defaults, shown)
    for key in _COUNT_KEYS:
        if key in body:  # type: ignore[operator]
            if not env.is_fleet:
                raise InputError(shown, Message("error.config.fleet_only",
                                                 where=f"envs.{name}.{key}"))
            try:
                count = target_count(body[key], f"envs.{name}.{key}")  # type: ignore[index]
            except ValueError as exc:
                raise InputError(shown, exc.args[0]) from None
            setattr(env, key, count)
    return env


def _env_sources(name: str, body: object, defaults: dict[str, Any], shown: str) -> EnvConfig:
    where = f"envs.{name}"
    if not isinstance(body, dict):
        raise InputError(shown, Message("error.config.env_table", where=where))
    _check_keys(body, _ENV_KEYS, shown, f"{where}.")
    options = dict(defaults)
    for key in _URL_OPTIONS:
        if key in body:
            value = body[key]
            if key.endswith("_timeout"):
                _number(value, shown, f"{where}.{key}")
            elif key == "ssl_verify_identity":
                if not isinstance(value, bool):
                    raise InputError(shown, Message("error.config.bool", where=f"{where}.{key}"))
            else:
                _string(value, shown, f"{where}.{key}")
            options[key] = value
    given = [k for k in ("source", "sources") if k in body]
    if len(given) != 1:
        raise InputError(shown, Message("error.config.one_source", where=where))
    columns = None
    if "columns" in body:
        columns = _string(body["columns"], shown, f"{where}.columns")
        if "sources" in body or "schemas" in body or is_url(columns):
            raise InputError(shown, Message("error.config.columns_file",
                                             where=f"{where}.columns"))
    if "source" in body:
        source = _string(body["source"], shown, f"{where}.source")
        if "schemas" in body:
            pattern = _string(body["schemas"], shown, f"{where}.schemas")
            if not is_url(source):
                raise InputError(shown, Message("error.config.schemas_url", where=where,
                                                 pattern=repr(pattern)))
            return EnvConfig(name, source=_with_options(source, options, shown, where),
                             schemas=pattern)
        file_options = {k: v for k, v in options.items() if k not in defaults}
        return EnvConfig(name, source=_with_options(
            source, options if is_url(source) else file_options, shown, where),
            columns=columns)
    if "schemas" in body:
        raise InputError(shown, Message("error.config.schemas_source", where=where))
    listed = body["sources"]
    if isinstance(listed, list):
        if not listed:
            raise InputError(shown, Message("error.config.empty", where=f"{where}.sources"))
        texts = [_string(s, shown, f"{where}.sources") for s in listed]
        named = dict(zip(target_names(texts), texts, strict=True))
    elif isinstance(listed, dict):
        if not listed:
            raise InputError(shown, Message("error.config.empty", where=f"{where}.sources"))
        named = {str(k): _string(v, shown, f"{where}.sources.{k}") for k, v in listed.items()}
        for key in named:
            if not _TARGET.match(key):
                raise InputError(shown, Message("error.config.target_name",
                                                 where=f"{where}.sources.{key}"))
    else:
        raise InputError(shown, Message("error.config.sources_list",
                                         where=f"{where}.sources"))
    targets = {}
    for target, text in named.items():
        opts = options if is_url(text) else {k: v for k, v in options.items()
                                             if k not in defaults}
        targets[target] = _with_options(text, opts, shown, f"{where}.sources")
    return EnvConfig(name, targets=targets)


def target_names(sources: list[str]) -> list[str]:
    """Short distinct names for a fleet's targets: the schema, else host, else host_port_schema."""
    def clean(text: str) -> str:
        return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "target"

    def candidates(text: str) -> tuple[str, str, str]:
        if is_url(text):
            try:
                url = parse_url(text)
            except ValueError:
                return clean(text), clean(text), clean(text)
            full = f"{url.host}_{url.port or ''}_{url.database or ''}"
            return clean(url.database or url.host), clean(url.host), clean(full)
        stem = Path(text.partition("#")[0]).name
        return clean(text.partition("#")[2] or stem), clean(stem), clean(text)

    options = [candidates(s) for s in sources]
    for level in range(3):
        names = [c[level] for c in options]
        if len(set(names)) == len(names):
            return names
    return [f"{name}_{i}" for i, name in enumerate((c[2] for c in options), start=1)]


def _globs(value: object, shown: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InputError(shown, Message("error.config.globs", item=key))
    return tuple(value)


def _ignore(body: object, shown: str) -> IgnoreRules:
    if not isinstance(body, dict):
        raise InputError(shown, Message("error.config.ignore_table"))
    _check_keys(body, _IGNORE_KEYS, shown, "ignore.")
    use_defaults = body.get("defaults", True)
    if not isinstance(use_defaults, bool):
        raise InputError(shown, Message("error.config.bool", where="ignore.defaults"))
    tables = _globs(body.get("tables", []), shown, "ignore.tables")
    indexes = _globs(body.get("indexes", []), shown, "ignore.indexes")
    base = DEFAULT_IGNORED_TABLES if use_defaults else ()
    return IgnoreRules(tables=base + tables, indexes=indexes)


def _waiver(number: int, body: object, shown: str) -> Waiver:
    where = f"waivers[{number}]"
    if not isinstance(body, dict):
        raise InputError(shown, Message("error.config.table", where=where))
    _check_keys(body, _WAIVER_KEYS, shown, f"{where}.")
    for key in ("table", "reason"):
        if key not in body:
            raise InputError(shown, Message("error.config.waiver_required", where=where,
                                             item=key))
    texts = {k: _string(body[k], shown, f"{where}.{k}")
             for k in ("table", "reason", "env", "index", "column", "kind") if k in body}
    if "index" in texts and "column" in texts:
        raise InputError(shown, Message("error.config.index_or_column", where=where))
    if "kind" in texts and texts["kind"] not in KINDS:
        raise InputError(shown, Message("error.config.kind", where=f"{where}.kind",
                                         kind=repr(texts["kind"]), kinds=", ".join(KINDS)))
    expires = body.get("expires")
    if expires is not None:
        if isinstance(expires, dt.datetime):
            expires = expires.date()
        elif isinstance(expires, str):
            try:
                expires = dt.date.fromisoformat(expires)
            except ValueError:
                raise InputError(shown, Message("error.config.not_date",
                                                 where=f"{where}.expires",
                                                 value=repr(expires))) from None
        elif not isinstance(expires, dt.date):
            raise InputError(shown, Message("error.config.date", where=f"{where}.expires"))
    return Waiver(table=texts["table"], reason=texts["reason"], env=texts.get("env", "*"),
                  index=texts.get("index"), column=texts.get("column"),
                  kind=texts.get("kind"), expires=expires,
                  number=number)
