"""/remind as members use it, on SQLite and PostgreSQL: reminders arrive at the
member's local time (across daylight-saving changes too), overdue ones arrive
once after a restart, failures are recorded and shown, bad input changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.core import Rounds
from bot.responses import Post
from bot.scheduling.outbox import DeliveryError
from bot.scheduling.tables import jobs
from tests.conversation import Conversation, Talk


@pytest.fixture
async def any_chat(talk: Talk, any_rounds: Rounds) -> Conversation:
    return await talk(any_rounds, community="demo", organisers={"olivia"})


def _texts(deliveries: list[dict[str, Any]]) -> list[str]:
    return [d["message"]["text"].split("\n")[0] for d in deliveries]


def _process(rounds: Rounds) -> Rounds:
    """Another bot process on the same database, content and clock."""
    return Rounds(rounds.db, rounds.content, clock=rounds.clock)


async def _jobs(rounds: Rounds) -> list[tuple[Any, ...]]:
    async with rounds.db.connect() as conn:
        rows = (await conn.execute(select(jobs).order_by(jobs.c.id))).all()
    return [tuple(r) for r in rows]


async def test_remind_me_arrives_by_dm_at_local_time(any_chat: Conversation) -> None:
    chat = any_chat
    await chat.ok("alice", "/profile set timezone America/New_York")  # 09:00 there now
    set_ = await chat.ok("alice", "/remind me tomorrow 10am email Dr Lee about the abstract")
    assert "Tue 05 Jan 2027, 10:00" in set_.text
    assert await chat.at("2027-01-05T14:59+00:00") == []
    got = await chat.at("2027-01-05T15:00+00:00")
    assert _texts(got) == ["email Dr Lee about the abstract"]
    assert got[0]["to"]["member"] == "alice" and got[0]["message"]["dm"]
    assert got[0]["key"] == f"job:{set_.data['reminder']['id']}:0:0"
    assert "sorry it comes late" not in got[0]["message"]["text"]
    assert await chat.advance("1d") == []
    assert (await chat.ok("alice", "/remind list")).data["reminders"] == []


async def test_list_cancel_and_snooze(any_chat: Conversation) -> None:
    chat = any_chat
    first = (await chat.ok("alice", "/remind me in 3 days send thank-you notes")).data["reminder"]
    second = (await chat.ok("alice", "/remind me every monday at 8am plan the week")).data[
        "reminder"
    ]
    listed = (await chat.ok("alice", "/remind list")).data["reminders"]
    assert [r["id"] for r in listed] == [first["id"], second["id"]]  # soonest first
    assert listed[1]["every"] == "every Monday at 08:00"
    await chat.ok("alice", f"/remind cancel {second['id']}")
    assert [r["id"] for r in (await chat.ok("alice", "/remind list")).data["reminders"]] == [
        first["id"]
    ]
    assert await chat.advance("3d") != []
    # the delivered reminder's snooze button brings it back
    snoozed = await chat.ok("alice", f"/remind snooze {first['id']} 2h")
    assert snoozed.data["snoozed"] == first["id"]
    assert await chat.advance("1h") == []
    assert _texts(await chat.advance("1h")) == ["send thank-you notes"]


async def test_snoozing_a_repeat_leaves_the_series(any_chat: Conversation) -> None:
    chat = any_chat
    series = (await chat.ok("alice", "/remind me every day at 15:00 log hours")).data["reminder"]
    assert _texts(await chat.advance("1h")) == ["log hours"]
    copy = (await chat.ok("alice", f"/remind snooze {series['id']} 30m")).data["copy"]
    assert _texts(await chat.advance("30m")) == ["log hours"]
    listed = (await chat.ok("alice", "/remind list")).data["reminders"]
    assert [r["id"] for r in listed] == [series["id"]] and copy != series["id"]


async def test_organiser_reminds_a_channel(any_chat: Conversation) -> None:
    chat = any_chat
    await chat.fails("alice", "/remind channel general tomorrow 9am study hall")
    ok = await chat.ok("olivia", '/remind channel #tuesday-crew every tuesday at 18:00 "check-in"')
    assert ok.data["reminder"]["channel"] == "tuesday-crew"
    got = await chat.at("2027-01-05T18:00+00:00")
    assert got[0]["to"] == {"member": None, "channel": "tuesday-crew", "thread": None}
    assert "Set by olivia" in got[0]["message"]["text"]


@pytest.mark.parametrize(
    "line, says",
    [
        ("/remind me whenever feels right call mom", "couldn't read a time"),
        ("/remind me 2026-12-01 09:00 renew ECFMG", "already passed"),
        ("/remind me every 30 seconds drink water", "at most once a minute"),
        ("/remind me in 3 days " + "x" * 5000, "the limit is 1,000"),
        ("/remind me in 3 days", "What should I remind you of"),
        ("/remind snooze 1 yesterday", "already passed"),
        ("/remind snooze 1 30 seconds", "at least a minute"),
        ("/remind snooze 1 whenever", "couldn't read"),
    ],
)
async def test_bad_input_is_explained_and_changes_nothing(
    any_chat: Conversation, any_rounds: Rounds, line: str, says: str
) -> None:
    await any_chat.ok("alice", "/remind me in 5 days update mentors")
    before = await _jobs(any_rounds)
    bad = await any_chat.fails("alice", line)
    assert says in bad.text, bad.text
    assert await _jobs(any_rounds) == before


async def test_another_members_reminder_is_not_theirs(
    any_chat: Conversation, any_rounds: Rounds
) -> None:
    chat = any_chat
    mine = (await chat.ok("alice", "/remind me in 5 days update mentors")).data["reminder"]["id"]
    before = await _jobs(any_rounds)
    for line in (f"/remind cancel {mine}", f"/remind snooze {mine} 1h"):
        bad = await chat.fails("bob", line)
        assert f"You have no reminder #{mine}" in bad.text
    assert "update mentors" not in repr((await chat.ok("bob", "/remind list")).to_dict())
    assert await _jobs(any_rounds) == before


async def test_another_communitys_reminders_are_out_of_reach(
    talk: Talk, any_rounds: Rounds
) -> None:
    a = await talk(any_rounds, community="alpha")
    b = await talk(any_rounds, community="bravo", organisers={"olivia"})
    theirs = (await b.ok("bob", "/remind me in 5 days secret plan")).data["reminder"]["id"]
    await b.ok("olivia", "/remind channel general in 5 days secret meeting")
    before = await _jobs(any_rounds)
    for line in (f"/remind cancel {theirs}", f"/remind snooze {theirs} 1h"):
        await a.fails("bob", line)
    assert "secret" not in repr((await a.ok("bob", "/remind list")).to_dict())
    assert await _jobs(any_rounds) == before


@pytest.mark.parametrize(
    "zone, start, expected",
    [  # a Monday 9am reminder around the spring and autumn changes
        (
            "America/New_York",
            "2027-03-05T12:00+00:00",
            ["2027-03-08T14:00", "2027-03-15T13:00", "2027-03-22T13:00"],
        ),
        (
            "America/New_York",
            "2027-10-29T12:00+00:00",
            ["2027-11-01T13:00", "2027-11-08T14:00", "2027-11-15T14:00"],
        ),
        (
            "Europe/London",
            "2027-03-19T12:00+00:00",
            ["2027-03-22T09:00", "2027-03-29T08:00", "2027-04-05T08:00"],
        ),
        (
            "Europe/London",
            "2027-10-22T12:00+00:00",
            ["2027-10-25T08:00", "2027-11-01T09:00", "2027-11-08T09:00"],
        ),
    ],
)
async def test_weekly_reminder_stays_at_nine_across_dst(
    any_chat: Conversation, zone: str, start: str, expected: list[str]
) -> None:
    chat = any_chat
    await chat.at(start)
    await chat.ok("alice", f"/profile set timezone {zone}")
    await chat.ok("alice", "/remind me every monday at 9am weekly review")
    for iso in expected:
        due = datetime.fromisoformat(iso + "+00:00")
        assert await chat.at((due - timedelta(minutes=1)).isoformat()) == []
        got = await chat.at(due.isoformat())
        assert _texts(got) == ["weekly review"], iso
        assert due.astimezone(ZoneInfo(zone)).hour == 9


async def test_one_off_set_before_the_change_arrives_at_local_time(
    any_chat: Conversation,
) -> None:
    chat = any_chat
    await chat.at("2027-03-26T12:00+00:00")  # Friday; London springs forward on Sunday
    await chat.ok("alice", "/profile set timezone Europe/London")
    await chat.ok("alice", "/remind me next monday 9am call the coordinator")
    assert await chat.at("2027-03-29T07:59+00:00") == []
    assert _texts(await chat.at("2027-03-29T08:00+00:00")) == ["call the coordinator"]


async def test_restart_delivers_overdue_reminders_once_marked_late(
    talk: Talk, any_rounds: Rounds, clock: FakeClock
) -> None:
    chat = await talk(any_rounds, community="demo")
    await chat.ok("alice", "/remind me in 1 hour submit ERAS")
    await chat.ok("bob", "/remind me in 2 hours email Dr Kim")
    clock.advance(timedelta(days=2))  # the bot was down; nothing dispatched
    restarted = await talk(_process(any_rounds), community="demo")  # a fresh process
    got = await restarted.tick()
    assert sorted(_texts(got)) == ["email Dr Kim", "submit ERAS"]
    assert all("sorry it comes late" in d["message"]["text"] for d in got)
    assert all(d["message"]["data"]["reminder"]["late"] for d in got)
    assert await restarted.tick() == []
    async with any_rounds.db.connect() as conn:
        rows = (await conn.execute(select(jobs.c.late, jobs.c.sent_count))).all()
    assert [tuple(r) for r in rows] == [(True, 1), (True, 1)]


async def test_repeat_after_a_long_outage_sends_once_then_next_future(
    talk: Talk, any_rounds: Rounds, clock: FakeClock
) -> None:
    chat = await talk(any_rounds, community="demo")
    await chat.ok("alice", "/profile set timezone Europe/Berlin")
    await chat.ok("alice", "/remind me every day at 8am review flashcards")
    clock.advance(timedelta(days=30))  # a month down
    restarted = await talk(_process(any_rounds), community="demo")
    got = await restarted.tick()
    assert _texts(got) == ["review flashcards"]
    nxt = datetime.fromisoformat(
        (await restarted.ok("alice", "/remind list")).data["reminders"][0]["due"]
    )
    assert clock.now() < nxt <= clock.now() + timedelta(days=1)
    assert nxt.astimezone(ZoneInfo("Europe/Berlin")).hour == 8
    assert await restarted.tick() == []


class ClosedDMs:
    def __init__(self, retryable: bool) -> None:
        self.retryable = retryable
        self.tries = 0

    async def deliver(self, post: Post) -> None:
        self.tries += 1
        raise DeliveryError("the member's DMs are closed", retryable=self.retryable)


async def test_undeliverable_reminder_is_recorded_and_shown(any_chat: Conversation) -> None:
    chat = any_chat
    rid = (await chat.ok("alice", "/remind me in 1 hour pay the exam fee")).data["reminder"]["id"]
    closed = ClosedDMs(retryable=False)
    chat.stand_in(closed)
    assert await chat.advance("1h") == []
    listed = (await chat.ok("alice", "/remind list")).data["reminders"]
    assert [(r["id"], r["status"], r["error"]) for r in listed] == [
        (rid, "failed", "the member's DMs are closed")
    ]
    shown = await chat.ok("alice", "/remind list")
    assert "Could not be delivered" in shown.fields[0].value
    assert closed.tries == 1


async def test_flaky_platform_is_retried_with_backoff_then_recorded(
    any_chat: Conversation, any_rounds: Rounds
) -> None:
    chat = any_chat
    await chat.ok("alice", "/remind me in 1 hour pay the exam fee")
    flaky = ClosedDMs(retryable=True)
    chat.stand_in(flaky)
    await chat.advance("1h")
    for _ in range(10):
        await chat.advance("2h")
    assert flaky.tries == 5  # the policy's limit, then it stops
    listed = (await chat.ok("alice", "/remind list")).data["reminders"]
    assert listed[0]["status"] == "failed"
    # the scheduler carries on with other work
    from tests.fakes.outbox import RecordingDeliverer

    rec = RecordingDeliverer()
    chat.stand_in(rec)
    await chat.ok("bob", "/remind me in 1 hour stretch")
    await chat.advance("1h")
    assert rec.texts()[-1].startswith("stretch")  # after a first visit's welcome DM


async def test_reminder_text_never_pings(any_chat: Conversation) -> None:
    chat = any_chat
    await chat.ok("olivia", "/remind channel here in 1 hour ping @everyone and <@U123> <!channel>")
    got = await chat.advance("1h")
    shown = got[0]["message"]["text"]
    for raw in ("@everyone", "<@U123>", "<!channel>"):
        assert raw not in shown
    assert got[0]["to"]["channel"] == "console"
