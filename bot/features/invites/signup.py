"""Signing up by invite: the page shows the form /mentor signup shows (built by
the same handler, so its fields, limits and wording are the core's), plus a
name and an email address; the answers run the form's own submit command as
the new member. Bad input gets the slash command's message and stores nothing:
a member created for the attempt is erased again."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.commands import Actor, parse, split_command_line
from bot.context import Context
from bot.core import Rounds
from bot.errors import UserError
from bot.features.invites import links, people
from bot.features.invites.people import EmailMember
from bot.members import Membership, Profile, load_membership
from bot.privacy.store import erase_member
from bot.responses import Form, Response, error

SIGNUP = "mentor signup"
NOBODY = "mail.-"  # the reader of a form nobody has filled in yet


@dataclass(frozen=True)
class Page:
    intro: str
    form: Form


async def signup_form(rounds: Rounds, community_id: str, line: str = SIGNUP) -> Page | None:
    """The form `line` shows a newcomer, made without storing anyone."""
    async with rounds.db.connect() as conn:
        community, _ = await load_membership(conn, community_id, "")
    if community is None:
        return None
    ctx = Context(rounds, Membership(community, Profile(community_id, NOBODY)), False)
    name, rest = split_command_line(line)
    spec = rounds.registry.find(name)
    assert spec is not None
    cmd = parse(spec, rest, Actor(community_id, NOBODY))
    reply = await spec.subs[cmd.sub].handler(ctx, cmd)
    return Page(reply.text, reply.form) if reply.form else None


@dataclass(frozen=True)
class Outcome:
    reply: Response
    member: EmailMember | None = None  # set when the sign-up was saved


async def sign_up(
    rounds: Rounds, token: str, name: str, email: str, values: Mapping[str, str]
) -> Outcome:
    now, msg = rounds.clock.now(), rounds.content.msg
    found = await links.invite(rounds.db, token, now)
    if found is None:
        return Outcome(error(msg("invite_gone")))
    page = await signup_form(rounds, found.community_id)
    if page is None:
        return Outcome(error(msg("invite_gone")))
    try:
        name, email = people.checked(msg, name, email)
    except UserError as exc:
        return Outcome(error(exc.message))
    cid = found.community_id
    async with rounds.db.begin() as conn:
        known = await people.by_email(conn, cid, email)
        if known is None and await people.used(conn, cid, found.id) >= found.uses:
            return Outcome(error(msg("invite_full")))
        person = EmailMember(cid, known.member_id if known else people.new_member_id(), email, name)
        if known is None:
            await people.add(conn, person, found.id, now)
    reply = await rounds.submit_form(Actor(cid, person.member_id, name), page.form.submit, values)
    if reply.error:
        if known is None:
            async with rounds.db.begin() as conn:
                await erase_member(conn, cid, person.member_id, now)
        return Outcome(reply)
    if known is not None and known.name != name:
        async with rounds.db.begin() as conn:
            await people.rename(conn, person)
    return Outcome(reply, person)
