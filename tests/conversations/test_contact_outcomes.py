"""/contact log outcomes through the console: chosen with buttons or the form's
select, and typed lines whose negations never cancel the no-reply nudge."""

from __future__ import annotations

import pytest

from tests.conversation import Conversation
from tests.unit.test_contact_outcomes import NEGATIONS


async def _emailed(chat: Conversation) -> None:
    await chat.ok("alice", "/contact add Dr Rao")
    await chat.ok("alice", "/contact log 1 emailed about research")
    nudges = (await chat.ok("alice", "/contact show 1")).data["contact"]["nudges"]
    assert "no-reply" in nudges


@pytest.mark.parametrize("line", [line for line, _ in NEGATIONS])
async def test_no_negation_cancels_the_no_reply_nudge(chat: Conversation, line: str) -> None:
    await _emailed(chat)
    answer = await chat.ok("alice", f"/contact log 1 {line}")
    assert "Good news" not in answer.text
    shown = (await chat.ok("alice", "/contact show 1")).data["contact"]
    assert "no-reply" in shown["nudges"] and shown["awaiting_reply"] is True


async def test_seen_on_main_outcomes(chat: Conversation) -> None:
    await _emailed(chat)
    still = await chat.ok("alice", "/contact log 1 still no reply")
    assert still.data["logged"]["kind"] == "no-reply" and "stays" in still.text
    heard = await chat.ok("alice", "/contact log 1 haven't heard back yet")
    assert heard.data["logged"]["kind"] == "no-reply"
    called = await chat.ok("alice", "/contact log 1 called his office, left a message")
    assert called.data["logged"]["kind"] == "called"


async def test_outcomes_are_offered_as_a_form_and_an_unclear_line_asks(
    chat: Conversation,
) -> None:
    await _emailed(chat)
    form = (await chat.ok("alice", "/contact log 1")).form
    assert form is not None
    outcome = next(f for f in form.fields if f.key == "outcome")
    assert [c.label for c in outcome.choices] == [
        "We met",
        "I emailed",
        "They replied",
        "No reply yet",
        "Called / left a message",
        "Other",
    ]
    asked = await chat.ok("alice", "/contact log 1 thinking about what to write")
    assert "Which was it" in asked.text and len(asked.buttons) == 6
    replied = next(b for b in asked.buttons if b.label == "They replied")
    logged = await chat.ok("alice", f"/{replied.action}")
    assert logged.data["logged"]["kind"] == "replied"
    shown = (await chat.ok("alice", "/contact show 1")).data["contact"]
    assert "no-reply" not in shown["nudges"]
    assert {"kind": "replied", "text": "thinking about what to write"} in shown["events"]
