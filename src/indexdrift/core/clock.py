"""The report's time zone (``--tz``) and its moments shown in it: ``2026-01-01 09:00
+09:00 KST``.

The zone is the machine's unless ``--tz`` names one; the CLI sets it once for the run
(``use_zone``), the renderers read it through ``format_moment``.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from indexdrift.core.errors import IndexDriftError
from indexdrift.core.i18n import Message

_ZONE: ContextVar[tzinfo | None] = ContextVar("indexdrift_report_zone", default=None)
_OFFSET = re.compile(r"^(?:UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$", re.I)


def parse_zone(text: str) -> tzinfo:
    """``--tz``: an IANA name (``Asia/Seoul``), ``UTC``/``Z``, ``local``, or an offset
    (``+09:00``, ``-0530``, ``UTC+9``); anything else is a one-line error."""
    value = text.strip()
    if value.upper() in ("UTC", "Z", "GMT"):
        return UTC
    if value.lower() == "local":
        return local_zone()
    found = _OFFSET.match(value)
    if found:
        sign, hours, minutes = found.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta >= timedelta(hours=24):
            raise IndexDriftError(Message("error.tz_offset", value=text))
        return timezone(-delta if sign == "-" else delta)
    # lazy: zoneinfo (and the sysconfig lookup of its search path) only for a zone name;
    # every command sets the zone, most with none given (start-up time)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise IndexDriftError(Message("error.tz_unknown", value=text)) from None


def local_zone() -> tzinfo:
    """The machine's zone (``TZ``, else the system's), as the C library knows it now."""
    return datetime.now().astimezone().tzinfo or UTC


def use_zone(zone: tzinfo | None) -> None:
    """Show this run's moments in ``zone`` (None: the machine's)."""
    _ZONE.set(zone)


def report_zone() -> tzinfo:
    """The zone this run's moments are shown in."""
    return _ZONE.get() or local_zone()


def format_moment(moment: datetime, zone: tzinfo | None = None) -> str:
    """``2026-01-01 09:00 +09:00 KST``: the moment in ``zone`` (default the report's), its
    offset, and the zone's abbreviation when it has one beyond the offset."""
    local = moment.astimezone(zone or report_zone())
    offset = local.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:5]}" if offset else "+00:00"
    text = local.strftime("%Y-%m-%d %H:%M ") + offset
    name = local.tzname() or ""
    if name and not name.startswith(("UTC+", "UTC-", "+", "-")):
        text += " " + name
    return text
