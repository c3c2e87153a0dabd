"""The web adapter: sign-in pages and the organiser dashboard, served by aiohttp.
It holds no rule of its own: links and sessions, the numbers and the mentoring
actions all come from the core; pages only draw them (Jinja2, SVG charts)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from adapters.web.auth import Auth, community_path
from adapters.web.invite import InvitePages
from adapters.web.pages import PAGES, Action, Page, as_text, community_name, run_command
from bot.core import Rounds
from bot.features.calendar.ics import feed_for
from bot.features.dashboard import signin
from bot.features.dashboard.signin import Session
from bot.features.dashboard.tables import to_csv

HERE = Path(__file__).parent
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class WebApp:
    def __init__(self, rounds: Rounds, key: bytes, *, secure: bool = False) -> None:
        self.rounds = rounds
        self.auth = Auth(rounds, key, secure)
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )

    def application(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024, middlewares=[_headers])
        app.router.add_get("/", self.home)
        app.router.add_get("/signin/{token}", self.signin_page)
        app.router.add_post("/signin/{token}", self.signin)
        app.router.add_post("/signout", self.signout)
        app.router.add_get("/calendar/{token}.ics", self.calendar)
        app.router.add_static("/static", HERE / "static")
        for name, page in PAGES.items():
            app.router.add_get(f"/c/{{cid}}/{name}", self._page(page, csv=False))
            app.router.add_get(f"/c/{{cid}}/{name}.csv", self._page(page, csv=True))
            for action, run in page.actions.items():
                app.router.add_post(f"/c/{{cid}}/{name}/{action}", self._action(page, run))
        app.router.add_get("/c/{cid}/mentoring/rounds/{rid}.csv", self.round_csv)
        InvitePages(self.rounds, self.render).add_routes(app)
        return app

    def render(self, name: str, status: int = 200, **values: Any) -> web.Response:
        values.setdefault("community", "")
        values.setdefault("base", "")
        values.setdefault("pages", [(p.name, p.title) for p in PAGES.values()])
        html = self.templates.get_template(name).render(**values)
        return web.Response(text=html, status=status, content_type="text/html")

    def message(self, title: str, text: str, status: int) -> web.Response:
        return self.render("message.html", status, title=title, text=text, error=status >= 400)

    async def home(self, request: web.Request) -> web.StreamResponse:
        session = await self.auth.session(request)
        if session is None:
            return self.message("Sign in", self.rounds.content.msg("web_signed_out"), 401)
        raise web.HTTPSeeOther(community_path(session.community_id) + "/accountability")

    async def signin_page(self, request: web.Request) -> web.StreamResponse:
        # A GET never uses the link: chat apps fetch links to preview them.
        return self.render("signin.html", title="Sign in", token=request.match_info["token"])

    async def signin(self, request: web.Request) -> web.StreamResponse:
        now = self.rounds.clock.now()
        session = await signin.redeem(self.rounds.db, request.match_info["token"], now)
        if session is None:
            return self.message("Sign in", self.rounds.content.msg("web_link_refused"), 403)
        response = web.HTTPSeeOther(community_path(session.community_id) + "/accountability")
        self.auth.set_cookie(response, session)
        raise response

    async def signout(self, request: web.Request) -> web.StreamResponse:
        session = await self.auth.session(request)
        form = await request.post()
        if session is not None and self.auth.csrf_ok(session, str(form.get("csrf", ""))):
            await signin.sign_out(self.rounds.db, session.id)
        response = self.message("Signed out", self.rounds.content.msg("web_signed_out"), 200)
        self.auth.clear_cookie(response)
        return response

    async def calendar(self, request: web.Request) -> web.StreamResponse:
        """A member's private feed: the secret URL is the only key (revoked: 404)."""
        token, now = request.match_info["token"], self.rounds.clock.now()
        body = await feed_for(self.rounds.db, self.rounds.content, token, now)
        if body is None:
            raise web.HTTPNotFound(text="Not found", content_type="text/plain")
        return web.Response(body=body, content_type="text/calendar", charset="utf-8")

    async def _own(self, request: web.Request) -> Session:
        """The session, when it is this community's; else the request ends here
        (no session: 401; another community's URL: 404, as if it did not exist)."""
        session = await self.auth.session(request)
        if session is None:
            raise web.HTTPUnauthorized(
                text=self.rounds.content.msg("web_signed_out"), content_type="text/plain"
            )
        if request.match_info["cid"] != session.community_id:
            raise web.HTTPNotFound(text="Not found", content_type="text/plain")
        return session

    async def _show(
        self, page: Page, session: Session, notice: str = "", failed: bool = False
    ) -> web.Response:
        shown = await page.load(self.rounds, session)
        return self.render(
            page.template,
            title=page.title,
            community=await community_name(self.rounds, session.community_id),
            base=community_path(session.community_id),
            csrf=self.auth.csrf(session),
            notice=notice,
            notice_error=failed,
            tables=shown.tables,
            **shown.values,
        )

    def _page(self, page: Page, *, csv: bool) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            session = await self._own(request)
            if not csv:
                return await self._show(page, session)
            shown = await page.load(self.rounds, session)
            return web.Response(
                text=to_csv(shown.tables),
                content_type="text/csv",
                headers={"Content-Disposition": f'attachment; filename="{page.name}.csv"'},
            )

        return handler

    def _action(self, page: Page, run: Action) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            session = await self._own(request)
            form = await request.post()
            if not self.auth.csrf_ok(session, str(form.get("csrf", ""))):
                raise web.HTTPForbidden(text="This form has expired; reload the page.")
            reply = await run(self.rounds, session, {k: str(v) for k, v in form.items()})
            return await self._show(page, session, as_text(reply), reply.error)

        return handler

    async def round_csv(self, request: web.Request) -> web.StreamResponse:
        """A round's pairs, as `/mentor export <round>` makes them (the core checks
        the round is this community's)."""
        session = await self._own(request)
        rid = request.match_info["rid"]
        reply = await run_command(self.rounds, session, "mentor", "export", {"round": rid})
        if reply.error or reply.file is None:
            raise web.HTTPNotFound(text="Not found", content_type="text/plain")
        return web.Response(
            body=reply.file.content,
            content_type=reply.file.media_type.split(";")[0],
            headers={"Content-Disposition": f'attachment; filename="{reply.file.name}"'},
        )


@web.middleware
async def _headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """No page is framed, cached or allowed to load anything from elsewhere."""
    response = await handler(request)
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cache-Control", "no-store")
    return response
