"""/pitch-review as members use it through the console."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.responses import Response
from tests.conversation import Conversation, run_console_script

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).resolve().parent / "scripts" / "pitch_review.txt"

FIRST = (
    "Hi, I'm Alice Moreno, an MS3 at Drexel. I really like IR and want to learn "
    "everything about it. Before medical school I worked as a radiologic "
    "technologist. Could I ask you for a 15-minute call?"
)
SECOND = (
    "Hi, I'm Alice Moreno, an MS3 at Drexel. Before medical school I worked as a "
    "radiologic technologist, which is how I met IR. I'm focused on limb salvage "
    "for peripheral arterial disease, and I'm collecting data for a chart review of "
    "below-the-knee angioplasty. Could I ask you for 15 minutes of advice on away rotations?"
)
RATE_LOW = "clarity=3 specificity=2 memorability=2 ask=4"


def _post(response: Response, key: str) -> dict[str, Any]:
    posts = [p for p in response.to_dict()["also"] if p["key"] == key]
    assert posts, f"no post with key {key}: {response.to_dict()['also']}"
    return posts[0]


async def _with_channel(chat: Conversation) -> None:
    await chat.ok("olivia", "/admin set review-channel pitch-reviews")


async def test_check_reports_length_parts_and_flags(chat: Conversation) -> None:
    r = await chat.ok("alice", "/pitch-review check I'm Leo Park, MS1 at Baylor, interested in IR.")
    assert r.ephemeral
    assert r.data["pitch"] == {
        "words": 9,
        "seconds": 3.6,
        "target_seconds": [20, 30],
        "missing": ["background", "focus", "evidence", "ask"],
        "flags": ["too_short", "vague_interest"],
    }
    names = [f.name for f in r.fields]
    assert names == [
        "Add: Your background",
        "Add: A specific focus",
        "Add: One piece of evidence",
        "Add: A clear ask",
        "Flag: Too short",
        "Flag: Vague interest",
    ]
    assert all(f.value and "\n" not in f.value for f in r.fields)  # one line each
    assert "4 s" in r.title and "20-30 s" in (r.title or "")
    good = await chat.ok("alice", "/pitch-review check " + SECOND)
    assert good.data["pitch"]["missing"] == [] and good.data["pitch"]["flags"] == []
    assert "All five parts" in good.text


async def test_kind_first_word_email_guess_and_pack(chat: Conversation) -> None:
    email = "Dear Dr. Stone, I'm Ben Ode, an MS2 at Emory. Would you have 15 minutes?"
    guessed = await chat.ok("alice", "/pitch-review check " + email)
    assert guessed.data["pitch_kind"] == "cold-email"
    assert guessed.data["pitch"]["target_words"] == [60, 180]  # an email is counted in words
    assert "seconds" not in guessed.data["pitch"]
    named = await chat.ok("alice", "/pitch-review check update " + email)
    assert named.data["pitch_kind"] == "update"
    # A first word that is not a kind is part of the pitch.
    plain = await chat.ok("alice", "/pitch-review check Hello, I'm Ben Ode, an MS2 at Emory.")
    assert plain.data["pitch"]["words"] == 8 and plain.data["pitch_kind"] == "spoken"
    bad = await chat.fails("alice", "/pitch-review check kind=telegram " + email)
    assert "not a kind of pitch" in bad.text and "cold-email" in bad.text
    # Focus words come from the member's pack.
    stones = "I'm Dan Cho, a fourth-year at Tulane, drawn to endourology."
    assert (
        "focus"
        in (await chat.ok("alice", "/pitch-review check " + stones)).data["pitch"]["missing"]
    )
    await chat.ok("alice", "/profile set pack urology")
    uro = await chat.ok("alice", "/pitch-review check " + stones)
    assert "focus" not in uro.data["pitch"]["missing"]


async def test_bad_input_is_explained_and_nothing_is_stored(chat: Conversation) -> None:
    await _with_channel(chat)
    empty = await chat.ok("alice", "/pitch-review check")  # no text: a form with room for it
    assert empty.form is not None and empty.form.fields[-1].kind == "paragraph"
    assert (await chat.ok("alice", "/pitch-review submit   ")).form is not None
    huge = await chat.fails("alice", "/pitch-review submit " + "word " * 2000)
    assert "10,000 characters" not in huge.text and "the limit is 3,000" in huge.text
    ten_k = await chat.fails("alice", "/pitch-review check " + "x" * 10_000)
    assert "is 10,000 characters; the limit is 3,000" in ten_k.text
    emoji = await chat.fails("alice", "/pitch-review submit 🙂🙂🚀 🎉")
    assert "couldn't find any words" in emoji.text
    spanish = (
        "Hola, soy María López, estudiante de cuarto año en la Universidad de Guadalajara. "
        "Me interesa mucho la radiología intervencionista, sobre todo la oncología. "
        "¿Podría darme un consejo?"
    )
    note = await chat.ok("alice", "/pitch-review check " + spanish)
    assert "only analyses English" in note.text
    assert note.data["english"] is False and note.data["pitch"]["missing"] == []
    assert note.data["pitch"]["words"] > 20
    chinese = await chat.ok(
        "alice", "/pitch-review check 我叫李明，是一名医学生，对介入放射学很感兴趣。"
    )
    assert "only analyses English" in chinese.text
    assert (await chat.ok("bob", "/pitch-review queue")).data["queue"] == []
    await chat.fails("alice", "/pitch-review review 99")
    await chat.fails("alice", "/pitch-review review 99999999999999999999999")


async def test_submit_needs_a_review_channel(chat: Conversation) -> None:
    r = await chat.fails("alice", "/pitch-review submit " + FIRST)
    assert "no review channel" in r.text and "/admin set review-channel" in r.text
    assert (await chat.ok("bob", "/pitch-review queue")).data["queue"] == []


async def test_pitch_text_never_pings_anyone(chat: Conversation) -> None:
    await _with_channel(chat)
    loud = FIRST + " @everyone @here <@&987> <@123> <!channel>"
    r = await chat.ok("alice", "/pitch-review submit " + loud)
    root = _post(r, "pitch:1:root")["message"]["text"]
    shown = await chat.ok("bob", "/pitch-review review 1")
    for text in (root, shown.text):
        for token in ("@everyone", "@here", "<@&987>", "<@123>", "<!channel>"):
            assert token not in text
        assert "@\u200beveryone" in text and "<\u200b@&987>" in text and "<\u200b@123>" in text
    comment = await chat.ok("bob", f'/pitch-review review 1 {RATE_LOW} comment="hey @everyone"')
    dm = _post(comment, comment.also[0].key or "")["message"]["text"]
    assert "@everyone" not in dm and "@\u200beveryone" in dm


async def test_end_to_end_submit_two_reviews_status_revise_deltas(chat: Conversation) -> None:
    await _with_channel(chat)
    sub = await chat.ok("alice", "/pitch-review submit " + FIRST)
    assert sub.ephemeral and sub.data["submitted"] == {
        "id": 1,
        "version": 1,
        "channel": "pitch-reviews",
    }
    assert "vague_interest" in sub.data["pitch"]["flags"]  # automatic feedback, author only
    root = _post(sub, "pitch:1:root")
    assert root["to"]["channel_id"] == "pitch-reviews" and root["to"]["thread"] is None
    assert root["message"]["buttons"][0]["action"] == "pitch-review review 1"
    assert "vague" not in json.dumps(root).lower()  # feedback is not in the public post

    form = await chat.ok("bob", "/pitch-review review 1")
    assert form.form is not None and form.form.submit == "pitch-review rate 1 1"
    assert [f.key for f in form.form.fields] == [
        "clarity",
        "specificity",
        "memorability",
        "ask",
        "comment",
    ]
    assert len(form.form.title) <= 24 and all(len(f.label) <= 45 for f in form.form.fields)

    bob = await chat.ok("bob", f'/pitch-review review 1 {RATE_LOW} comment="Which part of IR?"')
    dm = bob.also[0]
    assert dm.to.member_id == "alice" and "New review" in (dm.message.title or "")
    assert "Which part of IR?" in dm.message.text
    await chat.ok(
        "carol", '/pitch-review review 1 clarity=4 specificity=2 memorability=3 ask=5 comment=""'
    )

    status = (await chat.ok("alice", "/pitch-review status")).data["status"]
    assert status["version"] == 1 and status["delta"] == {}
    assert status["versions"][0]["reviews"] == 2
    assert status["versions"][0]["scores"] == {
        "clarity": 3.5,
        "specificity": 2.0,
        "memorability": 2.5,
        "ask": 4.5,
    }

    rev = await chat.ok("alice", "/pitch-review revise 1 " + SECOND)
    assert rev.data["revised"] == {"id": 1, "version": 2}
    assert "now has a specific focus, one piece of evidence" in rev.text
    assert "no longer flagged too short, vague interest" in rev.text
    thread = _post(rev, "pitch:1:v2")
    assert thread["to"]["thread"] == "pitch:1:root"
    assert thread["to"]["channel_id"] == "pitch-reviews"

    await chat.ok("bob", "/pitch-review review 1 clarity=4 specificity=4 memorability=4 ask=5")
    await chat.ok("carol", "/pitch-review review 1 clarity=5 specificity=5 memorability=4 ask=5")
    after = await chat.ok("alice", "/pitch-review status 1")
    data = after.data["status"]
    assert data["version"] == 2 and data["versions"][1]["reviews"] == 2
    assert data["delta"] == {"clarity": 1.0, "specificity": 2.5, "memorability": 1.5, "ask": 0.5}
    shown = {f.name: f.value for f in after.fields}
    assert shown["Specificity"] == "4.5 (v1: 2.0, +2.5)"
    assert shown["Automatic check"] == "all five parts"


async def test_no_self_review_and_one_review_per_version(chat: Conversation) -> None:
    await _with_channel(chat)
    await chat.ok("alice", "/pitch-review submit " + FIRST)
    own = await chat.fails("alice", f"/pitch-review review 1 {RATE_LOW}")
    assert "your own pitch" in own.text
    await chat.fails("alice", f"/pitch-review rate 1 1 {RATE_LOW}")
    await chat.ok("bob", f"/pitch-review review 1 {RATE_LOW}")
    again = await chat.ok(
        "bob", "/pitch-review review 1 clarity=5 specificity=5 memorability=5 ask=5"
    )
    assert again.data["review"]["updated"] is True
    assert "Updated review" in (again.also[0].message.title or "")
    form = await chat.ok("bob", "/pitch-review review 1")
    assert form.form is not None and form.form.fields[0].default == "5"  # the form remembers
    status = (await chat.ok("alice", "/pitch-review status")).data["status"]
    assert status["versions"][0]["reviews"] == 1
    assert status["versions"][0]["scores"]["clarity"] == 5.0
    bad = await chat.fails(
        "bob", "/pitch-review rate 1 1 clarity=9 specificity=5 memorability=5 ask=5"
    )
    assert "from 1 to 5" in bad.text
    await chat.fails("bob", f"/pitch-review rate 1 7 {RATE_LOW}")
    assert (await chat.ok("alice", "/pitch-review status")).data["status"]["versions"][0]["scores"][
        "clarity"
    ] == 5.0


async def test_queue_suggests_fewest_reviews_not_own_not_reviewed(chat: Conversation) -> None:
    await _with_channel(chat)
    for member in ("alice", "bob", "carol"):
        await chat.ok(member, "/pitch-review submit " + FIRST.replace("Alice Moreno", member))
    await chat.ok("dave", f"/pitch-review review 1 {RATE_LOW}")  # alice's has 1 review
    queue = await chat.ok("erin", "/pitch-review queue")
    assert [i["id"] for i in queue.data["queue"]] == [2, 3, 1]
    assert queue.buttons[0].action == "pitch-review review 2"
    dave = await chat.ok("dave", "/pitch-review queue")
    assert [i["id"] for i in dave.data["queue"]] == [2, 3]  # not the one dave reviewed
    assert dave.data["reviews_given"] == 1
    assert {f.name: f.value for f in dave.fields}["Reviews given"] == "1"
    alice = await chat.ok("alice", "/pitch-review queue")
    assert [i["id"] for i in alice.data["queue"]] == [2, 3]  # not her own
    # Submitting suggests pitches to review while you wait.
    sub = await chat.ok("erin", "/pitch-review submit " + FIRST)
    assert [b.action for b in sub.buttons] == ["pitch-review review 2", "pitch-review review 3"]
    assert (await chat.ok("dave", "/pitch-review status")).data["reviews_given"] == 1


async def test_delete_and_reviewing_a_deleted_pitch(chat: Conversation) -> None:
    await _with_channel(chat)
    await chat.ok("alice", "/pitch-review submit " + FIRST)
    await chat.ok("bob", f'/pitch-review review 1 {RATE_LOW} comment="keep the ask"')
    assert "only its author" in (await chat.fails("bob", "/pitch-review delete 1")).text
    assert "only its author" in (await chat.fails("bob", "/pitch-review revise 1 " + SECOND)).text
    assert "its author sees" in (await chat.fails("bob", "/pitch-review status 1")).text
    gone = await chat.ok("alice", "/pitch-review delete 1")
    assert gone.also[0].to.thread == "pitch:1:root"
    late = await chat.fails("carol", "/pitch-review review 1")
    assert "was deleted" in late.text
    assert "was deleted" in (await chat.fails("carol", f"/pitch-review rate 1 1 {RATE_LOW}")).text
    assert "was deleted" in (await chat.fails("alice", "/pitch-review revise 1 " + SECOND)).text
    assert (await chat.ok("carol", "/pitch-review queue")).data["queue"] == []
    assert (await chat.ok("alice", "/pitch-review status")).data["status"] is None
    assert (await chat.ok("bob", "/pitch-review queue")).data["reviews_given"] == 1
    # An organiser may withdraw a pitch too.
    await chat.ok("bob", "/pitch-review submit " + FIRST)
    await chat.ok("olivia", "/pitch-review delete 2")


def test_console_script_runs_the_whole_flow(tmp_path: Path) -> None:
    """The must-show flow as a script fed to a real `rounds console --json` process."""
    lines = run_console_script(SCRIPT, tmp_path, clock="2027-01-04T09:00+00:00")
    errors = [line["text"] for line in lines if line.get("error")]
    assert errors == [], errors
    submitted = next(line for line in lines if "submitted" in line.get("data", {}))
    assert submitted["also"][0]["key"] == "pitch:1:root"
    statuses = [line["data"]["status"] for line in lines if line.get("data", {}).get("status")]
    assert [s["version"] for s in statuses] == [1, 2]
    assert statuses[0]["versions"][0]["reviews"] == 2
    assert statuses[1]["versions"][1]["reviews"] == 2
    assert all(d > 0 for d in statuses[1]["delta"].values())
    assert set(statuses[1]["delta"]) == {"clarity", "specificity", "memorability", "ask"}
