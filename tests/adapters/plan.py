"""A two-step form for the adapter tests: its first step's answer is the next form
and a DM to the member ("a copy of your goal is in your DMs"), a promise the
adapter must keep true whether that DM goes out or not."""

from __future__ import annotations

from bot.commands import Command
from bot.context import Context
from bot.registry import Registry, registry
from bot.responses import Form, FormField, Post, Response, Target

COPY_SENT = "Step 2 of 2. A copy of your goal is in your DMs."


def with_plan() -> Registry:
    """The bot's commands plus a two-step plan whose first step DMs a copy of the goal."""
    reg = Registry()
    reg.commands = dict(registry.commands)
    reg.command("plan", "A two-step plan", default="open")

    @reg.sub("plan", "open", "Open it", opens_form=True)
    async def open_(ctx: Context, cmd: Command) -> Response:
        return Response(form=Form("Plan", "plan steps", (FormField("goal", "Your goal"),)))

    @reg.sub("plan", "steps", "Step one", hidden=True)
    async def steps(ctx: Context, cmd: Command) -> Response:
        copy = Response(text=f"Your goal: {cmd.opt('goal')}", dm=True)
        to_me = Post(Target(ctx.community_id, member_id=ctx.member_id), copy)
        form = Form("Plan", "plan save", (FormField("steps", "First steps"),))
        return Response(text=COPY_SENT, form=form, also=(to_me,))

    @reg.sub("plan", "save", "Step two", hidden=True)
    async def save(ctx: Context, cmd: Command) -> Response:
        return Response(text=f"Saved: {cmd.opt('steps')}")

    return reg
