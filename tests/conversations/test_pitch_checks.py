"""/pitch-review check keeps its word (issue 18): a generic word is no focus and
"Any tips?" no clear ask; each pack times a spoken pitch against its own target;
emails are counted in words, need a specific subject line and are told about
template phrases; and no verdict contradicts another."""

from __future__ import annotations

import pytest

from bot.core import Rounds
from bot.responses import Response
from tests.conversation import Conversation

MAYA = "Hi, I'm Maya. I like IR and I think it's really cool. Any tips?"
SHORT_EMAIL = (  # 53 words, all five parts, a specific subject
    "Subject: MS3 interested in limb salvage - request for advice\n"
    "Dear Dr Patel,\n"
    "I'm Ravi Menon, an MS3 at Case Western and a former engineer. I read your paper on "
    "below-the-knee angioplasty; I'm helping with a PAD registry at our hospital. Could I "
    "ask for a 15-minute call about research years?\n"
    "Best,\nRavi Menon"
)


@pytest.fixture
def any_chat(any_rounds: Rounds) -> Conversation:
    return Conversation(any_rounds, community="demo", organisers={"olivia"})


def _names(r: Response) -> list[str]:
    return [f.name for f in r.fields]


async def test_a_vague_pitch_has_no_focus_and_no_clear_ask(any_chat: Conversation) -> None:
    chat = any_chat
    maya = await chat.ok("maya", "/pitch-review check " + MAYA)
    assert {"focus", "ask"} <= set(maya.data["pitch"]["missing"])
    assert "vague_interest" in maya.data["pitch"]["flags"]
    assert "Add: A specific focus" in _names(maya) and "Add: A clear ask" in _names(maya)
    assert "All five parts" not in maya.text
    # "stepping stone" is not urology's stone disease.
    await chat.ok("priya", "/profile set pack urology")
    stone = await chat.ok(
        "priya",
        "/pitch-review check I'm Priya Shah, an MS3 at Rutgers. I see urology as a stepping "
        "stone to the surgical career I'd enjoy. Could I shadow in your clinic?",
    )
    assert "focus" in stone.data["pitch"]["missing"]
    assert "vague_interest" in stone.data["pitch"]["flags"]


async def test_each_pack_has_its_own_spoken_target(any_chat: Conversation) -> None:
    chat = any_chat
    pitch = (
        "I'm Luis Ortega, an MS4 at UT Southwestern and a former EMT. I'm focused on kidney "
        "stone disease, and I'm running a ureteroscopy outcomes review. Could I ask for 15 "
        "minutes of advice on sub-internships?"
    )
    for member, pack, target in (
        ("ira", "ir", [20, 30]),
        ("uma", "urology", [15, 20]),
        ("pim", "prelim-im", [30, 45]),
    ):
        await chat.ok(member, f"/profile set pack {pack}")
        r = await chat.ok(member, "/pitch-review check " + pitch)
        assert r.data["pitch"]["target_seconds"] == target
        assert f"target {target[0]}-{target[1]} s" in (r.title or "")
    # At about 15 s it fits urology's short introduction, not prelim IM's longer one.
    uro = await chat.ok("uma", "/pitch-review check " + pitch)
    assert uro.data["pitch"]["flags"] == [] and "All five parts" in uro.text


async def test_an_email_is_counted_in_words_and_never_told_two_things(
    any_chat: Conversation,
) -> None:
    chat = any_chat
    r = await chat.ok("ravi", "/pitch-review check cold-email " + SHORT_EMAIL)
    assert r.data["pitch"]["words"] == 53
    assert r.data["pitch"]["target_words"] == [60, 180] and "seconds" not in r.data["pitch"]
    assert "53 words" in (r.title or "") and "60-180 words" in (r.title or "")
    assert " s " not in (r.title or "") and "s)" not in (r.title or "")
    # All five parts and not "too short": a short complete email is a good one.
    assert "All five parts" in r.text and r.data["pitch"]["flags"] == []
    assert not any("Too short" in name for name in _names(r))


async def test_subject_line_and_template_phrases_are_flagged(any_chat: Conversation) -> None:
    chat = any_chat
    no_subject = SHORT_EMAIL.split("\n", 1)[1]
    r = await chat.ok("ravi", "/pitch-review check cold-email " + no_subject)
    assert r.data["pitch"]["flags"] == ["subject"]
    assert "Flag: Subject line" in _names(r)
    vague = "Subject: Question\n" + no_subject
    assert (await chat.ok("ravi", "/pitch-review check cold-email " + vague)).data["pitch"][
        "flags"
    ] == ["subject"]
    template = SHORT_EMAIL.replace(
        "I read your paper", "Since childhood I have admired your prestigious program. I read"
    )
    t = await chat.ok("ravi", "/pitch-review check cold-email " + template)
    assert "template" in t.data["pitch"]["flags"]
    assert "Flag: Sounds like a template" in _names(t)
    whom = "To whom it may concern,\n" + no_subject.split("\n", 1)[1]
    assert (
        "template" in (await chat.ok("ravi", "/pitch-review check " + whom)).data["pitch"]["flags"]
    )
