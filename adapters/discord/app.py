"""The Discord adapter: every interaction (slash command, button, modal) goes
through one path to the core. A button carries its command line, or names a
row of bot.interactions that holds its action or a form's progress with the
community and member it is for: buttons and forms work after a restart, in
another process and in DMs (where Discord sends no server), and never for
anyone else."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta
from typing import Any

import discord

from adapters.discord.actions import FORM, LINE, STEP, STORED, ActionIds
from adapters.discord.channels import DiscordChannels
from adapters.discord.commands import mentioned, resolve
from adapters.discord.connect import point_at
from adapters.discord.deliver import DiscordDeliverer
from adapters.discord.render import NO_MENTIONS, message_kwargs, modal, modal_values
from bot.commands import Actor
from bot.config import Settings
from bot.core import Rounds
from bot.delivery import public_copy, send_also
from bot.interactions import (
    NewPending,
    Pending,
    drop,
    find,
    form_from_json,
    form_to_json,
    keep,
    save,
)
from bot.members import platform_communities
from bot.responses import Button, Form, Response
from bot.shards import Shards, parse_shards

log = logging.getLogger(__name__)
ACK_WITHIN = 2.0  # Discord allows 3 s; past this we defer and follow up
STEP_FIELDS = 5  # text inputs per modal
FORM_LIFETIME = timedelta(hours=2)  # an unfinished form answers that it expired after this


class DiscordBot:
    def __init__(self, rounds: Rounds, client: discord.Client) -> None:
        self.rounds = rounds
        self.client = client
        self.actions = ActionIds(rounds)
        rounds.outbox.register("discord", DiscordDeliverer(client, rounds, self.actions))
        rounds.channels.register("discord", DiscordChannels(client))
        client.event(self.on_interaction)
        client.event(self.on_ready)

    async def on_ready(self) -> None:
        """One line for whoever runs several processes (and for the tests that start
        them): the shards this one runs and how many servers are on them."""
        client = self.client
        where = "one connection"
        if isinstance(client, discord.AutoShardedClient):
            where = f"shards {client.shard_ids} of {client.shard_count}"
        log.info("Discord ready: %s, %d servers", where, len(client.guilds))

    @staticmethod
    def actor(interaction: discord.Interaction, community_id: str) -> Actor:
        """The presser, in `community_id`; Discord's own organiser word (Manage
        Server) and the member's roles (for `organiser-role`) count only in that
        community's server."""
        here = (
            interaction.guild_id is not None and community_id == f"discord:{interaction.guild_id}"
        )
        roles = getattr(interaction.user, "roles", []) if here else []
        return Actor(
            community_id,
            str(interaction.user.id),
            interaction.user.display_name,
            here and bool(interaction.permissions.manage_guild),
            frozenset(str(r.id) for r in roles),
        )

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        try:
            if interaction.type is discord.InteractionType.application_command:
                await self._on_command(interaction, data)
            elif interaction.type is discord.InteractionType.component:
                await self._on_button(interaction, str(data.get("custom_id", "")))
            elif interaction.type is discord.InteractionType.modal_submit:
                await self._on_modal(interaction, str(data.get("custom_id", "")), data)
        except discord.HTTPException:
            log.exception("could not answer an interaction")

    async def _on_command(self, interaction: discord.Interaction, data: dict[str, Any]) -> None:
        if interaction.guild_id is None:
            await self._say(interaction, "use_in_server")
            return
        community = f"discord:{interaction.guild_id}"
        name, sub, options = resolve(self.rounds.registry, data)
        actor = self.actor(interaction, community)
        channel = str(interaction.channel_id)
        work = self.rounds.run(actor, name, sub, options, channel, mentions=mentioned(data))
        await self._answer(interaction, work, community)

    async def _on_button(self, interaction: discord.Interaction, custom_id: str) -> None:
        channel = str(interaction.channel_id)
        if custom_id.startswith(LINE):
            community = await self._community(interaction)
            if community is None:
                await self._say(interaction, "use_in_server")
                return
            actor = self.actor(interaction, community)
            line = "/" + custom_id[len(LINE) :]
            await self._answer(interaction, self.rounds.run_line(actor, line, channel), community)
        elif custom_id.startswith(STORED):
            pending = await self._claim(interaction, custom_id[len(STORED) :], "action")
            if pending is not None:
                actor = self.actor(interaction, pending.community_id)
                line = "/" + str(pending.payload["line"])
                work = self.rounds.run_line(actor, line, channel)
                await self._answer(interaction, work, pending.community_id)
        elif custom_id.startswith(STEP):
            pending = await self._claim(interaction, custom_id[len(STEP) :], "form")
            if pending is not None:
                await self._open_step(interaction, pending)
        else:  # a custom_id of an older version (in-memory tokens)
            await self._say(interaction, "button_expired")

    async def _community(self, interaction: discord.Interaction) -> str | None:
        """The server pressed in; in a DM, under a button sent before buttons carried
        their community, the member's only Discord community, if there is one."""
        if interaction.guild_id is not None:
            return f"discord:{interaction.guild_id}"
        async with self.rounds.db.connect() as conn:
            found = await platform_communities(conn, "discord", str(interaction.user.id))
        return found[0] if len(found) == 1 else None

    async def _claim(
        self, interaction: discord.Interaction, pending_id: str, kind: str
    ) -> Pending | None:
        """The stored button or form, if the presser may use it here; otherwise
        say why and return None."""
        pending = await find(self.rounds.db, pending_id)
        expired = "form_expired" if kind == "form" else "button_expired"
        refusal = None
        if pending is None or pending.kind != kind or pending.expired(self.rounds.clock.now()):
            refusal = expired
        elif (
            interaction.guild_id is not None
            and pending.community_id != f"discord:{interaction.guild_id}"
        ):
            refusal = "button_other_server"
        elif pending.owner_id is not None and pending.owner_id != str(interaction.user.id):
            refusal = "button_not_yours"
        if refusal is not None:
            await self._say(interaction, refusal)
            return None
        return pending

    async def _on_modal(
        self, interaction: discord.Interaction, custom_id: str, data: dict[str, Any]
    ) -> None:
        pending_id = custom_id[len(FORM) :] if custom_id.startswith(FORM) else ""
        pending = await self._claim(interaction, pending_id, "form")
        if pending is None:
            return
        form = form_from_json(pending.payload["form"])
        values = {**pending.payload["values"], **modal_values(data)}
        done = int(pending.payload["done"]) + STEP_FIELDS
        if done < len(form.fields):
            await save(
                self.rounds.db, pending.id, {**pending.payload, "values": values, "done": done}
            )
            view = discord.ui.View(timeout=None)
            view.add_item(
                discord.ui.Button(
                    label=self.rounds.content.msg("form_continue"),
                    custom_id=STEP + pending.id,
                    style=discord.ButtonStyle.primary,
                )
            )
            text = self.rounds.content.msg("form_saved_so_far", left=len(form.fields) - done)
            await interaction.response.send_message(text, view=view, ephemeral=True)
            return
        await drop(self.rounds.db, pending.id)
        actor = self.actor(interaction, pending.community_id)
        channel = pending.payload.get("channel")
        work = self.rounds.submit_form(actor, form.submit, values, channel)
        await self._answer(interaction, work, pending.community_id)

    async def _answer(self, interaction: discord.Interaction, work: Any, community: str) -> None:
        """Answer within Discord's deadline: directly when the core is quick, else
        defer and follow up."""
        member = str(interaction.user.id)
        task = asyncio.ensure_future(self._with_posts(work, member))
        done, _ = await asyncio.wait({task}, timeout=ACK_WITHIN)
        if not done:
            await interaction.response.defer(ephemeral=True, thinking=True)
        response: Response = await task
        try:
            await self._show(interaction, response, community)
        finally:
            await send_also(self.rounds.outbox, self.rounds.content, response, member)

    async def _show(
        self, interaction: discord.Interaction, response: Response, community: str
    ) -> None:
        member = str(interaction.user.id)
        if response.form and not response.error:
            if _may_open_modal(interaction):
                await self._start_form(interaction, response.form, community)
                return
            # after a modal (or a deferral) Discord opens no modal: a button opens it
            pending = await self._keep_form(interaction, response.form, community)
            step = Button(self.rounds.content.msg("form_continue"), STEP, "primary")
            response = replace(response, buttons=(step,), ephemeral=True)
            ids: Mapping[str, str] = {STEP: STEP + pending.id}
        else:
            if not response.ephemeral:  # seen by the whole channel
                response = public_copy(response)
            ids = await self.actions.custom_ids(
                response.buttons, community, member, in_server=interaction.guild_id is not None
            )
        kwargs = message_kwargs(response, ids)
        if interaction.response.is_done():
            await interaction.followup.send(ephemeral=response.ephemeral, **kwargs)
        else:
            await interaction.response.send_message(ephemeral=response.ephemeral, **kwargs)

    async def _start_form(
        self, interaction: discord.Interaction, form: Form, community: str
    ) -> None:
        """Keep the form for its presser, then open its first step."""
        await self._open_step(interaction, await self._keep_form(interaction, form, community))

    async def _keep_form(
        self, interaction: discord.Interaction, form: Form, community: str
    ) -> Pending:
        """The form, kept for its presser (any process opens its steps)."""
        member, now = str(interaction.user.id), self.rounds.clock.now()
        payload = {
            "form": form_to_json(form),
            "channel": str(interaction.channel_id),
            "values": {},
            "done": 0,
        }
        item = NewPending(community, member, "form", payload)
        [pending_id] = await keep(self.rounds.db, [item], now, FORM_LIFETIME)
        return Pending(pending_id, community, member, "form", payload, now + FORM_LIFETIME)

    async def _with_posts(self, work: Any, member_id: str) -> Response:
        """The core's answer once its other posts went out (so the answer is true)."""
        return await self.rounds.with_posts(await work, member_id)

    async def _open_step(self, interaction: discord.Interaction, pending: Pending) -> None:
        form = form_from_json(pending.payload["form"])
        done = int(pending.payload["done"])
        fields = form.fields[done : done + STEP_FIELDS]
        total = -(-len(form.fields) // STEP_FIELDS)
        title = form.title
        if total > 1:
            title = f"{title} ({done // STEP_FIELDS + 1}/{total})"
        await interaction.response.send_modal(modal(title, FORM + pending.id, fields))

    async def _say(self, interaction: discord.Interaction, key: str) -> None:
        await interaction.response.send_message(self.rounds.content.msg(key), ephemeral=True)


def _may_open_modal(interaction: discord.Interaction) -> bool:
    """A modal can answer a command or a button, as the first answer; never a modal."""
    return (
        not interaction.response.is_done()
        and interaction.type is not discord.InteractionType.modal_submit
    )


def make_client(shards: Shards | None = None) -> discord.Client:
    """A plain client, or with `shards` an AutoShardedClient running only those
    (the other processes run the rest: ROUNDS_DISCORD_SHARDS)."""
    options: dict[str, Any] = {
        "intents": discord.Intents.default(),
        "allowed_mentions": NO_MENTIONS,
        "chunk_guilds_at_startup": False,
    }
    if shards is None:
        return discord.Client(**options)
    return discord.AutoShardedClient(
        shard_ids=list(shards.ids), shard_count=shards.count, **options
    )


async def serve(rounds: Rounds, settings: Settings) -> None:
    """Run until cancelled. Commands are registered by `rounds discord sync`, not here,
    so however many processes run, none of them syncs commands on start."""
    await point_at(settings.discord_api_base, settings.discord_token or "")
    shards = parse_shards(settings.discord_shards) if settings.discord_shards else None
    client = make_client(shards)
    DiscordBot(rounds, client)
    async with client:
        await client.start(settings.discord_token or "")
