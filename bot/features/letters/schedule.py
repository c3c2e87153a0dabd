"""When a letter's reminders arrive: weeks before the deadline from the pack's
cadences (ask, gentle check, confirm uploaded), a thank-you some days after,
each at the pack's hour on that local date in the member's zone (so 9:00 stays
9:00 across a daylight-saving change). Pure, so it is tested without a database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.features.conference.dates import at_local
from bot.features.letters.content import Leads, LettersSection

WHICH = ("ask", "gentle", "confirm", "thanks")
STATUSES = ("planned", "asked", "agreed", "uploaded", "declined")
# Which reminders still make sense in each status (checked again when one is due).
# A thank-you only follows a letter that went in, or one the writer agreed to (then
# it asks whether it went in); never a letter that was not asked for or declined.
STILL_USEFUL = {
    "ask": ("planned",),
    "gentle": ("planned", "asked"),
    "confirm": ("planned", "asked", "agreed"),
    "thanks": ("agreed", "uploaded"),
}
# The statuses that end a reminder for good (cancelled on update). The thank-you
# waits through "planned" and "asked", since the writer may still agree.
ENDED_BY = {
    "ask": ("asked", "agreed", "uploaded", "declined"),
    "gentle": ("agreed", "uploaded", "declined"),
    "confirm": ("uploaded", "declined"),
    "thanks": ("declined",),
}


@dataclass(frozen=True)
class Reminder:
    which: str
    due: datetime
    day: date


def reminders(deadline: date, leads: Leads, section: LettersSection, tz: str) -> list[Reminder]:
    """Every reminder of a letter, past ones included, in time order."""
    days = {
        "ask": deadline - timedelta(weeks=leads.ask),
        "gentle": deadline - timedelta(weeks=leads.gentle) if leads.gentle else None,
        "confirm": deadline - timedelta(weeks=leads.confirm) if leads.confirm else None,
        "thanks": deadline + timedelta(days=section.thank_you_days_after),
    }
    out = [
        Reminder(which, at_local(day, time(section.hour), tz), day)
        for which, day in days.items()
        if day is not None
    ]
    return sorted(out, key=lambda r: (r.due, WHICH.index(r.which)))


def key(letter_id: int, which: str) -> str:
    return f"letter:{letter_id}:{which}"


def to_cancel(status: str) -> list[str]:
    """Reminders that no longer apply once a letter reaches `status`."""
    return [w for w in WHICH if status in ENDED_BY[w]]
