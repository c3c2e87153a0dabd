"""Messages the bot sends on its own (scheduled items, a command's `also`
posts): DMs, channel posts and threads. A DM refused because the member closed
them (50007) is a DmClosed: what happens then is the core's rule (bot.delivery);
other Discord errors become DeliveryErrors, never a crash."""

from __future__ import annotations

from typing import Any

import discord

from adapters.discord.actions import ActionIds
from adapters.discord.channels import community_of
from adapters.discord.render import message_kwargs
from bot.core import Rounds
from bot.responses import Post
from bot.scheduling.outbox import DeliveryError, DmClosed
from bot.storage.message_refs import MessageRef, recall, remember

CANNOT_DM = 50007  # "Cannot send messages to this user"


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
        to = post.to
        ids = await self.actions.custom_ids(
            post.message.buttons, to.community_id, to.member_id, in_server=to.member_id is None
        )
        kwargs = message_kwargs(post.message, ids)
        if to.member_id:
            user = await self.client.fetch_user(int(to.member_id))
            try:
                await (await user.create_dm()).send(**kwargs)
            except discord.Forbidden as exc:
                if exc.code == CANNOT_DM:
                    raise DmClosed("discord: the member's DMs are closed") from exc
                raise
            return
        if post.mention:  # the one member this post may ping
            kwargs["content"] = f"<@{int(post.mention)}> " + kwargs.get("content", "")
            kwargs["allowed_mentions"] = discord.AllowedMentions(
                users=[discord.Object(id=int(post.mention))], everyone=False, roles=False
            )
        if not to.channel_id:
            raise DeliveryError("a post with no member and no channel", retryable=False)
        channel: Any = await self.client.fetch_channel(int(to.channel_id))
        if community_of(channel) != to.community_id:  # stored before channels were checked
            raise DeliveryError("the channel belongs to another community", retryable=False)
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
