"""Scheduled messages in the console: printed as they are delivered."""

from __future__ import annotations

import json
from typing import TextIO

from adapters.console.render import render_text
from bot.responses import Post


class ConsoleDeliverer:
    def __init__(self, out: TextIO, as_json: bool) -> None:
        self.out = out
        self.as_json = as_json

    async def deliver(self, post: Post) -> None:
        to = post.to
        if self.as_json:
            record = {
                "delivery": {
                    "to": {"member": to.member_id, "channel": to.channel_id, "thread": to.thread},
                    "key": post.key,
                    "message": post.message.to_dict(),
                }
            }
            self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            where = f"DM to {to.member_id}" if to.member_id else f"#{to.channel_id}"
            self.out.write(f"[{where}] {render_text(post.message)}\n")
        self.out.flush()
