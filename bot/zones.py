"""Time zones the way members type them: an IANA name, a city, a country, or a
word from content/zones.yaml (EST, Eastern, Mumbai). An offset (GMT+2) or a word
that names several places (IST) is refused with the zones it could mean: a fixed
offset would be an hour off at the next daylight-saving change."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.errors import UserError
from bot.text import neutralise_mentions, shorten
from bot.zonedata import tzdata

Msg = Callable[..., str]
Meaning = str | list[str]  # one zone, or the zones an ambiguous word could mean
_OFFSET = re.compile(r"^(?:(?:utc|gmt) ?)?([+-]) ?(\d{1,2})(?:[:.h]?(\d{2}))?$")
_ETC = re.compile(r"^etc/gmt([+-])(\d{1,2})$")
_SUFFIX = re.compile(r" (?:(?:standard|daylight|summer) )?time$")
# Old city names worth reading; Australia's old names are states and compass points.
_CITY_REGIONS = tuple(f"{r}/" for r in ("Africa", "America", "Antarctica", "Asia", "Atlantic"))
_CITY_REGIONS += ("Europe/", "Indian/", "Pacific/")


def key(text: str) -> str:
    """'São_Paulo' -> 'sao paulo', 'America / New York' -> 'america/new york'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[.'\u2019]", "", text)
    text = re.sub(r"[\s_,-]+", " ", text)
    return re.sub(r" ?/ ?", "/", text).strip()


class ZoneTable(BaseModel):
    """content/zones.yaml: words and places that are not zone names."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    abbreviations: dict[str, Meaning] = Field(default_factory=dict)
    places: dict[str, Meaning] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict)
    likely: list[str] = Field(default_factory=list)

    @field_validator("abbreviations", "places")
    @classmethod
    def _real_zones(cls, table: dict[str, Meaning]) -> dict[str, Meaning]:
        problems = []
        for word, meaning in table.items():
            if word != key(word):
                problems.append(f"{word}: write it as '{key(word)}'")
            if isinstance(meaning, list) and len(meaning) < 2:
                problems.append(f"{word}: a list needs two or more zones")
            problems += [f"{word}: {p}" for p in map(_zone_problem, _zones_of(meaning)) if p]
        if problems:
            raise ValueError("; ".join(problems))
        return table

    @field_validator("likely")
    @classmethod
    def _likely_zones(cls, zones: list[str]) -> list[str]:
        problems = [p for p in map(_zone_problem, zones) if p]
        if problems:
            raise ValueError("; ".join(problems))
        return zones

    @model_validator(mode="after")
    def _words_once(self) -> ZoneTable:
        both = sorted(set(self.abbreviations) & set(self.places))
        if both:
            raise ValueError(f"in both abbreviations and places: {both}")
        stray = sorted(set(self.notes) - set(self.words()))
        if stray:
            raise ValueError(f"notes for words that are in neither table: {stray}")
        return self

    def words(self) -> dict[str, Meaning]:
        return {**self.abbreviations, **self.places}


def _zones_of(meaning: Meaning) -> list[str]:
    return [meaning] if isinstance(meaning, str) else meaning


def _zone_problem(zone: str) -> str | None:
    if zone in tzdata().canonical:
        return None
    better = tzdata().canonical_of(zone) if zone in available_timezones() else None
    if better:
        return f"'{zone}' is an old name; write {better}"
    return f"'{zone}' is not a Region/City zone of the tz database (zone.tab)"


@dataclass(frozen=True)
class Zone:
    """The zone understood, what the member typed, and a note to show with it."""

    name: str
    typed: str
    note: str = ""

    def words(self, msg: Msg) -> dict[str, str]:
        """zone, echo (' (you typed EST)' unless it was the literal name) and note."""
        literal = key(self.typed) == key(self.name)
        echo = "" if literal else msg("zone_you_typed", typed=_shown(self.typed))
        return {"zone": self.name, "echo": echo, "note": f" {self.note}" if self.note else ""}

    def aside(self, msg: Msg) -> str:
        """' Time zone: America/New_York (you typed EST).' for a reply, when it was a guess."""
        said = self.words(msg)
        return msg("zone_read", **said) if said["echo"] or said["note"] else ""


def _shown(text: str) -> str:
    return neutralise_mentions(shorten(text.strip(), 40))


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every IANA name we accept, keyed -> the canonical zone it means."""
    data, out = tzdata(), {}
    for zone in available_timezones():
        meant = data.canonical_of(zone)
        if "/" not in zone and zone.isupper() and meant != "UTC":
            continue  # EST, CET, GB: content/zones.yaml says what those mean here
        if not meant and "/" in zone and not zone.startswith("Etc/"):
            meant = zone
        if meant:
            out[key(zone)] = meant
    return out


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """'cairo' -> Africa/Cairo; old city names too ('calcutta' -> Asia/Kolkata)."""
    data = tzdata()
    out = {key(z.rsplit("/", 1)[1]): z for z in data.canonical if z != "UTC"}
    for old, target in sorted(data.links.items()):
        meant = data.canonical_of(target)
        if old.startswith(_CITY_REGIONS) and meant and meant != "UTC":
            out.setdefault(key(old.rsplit("/", 1)[1]), meant)
    return out


@lru_cache(maxsize=1)
def _countries() -> dict[str, list[str]]:
    """'egypt' -> [Africa/Cairo]; 'united states' -> its zones, in zone.tab order."""
    data, out = tzdata(), dict[str, list[str]]()
    for zone, code in data.canonical.items():
        if code:
            out.setdefault(key(data.countries[code]), []).append(zone)
    return out


def _lookup(word: str, table: ZoneTable) -> Meaning | None:
    found = table.words().get(word) or _names().get(word) or _cities().get(word)
    if found:
        return found
    zones = _countries().get(word)
    if zones:
        return zones[0] if len(zones) == 1 else _by_likeliness(zones, table)[:5]
    return None


def _by_likeliness(zones: list[str], table: ZoneTable) -> list[str]:
    rank = {z: i for i, z in enumerate(table.likely)}
    return sorted(zones, key=lambda z: rank.get(z, len(rank)))


def _choices(zones: list[str]) -> str:
    """'Asia/Kolkata (India), Asia/Jerusalem (Israel) or Europe/Dublin (Ireland)'."""
    countries = [tzdata().country(z) for z in zones]
    named = len(set(countries)) > 1
    shown = [f"{z} ({c})" if named and c else z for z, c in zip(zones, countries, strict=True)]
    return ", ".join(shown[:-1]) + f" or {shown[-1]}"


def _offset_label(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'-' if minutes < 0 else '+'}{hours}" + (f":{rest:02d}" if rest else "")


def _offset(sign: str, hours: str, minutes: str | None) -> timedelta:
    size = timedelta(hours=int(hours), minutes=int(minutes or 0))
    return -size if sign == "-" else size


def _at_offset(
    offset: timedelta, table: ZoneTable, now: datetime, msg: Msg, wording: str, **extra: str
) -> UserError:
    """A refusal naming the canonical zones at `offset` right now, likeliest first."""
    label = _offset_label(offset)
    zones = _by_likeliness(tzdata().at_offset(offset, now), table)[:5]
    if not zones:
        return UserError(msg("zone_offset_none", offset=label))
    city = zones[0].rsplit("/", 1)[1].replace("_", " ")
    return UserError(msg(wording, offset=label, zones=", ".join(zones), city=city, **extra))


def parse_zone(text: str, table: ZoneTable, now: datetime, msg: Msg) -> Zone:
    """The zone `text` names, or a UserError that says what it could mean.
    `now` decides which zones an offset matches (daylight saving moves them)."""
    raw = text.strip()
    plain = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", raw).lower().replace("\u2212", "-"))
    if (etc := _ETC.match(plain.replace(" ", ""))) and int(etc[2]):
        flipped = -_offset(etc[1], etc[2], None)  # POSIX signs: Etc/GMT+2 is UTC-2
        raise _at_offset(flipped, table, now, msg, "zone_etc", typed=_shown(raw))
    if found := _OFFSET.match(plain):
        offset = _offset(found[1], found[2], found[3])
        if offset:
            raise _at_offset(offset, table, now, msg, "zone_offset")
        return Zone("UTC", raw, table.notes.get("gmt", ""))
    word = key(raw)
    for candidate in (word, _SUFFIX.sub("", word), key(raw.split(",")[0])):
        meaning = _lookup(candidate, table)
        if isinstance(meaning, str):
            return Zone(meaning, raw, table.notes.get(candidate, ""))
        if meaning:
            choices = _choices(meaning)
            raise UserError(msg("zone_ambiguous", typed=_shown(raw), choices=choices))
    raise UserError(msg("zone_unknown", typed=_shown(raw), hint=_hint(word, table, msg)))


def _hint(word: str, table: ZoneTable, msg: Msg) -> str:
    """' Did you mean Africa/Cairo?' from close zone names, cities and words."""
    pool = {key(z): z for z in tzdata().canonical} | _cities()
    pool |= {w: m for w, m in table.words().items() if isinstance(m, str)}
    close = difflib.get_close_matches(word, list(pool), n=6, cutoff=0.7)
    zones = _by_likeliness(list(dict.fromkeys(pool[c] for c in close)), table)[:3]
    return msg("zone_did_you_mean", zones=", ".join(zones)) if zones else ""


def names_a_zone(word: str, table: ZoneTable) -> bool:
    """Whether a word after a conference's city is its zone: a Region/City name,
    UTC, an offset or an abbreviation (EST, Eastern), never a bare city."""
    plain = word.strip().lower().replace("\u2212", "-")
    return "/" in plain or bool(_OFFSET.match(plain)) or key(plain) in table.abbreviations


def platform_zone(name: str | None) -> str | None:
    """A zone a platform reported (Slack's users.info `tz`) if it is one we know, else None."""
    return _names().get(key(name)) if name else None
