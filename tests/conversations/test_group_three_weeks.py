"""The Must-show script: a group of four through three weeks, run by a real
`rounds console --json --clock` process reading tests/conversations/scripts/
group_three_weeks.txt (organisers can read that file as an example)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from tests.conversation import run_console_script

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("scripts") / "group_three_weeks.txt"
W1, W2, W3 = "2027-01-04", "2027-01-11", "2027-01-18"


def _run(tmp_path: Path) -> list[dict[str, Any]]:
    return run_console_script(SCRIPT, tmp_path, clock="2027-01-04T07:00+00:00")


def test_a_group_of_four_through_three_weeks(tmp_path: Path) -> None:
    lines = _run(tmp_path)
    replies = [line for line in lines if "delivery" not in line]
    assert not [r["text"] for r in replies if r["error"]]

    # Scheduled deliveries, in the order the clock produced them.
    events: dict[tuple[str, str], list[str]] = defaultdict(list)
    digests: dict[str, dict[str, Any]] = {}
    reports = []
    for line in lines:
        if "delivery" not in line:
            continue
        d = line["delivery"]
        data = d["message"]["data"]
        if "group_report" in data:
            reports.append((d["to"]["member"], data["group_report"]))
            continue
        ev = data["group_event"]
        where = d["to"]["member"] or "#" + d["to"]["channel"]
        events[(ev["kind"], ev["week"])].append(where)
        if ev["kind"] == "digest":
            digests[ev["week"]] = ev

    # Prompts: the channel, then a DM to each member who has not answered or said
    # they are away (Carol skipped week 2 on Sunday, before the prompt).
    assert events[("prompt", W1)] == ["#peer-groups", "alice", "bob", "carol", "dan"]
    assert events[("prompt", W2)] == ["#peer-groups", "alice", "bob", "dan"]
    assert events[("prompt", W3)] == ["#peer-groups", "alice", "bob", "carol", "dan"]
    # One nudge, only to whoever has not checked in by Wednesday morning.
    assert events[("nudge", W1)] == ["dan"]
    assert events[("nudge", W2)] == ["bob"]
    assert events[("nudge", W3)] == []

    # Digests at each deadline, posted to the group's channel.
    assert [events[("digest", w)] for w in (W1, W2, W3)] == [["#peer-groups"]] * 3
    assert digests[W1]["checked_in"] == ["alice", "bob", "carol", "dan"]
    assert digests[W1]["streaks"] == {"alice": 1, "bob": 1, "carol": 1, "dan": 1}
    assert digests[W2]["checked_in"] == ["alice", "dan"]
    assert digests[W2]["skipped"] == ["carol"] and digests[W2]["missing"] == ["bob"]
    assert digests[W2]["kept"] == {"alice": [1, 2], "dan": [1, 1]}
    # Carol's week away with notice keeps her streak; Bob's silent week ends his.
    assert digests[W2]["streaks"] == {"alice": 2, "bob": 0, "carol": 1, "dan": 2}
    assert digests[W3]["checked_in"] == ["alice", "bob", "carol", "dan"]
    assert digests[W3]["kept"] == {
        "alice": [2, 2],
        "bob": [0, 1],
        "carol": [2, 3],
        "dan": [1, 1],
    }
    assert digests[W3]["streaks"] == {"alice": 3, "bob": 1, "carol": 2, "dan": 3}

    # Alice's second check-in in week 3 updated the first: revision 2, one row.
    saved = [r["data"]["checkin"] for r in replies if "checkin" in r["data"]]
    alice_w3 = [s for s in saved if s["week"] == W3 and s["member"] == "alice"]
    assert [s["revision"] for s in alice_w3] == [1, 2]
    stats = next(r["data"]["stats"] for r in replies if "stats" in r["data"])
    assert stats["members"]["alice"] == {"checked": 3, "expected": 3, "kept": [3, 4], "streak": 3}
    assert stats["members"]["bob"]["checked"] == 2

    history = next(r["data"]["history"] for r in replies if "history" in r["data"])
    assert [(w["week"], w["mark"]) for w in history["weeks"][:3]] == [
        (W3, "checked"),
        (W2, "skipped"),
        (W1, "checked"),
    ]
    assert history["streak"] == 2

    # The Thursday organiser report, by DM to the organiser, twice in the run.
    assert [to for to, _ in reports] == ["olivia", "olivia"]
    assert reports[0][1]["groups"]["tuesday-crew"]["done"] == 4
    assert reports[1][1]["groups"]["tuesday-crew"] == {
        "week": W2,
        "done": 2,
        "expected": 4,
        "active": 4,
    }
