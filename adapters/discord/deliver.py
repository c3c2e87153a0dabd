"""Messages the bot sends on its own (scheduled items, a command's `also`
posts): DMs, channel posts and threads. A member whose DMs are closed gets the
message in the community's groups or announcement channel, mentioning only
them; Discord errors become DeliveryErrors, never a crash."""

from __future__ import annotations

from typing import Any

import discord

from adapters.discord.render import ActionIds, message_kwargs
from bot.core import Rounds
from bot.members import load_membership
from bot.responses import Post
from bot.scheduling.outbox import DeliveryError
from bot.storage.message_refs import MessageRef, recall, remember

FALLBACK_KEYS = ("groups-channel", "announce-channel")


class DiscordDeliverer:
    def __init__(self, client: discord.Client, rounds: Rounds, actions: ActionIds) -> None:
        self.client = client
        self.rounds = rounds
        self.actions = actions

    async def deliver(self, post: Post) -> None:
        try:
            await self._send(post)
        except discord.HTTPException as exc:
            raise DeliveryError(
                f"discord: {exc.status} {exc.code}",
                retryable=exc.status == 429 or exc.status >= 500,
            ) from exc

    async def _send(self, post: Post) -> None:
        kwargs = message_kwargs(post.message, self.actions)
        to = post.to
        if to.member_id:
            user = await self.client.fetch_user(int(to.member_id))
            try:
                await (await user.create_dm()).send(**kwargs)
            except discord.Forbidden:
                await self._dm_fallback(post, kwargs)
            return
        if not to.channel_id:
            raise DeliveryError("a post with no member and no channel", retryable=False)
        channel: Any = await self.client.fetch_channel(int(to.channel_id))
        if to.thread:
            channel = await self._thread(channel, to.community_id, to.thread)
        sent = await channel.send(**kwargs)
        if post.key:
            async with self.rounds.db.begin() as conn:
                await remember(
                    conn,
                    to.community_id,
                    post.key,
                    MessageRef(str(sent.channel.id), str(sent.id)),
                    self.rounds.clock.now(),
                )

    async def _thread(self, channel: Any, community_id: str, key: str) -> Any:
        """The thread under the message that `key` became; the channel itself if unknown."""
        async with self.rounds.db.connect() as conn:
            ref = await recall(conn, community_id, key)
        if ref is None or ref.channel_id != str(channel.id):
            return channel
        try:
            return await self.client.fetch_channel(int(ref.message_id))  # thread id = message id
        except discord.NotFound:
            message = await channel.fetch_message(int(ref.message_id))
            return await message.create_thread(name="Discussion")

    async def _dm_fallback(self, post: Post, kwargs: dict[str, Any]) -> None:
        async with self.rounds.db.connect() as conn:
            community, _ = await load_membership(conn, post.to.community_id, "")
        settings = community.settings if community else {}
        channel_id = next((settings[k] for k in FALLBACK_KEYS if settings.get(k)), None)
        if channel_id is None:
            raise DeliveryError(
                "member's DMs are closed and no fallback channel is set", retryable=False
            )
        channel: Any = await self.client.fetch_channel(int(channel_id))
        kwargs.pop("file", None)  # a private file never goes to a channel
        member = discord.Object(id=int(post.to.member_id or 0))
        note = f"<@{member.id}> (your DMs are closed, so here it is)"
        kwargs["content"] = (note + "\n" + kwargs.get("content", ""))[:2000]
        kwargs["allowed_mentions"] = discord.AllowedMentions(
            users=[member], everyone=False, roles=False
        )
        await channel.send(**kwargs)
