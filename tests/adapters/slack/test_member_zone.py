"""Issue 22: the first time Slack shows us a member, their profile zone is the `tz`
users.info gives; a zone the member set by hand is never overwritten by Slack's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.commands import Actor
from bot.scheduling.tables import jobs
from tests.adapters.slack.conftest import Slack, community

CHICAGO = "U0CHICAGO"


async def _zone(slack: Slack) -> str:
    shown = await slack.rounds.run_line(Actor(community(), CHICAGO), "/profile show")
    return str(shown.data["profile"]["timezone"])


async def test_a_new_member_gets_reminders_in_the_zone_slack_knows(slack: Slack) -> None:
    slack.api.set_user(CHICAGO, tz="America/Chicago")
    set_for = await slack.answered(
        "/rounds-remind me tomorrow 9am check the ERAS portal", "remind you", user=CHICAGO
    )
    assert "America/Chicago" in set_for
    assert await _zone(slack) == "America/Chicago"
    async with slack.rounds.db.connect() as conn:
        due = (await conn.execute(select(jobs.c.due_at).where(jobs.c.member_id == CHICAGO))).one()
    # the clock stands at Monday 2027-01-04 14:00 UTC: 9am in Chicago (UTC-6) the next day
    assert due[0] == datetime(2027, 1, 5, 15, 0, tzinfo=UTC)


async def test_a_zone_set_by_hand_is_never_overwritten(
    slack: Slack, monkeypatch: pytest.MonkeyPatch
) -> None:
    slack.api.set_user(CHICAGO, tz="America/Chicago")
    await slack.command("/profile set timezone Europe/Berlin", user=CHICAGO)
    monkeypatch.setattr("adapters.slack.people.FRESH_FOR", 0.0)  # Slack is asked again
    slack.api.set_user(CHICAGO, tz="Asia/Tokyo")
    looked_up = len(slack.api.calls("users.info"))
    await slack.command("/profile show", user=CHICAGO)
    assert len(slack.api.calls("users.info")) > looked_up
    assert await _zone(slack) == "Europe/Berlin"
