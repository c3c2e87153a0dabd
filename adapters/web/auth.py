"""Sessions on the web side: the signed cookie, the CSRF token of a session's
forms, and the check that a page's community is the session's own. The rules
(links, sessions, expiry) are the core's (bot.features.dashboard.signin)."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import quote

from aiohttp import web

from bot.core import Rounds
from bot.features.dashboard import signin
from bot.features.dashboard.signin import Session

COOKIE = "rounds_session"


class Auth:
    def __init__(self, rounds: Rounds, key: bytes, secure: bool) -> None:
        self.rounds = rounds
        self.key = key
        self.secure = secure  # the base URL is https: the cookie is Secure too

    def set_cookie(self, response: web.StreamResponse, session: Session) -> None:
        left = session.expires_at - self.rounds.clock.now()
        response.set_cookie(
            COOKIE,
            signin.seal(self.key, session.id),
            max_age=int(left.total_seconds()),
            path="/",
            httponly=True,
            samesite="Strict",
            secure=self.secure,
        )

    @staticmethod
    def clear_cookie(response: web.StreamResponse) -> None:
        response.del_cookie(COOKIE, path="/")

    async def session(self, request: web.Request) -> Session | None:
        value = request.cookies.get(COOKIE, "")
        sid = signin.unseal(self.key, value) if value else None
        if sid is None:
            return None
        return await signin.session(self.rounds.db, sid, self.rounds.clock.now())

    def csrf(self, session: Session) -> str:
        return hmac.new(self.key, b"csrf:" + session.id.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, session: Session, given: str) -> bool:
        return hmac.compare_digest(self.csrf(session), given)


def community_path(community_id: str) -> str:
    """The URL prefix of a community's pages."""
    return "/c/" + quote(community_id, safe=":")
