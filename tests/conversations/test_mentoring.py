"""Mentor matching as members and an organiser would use it through the console:
two-step sign-ups, a round from open to publish, introductions with accept and
decline (and a re-match), the "did you meet?" check, mentor-update reminders,
the export, and bad input that leaves nothing changed."""

from __future__ import annotations

import csv
import io
from typing import Any

from bot.responses import Response
from tests.conversation import Conversation

ANA = (
    "/mentor signup pack=ir kinds='research, career' focus=interventional-oncology "
    "stage=attending capacity=2"
)
BEN = "/mentor signup kinds=near-peer,career focus=venous-disease stage=pgy3 capacity=1"
AMIR = "/mentee signup kinds=research focus='Interventional oncology' stage=ms3 goal='an abstract'"
BEA = "/mentee signup kinds=near-peer focus=venous-disease stage=ms2 goal='plan away rotations'"


async def _pool(chat: Conversation) -> None:
    await chat.ok("olivia", "/mentor round open seed=42")
    await chat.ok("ana", ANA)
    await chat.ok(
        "ana", "/mentor details img=img timezone=America/Chicago languages='english, hindi'"
    )
    await chat.ok("ben", BEN)
    await chat.ok("amir", AMIR)
    await chat.ok("amir", "/mentee details img=img timezone=Asia/Kolkata languages=hindi")
    await chat.ok("bea", BEA)


def _profile(response: Response, role: str) -> dict[str, Any]:
    profile: dict[str, Any] = response.data["mentoring_profile"][role]
    return profile


def _dms(response: Response) -> dict[str, Response]:
    """The last DM each member gets from a response."""
    return {p.to.member_id or "": p.message for p in response.also if p.to.member_id}


async def test_sign_up_in_two_steps_and_again_to_update(chat: Conversation) -> None:
    first = await chat.ok("ana", ANA)
    assert first.data["mentoring_signup"]["created"] is True
    assert first.buttons[0].action == "mentor details"
    form = (await chat.ok("ana", "/mentor signup")).form
    assert form is not None and len(form.fields) <= 5 and len(form.title) <= 24
    assert all(len(f.label) <= 45 for f in form.fields)
    assert {f.key: f.default for f in form.fields}["capacity"] == "2"  # prefilled
    details = (await chat.ok("ana", "/mentor details")).form
    assert details is not None and len(details.fields) <= 5
    await chat.ok("ana", "/mentor details img=experienced timezone=Europe/Berlin languages=german")

    again = await chat.ok("ana", ANA.replace("capacity=2", "capacity=4"))
    assert again.data["mentoring_signup"]["created"] is False
    assert "updated" in again.text
    shown = await chat.ok("ana", "/mentor profile")
    mentor = _profile(shown, "mentor")
    assert mentor["capacity"] == 4
    assert mentor["timezone"] == "Europe/Berlin"  # step two kept
    assert list(shown.data["mentoring_profile"]) == ["mentor", "excluded", "pairs"]


async def test_bad_sign_ups_are_refused_and_change_nothing(chat: Conversation) -> None:
    await chat.ok("ana", ANA)
    zero = await chat.fails("ana", ANA.replace("capacity=2", "capacity=0"))
    assert "from 1 to 5 (not 0)" in zero.text
    lots = await chat.fails("ana", ANA.replace("capacity=2", "capacity=500"))
    assert "from 1 to 5 (not 500)" in lots.text
    word = await chat.fails("ana", ANA.replace("capacity=2", "capacity=two"))
    assert "whole number" in word.text
    area = await chat.fails("ana", ANA.replace("interventional-oncology", "cooking"))
    assert "'cooking' is not a focus area in the Interventional radiology pack" in area.text
    assert "venous-disease" in area.text
    kind = await chat.fails("ana", ANA.replace("research, career", "astrology"))
    assert "not a kind of mentoring" in kind.text
    stage = await chat.fails("ana", ANA.replace("attending", "wizard"))
    assert "training stage" in stage.text
    zone = await chat.fails("ana", "/mentor details img=img timezone=Mars/Phobos languages=x")
    assert "not a time zone" in zone.text
    lang = await chat.fails("ana", "/mentor details img=img timezone=UTC languages='<@&1>'")
    assert "<@&1>" not in lang.text
    mentor = _profile(await chat.ok("ana", "/mentor profile"), "mentor")
    assert mentor["capacity"] == 2 and mentor["focus"] == ["interventional-oncology"]
    assert mentor["timezone"] == "UTC" and mentor["img"] == "none"
    first = await chat.fails("bob", "/mentee details")
    assert "Start with `/mentee signup`" in first.text


async def test_mentions_in_a_goal_never_ping(chat: Conversation) -> None:
    await chat.ok("amir", AMIR.replace("an abstract", "@everyone help <@123>"))
    goal = _profile(await chat.ok("amir", "/mentee profile"), "mentee")["goal"]
    assert "@everyone" not in goal and "<@123>" not in goal


async def test_only_organisers_run_rounds(chat: Conversation) -> None:
    await _pool(chat)
    refused = await chat.fails("amir", "/mentor round publish")
    assert "for organisers" in refused.text
    await chat.fails("ana", "/mentor round preview")
    await chat.fails("ana", "/mentor export")
    # nothing was published
    assert (await chat.ok("olivia", "/mentor round preview")).data["preview"]["round"] == 1


async def test_round_preview_publish_introductions_and_follow_ups(chat: Conversation) -> None:
    await _pool(chat)
    await chat.ok(
        "uma", "/mentee signup pack=urology kinds=career stage=ms4 goal='a urology match'"
    )
    closed = await chat.ok("olivia", "/mentor round close")
    assert closed.data["round"]["pool"] == 5
    late = await chat.ok("lee", "/mentee signup kinds=career stage=ms1 goal='late to the party'")
    assert "next matching round" in late.text

    preview = await chat.ok("olivia", "/mentor round preview")
    plan = preview.data["preview"]
    assert {(p["mentee"], p["mentor"]) for p in plan["pairs"]} == {
        ("amir", "ana"),
        ("bea", "ben"),
    }
    amir = next(p for p in plan["pairs"] if p["mentee"] == "amir")
    assert amir["why"].startswith("both IMGs; interventional oncology; research mentoring")
    assert "11.5 h apart" in amir["why"] and "both speak Hindi" in amir["why"]
    (uma,) = plan["unmatched"]
    assert (uma["mentee"], uma["reason"]) == ("uma", "no-mentors")
    assert uma["why"].startswith("no mentor with free slots signed up in the")
    assert set(plan["spread"]) == {"min", "q1", "median", "q3", "max"}
    assert "uma" in preview.text and "lee" not in preview.text
    again = await chat.ok("olivia", "/mentor round preview")
    assert again.data["preview"] == plan  # same input and seed, same plan

    published = await chat.ok("olivia", "/mentor round publish")
    pairs = {p["mentee"]: p["id"] for p in published.data["published"]["pairs"]}
    dms = _dms(published)
    assert set(dms) == {"amir", "ana", "bea", "ben", "uma"}  # Uma hears why she has no match
    intro = dms["amir"]
    assert intro.title == "Meet ana"
    assert "both IMGs" in intro.text and "Questions for a first meeting" in intro.text
    assert len(intro.data["mentoring_intro"]["questions"]) == 4
    assert [b.action for b in intro.buttons] == [
        f"mentee accept {pairs['amir']}",
        f"mentee decline {pairs['amir']}",
    ]
    assert ("Offers", "Career, Research") in {(f.name, f.value) for f in intro.fields}
    assert "Goal" in {f.name for f in dms["ana"].fields}  # the mentor sees the mentee's goal
    await chat.fails("olivia", "/mentor round preview")  # nothing in progress now

    await chat.ok("amir", f"/mentee accept {pairs['amir']}")
    both = await chat.ok("ana", f"/mentor accept {pairs['amir']}")
    assert both.data["pair"]["status"] == "accepted"
    await chat.fails("amir", f"/mentee accept {pairs['bea']}")  # not amir's introduction

    # Ben declines Bea: she goes back to the pool and Ana's free slot takes her.
    declined = await chat.ok("ben", f"/mentor decline {pairs['bea']}")
    rematch = declined.data["rematch"]
    assert rematch["mentor"] == "ana"
    to_bea = [p.message for p in declined.also if p.to.member_id == "bea"]
    assert "found you another mentor" in to_bea[0].text
    assert to_bea[1].data["mentoring_intro"]["with"] == "ana"
    assert _dms(declined)["ana"].data["mentoring_intro"]["with"] == "bea"
    assert "ben" not in _dms(declined)  # the decliner only gets the reply
    await chat.fails("ben", f"/mentor decline {pairs['bea']}")  # already declined

    await chat.ok("bea", f"/mentee accept {rematch['pair']}")
    await chat.ok("ana", f"/mentor accept {rematch['pair']}")

    # Two weeks later: "did you meet?" to both sides of each accepted pair.
    due = await chat.advance("14d")
    checks = [d for d in due if "mentoring_meet_check" in d["message"]["data"]]
    assert sorted(d["to"]["member"] for d in checks) == ["amir", "ana", "ana", "bea"]
    buttons = [b["action"] for b in checks[0]["message"]["buttons"]]
    assert [a.rsplit(" ", 1)[1] for a in buttons] == ["yes", "not-yet", "not-a-fit"]

    await chat.ok("amir", f"/mentee met {pairs['amir']} not-yet")
    await chat.ok("bea", f"/mentee met {rematch['pair']} yes")
    week = await chat.advance("7d")
    asked = [d["to"]["member"] for d in week if "mentoring_meet_check" in d["message"]["data"]]
    assert sorted(asked) == ["amir", "ana"]  # asked again only where it was "not yet"
    said = await chat.ok("ana", f"/mentor met {pairs['amir']} yes")  # either side may answer
    assert "every 90-120 days" in said.text

    # From the day a pair met, a reminder to the mentee at the pack's cadence (90 days for ir).
    def updates(deliveries: list[dict[str, Any]]) -> list[str]:
        found = [d for d in deliveries if "mentoring_update" in d["message"]["data"]]
        return sorted(d["to"]["member"] for d in found)

    bea_due = await chat.advance("84d")  # day 105: Bea met on day 14
    assert updates(bea_due) == ["bea"]
    assert "every 90-120 days" in bea_due[-1]["message"]["text"]
    assert updates(await chat.advance("7d")) == ["amir"]  # day 112: Amir's pair met on day 21

    # Not a fit: the pair ends and its reminders stop (Bea's next was due on day 194).
    await chat.ok("bea", f"/mentee met {rematch['pair']} not-a-fit")
    assert updates(await chat.advance("90d")) == ["amir"]
    await chat.fails("bea", f"/mentee met {rematch['pair']} yes")

    export = await chat.ok("olivia", "/mentor export")
    rows = list(csv.DictReader(io.StringIO(export.data["csv"])))
    assert [(r["mentee"], r["mentor"], r["status"]) for r in rows] == [
        ("amir", "ana", "accepted"),
        ("bea", "ben", "declined"),
        ("bea", "ana", "ended"),
        ("uma", "", "unmatched"),
    ]
    assert rows[0]["met"] == "yes" and rows[0]["why"].startswith("both IMGs")
    assert "mentee,mentee_name" in export.text and "mentoring-round-1.csv" in export.text
    assert export.file is not None and export.file.name == "mentoring-round-1.csv"
    assert (export.file.media_type, export.file.content.decode()) == (
        "text/csv",
        export.data["csv"],
    )


async def test_next_round_never_repeats_a_pair_and_honours_exclusions(chat: Conversation) -> None:
    await _pool(chat)
    first = await chat.ok("olivia", "/mentor round publish")
    assert len(first.data["published"]["pairs"]) == 2
    await chat.ok("olivia", "/mentor round open seed=7")
    await chat.ok("bea", "/mentee exclude @ana")
    second = await chat.ok("olivia", "/mentor round preview")
    plan = second.data["preview"]
    assert {(p["mentee"], p["mentor"]) for p in plan["pairs"]} == {("amir", "ben")}
    assert plan["unmatched"][0]["mentee"] == "bea"
    assert plan["unmatched"][0]["reason"] == "excluded"
    await chat.ok("bea", "/mentee include @ana")
    await chat.fails("bea", "/mentee include @ana")
    await chat.fails("bea", "/mentee exclude @bea")


async def test_withdrawn_members_are_not_matched(chat: Conversation) -> None:
    await _pool(chat)
    await chat.ok("ben", "/mentor withdraw")
    await chat.fails("ben", "/mentee withdraw")
    plan = (await chat.ok("olivia", "/mentor round preview")).data["preview"]
    assert "ben" not in {p["mentor"] for p in plan["pairs"]}
    shown = await chat.ok("ben", "/mentor profile")
    assert _profile(shown, "mentor")["active"] is False
    assert (await chat.ok("ben", BEN)).data["mentoring_signup"]["created"] is False


async def test_round_states(chat: Conversation) -> None:
    assert "no matching round" in (await chat.fails("olivia", "/mentor round close")).text
    await chat.ok("olivia", "/mentor round open")
    assert "still open" in (await chat.fails("olivia", "/mentor round open")).text
    await chat.ok("olivia", "/mentor round close")
    await chat.fails("olivia", "/mentor round close")
    empty = await chat.ok("olivia", "/mentor round publish")
    assert empty.data["published"]["pairs"] == [] and not empty.also
    assert "no matching round 9" in (await chat.fails("olivia", "/mentor export 9")).text.lower()


async def test_open_round_announces_in_the_announce_channel(chat: Conversation) -> None:
    await chat.ok("olivia", "/admin set announce-channel C42")
    opened = await chat.ok("olivia", "/mentor round open")
    (post,) = opened.also
    assert post.to.channel_id == "C42"
    assert [b.action for b in post.message.buttons] == ["mentor signup", "mentee signup"]


async def test_preview_says_when_a_mentee_lost_out_on_capacity(chat: Conversation) -> None:
    await chat.ok("olivia", "/mentor round open seed=1")
    await chat.ok("ben", BEN)  # one slot
    await chat.ok("bea", BEA)
    await chat.ok("bo", BEA.replace("stage=ms2", "stage=ms1"))
    preview = await chat.ok("olivia", "/mentor round preview")
    plan = preview.data["preview"]
    assert [(p["mentee"], p["mentor"]) for p in plan["pairs"]] == [("bea", "ben")]
    why = (
        "the 1 mentor(s) who fit were needed for other mentees: "
        "raising ben's capacity from 1 to 2 would make room"
    )
    assert plan["unmatched"] == [
        {"mentee": "bo", "reason": "full", "constraint": "capacity", "why": why}
    ]
    assert f"- bo: {why}" in preview.text
    exported = await chat.ok("olivia", "/mentor export")
    assert "bo,bo,,,,unmatched" in exported.data["csv"]
