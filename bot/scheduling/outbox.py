"""Outbound messages: each adapter provides a Deliverer for its platform, and
the Outbox picks one by the community id's platform prefix. The core's delivery
rules (bot.delivery) apply to every send, whatever the platform.

Every platform call is bounded by a timeout (a hung call becomes a retryable
DeliveryError), and a keyed post is sent once: a key already in sent_keys is
skipped, and a key is recorded right after its platform call returns. The
dispatcher uses `send` and records keys in bulk itself (bot.scheduling.sent);
adapters and commands use `deliver` for the posts a command makes."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

from bot.responses import Post
from bot.scheduling import sent

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.delivery import DeliveryRules
    from bot.storage.db import Database

log = logging.getLogger(__name__)
MAIL_PREFIX = "mail."  # members who take part by email (bot.features.invites)
SEND_TIMEOUT = timedelta(seconds=10)  # the dispatcher's is Policy.send_timeout
COMMAND_POST_TIMEOUT = timedelta(seconds=30)  # a command's posts (a file upload, say)


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
    def __init__(
        self,
        rules: DeliveryRules | None = None,
        *,
        db: Database | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._by_platform: dict[str, Deliverer] = {}
        self.rules = rules
        self._db = db  # where sent keys are remembered (none: every post is sent)
        self._clock = clock

    def register(self, platform: str, deliverer: Deliverer) -> None:
        self._by_platform[platform] = deliverer

    async def send(
        self, post: Post, within: timedelta = SEND_TIMEOUT, *, notice: bool = True
    ) -> None:
        """One platform call under the delivery rules, whatever the key; a call that
        takes longer than `within` is abandoned (the caller goes on) and becomes a
        retryable DeliveryError. When a DM is refused, post the rules' closed-DM
        notice (unless `notice` is False: the member is being told in a reply) and
        re-raise."""
        platform = post.to.community_id.split(":", 1)[0]
        if post.to.member_id and post.to.member_id.startswith(MAIL_PREFIX):
            platform = "mail"  # an email member's messages go by email, whatever the platform
        deliverer = self._by_platform.get(platform)
        if deliverer is None:
            raise DeliveryError(f"no adapter running for {platform}", retryable=True)
        if self.rules is not None:
            post = self.rules.prepare(post)
        try:
            async with asyncio.timeout(within.total_seconds()):
                await deliverer.deliver(post)
        except TimeoutError as exc:
            raise DeliveryError(f"{platform}: timed out", retryable=True) from exc
        except DmClosed:
            if notice and self.rules is not None:
                await self._notice(deliverer, post)
            raise

    async def deliver(self, post: Post, *, notice: bool = True) -> bool:
        """Send `post` unless its key went out before; False when it was skipped."""
        if post.key is None or self._db is None or self._clock is None:
            await self.send(post, COMMAND_POST_TIMEOUT, notice=notice)
            return True
        key = (post.to.community_id, post.key)
        async with self._db.connect() as conn:
            if await sent.already_sent(conn, [key]):
                return False
        await self.send(post, COMMAND_POST_TIMEOUT, notice=notice)
        async with self._db.begin() as conn:
            await sent.record(conn, [key], self._clock.now())
        return True

    async def _notice(self, deliverer: Deliverer, post: Post) -> None:
        assert self.rules is not None
        notice = await self.rules.closed_dm_notice(post)
        if notice is None:
            return
        try:
            await deliverer.deliver(notice)
        except DeliveryError as exc:
            log.warning("could not post the closed-DM notice: %s", exc.reason)
