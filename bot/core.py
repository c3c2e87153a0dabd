"""Rounds, the platform-neutral core: adapters hand it commands, it answers
with Responses. Organiser-only commands are checked here, whatever the platform
says; every handler works inside the invoking member's community."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace

from bot import features
from bot.channels import Channels
from bot.clock import Clock, SystemClock
from bot.commands import (
    Actor,
    Command,
    SubSpec,
    bind,
    check_actor,
    closest,
    parse,
    split_command_line,
)
from bot.content import Content
from bot.context import Context
from bot.delivery import DeliveryRules, send_also
from bot.errors import UserError, Worded
from bot.logs import log_failure
from bot.members import (
    Membership,
    create_community,
    create_member,
    get_profile,
    load_memberships,
    update_profile,
)
from bot.registry import Registry, registry
from bot.responses import Post, Response, error
from bot.scheduling.outbox import MAIL_PREFIX, Outbox
from bot.storage.db import Database
from bot.text import shorten
from bot.welcome import Origin, welcome
from bot.zones import platform_zone

log = logging.getLogger(__name__)


class Rounds:
    def __init__(
        self,
        db: Database,
        content: Content,
        *,
        clock: Clock | None = None,
        default_pack: str = "ir",
        commands: Registry = registry,
    ) -> None:
        features.load()
        self.db = db
        self.content = content
        self.clock = clock or SystemClock()
        self.default_pack = (
            default_pack if default_pack in content.packs else next(iter(content.packs))
        )
        self.registry = commands
        self.outbox = Outbox(DeliveryRules(db, content, self.clock), db=db, clock=self.clock)
        self.channels = Channels()  # adapters register where their channels belong
        self.wake: Callable[[], None] = lambda: None  # set by a running Scheduler
        self.web_url: str | None = None  # the web adapter's base URL, set when it runs
        self.retention_days = 30  # finished one-off jobs kept this long (bot.scheduling.retention)

    async def run_line(
        self,
        actor: Actor,
        line: str,
        channel_id: str | None = None,
        mentions: Mapping[str, str] | None = None,
    ) -> Response:
        """Run a typed command line such as '/group join tuesday-crew'. `mentions` are
        member ids the platform resolved from mentions in the line (id -> name)."""
        name, rest = split_command_line(line)
        spec = self.registry.find(name)
        if spec is None:
            return self._unknown(name)
        try:
            cmd = parse(spec, rest, actor, channel_id, mentions)
        except UserError as exc:
            return error(exc.message)
        return await self.handle(cmd)

    async def run(
        self,
        actor: Actor,
        name: str,
        sub: str,
        options: Mapping[str, str],
        channel_id: str | None = None,
        mentions: Mapping[str, str] | None = None,
    ) -> Response:
        """Run a command given as structured options (Discord, form submissions);
        `mentions` are the member ids the platform resolved (id -> name)."""
        spec = self.registry.find(name)
        if spec is not None and not sub and spec.default is not None:
            sub = spec.default
        if spec is None:
            return self._unknown(name)
        if sub not in spec.subs:
            return error(f"I don't know the command /{spec.name} {sub[:40]}. Try `/help`.")
        try:
            cmd = bind(spec.subs[sub], options, actor, channel_id, mentions=mentions)
        except UserError as exc:
            return error(exc.message)
        return await self.handle(cmd)

    async def submit_form(
        self,
        actor: Actor,
        submit: str,
        values: Mapping[str, str],
        channel_id: str | None = None,
    ) -> Response:
        """Run a form's `submit` command line with the form's values as options."""
        name, rest = split_command_line(submit)
        spec = self.registry.find(name)
        if spec is None:
            return self._unknown(name)
        try:
            base = parse(spec, rest, actor, channel_id)
            cmd = bind(spec.subs[base.sub], {**base.options, **values}, actor, channel_id)
        except UserError as exc:
            return error(exc.message)
        return await self.handle(cmd)

    def _unknown(self, name: str) -> Response:
        """No such command: the one meant, when the name is a near miss ("/contacts")."""
        near = closest(name, self.registry.commands)
        hint = f" Did you mean /{near}?" if near else ""
        return error(f"I don't know the command /{name[:40]}.{hint} Try `/help`.")

    async def handle(self, cmd: Command) -> Response:
        spec = self.registry.commands[cmd.name]
        sub = spec.subs[cmd.sub]
        ctx: Context | None = None
        try:
            check_actor(cmd.actor)
            ctx = await self.context(cmd.actor)
            self._authorise(ctx, sub)
            await self._members_exist(ctx, sub, cmd)
            response = await sub.handler(ctx, cmd)
        except UserError as exc:
            response = error(" ".join(filter(None, (self.wording(exc), cmd.near))))
        except Exception as exc:
            # The command's name only: options and exception messages may quote members.
            log_failure(log, exc, "command /%s %s failed", cmd.name, cmd.sub)
            response = error(
                "Something went wrong on our side; nothing was changed. "
                "Please try again in a minute."
            )
        # Their first minute here: a welcome by DM. A mentor by email signed up on the
        # invite page, which told them what comes next; /help and buttons are not theirs.
        if ctx is not None and ctx.first_visit and not ctx.member_id.startswith(MAIL_PREFIX):
            response = replace(response, also=(*response.also, await self._welcome(ctx, cmd)))
        return response

    async def _welcome(self, ctx: Context, cmd: Command) -> Post:
        """The welcome, naming the zone the member's times are in as it stands after
        their first command (which may have set it), and where it came from."""
        key = (ctx.community_id, ctx.member_id)
        _, profile = await self.db.batched(load_memberships)(key)  # shared with a burst's
        zone = profile.timezone if profile is not None else None
        origin: Origin = "own"
        if zone is None:
            zone, origin = ctx.community.timezone, "default"
        elif zone == platform_zone(cmd.actor.timezone):
            origin = "platform"
        return welcome(self.content, ctx.pack, ctx.community_id, ctx.member_id, zone, origin)

    async def with_posts(self, reply: Response, member_id: str) -> Response:
        """The reply once the posts it speaks of went out, so it is true
        (bot.delivery.send_also); adapters call it before they show a reply. Asides
        (a welcome) stay in `also`, for the adapter to send once the reply is shown."""
        asides = tuple(p for p in reply.also if p.aside)
        told = replace(reply, also=tuple(p for p in reply.also if not p.aside))
        shown = await send_also(self.outbox, self.content, told, member_id)
        return replace(shown, also=asides)

    def wording(self, exc: UserError) -> str:
        """The member-facing text of a refusal (a Worded one is read from content/)."""
        if isinstance(exc, Worded):
            return self.content.msg(exc.key, **exc.values)
        return exc.message

    async def context(self, actor: Actor) -> Context:
        """Load the member and community: one round trip, shared with the commands
        that arrive meanwhile (bot.storage.batch). The first time either is seen,
        they are created in a transaction of their own."""
        key = (actor.community_id, actor.member_id)
        community, profile = await self.db.batched(load_memberships)(key)
        zone = platform_zone(actor.timezone)
        first = profile is None
        if community is None or profile is None:
            async with self.db.begin() as conn:
                now = self.clock.now()
                if community is None:
                    community = await create_community(
                        conn, actor.community_id, self.default_pack, now
                    )
                profile = await create_member(
                    conn, actor.community_id, actor.member_id, actor.display_name, now, zone
                )
        elif zone and profile.timezone is None:  # never a zone the member chose
            async with self.db.begin() as conn:
                await update_profile(
                    conn, actor.community_id, actor.member_id, self.clock.now(), timezone=zone
                )
            profile = replace(profile, timezone=zone)
        role = community.settings.get("organiser-role")
        organiser = profile.is_organiser or actor.platform_organiser or role in actor.roles
        return Context(self, Membership(community, profile), organiser, first_visit=first)

    async def _members_exist(self, ctx: Context, sub: SubSpec, cmd: Command) -> None:
        """Refuse a member option naming nobody: neither vouched for by the platform
        (a resolved mention) nor known in this community. Nothing runs, so nothing
        is stored for a name that is no member."""
        for opt in sub.options:
            who = cmd.opt(opt.name) if opt.kind == "member" else ""
            if not who or who == ctx.member_id or who in cmd.mentions:
                continue
            async with self.db.connect() as conn:
                known = await get_profile(conn, ctx.community_id, who)
            if known is None:
                raise UserError(ctx.msg("member_unknown", member=shorten(who, 40)))

    @staticmethod
    def _authorise(ctx: Context, sub: SubSpec) -> None:
        if sub.organiser_only and not ctx.is_organiser:
            raise UserError(
                f"`{sub.usage}` is for organisers of this community. "
                "Ask an organiser if you think you need it."
            )
