"""Command names in Slack replies: where Slack keeps a name for itself (/remind),
every reference to ours reads as the command members can type here, and nothing
else that merely looks like one changes."""

from __future__ import annotations

import pytest

from adapters.slack.render import mrkdwn


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("/remind me in 2 days", "/rounds-remind me in 2 days"),
        ("Try `/remind list`.", "Try `/rounds-remind list`."),
        ("(see /remind)", "(see /rounds-remind)"),
        ("ends with /remind", "ends with /rounds-remind"),
        (
            "`/remind`: `/remind me`\n/remind list",
            "`/rounds-remind`: `/rounds-remind me`\n/rounds-remind list",
        ),
        ("**/remind** is bold", "*/remind* is bold"),
    ],
)
def test_our_reserved_commands_get_their_slack_names(text: str, shown: str) -> None:
    assert mrkdwn(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "/reminders are not a command",  # a longer word
        "see https://example.org/remind now",  # part of a link
        "and/remind",  # inside a word
        "/status is Slack's own: Rounds has no /status",  # reserved, but not ours
        "/checkin and /group join are not renamed",
    ],
)
def test_text_that_only_looks_like_a_reserved_command_is_left_alone(text: str) -> None:
    assert mrkdwn(text) == text
