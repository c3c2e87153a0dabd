"""The time-zone, day and time parsers over arbitrary text: a result that makes
sense or a friendly refusal, never an exception of another kind."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import load_content
from bot.errors import UserError
from bot.features.groups.content import DAYS
from bot.features.groups.cycle import parse_day
from bot.timelang import read_clock
from bot.zonedata import tzdata
from bot.zones import Zone, parse_zone
from tests.badinput.support import NASTY

CONTENT = load_content()
NOW = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)


def read(text: str) -> Zone:
    return parse_zone(text, CONTENT.zones, NOW, CONTENT.msg)


ZONES = sorted(z for z in available_timezones() if "/" in z)
zone_like = st.one_of(
    st.sampled_from(ZONES),
    st.sampled_from(ZONES).map(str.lower),
    st.sampled_from(ZONES).map(lambda z: z.replace("_", " ")),
    st.sampled_from(ZONES).map(lambda z: z[:-1] + "x"),  # a typo
    st.builds(lambda z, n: z + n, st.sampled_from(ZONES), st.sampled_from(NASTY)),
    st.text(max_size=80),
    st.from_regex(r"[A-Za-z_]{1,15}/[A-Za-z_]{1,15}", fullmatch=True),
    st.sampled_from(["UTC", "utc", "GMT", "EST", "Etc/GMT+5", "../../etc/passwd", "posix/UTC"]),
    st.from_regex(r"(utc|gmt|UTC|GMT)? ?[+-−] ?\d{1,2}(:?\d\d)?", fullmatch=True),
)


@settings(max_examples=300, deadline=None)
@given(zone_like)
def test_parse_zone_names_a_real_zone_or_explains(text: str) -> None:
    try:
        zone = read(text).name
    except UserError as exc:
        assert "time zone" in exc.message or "UTC" in exc.message or "could mean" in exc.message
        assert len(exc.message) < 500  # the echo of the input is cut short
        assert "Etc/" not in exc.message.replace(text.strip()[:40], "")  # never suggested
        return
    ZoneInfo(zone)  # loads
    assert zone in tzdata().canonical or zone.startswith(tuple(f"{r}/" for r in REGIONS))


REGIONS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe")


@given(st.sampled_from(ZONES))
def test_every_listed_zone_parses_in_any_case(zone: str) -> None:
    meant = tzdata().canonical_of(zone) or zone
    if zone.startswith("Etc/GMT") and zone[7:8] in "+-" and zone[7:] not in ("+0", "-0"):
        return  # a fixed offset: refused, see tests/unit/test_zones.py
    assert read(zone.upper()).name == meant
    assert read(f"  {zone.lower()} ").name == meant


day_like = st.one_of(
    st.sampled_from([*DAYS, "Monday", "TUESDAY", "wednes", "Thurs", "fr", "m", "sun."]),
    st.builds(lambda d, n: d + n, st.sampled_from(DAYS), st.sampled_from(NASTY)),
    st.text(max_size=30),
)


@settings(max_examples=300)
@given(day_like)
def test_parse_day_is_a_weekday_or_none(text: str) -> None:
    day = parse_day(text)
    if day is None:
        return
    assert 0 <= day <= 6
    assert text.strip().lower()[:3] == DAYS[day]


time_like = st.one_of(
    st.builds(
        lambda h, m, half, sp: f"{h}{':' + m if m is not None else ''}{sp}{half}",
        st.integers(0, 30),
        st.one_of(st.none(), st.integers(0, 70).map(lambda m: f"{m:02d}")),
        st.sampled_from(["", "am", "pm", "AM", "Pm"]),
        st.sampled_from(["", " ", "  "]),
    ),
    st.builds(lambda t, n: t + n, st.sampled_from(["9am", "18:30"]), st.sampled_from(NASTY)),
    st.text(max_size=20),
    st.sampled_from(["٩:٣٠", "𝟗am", "9.30", "9h30", "noon", "24:00", "00:00", "12am", "12pm"]),
)


@settings(max_examples=400)
@given(time_like)
def test_read_clock_is_a_clock_time_or_none(text: str) -> None:
    hm = read_clock(text)
    if hm is None:
        return
    hour, minute = hm
    assert 0 <= hour <= 23 and 0 <= minute <= 59
    t = text.strip().lower()
    if t.endswith("am"):
        assert hour < 12
    elif t.endswith("pm"):
        assert hour >= 12
    elif m := re.fullmatch(r"(\d{1,2}):(\d{2})", t):  # in any script's digits: "٩:٣٠"
        assert int(m[2]) == minute and int(m[1]) % 12 == hour % 12


def test_examples_members_type() -> None:
    assert [read_clock(t) for t in ("9am", "12am", "12pm", "6:15pm", "18:30", "09:05")] == [
        (9, 0),
        (0, 0),
        (12, 0),
        (18, 15),
        (18, 30),
        (9, 5),
    ]
    hour_only = [read_clock(t) for t in ("9", "6", "noon", "evening")]
    assert hour_only == [(9, 0), (18, 0), (12, 0), (18, 0)]
    assert [read_clock(t) for t in ("13pm", "24:00", "9:60", "9 tomorrow")] == [None] * 4
