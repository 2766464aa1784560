"""Environment arguments: ``NAME=SOURCE`` or ``SOURCE``, and which one is the baseline."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import PurePath

from indexdrift.core.errors import IndexDriftError
from indexdrift.core.i18n import Message
from indexdrift.sources.sniff import is_export_dir
from indexdrift.sources.urls import is_url, parse_url

BASELINE_NAMES = ("prd", "prod", "production")
_NAMED = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9_.-]*)=(?P<source>.+)$")


@dataclass(frozen=True, slots=True)
class EnvSpec:
    """An environment's name and where to read it from."""

    name: str
    source: str


def name_from_source(source: str) -> str:
    """Derive an env name: ``indexes_prd.csv`` -> ``prd``, ``mysql://h/shop_dev`` -> ``dev``."""
    if is_url(source):
        url = parse_url(source)
        if not url.database:
            # mysql://host:3306 names no schema: the env is the host, whole (127.0.0.1,
            # not "1"), which the error about the missing schema then names.
            return url.host
        stem = url.database
    else:
        stem = PurePath(source.partition("#")[0]).name
        for suffix in (".gz", ".json", ".csv", ".tsv", ".txt", ".db", ".sqlite", ".sqlite3",
                       ".sql"):
            if stem.lower().endswith(suffix):
                stem = stem[: -len(suffix)]
    tokens = [t for t in re.split(r"[_\-.\s]+", stem) if t]
    return tokens[-1] if tokens else stem


def is_schema_source(spec: str) -> bool:
    """True when ``spec`` is schema files (a ``.sql`` file, a directory of them, not an
    export directory): loaded on the scratch server (sources/scratch.py)."""
    if is_url(spec):
        return False
    if spec.lower().endswith(".sql") and os.path.isfile(spec):
        return True
    if not os.path.isdir(spec) or is_export_dir(spec):
        return False
    try:
        return any(n.lower().endswith(".sql") for n in os.listdir(spec))
    except OSError:
        return False


def parse_env(arg: str) -> EnvSpec:
    """Parse one command-line environment argument."""
    match = _NAMED.match(arg)
    if match and "://" not in match["name"]:
        return EnvSpec(match["name"], match["source"])
    return EnvSpec(name_from_source(arg), arg)


def parse_envs(args: list[str] | tuple[str, ...]) -> list[EnvSpec]:
    """Parse all env arguments; names must be unique."""
    specs = [parse_env(a) for a in args]
    seen: dict[str, str] = {}
    for spec in specs:
        if spec.name in seen:
            raise IndexDriftError(Message("error.env_twice", name=repr(spec.name),
                                          first=seen[spec.name], second=spec.source))
        seen[spec.name] = spec.source
    return specs


def choose_baseline(names: list[str], requested: str | None) -> str:
    """The baseline env: ``--baseline`` or the one called prd, prod or production."""
    if requested is not None:
        if requested not in names:
            raise IndexDriftError(Message("error.baseline_unknown", env=requested,
                                          envs=", ".join(names)))
        return requested
    for candidate in BASELINE_NAMES:
        for name in names:
            if name.lower() == candidate:
                return name
    raise IndexDriftError(Message("error.no_baseline", envs=", ".join(names)))
