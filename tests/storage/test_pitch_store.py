"""Pitch review's queries (grouping, averages, the reciprocity queue, upserts of
reviews) on SQLite and PostgreSQL: the console script, replayed on each."""

from __future__ import annotations

from pathlib import Path

from bot.core import Rounds
from tests.conversation import Conversation

SCRIPT = Path(__file__).resolve().parents[1] / "conversations" / "scripts" / "pitch_review.txt"


async def test_pitch_flow_on_both_databases(any_rounds: Rounds) -> None:
    chat = Conversation(any_rounds, community="demo", organisers={"olivia"})
    statuses = []
    for line in SCRIPT.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        member, _, command = line.partition(" ") if line.startswith("@") else ("@olivia", "", line)
        response = await chat.ok(member[1:], command)
        if response.data.get("status"):
            statuses.append(response.data["status"])
    assert statuses[-1]["delta"] == {
        "clarity": 1.0,
        "specificity": 2.5,
        "memorability": 1.5,
        "ask": 0.5,
    }
    # A second review of the same version updates; the queue and counts follow.
    again = await chat.ok(
        "bob", "/pitch-review review 1 clarity=2 specificity=2 memorability=2 ask=2"
    )
    assert again.data["review"]["updated"] is True
    status = (await chat.ok("alice", "/pitch-review status")).data["status"]
    assert status["versions"][1]["reviews"] == 2
    assert status["versions"][1]["scores"]["clarity"] == 3.5
    await chat.ok("dave", "/pitch-review submit I'm Dave Li, an MS2 at Emory, keen on Y-90 work.")
    queue = await chat.ok("erin", "/pitch-review queue")
    assert [i["id"] for i in queue.data["queue"]] == [2, 1]
    assert (await chat.ok("bob", "/pitch-review queue")).data["reviews_given"] == 2
    await chat.ok("alice", "/pitch-review delete 1")
    assert [i["id"] for i in (await chat.ok("erin", "/pitch-review queue")).data["queue"]] == [2]
    assert "was deleted" in (await chat.fails("erin", "/pitch-review review 1")).text
