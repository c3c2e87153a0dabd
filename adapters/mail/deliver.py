"""Email as a platform: the messages of members who signed up by invite
(introductions, "did you meet?", follow-ups) go out by SMTP. A message's
buttons become links to the web side (stored, unguessable, bound to that
member), and every email ends with the link to withdraw or export and delete."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib

from bot.core import Rounds
from bot.features.invites import links, people
from bot.members import load_membership
from bot.responses import Post, Response, plain_moments
from bot.scheduling.outbox import DeliveryError


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    tls: bool  # smtps:// (TLS from the start); smtp:// upgrades with STARTTLS when offered
    username: str | None
    password: str | None

    @classmethod
    def from_url(cls, url: str) -> Smtp:
        """smtp://user:pass@host:587 or smtps://host:465 (ROUNDS_SMTP_URL)."""
        parts = urlsplit(url)
        tls = parts.scheme == "smtps"
        return cls(
            parts.hostname or "localhost",
            parts.port or (465 if tls else 25),
            tls,
            unquote(parts.username) if parts.username else None,
            unquote(parts.password) if parts.password else None,
        )


def body(message: Response, zone: str, urls: list[str], footer: str, heading: str) -> str:
    shown = message.localised(lambda m: m.local(zone))
    lines = [shown.text.replace("**", "")]
    lines += [f"{f.name}: {f.value}" for f in shown.fields]
    if urls:
        lines += ["", heading]
        lines += [f"{b.label}: {u}" for b, u in zip(shown.buttons, urls, strict=True)]
    return "\n".join([*lines, "", "--", footer]) + "\n"


class MailDeliverer:
    def __init__(self, rounds: Rounds, smtp: Smtp, sender: str) -> None:
        self.rounds = rounds
        self.smtp = smtp
        self.sender = sender

    async def deliver(self, post: Post) -> None:
        to, base = post.to, self.rounds.web_url
        if to.member_id is None or base is None:
            raise DeliveryError("email needs a member and the web side", retryable=True)
        async with self.rounds.db.connect() as conn:
            person = await people.by_id(conn, to.community_id, to.member_id)
            _, profile = await load_membership(conn, to.community_id, to.member_id)
        if person is None:
            raise DeliveryError("no email address for this member", retryable=False)
        now, msg = self.rounds.clock.now(), self.rounds.content.msg
        buttons = [(plain_moments(b.label), b.action) for b in post.message.buttons]
        ids, page = await links.personal(
            self.rounds.db, to.community_id, to.member_id, buttons, now
        )
        urls = [f"{base}/act/{i}" for i in ids]
        footer = msg("mail_footer", url=f"{base}/me/{page}")
        zone = (profile.timezone if profile else None) or "UTC"
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = f"{person.name} <{person.email}>" if person.name else person.email
        title = plain_moments(post.message.title or "") or "Rounds"
        email["Subject"] = title.replace("**", "")
        email.set_content(body(post.message, zone, urls, footer, msg("mail_links")))
        try:
            await aiosmtplib.send(
                email,
                hostname=self.smtp.host,
                port=self.smtp.port,
                use_tls=self.smtp.tls,
                username=self.smtp.username,
                password=self.smtp.password,
                timeout=10,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"email: {type(exc).__name__}", retryable=True) from exc
