"""Usage evidence for indexes: how often each one was read on a live server, and since when.

One reader per database (``dialects/<db>/usage.py``, through the registry); ``attach.py``
puts the evidence on compare findings; ``text.py`` says it in the report's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexdrift.core import registry as dialects
from indexdrift.sources.urls import env_url, is_url

# What the counter counts: MySQL/MariaDB count rows read through the index,
# PostgreSQL counts index scans.
ROWS, SCANS = "rows", "scans"
# Since when the counters run.
SINCE_RESTART = "restart"  # performance_schema: reset by a restart (or TRUNCATE)
SINCE_RESET = "stats_reset"  # PostgreSQL: since pg_stat_database.stats_reset
SINCE_USERSTAT = "userstat"  # MariaDB userstat: since it was enabled or flushed
SINCE_UNKNOWN = "unknown"  # PostgreSQL without a reset time: since statistics began
# The ``unavailable`` reason the reports say in words of their own (usage.off_userstat:
# how to turn MariaDB's userstat on) rather than as the reader's text.
USERSTAT_OFF = "userstat_off"


@dataclass(frozen=True, slots=True)
class UsageEvidence:
    """How often one index was read in one env (``reads`` None: not known, see ``unavailable``)."""

    env: str
    table: str
    index: str
    reads: int | None
    unit: str = ROWS
    since: str = SINCE_RESTART
    window_seconds: int | None = None  # how long the counters have run, when known
    uptime_seconds: int | None = None
    last_used: str | None = None  # ISO time (PostgreSQL 16+ last_idx_scan)
    source: str = ""  # performance_schema, userstat, pg_stat_user_indexes
    unavailable: str | None = None  # "userstat_off" or a reason text

    def as_json(self) -> dict:
        """The numbers, for JSON output."""
        return {"env": self.env, "table": self.table, "index": self.index, "reads": self.reads,
                "unit": self.unit, "since": self.since, "window_seconds": self.window_seconds,
                "uptime_seconds": self.uptime_seconds, "last_used": self.last_used,
                "source": self.source, "unavailable": self.unavailable}


@dataclass(slots=True)
class UsageReport:
    """Every index's read count of one env, read in one go."""

    env: str
    source: str
    unit: str = ROWS
    since: str = SINCE_RESTART
    window_seconds: int | None = None
    uptime_seconds: int | None = None
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    last_used: dict[tuple[str, str], str] = field(default_factory=dict)
    unavailable: str | None = None
    # PostgreSQL index names are case-sensitive: keys keep the index name's case.
    exact_names: bool = False

    def evidence(self, table: str, index: str) -> UsageEvidence:
        """The evidence for one index; an index without a counter row was not read."""
        key = (table.lower(), index if self.exact_names else index.lower())
        reads = None if self.unavailable else self.counts.get(key, 0)
        return UsageEvidence(self.env, table, index, reads, self.unit, self.since,
                             self.window_seconds, self.uptime_seconds, self.last_used.get(key),
                             self.source, self.unavailable)


def unreadable(env: str, error: Exception) -> UsageReport:
    """The report of an env whose counters could not be read (the env itself was read:
    missing usage must not hide the drift report); the reason without the env prefix."""
    return UsageReport(env, "", unavailable=str(error).removeprefix(f"env {env}: "))


def read_usage(source: str, env: str, schema: str | None = None) -> UsageReport | None:
    """Usage counters of a live source (None for files: they carry no usage)."""
    if not is_url(source):
        return None
    url = env_url(source, env)
    reader = dialects.by_name(url.kind).module("usage_reader")
    return None if reader is None else reader(url, env, schema)
