"""Issue 15 #3: members are ids. The manifest asks Slack to escape mentions, so a
member picked from the @ list arrives as <@U123|bob>; the adapter hands the core
the id, and a name that is no member is refused with nothing stored."""

from __future__ import annotations

from adapters.slack.manifest import manifest
from bot.features.mentoring.tables import mentoring_exclusions
from bot.storage.tables import members
from tests.adapters.slack.conftest import ADMIN, Slack, loopback_only, slack, slack_api
from tests.security.slack_support import rows

__all__ = ["loopback_only", "slack", "slack_api"]
BOB = "U0BOB"


async def test_an_exclusion_by_mention_names_the_member_and_a_typed_name_is_refused(
    slack: Slack,
) -> None:
    commands = manifest()["features"]["slash_commands"]
    assert all(c["should_escape"] for c in commands), "Slack must send mentions as ids"

    await slack.answered(f"/mentee exclude <@{BOB}|bob>", "never be matched with")
    assert await rows(slack.rounds, mentoring_exclusions.c.excluded_id) == [BOB]

    # typed without picking from the list: Slack leaves "@carol" as text, which names nobody
    await slack.answered("/mentee exclude @carol", "can't find a member 'carol'")
    assert await rows(slack.rounds, mentoring_exclusions.c.excluded_id) == [BOB]


async def test_organiser_add_and_profile_show_work_with_real_ids(slack: Slack) -> None:
    await slack.answered(f"/admin organiser add <@{BOB}|bob>", "bob is now an organiser", ADMIN)
    await slack.answered("/admin show", "Community settings", user=BOB)

    await slack.answered("/profile set timezone Asia/Tokyo", "Saved", user=BOB)
    await slack.answered(f"/profile show <@{BOB}|bob>", "Asia/Tokyo")

    for line in ("/profile show @nobody", "/admin organiser add @nobody"):
        await slack.answered(line, "can't find a member 'nobody'", user=ADMIN)
    assert "nobody" not in await rows(slack.rounds, members.c.member_id)
