"""The Must-show script: one member through a conference and a letter, run by a
real `rounds console --json --clock` process reading tests/conversations/scripts/
conference_and_letter.txt (organisers can read that file as an example)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.conversation import run_console_script

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("scripts") / "conference_and_letter.txt"
NY = ZoneInfo("America/New_York")


def _run(tmp_path: Path) -> list[dict[str, Any]]:
    return run_console_script(SCRIPT, tmp_path, clock="2027-02-10T14:00+00:00")


def _utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(UTC)


def _local(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(NY).strftime("%Y-%m-%d %H:%M")


def test_one_member_through_a_conference_and_a_letter(tmp_path: Path) -> None:
    lines = _run(tmp_path)
    replies = [x for x in lines if "delivery" not in x]
    assert not [r["text"] for r in replies if r["error"]]
    deliveries = [x["delivery"] for x in lines if "delivery" in x]
    assert all(d["to"]["member"] == "alice" for d in deliveries)
    conf = [
        d["message"]["data"]["conference"]
        for d in deliveries
        if "conference" in d["message"]["data"]
    ]

    # Preparation: four steps from 3 weeks before the start, 09:00 in Boston, the
    # last one after the clocks went forward (13:00 UTC instead of 14:00).
    prep = [(c["step"], c["due"]) for c in conf if c["kind"] == "prep"]
    assert [(s, _utc(d).isoformat()) for s, d in prep] == [
        ("programme", "2027-02-27T14:00:00+00:00"),
        ("targets", "2027-03-03T14:00:00+00:00"),
        ("email", "2027-03-08T14:00:00+00:00"),
        ("pitch", "2027-03-16T13:00:00+00:00"),
    ]
    assert conf[0]["days_before"] == 21

    # Two targets, both met during the meeting.
    targets = [r["data"]["targets"] for r in replies if "targets" in r["data"]]
    assert [t["name"] for t in targets[0]] == ["Dr Jane Lee", "Dr Omar Haddad"]
    met = [r["data"]["met"] for r in replies if "met" in r["data"]]
    assert [m["name"] for m in met if m["target"]] == ["Dr Jane Lee", "Dr Omar Haddad"]

    # Three days of 3-2-1: a morning prompt at 07:30 and an evening summary at
    # 20:30 Boston time, with the day's counts against the pack's 3/2/1.
    mornings = [c for c in conf if c["kind"] == "morning"]
    evenings = [c for c in conf if c["kind"] == "evening"]
    assert [_local(c["due"]) for c in mornings] == [
        "2027-03-20 07:30",
        "2027-03-21 07:30",
        "2027-03-22 07:30",
    ]
    assert all(c["goal"] == {"faculty": 3, "peers": 2, "deep": 1} for c in mornings)
    assert [_local(c["due"]) for c in evenings] == [
        "2027-03-20 20:30",
        "2027-03-21 20:30",
        "2027-03-22 20:30",
    ]
    assert [c["counts"] for c in evenings] == [
        {"faculty": 2, "peers": 1, "deep": 1},
        {"faculty": 2, "peers": 2, "deep": 1},
        {"faculty": 2, "peers": 1, "deep": 1},
    ]
    assert [c.get("yesterday") for c in mornings] == [
        None,
        {"faculty": 2, "peers": 1, "deep": 1},
        {"faculty": 2, "peers": 2, "deep": 1},
    ]
    today = [r["data"]["today"] for r in replies if "today" in r["data"]]
    assert [(t["faculty"], t["peers"], t["deep"]) for t in today] == [
        (2, 1, 1),
        (2, 2, 1),
        (2, 1, 1),
    ]

    # Follow-ups: the contact log's nudge 3 days after the meeting's last day
    # (22 March), whichever day she met them (09:00 her time), advised within 5 days.
    last_day = datetime.fromisoformat("2027-03-22").date()
    assert {m["day"] for m in met} == {"2027-03-20", "2027-03-21", "2027-03-22"}
    for m in met:
        assert (_utc(m["follow_up"]).date() - last_day).days == 3
        assert _local(m["follow_up"]).endswith("09:00")
    nudges = [d["message"]["data"]["nudge"] for d in deliveries if "nudge" in d["message"]["data"]]
    follow_ups = [n["contact"] for n in nudges if n["which"] == "follow-up"]
    assert sorted(follow_ups) == sorted(m["contact"] for m in met if m["contact"] != 1)

    # The after-meeting summary, the day after the end at 10:00: people met,
    # follow-ups due and when, targets not met (none: both were met).
    (after,) = [c for c in conf if c["kind"] == "after"]
    assert _local(after["due"]) == "2027-03-23 10:00"
    assert len(after["met"]) == 10
    assert after["follow_ups"]["Dr Jane Lee"]["sent"] is True
    assert after["follow_ups"]["Noor Aziz"] == {
        "sent": False,
        "nudge": "2027-03-25T13:00:00+00:00",
        "by": "2027-03-27",
    }
    assert after["targets_not_met"] == []

    # The letter, due 20 April: ask at 6 weeks (before the clocks change: 14:00
    # UTC), a gentle check at 4 weeks while only "asked" (13:00 UTC, after the
    # change), confirm at 1 week, thank-you 2 days after; all 09:00 in New York.
    letters = [
        d["message"]["data"]["letter_reminder"]
        for d in deliveries
        if "letter_reminder" in d["message"]["data"]
    ]
    assert [(x["which"], _utc(x["due"]).isoformat()) for x in letters] == [
        ("ask", "2027-03-09T14:00:00+00:00"),
        ("gentle", "2027-03-23T13:00:00+00:00"),
        ("confirm", "2027-04-13T13:00:00+00:00"),
        ("thanks", "2027-04-22T13:00:00+00:00"),
    ]
    assert {_local(x["due"])[11:] for x in letters} == {"09:00"}
    assert [x["status"] for x in letters] == ["planned", "asked", "agreed", "uploaded"]

    # The organiser's report: counts and the on-time share, no notes.
    (report,) = [r for r in replies if "conference_report" in r["data"]]
    data = report["data"]["conference_report"]
    assert data["attendees"] == ["alice"]
    assert data["per_attendee"]["alice"]["met"] == 10
    assert (data["follow_ups_on_time"], data["follow_ups_due"]) == (2, 10)
    assert "Y-90" not in json.dumps(report)
