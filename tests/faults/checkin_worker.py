"""One bot process taking check-ins, for the kill test: once its go file exists
it submits `/checkin save` for every group member in member order, ten at a
time, and after each one that succeeded appends what the member was told (one
JSON line: member, revision, reply text, the group posts' keys) to its file.

    python -m tests.faults.checkin_worker DB_URL OUT_FILE NOW_ISO LABEL GO_FILE
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from bot.clock import FakeClock
from bot.commands import Actor
from bot.content import load_content
from bot.core import Rounds
from bot.features.groups.tables import peer_group_members
from bot.storage.db import Database

C = "console:kill"
WEEK = "2027-01-11"  # groups made on Monday 4 Jan at 14:00 start with the week of the 11th
CHUNK = 10  # at most this many check-ins are in flight when the process dies


def answers(label: str, member: str) -> tuple[str, list[str]]:
    """The win and the commitments this run sends for the member."""
    return f"{label} win of {member}", [f"{label} email for {member}", f"{label} draft"]


def line(label: str, member: str, group_id: int) -> str:
    win, commitments = answers(label, member)
    return f'/checkin save group={group_id} week={WEEK} win="{win}" next="{"; ".join(commitments)}"'


async def main(rounds: Rounds, out: int, label: str) -> int:
    async with rounds.db.connect() as conn:
        members = (
            await conn.execute(
                select(peer_group_members.c.member_id, peer_group_members.c.group_id)
                .where(peer_group_members.c.community_id == C)
                .order_by(peer_group_members.c.member_id)
            )
        ).all()

    async def one(member: str, group_id: int) -> bool:
        r = await rounds.run_line(Actor(C, member), line(label, member, group_id))
        if r.error:
            return False
        told = {
            "member": member,
            "revision": r.data["checkin"]["revision"],
            "text": r.text,
            "posts": [p.key for p in r.also],
        }
        os.write(out, (json.dumps(told) + "\n").encode())
        return True

    saved = 0
    for i in range(0, len(members), CHUNK):
        done = await asyncio.gather(*(one(m, g) for m, g in members[i : i + CHUNK]))
        saved += sum(done)
    await rounds.db.close()
    print(saved)
    return 0 if saved == len(members) else 1


if __name__ == "__main__":
    url, path, now, run, go = sys.argv[1:6]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    core = Rounds(Database(url), load_content(), clock=FakeClock(datetime.fromisoformat(now)))
    while not Path(go).exists():  # started early so the test need not wait for imports
        time.sleep(0.01)
    sys.exit(asyncio.run(main(core, fd, run)))
