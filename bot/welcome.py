"""A member's first minute: the first time they use Rounds in a community, a
short welcome by DM with what the community's pack is for, its goals, the three
things to do first, which time zone their times are in and where it came from,
and buttons to set their profile and to change that zone."""

from __future__ import annotations

from typing import Literal

from bot.content import Content, Pack
from bot.responses import Button, Post, Response, Target

Origin = Literal["platform", "default", "own"]
"""Where the zone came from: the member's platform profile (Slack), the community's
default (none set yet), or the member (their first command set it)."""


def welcome(
    content: Content, pack: Pack, community_id: str, member_id: str, zone: str, origin: Origin
) -> Post:
    msg = content.msg
    goals = "\n".join(f"- {g}" for g in pack.goals)
    steps = "\n".join(f"{i}. {s}" for i, s in enumerate(pack.first_steps, 1))
    parts = [msg("welcome_lead", pack=pack.name, summary=pack.summary)]
    if goals:
        parts.append(f"**{msg('welcome_goals')}**\n{goals}")
    if steps:
        parts.append(f"**{msg('welcome_first_steps')}**\n{steps}")
    platform = community_id.partition(":")[0].capitalize()
    parts.append(msg(f"welcome_zone_{origin}", zone=zone, platform=platform))
    parts.append(msg("welcome_outro"))
    message = Response(
        title=msg("welcome_title"),
        text="\n\n".join(parts),
        buttons=(
            Button(msg("welcome_button_profile"), "profile edit", "primary"),
            Button(msg("welcome_button_zone"), "profile zone"),
        ),
        ephemeral=False,
        dm=True,
        data={
            "welcome": {
                "pack": pack.id,
                "goals": len(pack.goals),
                "steps": pack.first_steps,
                "zone": zone,
                "zone_from": origin,
            }
        },
    )
    return Post(
        Target(community_id, member_id=member_id), message, key=f"welcome:{member_id}", aside=True
    )
