"""Target channels belong to the community that sets them. A channel id typed by
a member may name any channel the bot can see, in any server or workspace; the
core asks the platform's adapter (a ChannelDirectory) which community a channel
is in before storing it, so the rule lives here whatever the platform."""

from __future__ import annotations

from typing import Protocol

from bot.errors import UserError


class ChannelDirectory(Protocol):
    async def community_of(self, channel_id: str) -> str | None:
        """The community id the channel belongs to; None when the bot cannot see it
        or it is no community's channel (a DM)."""
        ...


class Channels:
    """The directories of the running adapters, by platform prefix. A platform
    without one (the console; a Slack bot token, which reaches one workspace)
    has no channel outside the community to name."""

    def __init__(self) -> None:
        self._by_platform: dict[str, ChannelDirectory] = {}

    def register(self, platform: str, directory: ChannelDirectory) -> None:
        self._by_platform[platform] = directory

    async def belongs(self, community_id: str, channel_id: str) -> bool:
        directory = self._by_platform.get(community_id.split(":", 1)[0])
        if directory is None:
            return True
        return await directory.community_of(channel_id) == community_id

    async def check(self, community_id: str, channel_id: str, message: str) -> str:
        """`channel_id` when it is this community's channel; else a UserError with `message`."""
        if not await self.belongs(community_id, channel_id):
            raise UserError(message)
        return channel_id
