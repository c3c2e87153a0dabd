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
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from collections.abc import Iterable
from typing import TextIO

REDACTED = "[redacted]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

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
    # aiosqlite's debug lines carry SQL parameters (member text): never below WARNING.
    for noisy in ("alembic", "apscheduler", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler


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
