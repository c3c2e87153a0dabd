"""A deliverer that records posts, and can be told to fail."""

from __future__ import annotations

from bot.responses import Post
from bot.scheduling.outbox import DeliveryError


class RecordingDeliverer:
    def __init__(self) -> None:
        self.posts: list[Post] = []
        self.fail_next = 0
        self.fail_retryable = True

    async def deliver(self, post: Post) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise DeliveryError("platform said no", retryable=self.fail_retryable)
        self.posts.append(post)

    def texts(self) -> list[str]:
        return [p.message.text for p in self.posts]
