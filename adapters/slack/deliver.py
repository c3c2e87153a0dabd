"""Messages the bot sends on its own: scheduled items and a command's `also`
posts. DMs go through conversations.open; a thread names the key of an earlier
post, remembered in message_refs; a file the message carries is uploaded to the
same conversation (files upload v2); Slack errors become DeliveryErrors."""

from __future__ import annotations

from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import escape, message
from bot.clock import Clock
from bot.responses import File, Post
from bot.scheduling.outbox import DeliveryError, DmClosed
from bot.storage.db import Database
from bot.storage.message_refs import MessageRef, recall, remember

RETRYABLE = {
    "ratelimited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
}
# A DM Slack refuses for this member or app: the core's closed-DM rule applies.
DM_REFUSED = {"messages_tab_disabled", "cannot_dm_bot", "user_disabled"}


class SlackDeliverer:
    def __init__(self, client: AsyncWebClient, db: Database, clock: Clock) -> None:
        self.client = client
        self.db = db
        self.clock = clock

    async def deliver(self, post: Post) -> None:
        try:
            await self._send(post)
        except SlackApiError as exc:
            if post.to.member_id and exc.response.get("error") in DM_REFUSED:
                raise DmClosed(f"slack: {exc.response.get('error')}") from exc
            raise _delivery_error(exc) from exc
        except (TimeoutError, ClientError) as exc:  # a hung or refused call: try again later
            raise DeliveryError(f"slack: {type(exc).__name__}", retryable=True) from exc

    async def _send(self, post: Post) -> None:
        to = post.to
        kwargs: dict[str, Any] = message(post.message)
        if post.mention:  # the one member this post may ping (bot.delivery's notice)
            kwargs = {"text": f"<@{post.mention}> {escape(post.message.text)}"}
        if to.member_id:
            opened = await self.client.conversations_open(users=to.member_id)
            channel = opened["channel"]["id"]
        elif to.channel_id:
            channel = to.channel_id
        else:
            raise DeliveryError("a post with no member and no channel", retryable=False)
        if to.thread:
            async with self.db.connect() as conn:
                ref = await recall(conn, to.community_id, to.thread)
            if ref and ref.channel_id == channel:
                kwargs["thread_ts"] = ref.message_id
        if post.message.file:  # first: a message that names the file never arrives without it
            await self._upload(post.message.file, channel, kwargs.get("thread_ts"))
        sent = await self.client.chat_postMessage(channel=channel, **kwargs)
        if post.key and not to.member_id:
            async with self.db.begin() as conn:
                await remember(
                    conn,
                    to.community_id,
                    post.key,
                    MessageRef(sent["channel"], sent["ts"]),
                    self.clock.now(),
                )

    async def _upload(self, file: File, channel: str, thread_ts: str | None) -> None:
        """files.getUploadURLExternal, the bytes, files.completeUploadExternal."""
        await self.client.files_upload_v2(
            channel=channel,
            filename=file.name,
            title=file.name,
            content=file.content,
            thread_ts=thread_ts,
        )


def _delivery_error(exc: SlackApiError) -> DeliveryError:
    status = exc.response.status_code
    code = str(exc.response.get("error", "unknown_error"))
    retry_after = exc.response.headers.get("Retry-After") if exc.response.headers else None
    retryable = status == 429 or status >= 500 or code in RETRYABLE
    return DeliveryError(
        f"slack: {code}",
        retryable=retryable,
        retry_after=float(retry_after) if retry_after else None,
    )
