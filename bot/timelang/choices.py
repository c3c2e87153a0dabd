"""Asking instead of guessing: a time the member must confirm or pick becomes
buttons, each re-running the command with an exact, unambiguous time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.responses import Button, Response
from bot.timelang import NeedsChoice, Reading, stamp

Msg = Callable[..., str]


def exact(reading: Reading, tz: str) -> str:
    """A phrase that reads back as exactly this time: '2027-09-15 09:00' (+ its zone)."""
    zone = reading.zone or tz
    local = reading.at.astimezone(ZoneInfo(zone))
    return f"{local:%Y-%m-%d %H:%M}" + (f" {zone}" if reading.zone else "")


def exact_day(reading: Reading, tz: str) -> str:
    """A phrase that reads back as exactly this day: '2027-09-15'."""
    return f"{reading.at.astimezone(ZoneInfo(reading.zone or tz)):%Y-%m-%d}"


def replaced(text: str, exc: NeedsChoice, reading: Reading, *, days: bool = False) -> str:
    """`text` with the phrase that needed a choice written out exactly."""
    phrase = exact_day(reading, exc.tz) if days else exact(reading, exc.tz)
    return f"{text[: exc.start]}{phrase}{text[exc.end :]}".strip()


def ask(
    msg: Msg, exc: NeedsChoice, action: Callable[[Reading], str], *, days: bool = False
) -> Response:
    """The question and one button per reading; `action` gives each button's command."""
    buttons = tuple(Button(_label(r.at, exc.tz, days), action(r), "primary") for r in exc.readings)
    return Response(
        text=msg(exc.key, **exc.values),
        buttons=buttons,
        data={"time_choice": [r.at.isoformat() for r in exc.readings]},
    )


def _label(at: datetime, tz: str, days: bool) -> str:
    return f"{at.astimezone(ZoneInfo(tz)):%a %d %b %Y}" if days else stamp(at, tz)


def echo(msg: Msg, at: datetime, tz: str, zone: str | None) -> str:
    """'Thu 11 Mar 2027, 21:00 EST (America/New_York)', plus the named zone's own time."""
    shown = stamp(at, tz)
    if zone and zone != tz:
        shown += " · " + msg("time_also_in", when=stamp(at, zone))
    return shown
