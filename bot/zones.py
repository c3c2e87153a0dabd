"""Time zone names: validation with a friendly message and close suggestions."""

from __future__ import annotations

import difflib
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from bot.errors import UserError

EXAMPLES = "America/Chicago, Europe/Berlin, Asia/Kolkata or UTC"


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    return {z.lower(): z for z in available_timezones() if "/" in z or z == "UTC"}


def platform_zone(name: str | None) -> str | None:
    """A zone a platform reported (Slack's users.info `tz`) if it is one we know, else None."""
    return _zones().get(name.lower()) if name else None


def parse_zone(name: str) -> str:
    """Canonical IANA name for `name` (case-insensitive), or a UserError with examples."""
    raw = name.strip()
    zone = _zones().get(raw.lower().replace(" ", "_"))
    if zone:
        ZoneInfo(zone)
        return zone
    close = difflib.get_close_matches(raw.lower(), list(_zones()), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(_zones()[c] for c in close)}?" if close else ""
    raise UserError(
        f"'{raw[:64]}' is not a time zone I know.{hint} "
        f"Use a name from the IANA list, such as {EXAMPLES}."
    )
