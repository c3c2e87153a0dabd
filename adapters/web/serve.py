"""Run the web side inside `rounds run` (and the console): its own HTTP port,
beside the Slack endpoint. A port already taken is logged, not fatal: the bot
goes on without its dashboard."""

from __future__ import annotations

import asyncio
import logging
import secrets

from aiohttp import web

from adapters.web.app import WebApp
from bot.config import Settings
from bot.core import Rounds

log = logging.getLogger(__name__)


def web_key(settings: Settings) -> bytes:
    """The cookie-signing key: ROUNDS_WEB_SECRET, else one for this process only
    (sessions then end when it stops)."""
    if settings.web_secret:
        return settings.web_secret.encode()
    log.info("ROUNDS_WEB_SECRET is not set: dashboard sessions end when Rounds restarts")
    return secrets.token_bytes(32)


async def serve(rounds: Rounds, settings: Settings) -> None:
    """Serve until cancelled; return at once when ROUNDS_WEB_PORT is 0 or taken."""
    if settings.web_port == 0:
        return
    base = settings.web_url
    if settings.smtp_url:
        from adapters.mail.deliver import MailDeliverer, Smtp

        sender = settings.mail_from or "rounds@localhost"
        rounds.outbox.register(
            "mail", MailDeliverer(rounds, Smtp.from_url(settings.smtp_url), sender)
        )
    app = WebApp(rounds, web_key(settings), secure=base.startswith("https://"))
    runner = web.AppRunner(app.application(), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.web_host, settings.web_port).start()
    except OSError as exc:
        log.warning("web side not started: port %d: %s", settings.web_port, exc.strerror)
        await runner.cleanup()
        return
    rounds.web_url = base
    log.info("web side listening on port %d (%s)", settings.web_port, base)
    try:
        await asyncio.Event().wait()
    finally:
        rounds.web_url = None
        await runner.cleanup()
