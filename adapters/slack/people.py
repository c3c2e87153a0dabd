"""What Slack says about a member: organiser (workspace admin or owner), user
groups and time zone, from users.info and usergroups.list.

Looked up within a short bound and cached; a lookup that fails, hangs, is rate
limited or answers nonsense never fails or delays a command: the last known
answer is used, else "not an organiser, no groups, no zone", and the error type
is logged. After a failure the next try waits a while."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)
LOOKUP_WITHIN = 1.0  # seconds; the command's 3-second ack must not wait longer
FRESH_FOR = 300.0
RETRY_AFTER_FAILURE = 30.0  # user groups wait FRESH_FOR: free plans and old installs have none


@dataclass(frozen=True)
class Member:
    admin: bool = False
    timezone: str | None = None
    groups: frozenset[str] = frozenset()


@dataclass
class _Entry:
    value: Any
    fetched: float  # monotonic time of the last good answer
    retry_at: float  # no new lookup before this


class People:
    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._users: dict[tuple[str, str], _Entry] = {}
        self._groups: dict[str, _Entry] = {}  # team -> {user id: group ids}

    async def member(self, team_id: str, user_id: str) -> Member:
        """Everything known about the member, looked up together within the bound."""
        now = time.monotonic()
        user, team = self._users.get((team_id, user_id)), self._groups.get(team_id)
        if user is not None and team is not None and _usable(user, now) and _usable(team, now):
            info, groups = user.value, team.value  # a busy minute asks Slack nothing
        else:
            info, groups = await asyncio.gather(
                self._cached(self._users, (team_id, user_id), lambda: self._user(user_id), None),
                self._cached(self._groups, team_id, self._all_groups, {}, FRESH_FOR),
            )
        found = frozenset(groups.get(user_id, ()))
        if info is None:
            return Member(groups=found)
        return Member(info[0], info[1], found)

    async def _cached(
        self,
        table: dict[Any, _Entry],
        key: Any,
        fetch: Callable[[], Awaitable[Any]],
        default: Any,
        backoff: float = RETRY_AFTER_FAILURE,
    ) -> Any:
        now = time.monotonic()
        entry = table.get(key)
        if entry is not None and _usable(entry, now):
            return entry.value
        try:
            async with asyncio.timeout(LOOKUP_WITHIN):
                value = await fetch()
        except Exception as exc:  # any failure falls back, by design
            log.warning(
                "Slack lookup failed (%s%s); using %s",
                type(exc).__name__,
                f": {exc.response.get('error')}" if isinstance(exc, SlackApiError) else "",
                "the last known answer" if entry else "the defaults",
            )
            kept = entry.value if entry else default
            fetched = entry.fetched if entry else 0.0
            table[key] = _Entry(kept, fetched, now + backoff)
            return kept
        table[key] = _Entry(value, now, now)
        return value

    async def _user(self, user_id: str) -> tuple[bool, str | None]:
        user = (await self.client.users_info(user=user_id)).get("user")
        if not isinstance(user, dict):
            raise ValueError("users.info answered without a user")
        tz = user.get("tz")
        return bool(user.get("is_admin") or user.get("is_owner")), tz if isinstance(
            tz, str
        ) else None

    async def _all_groups(self) -> dict[str, set[str]]:
        answer = await self.client.usergroups_list(include_users=True)
        members: dict[str, set[str]] = {}
        for group in answer.get("usergroups") or ():
            for user in group.get("users") or ():
                members.setdefault(str(user), set()).add(str(group["id"]))
        return members


def _usable(entry: _Entry, now: float) -> bool:
    """Fresh, or failed lately (the next try waits)."""
    return now - entry.fetched < FRESH_FOR or now < entry.retry_at
