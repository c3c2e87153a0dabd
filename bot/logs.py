"""Logging that never carries secrets or what members wrote.

- `setup_logging` (called by `rounds`) installs one stderr handler whose filter
  redacts Slack tokens (xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xoxe-, xapp-), Discord
  bot tokens, `Bot <token>` / `Bearer <token>` headers and the configured secrets
  (tokens, the Slack signing secret) from messages, arguments and tracebacks.
- `log_failure` logs an exception as its type and the code frames it passed
  through, without its message: messages of exceptions (and SQL errors with
  their parameters) can quote member text. The core and the dispatcher use it.
- Adapters log what happened (command name and sub, job id and kind, platform
  status codes), never the text of a message or a form.
- Every other logger (Bolt, the Slack SDK, discord.py and its gateway, aiohttp's
  access and server logs, asyncpg, SQLAlchemy, asyncio...) is capped: nothing
  below WARNING whatever the configured level (at DEBUG they log request bodies
  and gateway payloads), and above it the message keeps its template, numbers
  and the text up to the first ":" or "(", while an exception shows as types
  and frames only (`failure_text`).
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

REDACTED = "[redacted]"
WITHHELD = "[…]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
OURS = ("bot", "adapters", "bench", "tests", "__main__")  # loggers that log no member text
# Named so their level is set at start too (the filter holds for any other logger).
CAPPED = (
    "slack_bolt", "slack_sdk", "discord", "discord.gateway", "aiohttp", "aiohttp.access",
    "asyncpg", "sqlalchemy", "websockets", "asyncio", "alembic", "apscheduler", "aiosqlite",
)  # fmt: skip
_PLAIN = (int, float, bool, type(None))

_PATTERNS = (
    # Slack: bot, user, app-level, configuration and refresh tokens
    re.compile(r"\bxox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]{6,}"),
    re.compile(r"\bxoxe(?:\.xox[a-z])?-[A-Za-z0-9-]{6,}"),
    re.compile(r"\bxapp-[A-Za-z0-9-]{6,}"),
    # Discord bot tokens: base64 user id . timestamp . HMAC
    re.compile(r"\b[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{5,7}\.[A-Za-z0-9_-]{25,}"),
    # Authorization headers
    re.compile(r"(?<=\bBot )[A-Za-z0-9._~+/=-]{20,}"),
    re.compile(r"(?<=\bBearer )[A-Za-z0-9._~+/=-]{12,}", re.IGNORECASE),
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        if secret and len(secret) >= 6:
            text = text.replace(secret, REDACTED)
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record (message, arguments, traceback) with secrets removed."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if not _ours(record.name):
            if record.levelno < logging.WARNING:
                return False
            _withhold(record)
        record.msg = redact(record.getMessage(), self.secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


def setup_logging(
    level: str | int = "INFO", secrets: Iterable[str | None] = (), stream: TextIO | None = None
) -> logging.Handler:
    """One redacting handler on the root logger; returns it (tests remove it)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter(s for s in secrets if s))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    for name in CAPPED:  # below WARNING they log payloads and SQL parameters (member text)
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler


def _ours(name: str) -> bool:
    return name.split(".", 1)[0] in OURS


def _withhold(record: logging.LogRecord) -> None:
    """A library's record without what it may quote: arguments other than numbers,
    the rest of an f-string message after its first ":" or "(", exception messages.
    Idempotent: every handler's filter sees the same record, so it is done once."""
    if getattr(record, "withheld", False):
        return
    record.withheld = True
    msg = record.msg if isinstance(record.msg, str) else type(record.msg).__name__
    args = record.args
    if args:
        if isinstance(args, Mapping):
            safe: Any = {k: v if isinstance(v, _PLAIN) else WITHHELD for k, v in args.items()}
        else:
            safe = tuple(a if isinstance(a, _PLAIN) else WITHHELD for a in args)
        try:
            msg = msg % safe
        except (TypeError, ValueError, KeyError):
            msg = msg.split("%", 1)[0] + WITHHELD
    else:
        head = re.split(r"[:({\[\n]", msg, maxsplit=1)[0].rstrip()
        msg = msg if head == msg else f"{head} {WITHHELD}"
    record.msg, record.args = msg, None
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = failure_text(record.exc_info[1])
    elif record.exc_text:
        record.exc_text = WITHHELD
    record.exc_info = None
    record.stack_info = None


def failure_text(exc: BaseException) -> str:
    """The exception chain as types and code frames only (no messages)."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        frames = "".join(traceback.format_tb(current.__traceback__))
        parts.append(f"{kind.__module__}.{kind.__qualname__} (message withheld)\n{frames}")
        current = current.__cause__ or current.__context__
    return "Traceback, most recent exception first:\n" + "\n".join(parts)


def log_failure(logger: logging.Logger, exc: BaseException, message: str, *args: object) -> None:
    logger.error(message + "\n%s", *args, failure_text(exc))
