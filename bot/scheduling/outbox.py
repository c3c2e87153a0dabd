"""Outbound messages from the scheduler: each adapter provides a Deliverer for
its platform, and the Outbox picks one by the community id's platform prefix."""

from __future__ import annotations

from typing import Protocol

from bot.responses import Post


class DeliveryError(Exception):
    """A platform refused or failed a send. Retryable errors are tried again later."""

    def __init__(
        self, reason: str, *, retryable: bool = True, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after


class Deliverer(Protocol):
    async def deliver(self, post: Post) -> None:
        """Send the post; raise DeliveryError when it could not be sent."""
        ...


class Outbox:
    def __init__(self) -> None:
        self._by_platform: dict[str, Deliverer] = {}

    def register(self, platform: str, deliverer: Deliverer) -> None:
        self._by_platform[platform] = deliverer

    async def deliver(self, post: Post) -> None:
        platform = post.to.community_id.split(":", 1)[0]
        deliverer = self._by_platform.get(platform)
        if deliverer is None:
            raise DeliveryError(f"no adapter running for {platform}", retryable=True)
        await deliverer.deliver(post)
