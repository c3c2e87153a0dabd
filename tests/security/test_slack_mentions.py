"""Issue 15 #3: members are ids. The manifest asks Slack to escape mentions, so a
member picked from the @ list arrives as <@U123|bob>; the adapter hands the core
the id, and a name that is no member is refused with nothing stored."""

from __future__ import annotations

from adapters.slack.manifest import manifest
from bot.features.mentoring.tables import mentoring_exclusions
from bot.storage.tables import members
from tests.adapters.slack.conftest import ADMIN, Slack, loopback_only, slack, slack_api
from tests.security.slack_support import rows, said

__all__ = ["loopback_only", "slack", "slack_api"]
BOB = "U0BOB"


async def test_an_exclusion_by_mention_names_the_member_and_a_typed_name_is_refused(
    slack: Slack,
) -> None:
    commands = manifest()["features"]["slash_commands"]
    assert all(c["should_escape"] for c in commands), "Slack must send mentions as ids"

    excluded = said(await slack.command(f"/mentee exclude <@{BOB}|bob>"))
    assert "never be matched with" in excluded
    assert await rows(slack.rounds, mentoring_exclusions.c.excluded_id) == [BOB]

    # typed without picking from the list: Slack leaves "@carol" as text, which names nobody
    refused = said(await slack.command("/mentee exclude @carol"))
    assert "can't find a member 'carol'" in refused
    assert await rows(slack.rounds, mentoring_exclusions.c.excluded_id) == [BOB]


async def test_organiser_add_and_profile_show_work_with_real_ids(slack: Slack) -> None:
    added = said(await slack.command(f"/admin organiser add <@{BOB}|bob>", user=ADMIN))
    assert "bob is now an organiser" in added
    assert "Community settings" in said(await slack.command("/admin show", user=BOB))

    await slack.command("/profile set timezone Asia/Tokyo", user=BOB)
    shown = said(await slack.command(f"/profile show <@{BOB}|bob>"))
    assert "Asia/Tokyo" in shown

    for line in ("/profile show @nobody", "/admin organiser add @nobody"):
        assert "can't find a member 'nobody'" in said(await slack.command(line, user=ADMIN))
    assert "nobody" not in await rows(slack.rounds, members.c.member_id)
