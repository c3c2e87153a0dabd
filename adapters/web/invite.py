"""The web pages of mentors who are not on the platform: the invite sign-up,
their own page (details, withdraw, export, delete) and the links in their
emails (Accept, Decline, "did you meet?"). Each runs core commands as that
member; a GET never changes anything (mail scanners open links)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from adapters.web.pages import as_text
from bot.commands import Actor
from bot.core import Rounds
from bot.delivery import send_also
from bot.features.invites import links, people
from bot.features.invites.signup import sign_up, signup_form
from bot.interactions import Kind, Pending
from bot.responses import Response

Render = Any  # WebApp.render


class InvitePages:
    def __init__(self, rounds: Rounds, render: Render) -> None:
        self.rounds = rounds
        self.render = render

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/invite/{token}", self.invite_page)
        app.router.add_post("/invite/{token}", self.invite_submit)
        app.router.add_get("/me/{token}", self.me)
        app.router.add_post("/me/{token}/{what}", self.me_post)
        app.router.add_get("/act/{token}", self.act_page)
        app.router.add_post("/act/{token}", self.act)

    def _gone(self, key: str) -> web.Response:
        msg = self.rounds.content.msg(key)
        return self.render("message.html", 404, title="Link", text=msg, error=True)

    async def invite_page(
        self,
        request: web.Request,
        notice: str = "",
        values: dict[str, str] | None = None,
        status: int = 200,
    ) -> web.StreamResponse:
        token = request.match_info["token"]
        found = await links.invite(self.rounds.db, token, self.rounds.clock.now())
        page = await signup_form(self.rounds, found.community_id) if found else None
        if page is None:
            return self._gone("invite_gone")
        return self.render(
            "invite.html",
            status,
            title=page.form.title,
            token=token,
            intro=page.intro,
            form=page.form,
            values=values or {},
            notice=notice,
        )

    async def invite_submit(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        form = {k: str(v) for k, v in (await request.post()).items()}
        name, email = form.pop("name", ""), form.pop("email", "")
        outcome = await sign_up(self.rounds, token, name, email, form)
        if outcome.member is None:
            values = {**form, "name": name, "email": email}
            return await self.invite_page(request, outcome.reply.text, values, 400)
        who = outcome.member
        await send_also(self.rounds.outbox, self.rounds.content, outcome.reply, who.member_id)
        page = await links.account_link(
            self.rounds.db, who.community_id, who.member_id, self.rounds.clock.now()
        )
        raise web.HTTPSeeOther(f"/me/{page}?new=1")

    async def _owner(self, token: str, kind: Kind) -> tuple[Pending, Actor] | None:
        found = await links.owned(self.rounds.db, token, kind, self.rounds.clock.now())
        if found is None or found.owner_id is None:
            return None
        async with self.rounds.db.connect() as conn:
            person = await people.by_id(conn, found.community_id, found.owner_id)
        if person is None:
            return None
        return found, Actor(found.community_id, person.member_id, person.name)

    async def _show_me(
        self, token: str, actor: Actor, reply: Response | None = None, slot: str | None = None
    ) -> web.Response:
        details = await self.rounds.run(actor, "mentor", "details", {})
        buttons = []
        if reply is not None and reply.buttons:
            now, db = self.rounds.clock.now(), self.rounds.db
            pairs = [(b.label, b.action) for b in reply.buttons]
            if slot is not None:  # the first button's link was made before the command ran
                await links.fill(db, slot, *pairs[0])
                rest = await links.actions(db, actor.community_id, actor.member_id, pairs[1:], now)
                ids = [slot, *rest]
            else:
                ids = await links.actions(db, actor.community_id, actor.member_id, pairs, now)
            buttons = [{"id": i, "label": label} for i, (label, _) in zip(ids, pairs, strict=True)]
        return self.render(
            "me.html",
            400 if reply is not None and reply.error else 200,
            title=f"Mentoring: {actor.display_name}",
            token=token,
            form=details.form,
            values={},
            buttons=buttons,
            notice=as_text(reply) if reply is not None else "",
            notice_error=bool(reply and reply.error),
        )

    async def me(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        owner = await self._owner(token, links.ACCOUNT)
        if owner is None:
            return self._gone("invite_link_gone")
        reply = (
            Response(text=self.rounds.content.msg("invite_saved"))
            if request.query.get("new")
            else None
        )
        return await self._show_me(token, owner[1], reply)

    async def me_post(self, request: web.Request) -> web.StreamResponse:
        token, what = request.match_info["token"], request.match_info["what"]
        owner = await self._owner(token, links.ACCOUNT)
        if owner is None:
            return self._gone("invite_link_gone")
        actor = owner[1]
        form = {k: str(v) for k, v in (await request.post()).items()}
        if what == "details":
            shown = await self.rounds.run(actor, "mentor", "details", {})
            if shown.form is None:
                return await self._show_me(token, actor, shown)
            reply = await self.rounds.submit_form(actor, shown.form.submit, form)
        elif what == "withdraw":
            reply = await self.rounds.run(actor, "mentor", "withdraw", {})
        elif what == "export":
            reply = await self.rounds.run(actor, "privacy", "export", {})
            # the export travels as a DM to its owner: on the web it is the download
            own = [p.message.file for p in reply.also if p.to.member_id == actor.member_id]
            file = next((f for f in own if f is not None), reply.file)
            if file is not None and not reply.error:
                return web.Response(
                    body=file.content,
                    content_type=file.media_type.split(";")[0],
                    headers={"Content-Disposition": f'attachment; filename="{file.name}"'},
                )
        elif what == "delete":
            # /privacy delete's confirmation counts the member's rows, links included
            slot = await links.reserve(
                self.rounds.db, actor.community_id, actor.member_id, self.rounds.clock.now()
            )
            reply = await self.rounds.run(actor, "privacy", "delete", {})
            return await self._show_me(token, actor, reply, slot)
        else:
            raise web.HTTPNotFound()
        return await self._show_me(token, actor, reply)

    async def act_page(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        owner = await self._owner(token, links.ACTION)
        if owner is None:
            return self._gone("invite_link_gone")
        label = str(owner[0].payload.get("label", "Confirm"))
        return self.render(
            "act.html",
            title=label,
            token=token,
            label=label,
            text=self.rounds.content.msg("invite_confirm"),
        )

    async def act(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        owner = await self._owner(token, links.ACTION)
        if owner is None:
            return self._gone("invite_link_gone")
        pending, actor = owner
        reply = await self.rounds.run_line(actor, str(pending.payload.get("line", "")))
        reply = await send_also(self.rounds.outbox, self.rounds.content, reply, actor.member_id)
        async with self.rounds.db.connect() as conn:
            still = await people.by_id(conn, actor.community_id, actor.member_id)
        if still is None:  # they deleted their data: no new links for them
            return self.render("message.html", title="Rounds", text=as_text(reply), error=False)
        page = await links.account_link(
            self.rounds.db, actor.community_id, actor.member_id, self.rounds.clock.now()
        )
        return await self._show_me(page, actor, reply)
