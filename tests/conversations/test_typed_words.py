"""The words members type: a near miss names the command meant, profile fields go
by the words people use for them, a shorthand runs what it stands for, and a pitch
typed after /pitch-review is checked. Each refusal changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from bot.commands import Actor
from bot.core import Rounds
from tests.conversation import Conversation


async def test_a_misspelt_subcommand_names_the_one_meant(chat: Conversation) -> None:
    await chat.ok("alice", "/group create crew")
    joined = await chat.fails("bob", "/group joni crew")
    if chat.platform != "discord":  # Discord offers only real subcommands: "show" was chosen
        assert "Did you mean `/group join`?" in joined.text
    letters = await chat.fails("bob", "/letters requets Dr Lee")
    assert "Did you mean `/letters request`?" in letters.text
    assert (await chat.ok("bob", "/letters list")).data["letters"] == []
    assert "not in a group" in (await chat.fails("bob", "/group leave")).text


async def test_profile_fields_go_by_the_words_members_use(chat: Conversation) -> None:
    await chat.ok("alice", "/profile zone Asia/Kolkata")
    assert (await chat.ok("alice", "/profile")).data["profile"]["timezone"] == "Asia/Kolkata"
    await chat.ok("alice", "/profile set tz Europe/Berlin")
    assert (await chat.ok("alice", "/profile")).data["profile"]["timezone"] == "Europe/Berlin"
    await chat.ok("alice", "/profile time zone America/Chicago")
    await chat.ok("alice", "/profile stage PGY-1")
    await chat.ok("alice", "/profile set specialty Urology")
    shown = (await chat.ok("alice", "/profile")).data["profile"]
    assert (shown["timezone"], shown["stage"], shown["pack"]) == (
        "America/Chicago",
        "pgy1",
        "urology",
    )
    await chat.ok("alice", "/profile specialty interventional radiology")
    assert (await chat.ok("alice", "/profile")).data["profile"]["pack"] == "ir"


async def test_a_misspelt_field_is_named_and_nothing_changes(chat: Conversation) -> None:
    await chat.ok("alice", "/profile stage ms3")
    near = await chat.fails("alice", "/profile set stge ms4")
    assert "Did you mean stage?" in near.text
    far = await chat.fails("alice", "/profile set colour blue")
    assert "must be one of" in far.text and "Did you mean" not in far.text
    assert (await chat.ok("alice", "/profile")).data["profile"]["stage"] == "ms3"


async def test_a_shorthand_runs_what_it_stands_for(chat: Conversation) -> None:
    opened = await chat.ok("olivia", "/mentor open")
    assert opened.data["round"]["status"] == "open"
    full = await chat.ok("olivia", "/mentor round status")
    short = await chat.ok("olivia", "/mentor status")
    assert short.text == full.text and short.data == full.data
    refused = await chat.fails("alice", "/mentor close")  # still the organisers' command
    assert refused.text == (await chat.fails("alice", "/mentor round close")).text
    assert (await chat.ok("olivia", "/mentor status")).data == full.data


async def test_a_pitch_typed_after_the_command_is_checked_privately(chat: Conversation) -> None:
    pitch = (
        "I'm Sam Ortiz, an IMG from Cairo. I want to learn about interventional oncology "
        "and I presented a poster on TACE outcomes at SIR. Could we talk for 15 minutes?"
    )
    checked = await chat.ok("alice", f"/pitch-review {pitch}")
    assert checked.ephemeral and checked.data["pitch"]["words"] == len(pitch.split())
    assert (await chat.ok("alice", "/pitch-review status")).data["status"] is None


async def test_a_misspelt_command_names_the_one_meant(rounds: Rounds) -> None:
    alice = Actor("console:demo", "alice", "alice")
    wrong = await rounds.run_line(alice, "/contacts add Dr Lee")
    assert wrong.error and "Did you mean /contact?" in wrong.text
    assert "Did you mean" not in (await rounds.run_line(alice, "/zzzz")).text
    assert (await rounds.run_line(alice, "/contact list")).data["contacts"] == []
    helped = await rounds.run_line(alice, "/help contacts")
    assert helped.error and "Did you mean `/help contact`?" in helped.text


async def test_numbers_copied_from_replies_work(chat: Conversation) -> None:
    made = await chat.ok("alice", "/remind me in 3 days email Dr Lee")
    number = made.data["reminder"]["id"]
    assert f"#{number}" in made.text
    assert (await chat.ok("alice", f"/remind cancel #{number}")).data["cancelled"] == number
    again = await chat.fails("alice", f"/remind cancel #{number}")
    assert "no reminder" in again.text


async def test_a_project_kind_typed_in_words(chat: Conversation) -> None:
    added = await chat.ok("alice", "/research add case report Rare IVC filter fracture")
    assert added.data["research_project"]["kind"] == "case-report"
    study = await chat.ok("alice", "/research add retrospective study TACE outcomes in HCC")
    assert study.data["research_project"]["kind"] == "retrospective"
    listed = {p["kind"] for p in (await chat.ok("alice", "/research list")).data["research"]}
    assert listed == {"case-report", "retrospective"}
    shown = await chat.ok("alice", f"/research show {added.data['research_project']['id']}")
    assert shown.title.endswith("· Rare IVC filter fracture")
    refused = await chat.fails("alice", "/research add casual Chat about IR")
    assert "not a kind of project" in refused.text


async def test_a_repeat_said_without_every_repeats(chat: Conversation) -> None:
    rent = await chat.ok("alice", "/remind me the 15th of each month pay rent")
    assert rent.data["reminder"]["every"] == "every month on the 15th at 09:00"
    anki = await chat.ok("alice", "/remind me mondays and thursdays at 7pm anki")
    assert anki.data["reminder"]["every"] == "every Monday and Thursday at 19:00"
    once = await chat.ok("alice", "/remind me on monday call Dr Lee")
    assert once.data["reminder"]["every"] is None
    listed = (await chat.ok("alice", "/remind list")).data["reminders"]
    assert {r["text"]: r["every"] for r in listed} == {
        "pay rent": "every month on the 15th at 09:00",
        "anki": "every Monday and Thursday at 19:00",
        "call Dr Lee": None,
    }


async def test_away_next_week_is_next_week(chat: Conversation) -> None:
    await chat.ok("alice", "/group create crew")  # prompts on Mondays, 09:00 UTC
    await chat.at("2027-01-12T10:00:00+00:00")  # a Tuesday: this week's check-in is open
    later = await chat.ok("alice", "/checkin skip next week at SIR")
    now = await chat.ok("alice", "/checkin skip this week exams")
    [this] = [date.fromisoformat(w) for w in now.data["skip"]["weeks"]]
    assert this == date(2027, 1, 11)
    assert later.data["skip"]["weeks"] == [(this + timedelta(weeks=1)).isoformat()]
    two = await chat.ok("alice", "/checkin skip for the next two weeks rotation")
    assert two.data["skip"]["weeks"] == [this.isoformat(), (this + timedelta(weeks=1)).isoformat()]
    reason = await chat.ok("alice", "/checkin skip holiday")
    assert reason.data["skip"]["weeks"] == [this.isoformat()]
    too_long = await chat.fails("alice", "/checkin skip nine weeks")
    assert "1 to 4 weeks" in too_long.text


async def test_a_group_named_in_words(chat: Conversation) -> None:
    two = await chat.fails("alice", "/group create Tuesday Crew")
    assert "`/group create tuesday-crew`" in two.text
    assert (await chat.ok("alice", "/group list")).data["groups"] == []
    await chat.ok("alice", "/group create tuesday-crew")
    joined = await chat.ok("bob", "/group join Tuesday Crew")
    assert joined.data["group"]["name"] == "tuesday-crew"
    shown = await chat.ok("carol", "/group show tuesday crew")
    assert shown.data["group"]["name"] == "tuesday-crew"
    missing = await chat.fails("carol", "/group join Wednesday Crew")
    assert "no group called 'Wednesday Crew'" in missing.text


async def test_a_group_time_said_with_am_or_pm(chat: Conversation) -> None:
    await chat.ok("alice", "/group create crew")
    await chat.ok("alice", "/group create other")  # alice stays in crew
    evening = await chat.ok("alice", "/group set time 7:30 pm")
    assert evening.data["group"]["name"] == "crew"
    assert evening.data["group"]["prompt"].endswith("19:30")
    named = await chat.ok("olivia", "/group set time 8:15 other")
    assert (named.data["group"]["name"], named.data["group"]["prompt"][-5:]) == ("other", "08:15")


async def test_focus_areas_by_the_words_of_the_field(chat: Conversation) -> None:
    await chat.ok("alice", "/profile set interests TACE, pae, Y-90")
    shown = (await chat.ok("alice", "/profile")).data["profile"]
    assert shown["interests"] == ["interventional-oncology", "mens-health"]
    several = await chat.fails("alice", "/profile set interests embolization")
    assert "fits several focus areas" in several.text and "womens-health" in several.text
    none = await chat.fails("alice", "/profile set interests @everyone cooking")
    assert "not a focus area" in none.text and "@everyone" not in none.text
    kept = (await chat.ok("alice", "/profile")).data["profile"]["interests"]
    assert kept == ["interventional-oncology", "mens-health"]


async def test_a_reminder_said_the_way_slacks_own_takes_it(chat: Conversation) -> None:
    lee = await chat.ok("alice", "/remind me to call Dr Lee tomorrow at 5pm")
    water = await chat.ok("alice", "/remind me to drink water at 3pm every day")
    assert water.data["reminder"]["every"] == "every day at 15:00"
    assert "call Dr Lee" in lee.text
    refused = await chat.fails("alice", "/remind me to email Dr May")
    assert "couldn't read a time" in refused.text
    listed = (await chat.ok("alice", "/remind list")).data["reminders"]
    assert sorted(r["text"] for r in listed) == ["call Dr Lee", "drink water"]


async def test_a_snooze_said_with_for_or_until(chat: Conversation) -> None:
    made = (await chat.ok("alice", "/remind me in 1 hour stretch")).data["reminder"]["id"]
    hours = await chat.ok("alice", f"/remind snooze {made} for 2 hours")
    monday = await chat.ok("alice", f"/remind snooze {made} until monday")
    assert hours.data["due"] < monday.data["due"]
    assert "Mon" in monday.text
    past = await chat.fails("alice", f"/remind snooze {made} until yesterday")
    assert "already passed" in past.text
    [listed] = (await chat.ok("alice", "/remind list")).data["reminders"]
    assert listed["due"] == monday.data["due"]
