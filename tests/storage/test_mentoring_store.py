"""Mentor matching on both databases: sign-ups upsert, a round publishes its
pairs and schedules follow-ups, a decline re-matches, and a second community
sees none of it."""

from __future__ import annotations

from sqlalchemy import select

from bot.commands import Actor
from bot.core import Rounds
from bot.features.mentoring.tables import mentoring_pairs, mentoring_rounds, mentoring_signups
from bot.responses import Response
from bot.scheduling.tables import jobs

C = "slack:TM"


async def _ok(rounds: Rounds, who: str, line: str, community: str = C) -> Response:
    response = await rounds.run_line(Actor(community, who, who, who == "olivia"), line)
    assert not response.error, f"{line}: {response.text}"
    return response


async def test_a_round_on_both_databases(any_rounds: Rounds) -> None:
    r = any_rounds
    await _ok(r, "olivia", "/mentor round open seed=3")
    for who, cap in (("ana", 1), ("cy", 1)):
        line = f"/mentor save kinds=research focus=venous-disease stage=fellow capacity={cap}"
        await _ok(r, who, line)
    await _ok(r, "ana", "/mentor save kinds=research stage=fellow capacity=2")  # an update
    await _ok(r, "amir", "/mentee save kinds=research stage=ms3 goal=abstract")
    await _ok(r, "bea", "/mentee save kinds=research focus=venous-disease stage=ms2 goal=plan")
    await _ok(r, "bea", "/mentee save-details img=img timezone=Asia/Karachi languages=urdu")
    await _ok(r, "amir", "/mentee exclude cy")
    published = await _ok(r, "olivia", "/mentor round publish")
    made = {p["mentee"]: (p["id"], p["mentor"]) for p in published.data["published"]["pairs"]}
    assert {k: v[1] for k, v in made.items()} == {"amir": "ana", "bea": "cy"}

    declined = await _ok(r, "amir", f"/mentee decline {made['amir'][0]}")
    assert declined.data["rematch"] is None  # cy is excluded, ana was declined
    await _ok(r, "bea", f"/mentee accept {made['bea'][0]}")
    await _ok(r, "cy", f"/mentor accept {made['bea'][0]}")

    async with r.db.connect() as conn:
        signups = (await conn.execute(select(mentoring_signups))).all()
        pairs = (await conn.execute(select(mentoring_pairs).order_by(mentoring_pairs.c.id))).all()
        rounds = (await conn.execute(select(mentoring_rounds))).all()
        keys = {
            row.key: row.status
            for row in await conn.execute(select(jobs).where(jobs.c.community_id == C))
        }
    assert len(signups) == 4
    assert next(s.capacity for s in signups if s.member_id == "ana") == 2
    assert sorted((p.mentee_id, p.status, p.mentee_answer) for p in pairs) == [
        ("amir", "declined", "declined"),
        ("bea", "accepted", "accepted"),
    ]
    assert rounds[0].status == "published" and len(rounds[0].pool) == 4
    amir_pair, bea_pair = made["amir"][0], made["bea"][0]
    # a reminder to answer for each introduction, "did you meet?" once both accepted
    assert keys == {
        f"mentoring:{amir_pair}:nudge": "cancelled",
        f"mentoring:{bea_pair}:nudge": "cancelled",
        f"mentoring:{bea_pair}:meet": "pending",
    }
    met = await _ok(r, "cy", f"/mentor met {bea_pair} yes")
    assert met.data["pair"]["met"] == "yes"
    async with r.db.connect() as conn:
        rows = await conn.execute(select(jobs.c.key, jobs.c.status, jobs.c.recurrence))
        live = {row.key: row.recurrence for row in rows if row.status == "pending"}
    assert live == {f"mentoring:{bea_pair}:update": live[f"mentoring:{bea_pair}:update"]}
    assert live[f"mentoring:{bea_pair}:update"]["interval"] == {"days": 90}

    # another community: no round, no pairs, no access to these ids
    other = "slack:TOTHER"
    assert (await r.run_line(Actor(other, "olivia", "o", True), "/mentor export")).error
    stranger = await r.run_line(Actor(other, "bea", "b"), f"/mentee accept {bea_pair}")
    assert stranger.error and "no introduction" in stranger.text
