"""Delivery rules every platform follows, applied by the Outbox whatever the
deliverer: a message is private when it goes to a member's DMs or says it is a
DM (exports, introductions, reminders, review notices); private content never
goes to a channel, and public posts carry no masked links, bidi or zero-width
tricks, or pings (bot.text.neutralise_public). When a member's DMs are
closed, the most that is posted in public is a content-free notice in the
community's channel that mentions only that member, at most once a day; its
wording is `dm_closed_notice`."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from bot.clock import Clock
from bot.content import Content
from bot.logs import log_failure
from bot.members import load_membership
from bot.responses import Button, Field, Post, Response, Target, error
from bot.scheduling.outbox import DeliveryError, DmClosed, Outbox
from bot.storage.db import Database
from bot.storage.message_refs import recall
from bot.text import neutralise_public

log = logging.getLogger(__name__)
NOTICE_CHANNELS = ("groups-channel", "announce-channel")


def is_private(post: Post) -> bool:
    """DMs and everything marked as one are private, by kind."""
    return post.to.member_id is not None or post.message.dm


def public_copy(message: Response) -> Response:
    """The message as it may be shown in public: every text a reader sees neutralised."""
    return replace(
        message,
        text=neutralise_public(message.text),
        title=neutralise_public(message.title) if message.title else message.title,
        fields=tuple(
            Field(neutralise_public(f.name), neutralise_public(f.value), f.inline)
            for f in message.fields
        ),
        buttons=tuple(
            Button(neutralise_public(b.label), b.action, b.style) for b in message.buttons
        ),
    )


def notice_key(member_id: str, now: datetime) -> str:
    """One notice per member per day; the key ends in the member's id (erased with them)."""
    return f"dm-closed:{now.date().isoformat()}:{member_id}"


class DeliveryRules:
    """The Outbox's checks before a send and its answer to closed DMs."""

    def __init__(self, db: Database, content: Content, clock: Clock) -> None:
        self.db = db
        self.content = content
        self.clock = clock

    @staticmethod
    def prepare(post: Post) -> Post:
        """Refuse private content addressed to a channel; neutralise a public post."""
        if post.to.member_id is not None:
            return post
        if is_private(post):
            raise DeliveryError("private content is never posted in a channel", retryable=False)
        return replace(post, message=public_copy(post.message))

    async def closed_dm_notice(self, post: Post) -> Post | None:
        """The public notice for a private post whose DM was refused, or None (no
        channel set, not a DM, or the member was already told today)."""
        member_id = post.to.member_id
        if member_id is None:
            return None
        key = notice_key(member_id, self.clock.now())
        async with self.db.connect() as conn:
            community, _ = await load_membership(conn, post.to.community_id, "")
            if await recall(conn, post.to.community_id, key) is not None:
                return None
        settings = community.settings if community else {}
        channel = next((str(settings[k]) for k in NOTICE_CHANNELS if settings.get(k)), None)
        if channel is None:
            return None
        text = self.content.msg("dm_closed_notice")
        return Post(
            Target(post.to.community_id, channel_id=channel),
            Response(text=text, ephemeral=False),
            key=key,
            mention=member_id,
        )


async def send_also(outbox: Outbox, content: Content, reply: Response, member_id: str) -> Response:
    """Deliver a command's other posts before its reply is shown, so the reply is
    true: when the invoker's own DM was refused, they are told so (and nothing
    is posted in public for them: they are reading the reply); an aside's failure
    changes nothing."""
    for post in reply.also:
        own_dm = post.to.member_id == member_id
        try:
            await outbox.deliver(post, notice=not own_dm)
        except DmClosed:
            if own_dm and not post.aside:
                reply = error(content.msg("dm_closed_reply"))
        except Exception as exc:
            log_failure(log, exc, "could not deliver a post to %s", post.to.community_id)
            if own_dm and not post.aside:
                reply = error(content.msg("dm_failed_reply"))
    return reply
