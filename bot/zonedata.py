"""What the tz database itself says: the canonical Region/City zones (zone.tab,
one list per country), the old names kept as links (tzdata.zi) and where they
point, and country names (iso3166.tab). Read from the tzdata package, so every
process sees the same tables whatever the host's /usr/share/zoneinfo holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from importlib.resources import files
from zoneinfo import ZoneInfo, available_timezones

UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/GMT"})


def _rows(name: str) -> list[list[str]]:
    text = (files("tzdata") / "zoneinfo" / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@dataclass(frozen=True)
class TzData:
    canonical: dict[str, str]  # canonical zone -> its country code ("" for UTC)
    links: dict[str, str]  # old or alternative name -> the zone it points to
    countries: dict[str, str]  # country code -> its name

    def canonical_of(self, zone: str) -> str | None:
        """The canonical zone a name means: itself, where its link points, or None."""
        if zone in UTC_NAMES or self.links.get(zone) in UTC_NAMES:
            return "UTC"
        if zone in self.canonical:
            return zone
        target = self.links.get(zone)
        return target if target in self.canonical else None

    def country(self, zone: str) -> str:
        return self.countries.get(self.canonical.get(zone, ""), "")

    def at_offset(self, offset: timedelta, now: datetime) -> list[str]:
        """Canonical Region/City zones whose offset from UTC is `offset` at `now`."""
        return [z for z in self.canonical if z != "UTC" and ZoneInfo(z).utcoffset(now) == offset]


@lru_cache(maxsize=1)
def tzdata() -> TzData:
    known = available_timezones()
    canonical = {row[2]: row[0] for row in _rows("zone.tab") if row[2] in known}
    canonical["UTC"] = ""
    links: dict[str, str] = {}
    zi = (files("tzdata") / "zoneinfo" / "tzdata.zi").read_text(encoding="utf-8")
    for line in zi.splitlines():
        if line.startswith("L "):
            _, target, name = line.split()
            links[name] = target
    countries = {row[0]: row[1] for row in _rows("iso3166.tab")}
    return TzData(canonical, links, countries)
