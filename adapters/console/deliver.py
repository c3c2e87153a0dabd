"""Scheduled messages in the console: printed as they are delivered."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, TextIO

from adapters.console.files import FileShelf
from adapters.console.render import in_zone, render_text
from bot.responses import Post, Response

ZoneOf = Callable[[str, str | None], Awaitable[str]]


class ConsoleDeliverer:
    """Prints each post with its times in the reader's zone: the member a DM goes
    to, or for a channel post the member at the terminal (`zone_of(community, None)`)."""

    def __init__(
        self, out: TextIO, as_json: bool, zone_of: ZoneOf, files: FileShelf | None = None
    ) -> None:
        self.out = out
        self.as_json = as_json
        self.zone_of = zone_of
        self.files = files or FileShelf()

    async def deliver(self, post: Post) -> None:
        to = post.to
        zone = await self.zone_of(to.community_id, to.member_id)
        if self.as_json:
            record = {
                "delivery": {
                    "to": {"member": to.member_id, "channel": to.channel_id, "thread": to.thread},
                    "key": post.key,
                    "message": message_record(in_zone(post.message, zone), self.files),
                }
            }
            self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            where = f"DM to {to.member_id}" if to.member_id else f"#{to.channel_id}"
            self.out.write(f"[{where}] {render_text(post.message, zone)}\n")
            self.out.write(saved_lines(post.message, self.files))
        self.out.flush()


def message_record(r: Response, files: FileShelf) -> dict[str, Any]:
    """`r.to_dict()` with each carried file (its own and its posts') written to
    disk and its path added."""
    record = r.to_dict()
    if r.file:
        record["file"]["path"] = str(files.save(r.file))
    for post, out in zip(r.also, record["also"], strict=True):
        out["message"] = message_record(post.message, files)
    return record


def saved_lines(r: Response, files: FileShelf) -> str:
    """Write the files `r` carries; one "file written to <path>" line for each."""
    carried = [m.file for m in (r, *(p.message for p in r.also)) if m.file]
    return "".join(f"  file written to {files.save(f)}\n" for f in carried)
