"""``--tz ZONE``: the time zone a report shows its times in (default: the machine's)."""

from __future__ import annotations

import click


def _set_zone(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    # lazy: zoneinfo loads when a command runs, not for --help (start-up time)
    from indexdrift.core.clock import parse_zone, use_zone

    use_zone(parse_zone(value) if value else None)


tz_option = click.option(
    "--tz", metavar="ZONE", expose_value=False, callback=_set_zone,
    help="Time zone of the report's times: a name (Asia/Seoul, UTC) or an offset "
         "(+09:00); default the machine's.")
