"""One bot process's dispatcher, for the two-process test: it waits for a go
file, delivers what is due to a deliverer that appends each post's key to its
own file, and prints how many jobs it finished.

    python -m tests.storage.dispatch_worker DB_URL OUT_FILE NOW_ISO READY_FILE GO_FILE
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from datetime import datetime
from pathlib import Path

from bot.clock import FakeClock
from bot.content import load_content
from bot.core import Rounds
from bot.responses import Post
from bot.scheduling.dispatcher import Dispatcher, Policy
from bot.storage.db import Database


class FileDeliverer:
    """Appends `<key>\\n` per delivered post; slow enough that two processes overlap."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    async def deliver(self, post: Post) -> None:
        await asyncio.sleep(0.002)
        os.write(self.fd, f"{post.key}\n".encode())


async def main(rounds: Rounds, db: Database) -> int:
    dispatcher = Dispatcher(rounds, rounds.outbox, Policy(batch=25, concurrency=4))
    finished = 0
    while True:
        done = await dispatcher.run_once()
        finished += done
        if done == 0:
            break
    await db.close()
    print(finished)
    return 0


if __name__ == "__main__":
    url, out, now, ready, go = sys.argv[1:6]
    database = Database(url)
    core = Rounds(database, load_content(), clock=FakeClock(datetime.fromisoformat(now)))
    core.outbox.register("console", FileDeliverer(Path(out)))
    Path(ready).touch()
    while not Path(go).exists():
        time.sleep(0.01)
    sys.exit(asyncio.run(main(core, database)))
