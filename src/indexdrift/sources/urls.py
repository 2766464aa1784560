"""Database URLs: parsing, redaction for display, and where the password comes from."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from indexdrift.core.errors import SourceError
from indexdrift.core.i18n import Message
from indexdrift.core.registry import SCHEMES

DB_SCHEMES = {scheme: dialect.name for scheme, dialect in SCHEMES.items()}


def is_url(text: str) -> bool:
    """True for ``scheme://...`` sources that name a database server or file."""
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    return scheme in DB_SCHEMES


@dataclass(slots=True)
class DbUrl:
    """A parsed database URL. ``password`` is never part of ``redacted``."""

    scheme: str
    user: str | None
    password: str | None
    host: str
    port: int | None
    database: str | None
    params: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """The database family: mysql, postgresql or sqlite."""
        return DB_SCHEMES[self.scheme]

    @property
    def redacted(self) -> str:
        """The URL as it may be printed: credentials removed except the user name."""
        user = f"{self.user}@" if self.user else ""
        port = f":{self.port}" if self.port else ""
        db = f"/{self.database}" if self.database else ""
        query = "&".join(f"{k}={v}" for k, v in self.params.items()
                         if "pass" not in k.lower() and "secret" not in k.lower())
        return f"{self.scheme}://{user}{self.host}{port}{db}" + (f"?{query}" if query else "")


def parse_url(text: str) -> DbUrl:
    """Parse ``mysql://user[:password]@host[:port]/schema[?k=v]``."""
    parts = urlsplit(text)
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"bad port in {redact(text)}") from None
    return DbUrl(
        scheme=parts.scheme.lower(),
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        host=parts.hostname or "localhost",
        port=port,
        database=unquote(parts.path.lstrip("/")) or None,
        params=dict(parse_qsl(parts.query)),
    )


# What redact removes, as a regex: scheme://user:password@. Run as one re.sub it takes time
# quadratic in the text's length (every start in a long run of letters scans the run), so a
# 2 MB error message took minutes; redact finds the same matches in one pass.
_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:@/\s]*):(?P<pw>[^@\s]*)@",
                          re.IGNORECASE)
_SCHEME_RUN = re.compile(r"[a-z0-9+.-]*", re.IGNORECASE)  # matched on the reversed text
_SCHEME_START = re.compile(r"[a-z]", re.IGNORECASE)
_USER_END = re.compile(r"[:@/\s]")
_PASSWORD_END = re.compile(r"[@\s]")


def env_url(text: str, env: str) -> DbUrl:
    """``parse_url`` for an env's source: a bad URL is a SourceError naming the env."""
    try:
        return parse_url(text)
    except ValueError as exc:
        raise SourceError(env, str(exc)) from None


def redact(text: str) -> str:
    """Remove any ``user:password@`` password from free text (error messages, logs)."""
    if "://" not in text:
        return text
    out: list[str] = []
    done = 0  # text before this is copied or redacted
    floor = 0  # no scheme reaches back past the previous "://" (':' is not a scheme char)
    password_end = -1  # the first '@' or space at or after the last password's start
    for found in re.finditer("://", text):
        at = found.start()
        low, floor = max(done, floor), at + 3
        if at < done:
            continue
        before = text[low:at]
        run = _SCHEME_RUN.match(before[::-1]).end()
        letter = _SCHEME_START.search(before, len(before) - run)
        user_end = _USER_END.search(text, at + 3)
        if letter is None or user_end is None or text[user_end.start()] != ":":
            continue
        pw_start = user_end.start() + 1
        if password_end < pw_start:  # else no '@' or space lies between: the same end
            end = _PASSWORD_END.search(text, pw_start)
            password_end = end.start() if end else len(text)
        if password_end == len(text) or text[password_end] != "@":
            continue
        start = low + letter.start()
        out += [text[done:start], text[start:user_end.start()], ":***@"]
        done = floor = password_end + 1
    out.append(text[done:])
    return "".join(out)


def password_env_var(env: str) -> str:
    """The environment variable that holds an env's password: INDEXDRIFT_<ENV>_PASSWORD."""
    return "INDEXDRIFT_" + re.sub(r"[^A-Za-z0-9]", "_", env).upper() + "_PASSWORD"


def option_file_password(path: str | None = None, group: str = "client") -> str | None:
    """The password from a MySQL option file ([client] group), if the file says one."""
    candidate = Path(path).expanduser() if path else Path.home() / ".my.cnf"
    if not candidate.is_file():
        return None
    import configparser  # lazy: only an option file needs it (start-up time)

    parser = configparser.RawConfigParser(allow_no_value=True, strict=False)
    try:
        parser.read(candidate, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return None
    for section in (group, "client"):
        if parser.has_option(section, "password"):
            value = parser.get(section, "password") or ""
            return value.strip().strip("'\"")
    return None


def resolve_password(url: DbUrl, env: str) -> tuple[str | None, str]:
    """Find the password and say where it came from (never the password itself)."""
    if url.password is not None:
        return url.password, "url"
    named = url.params.get("password_env")
    if named:
        # Named in indexdrift.toml: its absence is an error, not a silent empty password.
        value = os.environ.get(named)
        if value is None:
            raise SourceError(env, Message("error.password_env_unset", variable=named))
        return value, f"environment variable {named}"
    dialect = SCHEMES[url.scheme]
    own = (dialect.password_variable,) if dialect.password_variable else ()
    for var in (password_env_var(env), "INDEXDRIFT_PASSWORD", *own):
        value = os.environ.get(var)
        if value is not None:
            return value, f"environment variable {var}"
    if dialect.option_files:
        path = url.params.get("defaults-file") or url.params.get("defaults_file")
        value = option_file_password(path)
        if value is not None:
            return value, "option file"
    return None, "none"
