"""Moments: an instant written into text survives as itself, each adapter renders
it for its reader, and user text cannot forge one."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.discord.render import timestamp
from adapters.slack.render import mrkdwn
from bot.responses import Field, Moment, Response, plain_moments, render_moments
from bot.text import neutralise_mentions

AT = datetime(2027, 1, 11, 0, 0, tzinfo=UTC)


def test_a_moment_in_text_renders_per_reader() -> None:
    moment = Moment(AT, "datetime", "Mon 11 Jan 09:00 JST")
    text = f"Check in by {moment}."
    assert render_moments(text, lambda m: m.local("Asia/Kolkata")) == (
        "Check in by Mon 11 Jan 05:30 IST."
    )
    assert render_moments(text, timestamp) == f"Check in by <t:{int(AT.timestamp())}:F>."
    assert mrkdwn(text) == (
        f"Check in by <!date^{int(AT.timestamp())}^{{date_short_pretty}} at {{time}}"
        "|Mon 11 Jan 09:00 JST>."
    )
    assert plain_moments(text) == "Check in by Mon 11 Jan 09:00 JST."


def test_fields_carry_moments_and_titles_fall_back() -> None:
    moment = Moment(AT, "time", "09:00 JST")
    r = Response(title=f"At {moment}", fields=(Field("Prompt", str(moment)),))
    shown = r.localised(lambda m: m.local("Europe/Berlin"))
    assert shown.title == "At 09:00 JST" and shown.fields[0].value == "01:00 CET"


def test_user_text_cannot_forge_a_moment() -> None:
    forged = neutralise_mentions(str(Moment(AT, "date", "x")))
    assert render_moments(forged, lambda m: "RENDERED") == forged
