"""Mentor matching keeps its promises (issue 18): the unmatched hear why and what
happens next, an unanswered introduction is reminded once and the organiser sees
it, "did you meet?" only for accepted pairs, follow-up wording fits each side,
near-peer is a distance on the stage ladder, unmatched reasons carry a next
step, the preview shows each mentor's load and the CSV the reason. On SQLite
and PostgreSQL."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from bot.core import Rounds
from bot.responses import Response
from tests.conversation import Conversation
from tests.conversations.mentoring_people import AMIR, ANA, BEA, BEN, BO

UMA = "/mentee signup pack=urology kinds=career stage=ms4 goal='a urology match'"
KAI = "/mentee signup kinds=sponsor stage=pgy3 goal='a letter from a sponsor'"


@pytest.fixture
def any_chat(any_rounds: Rounds) -> Conversation:
    return Conversation(any_rounds, community="demo", organisers={"olivia"})


def _dms(response: Response) -> dict[str, Response]:
    return {p.to.member_id or "": p.message for p in response.also if p.to.member_id}


def _kind(deliveries: list[dict[str, Any]], key: str) -> list[str]:
    return sorted(d["to"]["member"] for d in deliveries if key in d["message"]["data"])


async def _pool(chat: Conversation, *lines: tuple[str, str]) -> None:
    await chat.ok("olivia", "/mentor round open seed=42")
    for member, line in lines:
        await chat.ok(member, line)


async def _publish(chat: Conversation, line: str = "/mentor round publish") -> dict[str, int]:
    published = await chat.ok("olivia", line)
    return {p["mentee"]: p["id"] for p in published.data["published"]["pairs"]}


async def test_unmatched_mentees_get_a_kind_dm_with_the_reason_and_next_step(
    any_chat: Conversation,
) -> None:
    chat = any_chat
    await _pool(chat, ("ben", BEN), ("bea", BEA), ("bo", BO), ("uma", UMA))
    refused = await chat.fails("olivia", "/mentor round publish next=soonish")
    assert "couldn't read 'soonish'" in refused.text and "next monday" in refused.text
    assert (await chat.ok("olivia", "/mentor round status")).data["round_status"][
        "status"
    ] == "open"
    published = await chat.ok("olivia", "/mentor round publish next=2027-03-01")
    dms = _dms(published)
    uma, bo = dms["uma"], dms["bo"]
    assert uma.data["mentoring_unmatched"]["reason"] == "no-mentors"
    assert "no mentor in Urology signed up" in uma.text
    assert "Mon 1 Mar 2027" in uma.text and "ask an organiser" in uma.text
    assert [b.action for b in uma.buttons] == ["mentee signup"]
    assert "places filled" in bo.text and "ben" not in bo.text  # names nobody


async def test_an_unanswered_introduction_is_nudged_once_and_shown_to_the_organiser(
    any_chat: Conversation,
) -> None:
    chat = any_chat
    await _pool(chat, ("ana", ANA), ("amir", AMIR))
    pairs = await _publish(chat)
    await chat.ok("amir", f"/mentee accept {pairs['amir']}")
    assert _kind(await chat.advance("2d"), "mentoring_nudge") == []
    nudged = [d for d in await chat.advance("1d") if "mentoring_nudge" in d["message"]["data"]]
    assert [d["to"]["member"] for d in nudged] == ["ana"]  # Amir already answered
    assert [b["action"] for b in nudged[0]["message"]["buttons"]] == [
        f"mentor accept {pairs['amir']}",
        f"mentor decline {pairs['amir']}",
    ]
    assert _kind(await chat.advance("7d"), "mentoring_nudge") == []  # one reminder only

    status = await chat.ok("olivia", "/mentor round status")
    (waiting,) = status.data["round_status"]["waiting"]
    assert waiting | {"mentee": "amir", "mentor": "ana", "nudged": True} == waiting
    assert "waiting for ana" in status.text and "reminded" in status.text
    assert "for organisers" in (await chat.fails("amir", "/mentor round status")).text


async def test_did_you_meet_goes_only_to_accepted_pairs(any_chat: Conversation) -> None:
    chat = any_chat
    await _pool(chat, ("ana", ANA), ("ben", BEN), ("amir", AMIR), ("bea", BEA))
    pairs = await _publish(chat)
    await chat.ok("amir", f"/mentee accept {pairs['amir']}")
    await chat.ok("ana", f"/mentor accept {pairs['amir']}")
    await chat.ok("bea", f"/mentee accept {pairs['bea']}")  # Ben never answers
    checks = _kind(await chat.advance("14d"), "mentoring_meet_check")
    assert checks == ["amir", "ana"]
    refused = await chat.fails("bea", f"/mentee met {pairs['bea']} yes")
    assert "both accepted" in refused.text


async def test_follow_up_wording_fits_the_mentor_and_the_mentee(any_chat: Conversation) -> None:
    chat = any_chat
    await _pool(chat, ("ana", ANA), ("amir", AMIR))
    pairs = await _publish(chat)
    await chat.ok("amir", f"/mentee accept {pairs['amir']}")
    await chat.ok("ana", f"/mentor accept {pairs['amir']}")
    mentor = await chat.ok("ana", f"/mentor met {pairs['amir']} yes")
    assert "keep your mentor posted" not in mentor.text.lower()
    assert "amir will send you a short update every 90-120 days" in mentor.text
    mentee = await chat.ok("amir", f"/mentee met {pairs['amir']} yes")
    assert "Keep ana posted every 90-120 days" in mentee.text


async def test_a_graduate_is_not_a_near_peer_of_a_pgy2(any_chat: Conversation) -> None:
    chat = any_chat
    await _pool(
        chat,
        ("pia", "/mentor signup kinds=near-peer focus=venous-disease stage=pgy2 capacity=1"),
        ("gus", "/mentee signup kinds=near-peer focus=venous-disease stage=graduate goal=x"),
    )
    (pair,) = (await chat.ok("olivia", "/mentor round preview")).data["preview"]["pairs"]
    assert "near-peer" not in pair["why"] and "1 years" not in pair["why"]
    assert "a year ahead" in pair["why"]
    # the near-peer offer does not count: venous disease, time zone and language only
    assert pair["fit"] == 40.0


async def test_unmatched_reasons_name_the_constraint_and_a_suggestion(
    any_chat: Conversation,
) -> None:
    chat = any_chat
    await _pool(chat, ("ben", BEN), ("bea", BEA), ("bo", BO), ("uma", UMA), ("kai", KAI))
    await chat.ok("kai", "/mentee details img=none timezone=Asia/Tokyo languages=japanese")
    preview = await chat.ok("olivia", "/mentor round preview")
    why = {u["mentee"]: u for u in preview.data["preview"]["unmatched"]}
    assert why["bo"]["constraint"] == "capacity"
    assert "raising ben's capacity from 1 to 2" in why["bo"]["why"]
    assert why["uma"]["constraint"] == "pool"
    assert "recruit one who offers Career mentoring" in why["uma"]["why"]
    assert why["kai"]["constraint"] == "kind"
    assert "offers Sponsor mentoring: recruit a mentor of that kind" in why["kai"]["why"]
    assert "raising ben's capacity" in preview.text


async def test_the_preview_lists_each_mentors_load(any_chat: Conversation) -> None:
    chat = any_chat
    await _pool(chat, ("ana", ANA), ("ben", BEN), ("amir", AMIR), ("bea", BEA))
    preview = await chat.ok("olivia", "/mentor round preview")
    load = preview.data["preview"]["load"]
    assert load == {"ana": {"pairs": 1, "capacity": 2}, "ben": {"pairs": 1, "capacity": 1}}
    assert "Mentor load" in preview.text
    assert "- ben: 1 of 1 (full)" in preview.text and "- ana: 1 of 2\n" in preview.text + "\n"


async def test_the_csv_has_the_reason_for_unmatched_rows(any_chat: Conversation) -> None:
    chat = any_chat
    await _pool(chat, ("ben", BEN), ("bea", BEA), ("uma", UMA))
    await _publish(chat)
    export = await chat.ok("olivia", "/mentor export")
    rows = {r["mentee"]: r for r in csv.DictReader(io.StringIO(export.data["csv"]))}
    assert rows["uma"]["status"] == "unmatched"
    assert rows["uma"]["why"].startswith("no mentor with free slots signed up in the Urology pack")
