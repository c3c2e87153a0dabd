"""The Discord adapter: every interaction (slash command, button, modal) goes
through one path to the core, so buttons keep working after a restart (their
custom_id carries the command line; nothing lives in memory between messages
except the steps of a long form)."""

from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

import discord

from adapters.discord.commands import mentioned, resolve
from adapters.discord.connect import point_at
from adapters.discord.deliver import DiscordDeliverer
from adapters.discord.render import NO_MENTIONS, ActionIds, message_kwargs, modal, modal_values
from bot.commands import Actor
from bot.config import Settings
from bot.core import Rounds
from bot.responses import Form, Response

log = logging.getLogger(__name__)
ACK_WITHIN = 2.0  # Discord allows 3 s; past this we defer and follow up
STEP = 5  # text inputs per modal


@dataclass
class PendingForm:
    form: Form
    channel_id: str | None
    values: dict[str, str] = field(default_factory=dict)
    done: int = 0  # fields already answered


class DiscordBot:
    def __init__(self, rounds: Rounds, client: discord.Client) -> None:
        self.rounds = rounds
        self.client = client
        self.actions = ActionIds()
        self.forms: dict[str, PendingForm] = {}
        rounds.outbox.register("discord", DiscordDeliverer(client, rounds, self.actions))
        client.event(self.on_interaction)

    @staticmethod
    def actor(interaction: discord.Interaction) -> Actor:
        perms = interaction.permissions
        return Actor(
            f"discord:{interaction.guild_id}",
            str(interaction.user.id),
            interaction.user.display_name,
            bool(perms.manage_guild),
        )

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.guild_id is None:
            await interaction.response.send_message(
                "Use Rounds commands in your community's server.", ephemeral=True
            )
            return
        data: dict[str, Any] = dict(interaction.data or {})
        try:
            if interaction.type is discord.InteractionType.application_command:
                name, sub, options = resolve(self.rounds.registry, data)
                work = self.rounds.run(
                    self.actor(interaction),
                    name,
                    sub,
                    options,
                    str(interaction.channel_id),
                    mentions=mentioned(data),
                )
                await self._answer(interaction, work)
            elif interaction.type is discord.InteractionType.component:
                await self._on_button(interaction, str(data.get("custom_id", "")))
            elif interaction.type is discord.InteractionType.modal_submit:
                await self._on_modal(interaction, str(data.get("custom_id", "")), data)
        except discord.HTTPException:
            log.exception("could not answer an interaction")

    async def _on_button(self, interaction: discord.Interaction, custom_id: str) -> None:
        if custom_id.startswith("c:"):  # continue a long form
            pending = self.forms.get(custom_id[2:])
            if pending is None:
                await interaction.response.send_message(
                    "That form has expired; please start again.", ephemeral=True
                )
                return
            await self._open_step(interaction, custom_id[2:], pending)
            return
        line = self.actions.decode(custom_id)
        if line is None:
            await interaction.response.send_message(
                "That button has expired; please run the command again.", ephemeral=True
            )
            return
        await self._answer(
            interaction,
            self.rounds.run_line(self.actor(interaction), "/" + line, str(interaction.channel_id)),
        )

    async def _on_modal(
        self, interaction: discord.Interaction, custom_id: str, data: dict[str, Any]
    ) -> None:
        token = custom_id[2:] if custom_id.startswith("f:") else ""
        pending = self.forms.get(token)
        if pending is None:
            await interaction.response.send_message(
                "That form has expired; please start again.", ephemeral=True
            )
            return
        pending.values.update(modal_values(data))
        pending.done += STEP
        if pending.done < len(pending.form.fields):
            view = discord.ui.View(timeout=None)
            view.add_item(
                discord.ui.Button(
                    label="Continue", custom_id="c:" + token, style=discord.ButtonStyle.primary
                )
            )
            left = len(pending.form.fields) - pending.done
            await interaction.response.send_message(
                f"Saved so far; {left} more question(s).", view=view, ephemeral=True
            )
            return
        del self.forms[token]
        await self._answer(
            interaction,
            self.rounds.submit_form(
                self.actor(interaction), pending.form.submit, pending.values, pending.channel_id
            ),
        )

    async def _answer(self, interaction: discord.Interaction, work: Any) -> None:
        """Answer within Discord's deadline: directly when the core is quick, else
        defer and follow up."""
        task = asyncio.ensure_future(work)
        done, _ = await asyncio.wait({task}, timeout=ACK_WITHIN)
        if not done:
            await interaction.response.defer(ephemeral=True, thinking=True)
        response: Response = await task
        if response.form and not response.error and not interaction.response.is_done():
            token = secrets.token_urlsafe(8)
            self.forms[token] = PendingForm(response.form, str(interaction.channel_id))
            await self._open_step(interaction, token, self.forms[token])
        else:
            kwargs = message_kwargs(response, self.actions)
            if interaction.response.is_done():
                await interaction.followup.send(ephemeral=response.ephemeral, **kwargs)
            else:
                await interaction.response.send_message(ephemeral=response.ephemeral, **kwargs)
        for post in response.also:
            try:
                await self.rounds.outbox.deliver(post)
            except Exception:
                log.exception("could not deliver a post to %s", post.to.community_id)

    async def _open_step(
        self, interaction: discord.Interaction, token: str, pending: PendingForm
    ) -> None:
        fields = pending.form.fields[pending.done : pending.done + STEP]
        total = -(-len(pending.form.fields) // STEP)
        title = pending.form.title
        if total > 1:
            title = f"{title} ({pending.done // STEP + 1}/{total})"
        await interaction.response.send_modal(modal(title, "f:" + token, fields))


def make_client() -> discord.Client:
    return discord.Client(
        intents=discord.Intents.default(),
        allowed_mentions=NO_MENTIONS,
        chunk_guilds_at_startup=False,
    )


async def serve(rounds: Rounds, settings: Settings) -> None:
    """Run until cancelled. Commands are registered by `rounds discord sync`, not here."""
    await point_at(settings.discord_api_base, settings.discord_token or "")
    client = make_client()
    DiscordBot(rounds, client)
    async with client:
        await client.start(settings.discord_token or "")
