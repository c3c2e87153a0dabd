"""Outbound messages from the scheduler: each adapter provides a Deliverer for
its platform, and the Outbox picks one by the community id's platform prefix.
The core's delivery rules (bot.delivery) apply to every send, whatever the platform."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from bot.responses import Post

if TYPE_CHECKING:
    from bot.delivery import DeliveryRules

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A platform refused or failed a send. Retryable errors are tried again later."""

    def __init__(
        self, reason: str, *, retryable: bool = True, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after


class DmClosed(DeliveryError):
    """The platform refused a direct message because the member does not accept them."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, retryable=False)


class Deliverer(Protocol):
    async def deliver(self, post: Post) -> None:
        """Send the post; raise DeliveryError when it could not be sent (DmClosed
        when the member's DMs are closed)."""
        ...


class Outbox:
    def __init__(self, rules: DeliveryRules | None = None) -> None:
        self._by_platform: dict[str, Deliverer] = {}
        self.rules = rules

    def register(self, platform: str, deliverer: Deliverer) -> None:
        self._by_platform[platform] = deliverer

    async def deliver(self, post: Post, *, notice: bool = True) -> None:
        """Send `post`. When its DM is refused, post the rules' closed-DM notice
        (unless `notice` is False: the member is being told in a reply) and re-raise."""
        platform = post.to.community_id.split(":", 1)[0]
        deliverer = self._by_platform.get(platform)
        if deliverer is None:
            raise DeliveryError(f"no adapter running for {platform}", retryable=True)
        if self.rules is not None:
            post = self.rules.prepare(post)
        try:
            await deliverer.deliver(post)
        except DmClosed:
            if notice and self.rules is not None:
                await self._notice(deliverer, post)
            raise

    async def _notice(self, deliverer: Deliverer, post: Post) -> None:
        assert self.rules is not None
        notice = await self.rules.closed_dm_notice(post)
        if notice is None:
            return
        try:
            await deliverer.deliver(notice)
        except DeliveryError as exc:
            log.warning("could not post the closed-DM notice: %s", exc.reason)
